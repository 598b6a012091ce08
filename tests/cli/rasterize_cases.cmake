# geoenc-rasterize: georeferencing, pixel-centre values against geoenc-embed,
# antimeridian and polar grids, mask/nodata/band descriptions, PCA and
# similarity, shards that mosaic to the single run, usage errors leaving no file.
set(RASTERIZE $<TARGET_FILE:geoenc-rasterize>)
set(L10_PT ${PROJECT_SOURCE_DIR}/tests/data/satclip_L10_cap256_seed0_state_dict.pt)
set(CHECK_VS_EMBED ${CLI_SCRIPTS}/check_raster_vs_embed.sh)
# A square polygon 0..20 E, 0..20 N, and one across the antimeridian (170 E to 170 W).
set(SQUARE_GEOJSON [=[{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[20,0],[20,20],[0,20],[0,0]]]}}]}]=])

# --- georeferencing and values ------------------------------------------------
geoenc_cli_case(rasterize.lonlat_georeferencing TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=3 --te -180 -90 180 90 --tr 30 45 && gdalinfo out.tif"
  --stdout-grep "^Size is 12, 4$" --stdout-grep "^Origin = \\(-180.0+,90.0+\\)$"
  --stdout-grep "^Pixel Size = \\(30.0+,-45.0+\\)$" --stdout-grep "ID\\[\"EPSG\",4326\\]"
  --stdout-grep "Description = emb_000" --stdout-grep "Description = emb_008" --stdout-grep "NoData Value=nan"
  --stdout-grep "GEOENC_MODEL=sh:L=3,convention=satclip" --stdout-grep "GEOENC_GRID_EVALUATION=separable"
  --stdout-grep "COMPRESSION=DEFLATE" --stdout-grep "Block=256x256")
geoenc_cli_case(rasterize.lonlat_values_equal_embed TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=5 --precision float64 --ot Float64 --te -180 -90 180 90 --ts 9 7 && \"${CHECK_VS_EMBED}\" out.tif EPSG:4326 1e-12 -m sh:L=5 --precision float64")
geoenc_cli_case(rasterize.satclip_values_equal_embed_float64 TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m ${L10_PT} --precision float64 --ot Float64 --te -180 -90 180 90 --ts 11 7 && \"${CHECK_VS_EMBED}\" out.tif EPSG:4326 1e-12 -m ${L10_PT} --precision float64")
# float32: 1e-6 of the value range (|v| < 4), as in tests/unit/test_grid_encoder.cpp.
geoenc_cli_case(rasterize.satclip_values_equal_embed_float32 TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m ${L10_PT} --te -180 -90 180 90 --ts 11 7 && \"${CHECK_VS_EMBED}\" out.tif EPSG:4326 4e-6 -m ${L10_PT}")
geoenc_cli_case(rasterize.point_wise_values_equal_embed TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif --point-wise -m ${L10_PT} --precision float64 --ot Float64 --te -180 -90 180 90 --ts 5 4 && gdalinfo out.tif > info.txt && grep -q GEOENC_GRID_EVALUATION=point-wise info.txt && \"${CHECK_VS_EMBED}\" out.tif EPSG:4326 1e-12 -m ${L10_PT} --precision float64")
geoenc_cli_case(rasterize.antimeridian TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m ${L10_PT} --precision float64 --ot Float64 --te 170 -10 190 10 --tr 2.5 5 && gdalinfo out.tif > info.txt && grep -q '^Size is 8, 4$' info.txt && \"${CHECK_VS_EMBED}\" out.tif EPSG:4326 1e-12 -m ${L10_PT} --precision float64")
geoenc_cli_case(rasterize.polar_stereographic TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m ${L10_PT} --precision float64 --ot Float64 --t_srs EPSG:3031 --te -3000000 -3000000 3000000 3000000 --tr 1000000 1000000 && gdalinfo out.tif > info.txt && grep -q 'Antarctic Polar Stereographic' info.txt && \"${CHECK_VS_EMBED}\" out.tif EPSG:3031 1e-12 -m ${L10_PT} --precision float64")
# Orthographic view: the corners of the grid lie off the globe and are nodata; the centre is not.
geoenc_cli_case(rasterize.off_globe_pixels_are_nodata TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=3 --t_srs \"+proj=ortho +lat_0=0 +lon_0=0 +R=6371000\" --te -7000000 -7000000 7000000 7000000 --ts 7 7 && gdallocationinfo -valonly -b 1 out.tif 0 0 && gdallocationinfo -valonly -b 1 out.tif 3 3"
  --stdout-grep "^nan$" --stdout-grep "^0.886226")
