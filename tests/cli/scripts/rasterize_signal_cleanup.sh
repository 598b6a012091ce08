#!/usr/bin/env bash
# rasterize_signal_cleanup.sh RASTERIZE MODEL SIGNAL [OPTIONS...]
# Starts geoenc-rasterize on a grid large enough to take a while, waits until
# its hidden temporary output exists, sends SIGNAL, and checks that the tool
# died of it and left nothing in out/ (neither the output nor a COG's staged
# GeoTIFF).
set -euo pipefail
source "$(dirname "$0")/signal_check.sh"
tool=$1 model=$2 sig=$3
shift 3
mkdir out
"$tool" out/out.tif -m "$model" --point-wise --te -180 -90 180 90 --tr 0.1 0.1 "$@" 2> tool.err &
kill_at_temp_output $! "$sig" 0.5  # into the computation, a few windows written
