#!/usr/bin/env bash
# The README's 5-minute tour, on the bundled sample data, offline: run it from
# an empty folder (it writes there), with the tools on PATH or BIN=build/tools.
#   bash share/geoenc/examples/tour.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)      # share/geoenc
[ -n "${BIN:-}" ] && export PATH="$(cd "$BIN" && pwd):$PATH"
sites=$here/sample/sites.gpkg
lo=$here/sample/landocean
model=$here/models/landocean-sh20-siren256x2.geoenc

# 1. embed the 20 sample sites: 100 spherical-harmonic features each
geoenc-embed -q "$sites" sites_emb.gpkg -m sh:L=10

# 2. map one embedding band on a global 1-degree grid
geoenc-rasterize -q band0.tif -m sh:L=10 --bands 0 --te -180 -90 180 90 --tr 1 1

# 3. a PCA RGB map (three components fitted on a seeded sample of the grid)
geoenc-rasterize -q pca.tif -m sh:L=10 --mode pca --rgb --seed 0 --te -180 -90 180 90 --tr 1 1

# 4. a similarity heatmap: cosine similarity of every pixel to Hong Kong
geoenc-rasterize -q sim.tif -m sh:L=10 --mode similarity --ref 114.17,22.32 --te -180 -90 180 90 --tr 1 1

# 5. the OT distance between two regions: the northern and southern land points of the sample
geoenc-ot-distance -q --solver exact --s_srs EPSG:4326 "$lo/landocean_train.csv" "$lo/landocean_train.csv" \
    --where "land = 1 AND lat > 0" --target-where "land = 1 AND lat < 0" > ot.json

# 6. Moran's I of an embedding dimension over the sites (8 nearest neighbours on the sphere)
geoenc-moran -q sites_emb.gpkg --field emb_001 --weights knn:8 > moran.json

# 7. a shell pipe between two tools: the demo model's land probability at each site, then its Moran's I
geoenc-embed -q "$sites" - -m "$model" -f GeoJSONSeq | geoenc-moran -q - --field prob_land --weights knn:8 > piped.json

gdal_translate -q -of PNG pca.tif pca.png
ls
