# --- geoenc-train -----------------------------------------------------------------
# The land/ocean sample (share/geoenc/sample/landocean): reports, determinism
# from a file and a pipe, the model in geoenc-embed and geoenc-rasterize,
# scoring alone, CV, probes, regression, and errors naming file, FID and field.
set(TRAIN $<TARGET_FILE:geoenc-train>)
set(MODEL $<TARGET_FILE:geoenc-model>)
set(LO_DIR ${PROJECT_SOURCE_DIR}/share/geoenc/sample/landocean)
set(LO_TRAIN ${LO_DIR}/landocean_train.csv)
set(LO_TEST ${LO_DIR}/landocean_test.csv)
# Small and quick: the cases test plumbing; accuracy has its own case.
set(LO_QUICK --pe sh:L=8 --net siren:32x2 --epochs 3)
set(LO_QUICK_SH "--pe sh:L=8 --net siren:32x2 --epochs 3")  # the same inside --sh and --setup strings

geoenc_cli_case(train.report TOOL geoenc-train
  --stdout-grep "^  \"model\": \"m.geoenc\",$" --stdout-grep "^  \"task\": \"classification\",$"
  --stdout-grep "^    \"land\",$" --stdout-grep "\"architecture\": \"sh:L=8,convention=satclip \\+ siren:32x2,w0_initial=30,w0=1\""
  --stdout-grep "^  \"n_train\": 9000,$" --stdout-grep "^  \"n_val\": 1000,$" --stdout-grep "^  \"validation\": .$"
  --stdout-grep "^  \"test\": .$" --stdout-grep "\"n\": 16200,$" --stdout-grep "\"macro_f1\": 0\\.[0-9]+,$"
  --check "test -f m.geoenc && ! ls -a | grep -q tmp"
  -- ${TRAIN} -q ${LO_TRAIN} m.geoenc --target class ${LO_QUICK} --eval ${LO_TEST})
# Progress and the summary go to stderr (info lines), never stdout.
geoenc_cli_case(train.log_lines TOOL geoenc-train --stdout-any
  --stderr "has no CRS" --stderr "^geoenc-train: trained 3 epochs \\(best [0-9]\\) in [0-9.]+ s. validation accuracy"
  -- ${TRAIN} ${LO_TRAIN} m.geoenc --target class ${LO_QUICK})
