#!/usr/bin/env bash
# The two set-up commands of the README, written once:
#   scripts/setup.sh demo   install dependencies, build, embed the bundled sample sites
#   scripts/setup.sh test   install dependencies, build, run the whole test suite
#   scripts/setup.sh deps | build   just that step
# Runs as root or through sudo on Debian 12. Idempotent: installed packages and
# an existing build are reused.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${GEOENC_BUILD_DIR:-$here/build}
jobs=${GEOENC_JOBS:-$(nproc)}

# Debian 12 packages. libopenblas0-pthread matters: without it LibTorch's
# matrix products ran 35x slower here.
packages=(
  build-essential cmake ninja-build ccache pkg-config
  libgdal-dev gdal-bin libproj-dev libgeos-dev
  libtorch-dev libopenblas0-pthread
  libboost-program-options-dev doctest-dev
  libnanoflann-dev liblemon-dev nlohmann-json3-dev
  go-md2man sqlite3 zsh bash-completion
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

deps() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages already installed" >&2
    return
  fi
  echo "setup: installing ${missing[*]}" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build_dir" -j "$jobs"
}

demo() {
  local out="$build_dir/demo/sites_emb.gpkg"
  mkdir -p "$(dirname "$out")"
  "$build_dir/tools/geoenc-embed" "$here/share/geoenc/sample/sites.gpkg" "$out" \
    --model sh:L=10 --overwrite
  echo "geoenc-embed wrote $out"
  ogrinfo -so -q "$out" sites_emb | sed -n '1,12p'
}

run_tests() {
  # Everything but the benchmarks (label "bench"), which print figures instead of asserting.
  ctest --test-dir "$build_dir" --label-exclude bench --output-on-failure -j "$jobs"
}

case "${1:-}" in
  deps) deps ;;
  build) deps; build ;;
  demo) deps; build; demo ;;
  test) deps; build; run_tests ;;
  *) echo "usage: $0 demo|test|deps|build" >&2; exit 2 ;;
esac
