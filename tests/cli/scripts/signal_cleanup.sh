#!/usr/bin/env bash
# signal_cleanup.sh SIGNAL
# Starts geoenc-embed writing out/out.gpkg from a stdin that stalls after five
# features, waits until the hidden temporary output exists, sends SIGNAL, and
# checks that the tool died of it and left nothing in out/.
set -euo pipefail
source "$(dirname "$0")/signal_check.sh"
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
kill_at_temp_output $! "$sig"
