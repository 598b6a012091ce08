#!/usr/bin/env bash
# rasterize_signal_cleanup.sh RASTERIZE MODEL SIGNAL [OPTIONS...]
# Starts geoenc-rasterize on a grid large enough to take a while, waits until
# its hidden temporary output exists, sends SIGNAL, and checks that the tool
# died of it and left nothing in out/ (neither the output nor a COG's staged
# GeoTIFF).
set -euo pipefail
tool=$1 model=$2 sig=$3
shift 3
mkdir out
"$tool" out/out.tif -m "$model" --point-wise --te -180 -90 180 90 --tr 0.1 0.1 "$@" 2> tool.err &
pid=$!
for _ in $(seq 300); do
    ls -A out | grep -q 'geoenc-tmp' && break
    sleep 0.1
done
if ! ls -A out | grep -q 'geoenc-tmp'; then
    echo "the temporary output never appeared in out/: $(ls -A out)" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
fi
sleep 0.5  # into the computation, a few windows written
kill -s "$sig" "$pid"
status=0
wait "$pid" 2>/dev/null || status=$?
expected=$((128 + $(kill -l "$sig")))
[ "$status" -eq "$expected" ] || { echo "exit status $status, expected $expected (killed by SIG$sig)" >&2; exit 1; }
left=$(ls -A out)
[ -z "$left" ] || { echo "left behind in out/: $left" >&2; exit 1; }
[ ! -s tool.err ] || { echo "unexpected stderr from the tool:" >&2; cat tool.err >&2; exit 1; }