geoenc_cli_case(rasterize.like_copies_the_grid TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" a.tif -m sh:L=2 --t_srs EPSG:3857 --te -1000000 -500000 1000000 500000 --ts 20 10 && \"${RASTERIZE}\" b.tif -m sh:L=3 --like a.tif && gdalinfo a.tif | grep -E '^(Size|Origin|Pixel Size)' > a.txt && gdalinfo b.tif | grep -E '^(Size|Origin|Pixel Size)' > b.txt && cmp a.txt b.txt && gdalinfo b.tif > info.txt && grep -q 'Pseudo-Mercator' info.txt")

# --- mask, nodata, types -------------------------------------------------------
geoenc_cli_case(rasterize.mask_makes_nodata TOOL geoenc-rasterize
  --setup "echo '${SQUARE_GEOJSON}' > square.geojson"
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=2 --te -20 -20 40 40 --tr 10 10 --mask square.geojson && gdallocationinfo -valonly -b 2 -geoloc out.tif 5 5 && gdallocationinfo -valonly -b 2 -geoloc out.tif -15 -15 && gdallocationinfo -valonly -b 2 -geoloc out.tif 35 15"
  --stdout-lines 3 --stdout-grep "^nan$" --stdout-grep "^[-0-9]")
# A lon/lat polygon on a polar grid: its edges are densified before projection
# (south of 60 S is a disc, about 54% of this square; it used to collapse to nothing).
set(SOUTH_OF_60_GEOJSON [=[{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,-60],[-180,-60],[-180,-90]]]}}]}]=])
geoenc_cli_case(rasterize.mask_polar_parallel TOOL geoenc-rasterize
  --setup "echo '${SOUTH_OF_60_GEOJSON}' > south.geojson"
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=2 --bands 0 --t_srs EPSG:3031 --te -4000000 -4000000 4000000 4000000 --tr 100000 100000 --mask south.geojson && gdalinfo -stats out.tif | grep -q 'VALID_PERCENT=5[3-5]\\.'")
# An east-to-west lon/lat grid (--like, pixel width -1 from 190 E) still gets the
# polygon's copy one turn east.
set(WEST_SQUARE_GEOJSON [=[{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-180,-10],[-170,-10],[-170,10],[-180,10],[-180,-10]]]}}]}]=])
set(EAST_TO_WEST_VRT [=[<VRTDataset rasterXSize="20" rasterYSize="20"><SRS>EPSG:4326</SRS><GeoTransform>190,-1,0,10,0,-1</GeoTransform><VRTRasterBand dataType="Byte" band="1"></VRTRasterBand></VRTDataset>]=])
geoenc_cli_case(rasterize.mask_east_to_west_grid TOOL geoenc-rasterize
  --setup "echo '${WEST_SQUARE_GEOJSON}' > west.geojson && echo '${EAST_TO_WEST_VRT}' > like.vrt"
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=2 --bands 0 --like like.vrt --mask west.geojson && gdalinfo -stats out.tif | grep -q 'VALID_PERCENT=50$'")
geoenc_cli_case(rasterize.mask_across_antimeridian TOOL geoenc-rasterize
  --setup "echo '{\"type\":\"Polygon\",\"coordinates\":[[[-175,-5],[-165,-5],[-165,5],[-175,5],[-175,-5]]]}' > west.geojson"
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=2 --te 170 -10 200 10 --tr 2 2 --mask west.geojson && gdallocationinfo -valonly -b 2 -geoloc out.tif 191 1 && gdallocationinfo -valonly -b 2 -geoloc out.tif 175 1"
  --stdout-lines 2 --stdout-grep "^nan$" --stdout-grep "^[-0-9]")
geoenc_cli_case(rasterize.int16_scale_offset_nodata TOOL geoenc-rasterize
  --setup "echo '${SQUARE_GEOJSON}' > square.geojson"
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=2 --te -20 -20 40 40 --tr 10 10 --mask square.geojson --ot Int16 --scale 0.0001 --offset 0.5 --nodata -9999 && gdalinfo out.tif && gdallocationinfo -valonly -b 1 -geoloc out.tif 5 5 && gdallocationinfo -valonly -b 1 -geoloc out.tif -15 -15"
  --stdout-grep "Type=Int16" --stdout-grep "NoData Value=-9999" --stdout-grep "Offset: 0.5,.*Scale:.*0.0001"
  --stdout-grep "^3862$" --stdout-grep "^-9999$")
geoenc_cli_case(rasterize.bands_subset TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=4 --te 0 0 10 10 --ts 2 2 --bands 0-2,15 && gdalinfo out.tif"
  --stdout-grep "Description = emb_002" --stdout-grep "Description = emb_015" --stdout-grep "GEOENC_BANDS=0-2,15")

# --- similarity and PCA ----------------------------------------------------------
# The reference is a pixel centre: its band is 1 there.
geoenc_cli_case(rasterize.similarity_is_one_at_reference TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m ${L10_PT} --mode similarity --ref 12.5,47.5 --ref -2.5,-2.5 --te -30 -30 30 60 --tr 5 5 && gdallocationinfo -valonly -geoloc out.tif 12.5 47.5 && gdallocationinfo -valonly -b 2 -geoloc out.tif -2.5 -2.5 && gdalinfo -stats out.tif"
  --stdout-grep "^(1|0.99999[0-9]*|1.00000[0-9]*)$" --stdout-grep "Description = sim_001" --stdout-grep "GEOENC_REF_000=12.5,47.5"
  --stdout-grep "STATISTICS_MAXIMUM=(1|0.99999[0-9]*|1.00000[0-9]*)$" --stdout-any)
geoenc_cli_case(rasterize.similarity_to_vector_mean TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m sh:L=4 --mode similarity --ref-vector \"${SITES_GPKG}\" --te -180 -90 180 90 --tr 10 10 && gdalinfo out.tif"
  --stdout-grep "Description = sim_000" --stdout-grep "GEOENC_REF_000=.*sites.gpkg \\(mean of [0-9]+ features\\)")
geoenc_cli_case(rasterize.pca_reproducible_with_seed TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" a.tif -m ${L10_PT} --mode pca --components 4 --seed 7 --pca-samples 500 --te -180 -90 180 90 --tr 10 10 && \"${RASTERIZE}\" b.tif -m ${L10_PT} --mode pca --components 4 --seed 7 --pca-samples 500 --te -180 -90 180 90 --tr 10 10 && cmp a.tif b.tif && gdalinfo a.tif"
  --stdout-grep "Description = pc_003" --stdout-grep "GEOENC_PCA_SAMPLE=pixel centres of the grid, seed 7" --stdout-grep "GEOENC_PCA_EXPLAINED_VARIANCE_RATIO=0\\.")
geoenc_cli_case(rasterize.pca_rgb_byte TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -m ${L10_PT} --mode pca --rgb --pca-from \"${SITES_GPKG}\" --te -180 -90 180 90 --tr 5 5 && gdalinfo -mm out.tif"
  --stdout-grep "Band 1 .*Type=Byte, ColorInterp=Red" --stdout-grep "Band 3 .*ColorInterp=Blue"
  --stdout-grep "Computed Min/Max=1.000,255.000" --stdout-grep "GEOENC_MODE=pca rgb" --stdout-grep "GEOENC_RGB_STRETCH=")

# --- output formats, determinism, shards --------------------------------------------
geoenc_cli_case(rasterize.byte_identical_reruns TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" a.tif -m ${L10_PT} --te -180 -90 180 90 --tr 4 4 && \"${RASTERIZE}\" b.tif -m ${L10_PT} --te -180 -90 180 90 --tr 4 4 --threads 1 && cmp a.tif b.tif")
geoenc_cli_case(rasterize.cog TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.tif -f COG -m sh:L=3 --te -180 -90 180 90 --tr 1 1 && gdalinfo out.tif && ls -A | wc -l"
  --stdout-grep "LAYOUT=COG" --stdout-grep "Description = emb_008" --stdout-grep "^1$")
# Three shards of 16-row blocks mosaic (gdalbuildvrt) to exactly the single run
# (both through a VRT, so both raw copies are band-sequential).
geoenc_cli_case(rasterize.shards_mosaic_to_single_run TOOL geoenc-rasterize
  --sh "for i in 0 1 2
do \"${RASTERIZE}\" out.tif -m ${L10_PT} --te -180 -90 180 90 --tr 4 3 --co BLOCKXSIZE=16 --co BLOCKYSIZE=16 --shard $i/3
done
\"${RASTERIZE}\" single.tif -m ${L10_PT} --te -180 -90 180 90 --tr 4 3 --co BLOCKXSIZE=16 --co BLOCKYSIZE=16
ls out.shard-000[0-2]-of-0003.tif
gdalinfo out.shard-0001-of-0003.tif > info.txt
grep -q 'GEOENC_SHARD=1/3' info.txt
gdalbuildvrt -q mosaic.vrt out.shard-*.tif
gdalbuildvrt -q single.vrt single.tif
gdal_translate -q -of ENVI mosaic.vrt mosaic.bin
gdal_translate -q -of ENVI single.vrt single.bin
cmp mosaic.bin single.bin"
  --stdout-lines 3)
geoenc_cli_case(rasterize.shard_from_slurm TOOL geoenc-rasterize
  --sh "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 \"${RASTERIZE}\" out.tif -m sh:L=2 --te -180 -90 180 90 --tr 1 1 --co BLOCKYSIZE=16 && ls && gdalinfo out.shard-0001-of-0002.tif"
  --stdout-grep "^out.shard-0001-of-0002.tif$" --stdout-grep "^Size is 360, 84$" --stdout-grep "^Origin = \\(-180.0+,-6.0+\\)$")

# --- errors: usage is exit 2, and no output is left behind -----------------------------
foreach(bad
    "xmin_not_less_than_xmax|--te: xmin must be less than xmax|--te 10 0 5 10 --tr 1 1"
    "ymin_not_less_than_ymax|--te: ymin must be less than ymax|--te 0 10 10 5 --tr 1 1"
    "latitude_beyond_pole|--te: latitudes must lie within|--te 0 -95 10 10 --tr 1 1"
    "negative_resolution|--tr: expected two positive resolutions|--te 0 0 10 10 --tr -1 1"
    "resolution_coarser_than_extent|--tr: .* is coarser than the --te extent|--te 0 0 10 10 --tr 30 1"
    "zero_size|--ts: expected a width and height from 1|--te 0 0 10 10 --ts 0 5"
    "tr_and_ts|--tr and --ts: give one of them|--te 0 0 10 10 --tr 1 1 --ts 5 5"
    "no_extent|--te: required|--tr 1 1"
    "te_not_numbers|--te: expected a number, got 'a'|--te a 0 10 10 --tr 1 1"
    "te_too_few_values|--te: needs 4 values|--te 0 0 10"
    "te_beyond_one_turn|--te: longitudes 600 to 620 are not within one turn|--te 600 -10 620 10 --tr 1 1"
    "bad_crs|--t_srs: cannot interpret 'EPSG:999999'|--te 0 0 10 10 --tr 1 1 --t_srs EPSG:999999"
    "bands_beyond_model|--bands: dimension 9 is beyond the model's 9|--te 0 0 10 10 --tr 1 1 --bands 0-9"
    "rgb_without_pca|--components, --rgb, .* need --mode pca|--te 0 0 10 10 --tr 1 1 --rgb"
    "similarity_without_ref|--mode similarity: give --ref|--te 0 0 10 10 --tr 1 1 --mode similarity"
    "bad_ref|--ref: expected 2 numbers|--te 0 0 10 10 --tr 1 1 --mode similarity --ref 10"
    "bad_ot|--ot: expected one of|--te 0 0 10 10 --tr 1 1 --ot Int8"
    "unknown_format|-f/--of NoSuch: not a GDAL raster driver|--te 0 0 10 10 --tr 1 1 -f NoSuch"
    "vector_format|-f/--of CSV: not a GDAL raster driver|--te 0 0 10 10 --tr 1 1 -f CSV"
    "nodata_beyond_byte|--nodata 300: not a whole number from 0 to 255, which --ot Byte|--te 0 0 10 10 --tr 1 1 --ot Byte --nodata 300"
    "nodata_fraction_int16|--nodata 0.5: not a whole number|--te 0 0 10 10 --tr 1 1 --ot Int16 --nodata 0.5"
    "type_the_driver_cannot_write|-f/--of PNG: the driver cannot write Float32|--te 0 0 10 10 --tr 1 1 -f PNG"
    "size_beyond_any_grid|--ts: expected whole numbers from 1 to|--te 0 0 10 10 --ts 1e20 1")
  string(REPLACE "|" ";" parts "${bad}")
  list(GET parts 0 case_name)
  list(GET parts 1 message)
  list(GET parts 2 args)
  separate_arguments(args UNIX_COMMAND "${args}")
  geoenc_cli_case(rasterize.usage.${case_name} TOOL geoenc-rasterize --exit 2 --error "${message}"
    --check "test -z \"$(ls -A)\""
    -- ${RASTERIZE} out.tif -m sh:L=3 ${args})
endforeach()
# The format follows the extension as in GDAL's tools; an unknown one is a usage error.
geoenc_cli_case(rasterize.format_from_extension TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out.img -m sh:L=2 --te -180 -90 180 90 --tr 10 10 --ot Int16 --scale 0.001 && gdalinfo out.img | grep -q '^Driver: HFA/'")
geoenc_cli_case(rasterize.usage.unknown_extension TOOL geoenc-rasterize --exit 2
  --error "out\\.foo: cannot tell the raster format from the extension \\.foo. use -f/--of" --check "test -z \"$(ls -A)\""
  -- ${RASTERIZE} out.foo -m sh:L=2 --te -180 -90 180 90 --tr 10 10)
# Strips (TILED=NO) are written whole, each once: no larger than gdal_translate's
# copy of the same pixels (256 x 256 windows made it 23 times larger).
geoenc_cli_case(rasterize.strips_written_once TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" st.tif -m sh:L=2 --te -180 -90 180 90 --ts 3000 300 --co TILED=NO && gdal_translate -q -co COMPRESS=DEFLATE -co PREDICTOR=3 st.tif copy.tif && test $(stat -c %s st.tif) -le $(( $(stat -c %s copy.tif) * 11 / 10 ))")
# Wide strips of many bands: fewer rows per window, still whole strips.
geoenc_cli_case(rasterize.wide_strips_written_once TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" st.tif -m sh:L=10 --te -180 -90 180 90 --ts 1400 32 --co TILED=NO && gdal_translate -q -co COMPRESS=DEFLATE -co PREDICTOR=3 st.tif copy.tif && test $(stat -c %s st.tif) -le $(( $(stat -c %s copy.tif) * 11 / 10 ))")
# A COG without an extension: the staged GeoTIFF goes before the output appears.
geoenc_cli_case(rasterize.cog_without_extension TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" out -f COG -m sh:L=1 --te -180 -90 180 90 --ts 64 32 && test \"$(ls -A)\" = out && gdalinfo out | grep -q 'LAYOUT=COG'")
# A driver's sidecars (ENVI's .hdr, GDAL's .aux.xml) take the output's name too.
geoenc_cli_case(rasterize.multi_file_format TOOL geoenc-rasterize
  --sh "\"${RASTERIZE}\" e.bin -f ENVI -m sh:L=2 --te -180 -90 180 90 --tr 10 10 && gdalinfo e.bin | grep -q 'Size is 36, 18' && test \"$(ls -A | tr '\\n' ' ')\" = 'e.bin e.bin.aux.xml e.hdr '")
# More array tasks than block rows: the idle task warns and writes nothing.
geoenc_cli_case(rasterize.empty_shard TOOL geoenc-rasterize
  --stderr "warning: --shard 0/2: the grid has only 1 block row.s. of 256, none left for this shard: no output written"
  --check "test -z \"$(ls -A)\""
  -- ${RASTERIZE} out.tif -m sh:L=2 --te 0 0 1 1 --tr 1 1 --shard 0/2)
# Values beyond an integer type are clamped, with a warning.
geoenc_cli_case(rasterize.clamped_values_warn TOOL geoenc-rasterize
  --stderr "warning: out.tif: [0-9]+ value.s. outside the Int16 range were clamped"
  -- ${RASTERIZE} out.tif -m sh:L=10 --te -180 -90 180 90 --tr 1 1 --ot Int16 --scale 0.0001)
geoenc_cli_case(rasterize.existing_output_needs_overwrite TOOL geoenc-rasterize --exit 1
  --error "out.tif: output exists \\(use --overwrite"
  --setup "echo keep > out.tif" --check "grep -q keep out.tif"
  -- ${RASTERIZE} out.tif -m sh:L=2 --te 0 0 10 10 --tr 1 1)
geoenc_cli_case(rasterize.missing_mask_leaves_nothing TOOL geoenc-rasterize --exit 1
  --error "nosuch.geojson" --check "test -z \"$(ls -A)\""
  -- ${RASTERIZE} out.tif -m sh:L=2 --te 0 0 10 10 --tr 1 1 --mask nosuch.geojson)
geoenc_cli_case(rasterize.no_partial.sigint TOOL geoenc-rasterize
  --sh "bash \"${CLI_SCRIPTS}/rasterize_signal_cleanup.sh\" \"${RASTERIZE}\" ${L10_PT} INT")
geoenc_cli_case(rasterize.no_partial.sigterm_cog TOOL geoenc-rasterize
  --sh "bash \"${CLI_SCRIPTS}/rasterize_signal_cleanup.sh\" \"${RASTERIZE}\" ${L10_PT} TERM -f COG")
