#!/usr/bin/env bash
# End-to-end geoenc-embed: N points GPKG -> GPKG with a SatCLIP-L40 checkpoint
# (256-dim embedding), against ogr2ogr writing a GeoPackage of the same size
# (a plain copy of geoenc-embed's output). Also the peak RSS at N and 4N points
# with a small model, to show memory is bounded by --batch-size, not by N.
# Target (issue 3): geoenc-embed within 2x ogr2ogr's time.
# Usage: bench/bench_embed_end_to_end.sh BUILD_DIR [N]   (default N = 1000000)
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [N]}
n=${2:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
embed="$build/tools/geoenc-embed"
model="$here/tests/data/satclip_L40_cap256_seed0_state_dict.pt"
work=$(mktemp -d "${TMPDIR:-/tmp}/geoenc-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

points() {  # $1 = count: deterministic uniform points on the sphere, as CSV
  awk -v n="$1" 'BEGIN { srand(42); print "id,lon,lat";
    for (i = 0; i < n; i++) { z = 2*rand()-1
      printf "%d,%.6f,%.6f\n", i, 360*rand()-180, atan2(z, sqrt(1-z*z))*57.29577951308232 } }'
}
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

points "$n" > "$work/points.csv"
ogr2ogr -f GPKG "$work/points.gpkg" "$work/points.csv" -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat \
  -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326 -nln points

t0=$(date +%s.%N)
"$embed" "$work/points.gpkg" "$work/emb.gpkg" -m "$model" -q
t1=$(date +%s.%N)
ogr2ogr -f GPKG "$work/copy.gpkg" "$work/emb.gpkg"
t2=$(date +%s.%N)
size=$(du -m "$work/emb.gpkg" | cut -f1)
e=$(seconds "$t0" "$t1"); o=$(seconds "$t1" "$t2")
echo "end_to_end points=$n dim=256 gpkg_mb=$size geoenc_embed_s=$e ogr2ogr_same_size_s=$o ratio=$(awk -v e="$e" -v o="$o" 'BEGIN{printf "%.2f", e/o}') points_per_s=$(awk -v e="$e" -v n="$n" 'BEGIN{printf "%.0f", n/e}')"

rss() {  # peak RSS in MB of embedding $1 points to stdout
  points "$1" > "$work/rss.csv"
  /usr/bin/time -f %M "$embed" "$work/rss.csv" - -m sh:L=4 -q -f CSV 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'
}
echo "peak_rss points=$n rss_mb=$(rss "$n") points=$((4 * n)) rss_mb=$(rss $((4 * n)))"