# The same model, byte for byte, from a file, again, and from a pipe; another seed differs.
geoenc_cli_case(train.deterministic_file_pipe TOOL geoenc-train
  --sh "\"${TRAIN}\" -q \"${LO_TRAIN}\" a.geoenc --target class --pe sh:L=8 --net siren:32x2 --epochs 3 > /dev/null
\"${TRAIN}\" -q \"${LO_TRAIN}\" b.geoenc --target class --pe sh:L=8 --net siren:32x2 --epochs 3 > /dev/null
\"${TRAIN}\" -q --if CSV - c.geoenc --target class --pe sh:L=8 --net siren:32x2 --epochs 3 < \"${LO_TRAIN}\" > /dev/null
\"${TRAIN}\" -q \"${LO_TRAIN}\" d.geoenc --target class --pe sh:L=8 --net siren:32x2 --epochs 3 --seed 1 > /dev/null
cmp a.geoenc b.geoenc && cmp a.geoenc c.geoenc && ! cmp -s a.geoenc d.geoenc")
# Dropout masks come from the seed too: the same model twice.
geoenc_cli_case(train.dropout_deterministic TOOL geoenc-train
  --sh "\"${TRAIN}\" -q \"${LO_TRAIN}\" a.geoenc --target class ${LO_QUICK_SH} --dropout 0.3 > a.json && \"${TRAIN}\" -q \"${LO_TRAIN}\" b.geoenc --target class ${LO_QUICK_SH} --dropout 0.3 > /dev/null && cmp a.geoenc b.geoenc && grep -q '\"dropout\": 0.3' a.json")
# The seed's land/ocean experiment with the documented settings: above 95% on the 2-degree test grid.
geoenc_cli_case(train.landocean_accuracy TOOL geoenc-train
  --sh "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target class --pe sh:L=20 --net siren:256x2 --eval \"${LO_TEST}\" > r.json && sed -n '/\"test\"/,/}/s/.*\"accuracy\": \\([0-9.e-]*\\),/\\1/p' r.json > acc.txt && awk '{exit !($1 > 0.95)}' acc.txt")
# A trained model in geoenc-embed: prob_<label> columns and the predicted class.
geoenc_cli_case(train.embed_predictions TOOL geoenc-train
  --sh "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target class ${LO_QUICK_SH} > /dev/null && \"${EMBED}\" -q \"${LO_TEST}\" out.csv -m m.geoenc -f CSV && head -1 out.csv | grep -qx 'X,Y,id,lon,lat,land,class,prob_land,prob_ocean,pred' && awk -F, 'NR>1 { p = ($8 >= $9) ? \"land\" : \"ocean\"\n if (p != $10 || ($8 + $9 - 1) ^ 2 > 1e-12) bad++ }\n END { exit bad > 0 || NR != 16201 }' out.csv")
geoenc_cli_case(train.embed_regression TOOL geoenc-train
  --sh "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target lat --task regression ${LO_QUICK_SH} > /dev/null && \"${EMBED}\" -q \"${LO_TEST}\" out.csv -m m.geoenc -f CSV && head -1 out.csv | grep -qx 'X,Y,id,lon,lat,land,class,pred'")
geoenc_cli_case(train.embed_blob_refused TOOL geoenc-embed --exit 2
  --setup "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target class ${LO_QUICK_SH} > /dev/null"
  --error "is a trained model: it writes pred and prob_<label> columns"
  -- ${EMBED} -q ${LO_TEST} out.gpkg -m m.geoenc --format blob)
# geoenc-rasterize --mode predict: class indices (Byte, nodata 255, labels in metadata),
# and probabilities equal to geoenc-embed at the pixel centres (the separable path).
geoenc_cli_case(train.rasterize_class TOOL geoenc-train
  --sh "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target class ${LO_QUICK_SH} > /dev/null && \"${RASTERIZE}\" -q c.tif -m m.geoenc --mode predict --te -180 -90 180 90 --tr 10 10 && gdalinfo -stats c.tif"
  --stdout-grep "Type=Byte" --stdout-grep "NoData Value=255" --stdout-grep "Description = class"
  --stdout-grep "GEOENC_CLASS_0=land" --stdout-grep "GEOENC_CLASS_1=ocean" --stdout-grep "GEOENC_TASK=classification"
  --stdout-grep "Minimum=0\\.000, Maximum=1\\.000")
geoenc_cli_case(train.rasterize_probabilities_equal_embed TOOL geoenc-train
  --sh "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target class ${LO_QUICK_SH} > /dev/null && \"${RASTERIZE}\" -q p.tif -m m.geoenc --mode predict --probabilities --ot Float64 --te -180 -90 180 90 --ts 12 7 && COLUMNS_RE=^prob_ \"${CHECK_VS_EMBED}\" p.tif EPSG:4326 1e-6 -m m.geoenc")
geoenc_cli_case(train.rasterize_predict_needs_trained_model TOOL geoenc-rasterize --exit 2
  --error "--mode predict needs a model trained by geoenc-train"
  -- ${RASTERIZE} p.tif -m sh:L=3 --mode predict --te -180 -90 180 90 --tr 30 30)
# Scoring alone: geoenc-train --eval TEST MODEL.
geoenc_cli_case(train.eval_only TOOL geoenc-train
  --setup "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target class ${LO_QUICK_SH} > /dev/null"
  --stdout-grep "^  \"model\": \"m.geoenc\",$" --stdout-grep "^  \"test\": .$" --stdout-grep "\"n\": 16200,$"
  -- ${TRAIN} -q --eval ${LO_TEST} m.geoenc)
geoenc_cli_case(train.eval_unseen_label TOOL geoenc-train --exit 1
  --setup "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target class ${LO_QUICK_SH} > /dev/null && printf 'lon,lat,class\\n0,0,ocean\\n10,10,lake\\n' > t.csv"
  --error "t.csv, layer 't': FID 2: --eval: class 'lake' of 'class' was not in the training labels"
  -- ${TRAIN} -q --eval t.csv m.geoenc)
# Spatial block cross-validation, a probe head, regression.
geoenc_cli_case(train.cv_blocks TOOL geoenc-train
  --stdout-grep "^  \"cv\": .$" --stdout-grep "\"block_deg\": 30\\.0,$" --stdout-grep "\"folds\": 3,$" --stdout-grep "\"pooled\": .$"
  --stdout-grep "\"per_fold\": .$"
  -- ${TRAIN} -q ${LO_TRAIN} m.geoenc --target class ${LO_QUICK} --cv-blocks 30 --cv-folds 3)
geoenc_cli_case(train.cv_too_few_blocks TOOL geoenc-train --exit 1
  --setup "printf 'lon,lat,c\\n1,1,a\\n2,2,b\\n3,3,a\\n' > t.csv"
  --error "t.csv, layer 't': --cv-blocks 90: the points fall in 1 block.s., fewer than --cv-folds 5"
  -- ${TRAIN} -q t.csv m.geoenc --target c --epochs 1 --cv-blocks 90)
geoenc_cli_case(train.probe_head TOOL geoenc-train
  --sh "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target class -m sh:L=10 --head mlp:16 --epochs 3 > r.json && grep -q '\"architecture\": \"sh:L=10 (frozen) + mlp:16 head\"' r.json && \"${MODEL}\" info m.geoenc > info.txt && grep -qx 'head: mlp' info.txt && grep -qx 'task: classification' info.txt && grep -qx 'labels: land, ocean' info.txt")
# A linear probe on a SatCLIP-architecture checkpoint (tests/data): the file keeps the frozen
# network and the head, and geoenc-embed predicts with it.
geoenc_cli_case(train.probe_satclip_checkpoint TOOL geoenc-train
  --sh "\"${TRAIN}\" -q \"${LO_TRAIN}\" m.geoenc --target class -m \"${L10_PT}\" --head linear --epochs 2 > r.json && \"${MODEL}\" info m.geoenc > info.txt && grep -qx 'network: siren' info.txt && grep -qx 'head: linear' info.txt && grep -qx 'format_version: 2' info.txt && \"${EMBED}\" -q \"${SITES_CSV}\" out.csv -m m.geoenc -f CSV && head -1 out.csv | grep -q ',prob_land,prob_ocean,pred$'")
geoenc_cli_case(train.usage.no_cuda_device TOOL geoenc-train --exit 2 --error "--device cuda: no CUDA device available"
  -- ${TRAIN} ${LO_TRAIN} m.geoenc --target class --device cuda)
geoenc_cli_case(train.regression TOOL geoenc-train
  --sh "awk -F, 'NR == 1 { print \"lon,lat,v\" } NR > 1 && NR < 3000 { print $2 \",\" $3 \",\" sin($3 / 57.29577951308232) + 5 }' \"${LO_TRAIN}\" > r.csv && \"${TRAIN}\" -q r.csv m.geoenc --target v --task regression --pe sh:L=4 --net linear --lr 0.01 --epochs 60 > r.json && grep -q '\"task\": \"regression\"' r.json && sed -n 's/.*\"r2\": \\([0-9.e-]*\\).*/\\1/p' r.json > r2.txt && awk '{exit !($1 > 0.99)}' r2.txt")
# Errors name the file, layer, FID and field (exit 1), or the option (exit 2); no model is left.
geoenc_cli_case(train.error.nan_target TOOL geoenc-train --exit 1
  --setup "printf 'lon,lat,v\\n0,0,1\\n1,1,nan\\n' > t.csv"
  --error "t.csv, layer 't': FID 2: --target field 'v' is not finite .--task regression needs numbers.. --skip-invalid drops such features"
  --check "test ! -e m.geoenc"
  -- ${TRAIN} -q t.csv m.geoenc --target v --task regression)
geoenc_cli_case(train.error.non_numeric_regression TOOL geoenc-train --exit 1
  --setup "printf 'lon,lat,v\\n0,0,1.5\\n1,1,high\\n' > t.csv"
  --error "FID 2: --target field 'v' is not a number"
  -- ${TRAIN} -q t.csv m.geoenc --target v --task regression)
geoenc_cli_case(train.error.single_class TOOL geoenc-train --exit 1
  --setup "printf 'lon,lat,c\\n0,0,land\\n1,1,land\\n' > t.csv"
  --error "t.csv, layer 't': --target c: a classifier needs at least 2 classes, found only 'land'"
  -- ${TRAIN} -q t.csv m.geoenc --target c)
geoenc_cli_case(train.error.null_class TOOL geoenc-train --exit 1
  --setup "printf 'lon,lat,c\\n0,0,land\\n1,1,\\n' > t.csv"
  --error "FID 2: --target field 'c' is (null|empty)"
  -- ${TRAIN} -q t.csv m.geoenc --target c)
geoenc_cli_case(train.error.colliding_labels TOOL geoenc-train --exit 1
  --setup "printf 'lon,lat,c\\n0,0,a b\\n1,1,a-b\\n' > t.csv"
  --error "--target c: classes 'a b' and 'a-b' would both be written as prob_a_b"
  -- ${TRAIN} -q t.csv m.geoenc --target c)
# Huge regression values standardise without overflow, and the model reads back.
geoenc_cli_case(train.huge_regression_values TOOL geoenc-train
  --sh "printf 'lon,lat,v\\n0,0,1e308\\n1,1,-1e308\\n2,2,1e308\\n' > t.csv && \"${TRAIN}\" -q t.csv m.geoenc --target v --task regression --val-fraction 0 --epochs 1 > /dev/null && \"${MODEL}\" info m.geoenc | grep -qx 'task: regression'")
# Problems with TEST come before training, and leave no model.
geoenc_cli_case(train.error.eval_unseen_label_before_training TOOL geoenc-train --exit 1
  --setup "printf 'lon,lat,class\\n10,10,lake\\n' > t.csv"
  --error "t.csv, layer 't': FID 1: --eval: class 'lake' of 'class' was not in the training labels"
  --check "test ! -e m.geoenc"
  -- ${TRAIN} -q ${LO_TRAIN} m.geoenc --target class --eval t.csv)
# Balanced weights with a validation class the training part lacks: the plain validation loss
# stays finite, so early stopping still works.
geoenc_cli_case(train.balanced_val_where TOOL geoenc-train
  --stdout-grep "\"stopped_early\": true" --stdout-grep "\"best_val_loss\": [0-9]"
  -- ${TRAIN} -q ${LO_TRAIN} m.geoenc --target class --pe sh:L=8 --net siren:32x2 --epochs 30 --patience 2 --class-weights balanced --val-where "class = 'land'")
geoenc_cli_case(train.error.no_field TOOL geoenc-train --exit 1 --error "--target: no field 'colour' .fields: id, lon, lat, land, class."
  -- ${TRAIN} -q ${LO_TRAIN} m.geoenc --target colour)
geoenc_cli_case(train.error.output_exists TOOL geoenc-train --exit 1
  --setup "echo keep > m.geoenc" --error "m\\.geoenc: output exists .*--overwrite" --check "grep -qx keep m.geoenc"
  -- ${TRAIN} -q ${LO_TRAIN} m.geoenc --target class)
geoenc_cli_case(train.usage.eval_alone_takes_no_where TOOL geoenc-train --exit 2
  --error "scoring MODEL with --eval alone: --where selects training points"
  -- ${TRAIN} --eval ${LO_TEST} --where "land = 1" ${PROJECT_SOURCE_DIR}/share/geoenc/models/landocean-sh20-siren256x2.geoenc)
geoenc_cli_case(train.usage.pe_named TOOL geoenc-train --exit 2 --error "--pe bogus: unknown model"
  -- ${TRAIN} ${LO_TRAIN} m.geoenc --target land --pe bogus)
geoenc_cli_case(train.error.val_where_named TOOL geoenc-train --exit 1 --error "--val-where 'bogus ..' on "
  --stderr "${NO_CRS_WARNING}"
  -- ${TRAIN} ${LO_TRAIN} m.geoenc --target land ${LO_QUICK} --val-where "bogus ((")
geoenc_cli_case(train.usage.target_required TOOL geoenc-train --exit 2 --error "--target FIELD is required"
  -- ${TRAIN} ${LO_TRAIN} m.geoenc)
geoenc_cli_case(train.usage.output_extension TOOL geoenc-train --exit 2 --error "m.pt: OUTPUT must be a .geoenc file"
  -- ${TRAIN} ${LO_TRAIN} m.pt --target class)
geoenc_cli_case(train.usage.head_needs_model TOOL geoenc-train --exit 2 --error "--head needs --model"
  -- ${TRAIN} ${LO_TRAIN} m.geoenc --target class --head mlp)
geoenc_cli_case(train.usage.bad_net TOOL geoenc-train --exit 2 --error "--net 'siren:256': expected WIDTHxDEPTH"
  -- ${TRAIN} ${LO_TRAIN} m.geoenc --target class --net siren:256)
geoenc_cli_case(train.usage.bad_pe TOOL geoenc-train --exit 2 --error "--pe "
  -- ${TRAIN} ${LO_TRAIN} m.geoenc --target class --pe sh:L=0)
