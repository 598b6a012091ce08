#!/usr/bin/env bash
# check_multires.sh MORAN DATA_DIR : geoenc-moran --mode multires on the first
# of SXL's four 32x32 grids (DATA_DIR/sxl_x.npy, read in place through a raw
# VRT: float64 little-endian after the 128-byte .npy header) equals SXL's
# stacked maps (sxl_mres_stacked.npy, shape (4, 3, 32, 32)) to 1e-6 in each of
# the three bands. Needs GDAL's gdal_translate (gdal-bin).
set -euo pipefail
moran=$1 data=$2
raw_vrt() {  # FILE FIRST_BAND_OFFSET BANDS
    echo "<VRTDataset rasterXSize=\"32\" rasterYSize=\"32\">"
    for ((b = 0; b < $3; b++)); do
        echo "<VRTRasterBand dataType=\"Float64\" band=\"$((b + 1))\" subClass=\"VRTRawRasterBand\">"
        echo "<SourceFilename relativetoVRT=\"0\">$1</SourceFilename>"
        echo "<ImageOffset>$(($2 + b * 8192))</ImageOffset><PixelOffset>8</PixelOffset><LineOffset>256</LineOffset><ByteOrder>LSB</ByteOrder>"
        echo "</VRTRasterBand>"
    done
    echo "</VRTDataset>"
}
raw_vrt "$data/sxl_x.npy" 128 1 > x.vrt
raw_vrt "$data/sxl_mres_stacked.npy" 128 3 > ref.vrt
"$moran" -q --mode multires x.vrt out.tif
for b in 1 2 3; do
    gdal_translate -q -of AAIGrid -b $b -co DECIMAL_PRECISION=12 out.tif got$b.asc
    gdal_translate -q -of AAIGrid -b $b -co DECIMAL_PRECISION=12 ref.vrt want$b.asc
    awk -v band=$b '
        FNR == 1 { file++ }
        NF > 2 { for (i = 1; i <= NF; i++) v[file, ++n[file]] = $i }
        END {
            if (n[1] != 1024 || n[2] != 1024) { printf "band %d: %d and %d values, want 1024\n", band, n[1], n[2]; exit 1 }
            for (i = 1; i <= 1024; i++) { d = v[1, i] - v[2, i]; if (d < 0) d = -d; if (d > m) m = d }
            if (m > 1e-6) { printf "band %d: max difference %g > 1e-6\n", band, m; exit 1 }
        }' got$b.asc want$b.asc
done
