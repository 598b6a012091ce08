#!/usr/bin/env bash
# signal_cleanup.sh SIGNAL
# Starts geoenc-embed writing out/out.gpkg from a stdin that stalls after five
# features, waits until the hidden temporary output exists, sends SIGNAL, and
# checks that the tool died of it and left nothing in out/.
set -euo pipefail
sig=$1
mkdir out
mkfifo slow.fifo
# The generator: five CSV rows, then a stall. exec: $! is the sleep itself.
( head -n 6 "$CLI_SAMPLE/sites.csv"; exec sleep 120 ) > slow.fifo &
gen=$!
trap 'kill "$gen" 2>/dev/null || true' EXIT
# AUTODETECT_TYPE=NO: the CSV driver then reads rows as they come instead of
# buffering the input to guess column types.
"$GEOENC_EMBED" - out/out.gpkg -m sh:L=2 --if CSV --oo AUTODETECT_TYPE=NO --s_srs EPSG:4326 \
    < slow.fifo 2> tool.err &
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
kill -s "$sig" "$pid"
status=0
wait "$pid" 2>/dev/null || status=$?
expected=$((128 + $(kill -l "$sig")))
[ "$status" -eq "$expected" ] || { echo "exit status $status, expected $expected (killed by SIG$sig)" >&2; exit 1; }
left=$(ls -A out)
[ -z "$left" ] || { echo "left behind in out/: $left" >&2; exit 1; }
[ ! -s tool.err ] || { echo "unexpected stderr from the tool:" >&2; cat tool.err >&2; exit 1; }
