#!/usr/bin/env bash
# Rebuild the land/ocean sample (landocean_train.csv, landocean_test.csv,
# landocean_truth.tif) from scratch, next to this script, from the
# low-resolution GSHHG 2.3.7 shorelines (Debian: gmt + gmt-gshhg-low).
# Deterministic: a second run gives byte-identical files.
#
#   bash make_landocean.sh          # needs gmt, gmt-gshhg-low, gdal-bin, python3
#
# Labels: land=1 for every point not in the ocean. GSHHG lakes, islands in
# lakes and ponds all count as land (-N ocean/land/lake/island/pond = s/k/k/k/k
# for gmt select, 0/1/1/1/1 for gmt grdlandmask), so the Caspian Sea and the
# Great Lakes are land. Antarctica is land to its ice front (GMT's default).
# No minimum area (-A0): every GSHHG polygon of the low resolution is used.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# gmt-gshhg-low's copy of the shorelines; GSHHG_DIR=... picks another copy.
GSHHG_DIR=${GSHHG_DIR:-/usr/share/gmt-gshhg}
SEED=0
NTRAIN=10000

die() { echo "make_landocean.sh: $*" >&2; exit 1; }
for c in gmt gdal_translate gdalinfo python3 sha256sum; do
  command -v "$c" >/dev/null || die "$c not found (apt-get install gmt gmt-gshhg-low gdal-bin python3)"
done
[ -f "$GSHHG_DIR/binned_GSHHS_l.nc" ] || die "no $GSHHG_DIR/binned_GSHHS_l.nc (apt-get install gmt-gshhg-low)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"   # GMT writes gmt.history into the working directory
export GMT_USERDIR="$tmp"   # no ~/.gmt settings

echo "gmt $(gmt --version), GDAL $(gdal_translate --version | sed 's/^GDAL //; s/,.*//'), $(python3 --version)"
echo "shorelines: $GSHHG_DIR/binned_GSHHS_l.nc sha256 $(sha256sum "$GSHHG_DIR/binned_GSHHS_l.nc" | cut -c1-16)..."

# The one labelling rule, used for every point: the ids (3rd column) of the
# "lon lat id" records of $1 that are not in the ocean.
land_ids() {
  gmt select "$1" -Rd -Dl -A0 -Ns/k/k/k/k -o2 --DIR_GSHHG="$GSHHG_DIR" --FORMAT_FLOAT_OUT=%.0f
}

# --- points: 10,000 uniform on the sphere (seed 0), and the 2-degree test grid
python3 - "$SEED" "$NTRAIN" <<'EOF'
import math, random, sys
seed, n = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
def fmt(v):
    s = "%.6f" % v
    return "0.000000" if s == "-0.000000" else s
with open("train.xyi", "w") as f:
    for i in range(1, n + 1):
        lon = -180.0 + 360.0 * rng.random()                  # U(-180, 180)
        lat = math.degrees(math.asin(-1.0 + 2.0 * rng.random()))  # asin(U(-1, 1))
        f.write("%s %s %d\n" % (fmt(lon), fmt(lat), i))
with open("test.xyi", "w") as f:   # north to south, west to east
    i = 0
    for lat in range(89, -90, -2):
        for lon in range(-179, 180, 2):
            i += 1
            f.write("%d.0 %d.0 %d\n" % (lon, lat, i))   # ".0": a real-valued column, as in train
# labelled spot checks: name, lon, lat, expected land
checks = [("Sahara", 13, 23, 1), ("mid-Pacific", -150, 0, 0), ("Amazon", -60, -5, 1),
          ("Siberia", 100, 65, 1), ("Greenland ice", -40, 72, 1), ("Antarctica", 0, -85, 1),
          ("South Pole", 0, -89.99, 1), ("Ross Ice Shelf", -175, -81, 1), ("North Pole", 0, 89.99, 0),
          ("mid-Atlantic", -30, 30, 0), ("Mediterranean", 18, 35, 0), ("Indian Ocean", 80, -30, 0),
          ("Caspian Sea (lake)", 51, 42, 1), ("Lake Superior (lake)", -87.5, 47.6, 1)]
with open("checks.xyi", "w") as f:
    for i, (name, lon, lat, want) in enumerate(checks, 1):
        f.write("%s %s %d\n" % (lon, lat, i))
with open("checks.txt", "w") as f:
    for name, lon, lat, want in checks:
        f.write("%s\t%s\t%s\t%d\n" % (name, lon, lat, want))
EOF

land_ids train.xyi  > train.land
land_ids test.xyi   > test.land
land_ids checks.xyi > checks.land
# For the record only: how many points the other lake rule (lakes = water) would flip.
gmt select train.xyi -Rd -Dl -A0 -Ns/k -o2 --DIR_GSHHG="$GSHHG_DIR" --FORMAT_FLOAT_OUT=%.0f > train.dry
gmt select test.xyi  -Rd -Dl -A0 -Ns/k -o2 --DIR_GSHHG="$GSHHG_DIR" --FORMAT_FLOAT_OUT=%.0f > test.dry

