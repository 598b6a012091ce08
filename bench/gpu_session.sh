#!/usr/bin/env bash
# The CUDA figures the open issues still need, for a session that is lent the
# GPU machine (device tool). That machine has PyTorch but no GDAL and no Debian
# -dev packages, so the compute core is built without GDAL against PyTorch's
# LibTorch, with the header-only dependencies carried from here.
#
#   here:        bash bench/gpu_session.sh stage        # copies headers to .gpu-deps/ (ignored by git)
#   device tool: run(command="bash bench/gpu_session.sh run", carry=[".gpu-deps"])
#
# "run" configures, builds, runs the compute tests, then:
#   issue 3/4  bench_encoder      points/s of the SatCLIP-L40 encoder on CUDA (compare with the
#                                 CPU separable grid encoder of bench_rasterize, ~287k px/s)
#   issue 8    bench_train --cuda training samples/s on CUDA
#   issue 6    bench_moran ... cuda  local Moran permutations on CUDA (100,000 and 1,000,000 points)
# and copies the log to $OUT/gpu_session.log.
set -euo pipefail
cd "$(dirname "$0")/.."
deps=.gpu-deps

stage() {
    rm -rf "$deps"
    mkdir -p "$deps/include" "$deps/lib/cmake" "$deps/share/cmake"
    cp -r /usr/include/lemon /usr/include/nanoflann.hpp /usr/include/doctest /usr/include/nlohmann "$deps/include/"
    # The CMake packages, in the same layout, so that their relative prefixes land in $deps.
    cp -r /usr/lib/cmake/doctest "$deps/lib/cmake/"
    cp -r /usr/share/cmake/nlohmann_json "$deps/share/cmake/"
    # Debian's doctest targets name /usr outright: make the prefix the copy's own.
    sed -i 's|^set(_IMPORT_PREFIX "/usr")|get_filename_component(_IMPORT_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)|' \
        "$deps/lib/cmake/doctest/doctestTargets.cmake"
    du -sh "$deps"
}

run() {
    local out=${OUT:-.}
    local log="$out/gpu_session.log"
    local torch_prefix build=build-gpu
    torch_prefix=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
    {
        nvidia-smi --query-gpu=name,memory.total --format=csv || true
        cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGEOENC_WITH_GDAL=OFF \
            -DCMAKE_PREFIX_PATH="$PWD/$deps;$torch_prefix" -DCMAKE_INCLUDE_PATH="$PWD/$deps/include"
        cmake --build "$build" -j "$(nproc)"
        ctest --test-dir "$build" -LE bench -j 8 --output-on-failure
        "$build/bench/bench_encoder"
        "$build/bench/bench_train" --cuda 1
        "$build/bench/bench_moran" "$(nproc)" 3 1 100000 cuda
        "$build/bench/bench_moran" "$(nproc)" 1 0 100000 cpu
    } 2>&1 | tee "$log"
}

case "${1:-}" in
    stage) stage ;;
    run) run ;;
    *) echo "usage: bash bench/gpu_session.sh stage|run" >&2; exit 2 ;;
esac
