#!/usr/bin/env bash
# Rebuilds landocean-sh20-siren256x2.geoenc, the offline demo model: a location
# encoder fitted from scratch to the bundled land/ocean points (sample/landocean,
# derived from GSHHG coastlines) with geoenc-train's defaults, seed 0, 2 threads.
# The same seed and thread count give the same file, byte for byte.
#   bash make_landocean_model.sh        (geoenc-train from PATH, or set GEOENC_BIN=build/tools)
set -euo pipefail
bin=${GEOENC_BIN:+$(cd "$GEOENC_BIN" && pwd)/}
cd "$(dirname "$0")"
data=../sample/landocean
"${bin}geoenc-train" "$data/landocean_train.csv" landocean-sh20-siren256x2.geoenc --overwrite --s_srs EPSG:4326 \
    --target class --pe sh:L=20 --net siren:256x2 --seed 0 --threads 2 \
    --eval "$data/landocean_test.csv" > landocean-sh20-siren256x2.json