# --- the true mask: 0.5-degree pixel-registered grid, 1 land / 0 ocean
gmt grdlandmask -R-180/180/-90/90 -I0.5 -r -Dl -A0 -N0/1/1/1/1 -Gmask.nc --DIR_GSHHG="$GSHHG_DIR"
# The same mask on the test grid's 2-degree cell centres, to cross-check gmt select.
gmt grdlandmask -R-180/180/-90/90 -I2 -r -Dl -A0 -N0/1/1/1/1 -Gmask2.nc --DIR_GSHHG="$GSHHG_DIR"
gmt grd2xyz mask2.nc -ZTLa > mask2.txt
# Raw bytes, top row first, plus a hand-written EHdr header, so that no netCDF
# metadata (GMT's history line, a NaN _FillValue that GDAL turns into nodata=0)
# reaches the GeoTIFF.
gmt grd2xyz mask.nc -ZTLu > mask.bil
cat > mask.hdr <<'EOF'
BYTEORDER I
LAYOUT BIL
NROWS 360
NCOLS 720
NBANDS 1
NBITS 8
PIXELTYPE UNSIGNEDINT
ULXMAP -179.75
ULYMAP 89.75
XDIM 0.5
YDIM 0.5
EOF
gdal_translate -q -of GTiff -ot Byte -a_srs EPSG:4326 -a_nodata none \
  -co COMPRESS=DEFLATE -co PREDICTOR=2 mask.bil "$here/landocean_truth.tif"
gdalinfo -json "$here/landocean_truth.tif" > truth.json
gdal_translate -q -of XYZ "$here/landocean_truth.tif" truth.xyz

# --- write the CSVs, check everything, print the land fractions
python3 - "$here" <<'EOF'
import json, math, sys
here = sys.argv[1]
def ids(path):
    return {int(l) for l in open(path) if l.strip()}
def write(name, xyi, land):
    rows = [l.split() for l in open(xyi)]
    with open("%s/%s" % (here, name), "w", newline="") as f:
        f.write("id,lon,lat,land,class\n")
        for lon, lat, i in rows:
            on = int(i) in land
            f.write("%s,%s,%s,%d,%s\n" % (i, lon, lat, on, "land" if on else "ocean"))
    return rows
def frac(rows, land, weighted=False):
    w = [math.cos(math.radians(float(r[1]))) if weighted else 1.0 for r in rows]
    return sum(wi for wi, r in zip(w, rows) if int(r[2]) in land) / sum(w)

train_land, test_land = ids("train.land"), ids("test.land")
train = write("landocean_train.csv", "train.xyi", train_land)
test = write("landocean_test.csv", "test.xyi", test_land)
assert len(train) == 10000 and len(test) == 16200

fail = 0
names = [l.rstrip("\n").split("\t") for l in open("checks.txt")]
got = ids("checks.land")
print("spot checks (lon, lat: label):")
for i, (name, lon, lat, want) in enumerate(names, 1):
    on = int(i in got)
    ok = on == int(want)
    fail += not ok
    print("  %-22s %8s %7s: %-5s %s" % (name, lon, lat, "land" if on else "ocean", "ok" if ok else "UNEXPECTED"))

# gmt select on the test points against grdlandmask on the same cell centres
m2 = [int(float(v)) for v in open("mask2.txt")]
assert len(m2) == 16200
diff = sum(m2[k] != int(k + 1 in test_land) for k in range(16200))
print("test grid: gmt select vs grdlandmask -I2 -r disagree at %d of 16200 points" % diff)
fail += diff != 0

# the GeoTIFF: georeferencing, type, values
info = json.load(open("truth.json"))
gt, size, band = info["geoTransform"], info["size"], info["bands"][0]
print("truth.tif: size %s, geotransform %s, %s, nodata %s, %s" % (
    size, gt, band["type"], band.get("noDataValue", "none"),
    info["metadata"].get("", {}).get("AREA_OR_POINT")))
ok = (size == [720, 360] and gt == [-180.0, 0.5, 0.0, 90.0, 0.0, -0.5]
      and band["type"] == "Byte" and "noDataValue" not in band
      and 'ID["EPSG",4326]' in info["coordinateSystem"]["wkt"])
fail += not ok
pix = [l.split() for l in open("truth.xyz")]
vals = {p[2] for p in pix}
assert len(pix) == 259200 and vals <= {"0", "1"}, vals
tif_land = sum(1 for p in pix if p[2] == "1")
tif_area = sum(math.cos(math.radians(float(p[1]))) for p in pix if p[2] == "1") / \
           sum(math.cos(math.radians(float(p[1]))) for p in pix)

dry_tr, dry_te = ids("train.dry"), ids("test.dry")
print("lakes as water instead would flip %d train and %d test points to 0" % (
    len(train_land - dry_tr), len(test_land - dry_te)))
print("land fraction:")
print("  landocean_train.csv  %.4f  (%d of 10000 points, uniform on the sphere = area fraction)" % (
    frac(train, train_land), len(train_land)))
print("  landocean_test.csv   %.4f  (%d of 16200 points; cos(lat)-weighted %.4f)" % (
    frac(test, test_land), len(test_land), frac(test, test_land, True)))
print("  landocean_truth.tif  %.4f  (%d of 259200 pixels; cos(lat)-weighted %.4f)" % (
    tif_land / 259200, tif_land, tif_area))
sys.exit(1 if fail else 0)
EOF

cd "$here"
for f in landocean_train.csv landocean_test.csv landocean_truth.tif; do
  printf '%8d bytes  %s  %s\n' "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -c1-16)" "$f"
done
