#!/usr/bin/env bash
# check_raster_vs_embed.sh RASTER CRS TOL [EMBED OPTIONS...]
# Every valid pixel of RASTER (one band per embedding dimension, described
# emb_000...) must equal geoenc-embed's embedding of the pixel's centre, as
# gdal_translate -of XYZ reports it in CRS, within TOL (absolute). Nodata
# (NaN) pixels are skipped; at least one pixel must be valid. $GEOENC_EMBED
# is the geoenc-embed binary; EMBED OPTIONS (e.g. -m MODEL --precision
# float64) are passed on. Works in the current folder.
set -euo pipefail
raster=$1 crs=$2 tol=$3
shift 3
names=$(gdalinfo "$raster" | sed -n 's/^  Description = //p')
nb=$(printf '%s\n' "$names" | grep -c .)
[ "$nb" -gt 0 ] || { echo "$raster: no band descriptions" >&2; exit 1; }
# Centres from the XYZ driver (row-major, NaN for nodata); values at full
# precision from gdallocationinfo (the XYZ driver reads through float32).
gdal_translate -q -b 1 -of XYZ "$raster" band1.xyz
size=$(gdalinfo "$raster" | sed -n 's/^Size is \([0-9]*\), \([0-9]*\)$/\1 \2/p')
width=${size% *}
awk -v w="$width" '{ print (NR - 1) % w, int((NR - 1) / w) }' band1.xyz > pixels.txt
gdallocationinfo -valonly "$raster" < pixels.txt > values.txt
awk 'tolower($3) !~ /nan/ { print $1 "," $2 }' band1.xyz > centres.body
[ -s centres.body ] || { echo "$raster: no valid pixel" >&2; exit 1; }
{ echo x,y; cat centres.body; } > centres.csv
{
    printf '%s\n' "$names" | paste -sd, -
    awk -v nb="$nb" 'NR == FNR { valid[FNR] = tolower($3) !~ /nan/; next }
        { p = int((FNR - 1) / nb) + 1; line = line ((FNR - 1) % nb ? "," : "") $1
          if (FNR % nb == 0) { if (valid[p]) print line; line = "" } }' band1.xyz values.txt
} > raster.csv
"$GEOENC_EMBED" centres.csv embedded.csv --oo X_POSSIBLE_NAMES=x --oo Y_POSSIBLE_NAMES=y --s_srs "$crs" -f CSV "$@"
"$CLI_SCRIPTS/compare_embeddings.sh" embedded.csv raster.csv "$tol" "$(wc -l < centres.body)"
