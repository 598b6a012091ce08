#!/usr/bin/env bash
# Renders the README's pictures with geoenc itself plus GDAL (gdal_translate,
# gdaldem): the land/ocean truth and the demo model's map, a PCA colour map
# and a similarity heatmap. Small PNGs, 0.5 degree global grids.
#   bash make_pictures.sh               (tools from PATH, or set GEOENC_BIN=build/tools)
# MODEL (default sh:L=10, offline) picks the encoder of the PCA map and the
# heatmap; with network access MODEL=satclip-resnet50-l40 renders SatCLIP's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${GEOENC_BIN:+$(cd "$GEOENC_BIN" && pwd)/}
model=${MODEL:-sh:L=10}
share=$here/..
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grid=(--te -180 -90 180 90 --tr 0.5 0.5)
classes=$work/classes.txt
printf '0 107 142 35\n1 70 130 180\n' > "$classes"   # land olive, ocean steel blue

# The truth (GSHHG via GMT) and the map of the demo model trained on 10,000 points.
gdaldem color-relief -q -of PNG "$share/sample/landocean/landocean_truth.tif" "$classes" "$here/landocean_truth.png"
"${bin}geoenc-rasterize" -q "$work/pred.tif" -m "$share/models/landocean-sh20-siren256x2.geoenc" --mode predict "${grid[@]}"
gdaldem color-relief -q -of PNG "$work/pred.tif" "$classes" "$here/landocean_predicted.png"

# The first three principal components of the embedding as RGB.
"${bin}geoenc-rasterize" -q "$work/pca.tif" -m "$model" --mode pca --rgb --seed 0 "${grid[@]}"
gdal_translate -q -of PNG "$work/pca.tif" "$here/pca.png"

# Cosine similarity to Hong Kong, blue (-1) to white (0) to red (1).
"${bin}geoenc-rasterize" -q "$work/sim.tif" -m "$model" --mode similarity --ref 114.17,22.32 "${grid[@]}"
printf -- '-1 49 54 149\n0 247 247 247\n1 165 0 38\nnv 0 0 0 0\n' > "$work/ramp.txt"
gdaldem color-relief -q -of PNG "$work/sim.tif" "$work/ramp.txt" "$here/similarity_hong_kong.png"
rm -f "$here"/*.png.aux.xml
ls -l "$here"/*.png
