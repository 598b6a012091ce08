# --- geoenc-ot-distance -----------------------------------------------------------
# POT 0.8.2 references in tests/data/ot (reference.json, copied from
# ../shared/reference/ot): exact to 1e-9 relative, Sinkhorn values to 1e-7.
set(OT $<TARGET_FILE:geoenc-ot-distance>)
set(OT_DATA ${PROJECT_SOURCE_DIR}/tests/data/ot)
set(EU_SRC ${OT_DATA}/europe_50x60_src.csv)
set(SITES_GPKG_OT ${PROJECT_SOURCE_DIR}/share/geoenc/sample/sites.gpkg)
set(EU_TGT ${OT_DATA}/europe_50x60_tgt.csv)
set(EUW_SRC ${OT_DATA}/europe_50x60_weighted_src.csv)
set(EUW_TGT ${OT_DATA}/europe_50x60_weighted_tgt.csv)
set(AM_SRC ${OT_DATA}/antimeridian_500x400_src.csv)
set(AM_TGT ${OT_DATA}/antimeridian_500x400_tgt.csv)
set(CHECK_CSV ${CLI_SCRIPTS}/check_csv_values.sh)

geoenc_cli_case(ot.exact.europe TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q --solver exact -f CSV \"${EU_SRC}\" \"${EU_TGT}\" > r.csv && bash \"${CHECK_CSV}\" r.csv 1 distance=927.6218562582227 n_source=50 n_target=60 && grep -q ',optimal,' r.csv")
geoenc_cli_case(ot.exact.antimeridian TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q --solver exact -f CSV \"${AM_SRC}\" \"${AM_TGT}\" > r.csv && bash \"${CHECK_CSV}\" r.csv 1 distance=669.072230885235")
geoenc_cli_case(ot.exact.weighted TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q --solver exact --weight weight -f CSV \"${EUW_SRC}\" \"${EUW_TGT}\" > r.csv && bash \"${CHECK_CSV}\" r.csv 1 distance=1056.8156698055766")
geoenc_cli_case(ot.sinkhorn.europe_max TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q -f CSV \"${EU_SRC}\" \"${EU_TGT}\" > r.csv && REL_TOL=1e-7 bash \"${CHECK_CSV}\" r.csv 1 eps=26.772803985192144 linear=940.2520673643871 entropic=971.6968346909975 && grep -q ',true,converged,' r.csv")
geoenc_cli_case(ot.sinkhorn.antimeridian_median TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q --eps 0.05median -f CSV \"${AM_SRC}\" \"${AM_TGT}\" > r.csv && REL_TOL=1e-7 bash \"${CHECK_CSV}\" r.csv 1 eps=38.02968656116565 linear=687.122088927926 entropic=712.1385845254066")
geoenc_cli_case(ot.sinkhorn.eps_km TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q --eps 55.810773190243985km -f CSV \"${EU_SRC}\" \"${EU_TGT}\" > r.csv && REL_TOL=1e-7 bash \"${CHECK_CSV}\" r.csv 1 linear=954.6650820187684")
# The cost recomputed in tiles (--cost-memory 0) gives the same value as the stored one.
geoenc_cli_case(ot.sinkhorn.on_the_fly TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q --cost-memory 0 --eps 0.05max -f CSV --weight weight \"${EUW_SRC}\" \"${EUW_TGT}\" > r.csv && REL_TOL=1e-7 bash \"${CHECK_CSV}\" r.csv 1 linear=1115.2555666516446 entropic=1163.5131513938877")
geoenc_cli_case(ot.divergence.weighted TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q --solver divergence --eps 0.05max --weight weight -f CSV \"${EUW_SRC}\" \"${EUW_TGT}\" > r.csv && REL_TOL=1e-7 bash \"${CHECK_CSV}\" r.csv 1 distance=794.4797703563842 divergence_linear=973.6632284970892")
geoenc_cli_case(ot.geospot.europe TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q --geospot -f CSV \"${EU_SRC}\" \"${EU_TGT}\" > r.csv && REL_TOL=1e-7 bash \"${CHECK_CSV}\" r.csv 1 distance=0.3511967107231644")
geoenc_cli_case(ot.json TOOL geoenc-ot-distance
  --stdout-grep "^  \"distance\": 927\\.62185625822" --stdout-grep "\"solver\": \"exact\"" --stdout-grep "\"status\": \"optimal\""
  -- ${OT} -q --solver exact ${EU_SRC} ${EU_TGT})

# Single points: the haversine and WGS84 closed forms (the README's spot checks).
geoenc_cli_case(ot.one_point.haversine TOOL geoenc-ot-distance
  --sh "printf 'lon,lat\\n-0.1278,51.5074\\n' > a.csv && printf 'lon,lat\\n2.3522,48.8566\\n' > b.csv && \"${OT}\" -q --solver exact -f CSV a.csv b.csv > r.csv && bash \"${CHECK_CSV}\" r.csv 1 distance=343.55653488088313")
geoenc_cli_case(ot.one_point.geodesic_quarter_meridian TOOL geoenc-ot-distance
  --sh "printf 'lon,lat\\n0,0\\n' > a.csv && printf 'lon,lat\\n0,90\\n' > b.csv && \"${OT}\" -q --cost geodesic --solver exact -f CSV a.csv b.csv > r.csv && bash \"${CHECK_CSV}\" r.csv 1 distance=10001.9657293127")
# One point against many: every coupling is a (x) b, so Sinkhorn's <P,C> is the exact cost.
geoenc_cli_case(ot.one_vs_many TOOL geoenc-ot-distance
  --sh "printf 'lon,lat\\n10,50\\n' > a.csv && \"${OT}\" -q --solver exact -f CSV a.csv \"${EU_TGT}\" > e.csv && want=$(awk -F, 'NR==2{print $9}' e.csv) && \"${OT}\" -q -f CSV a.csv \"${EU_TGT}\" > s.csv && bash \"${CHECK_CSV}\" s.csv 1 linear=$want")
# Identical inputs: exact and divergence are 0 and nothing is NaN.
geoenc_cli_case(ot.identical TOOL geoenc-ot-distance
  --sh "for s in exact divergence sinkhorn\ndo \"${OT}\" -q --solver $s -f CSV \"${EU_SRC}\" \"${EU_SRC}\" > $s.csv\ndone\nbash \"${CHECK_CSV}\" exact.csv 1 distance=0 && bash \"${CHECK_CSV}\" divergence.csv 1 distance=0 && ! grep -qiE 'nan|inf' exact.csv divergence.csv sinkhorn.csv")
geoenc_cli_case(ot.unequal_totals TOOL geoenc-ot-distance --stdout-any
  --setup "printf 'lon,lat,w\\n0,0,1\\n1,1,1\\n' > a.csv && printf 'lon,lat,w\\n0,1,3\\n' > b.csv"
  --stderr "^geoenc-ot-distance: warning: the masses differ in total .*normalised to sum 1"
  -- ${OT} --solver exact --weight w a.csv b.csv --s_srs EPSG:4326)
# The same numbers from a file and from a pipe.
geoenc_cli_case(ot.stdin_equals_file TOOL geoenc-ot-distance
  --sh "\"${OT}\" -q -f CSV \"${AM_SRC}\" \"${AM_TGT}\" | cut -d, -f3- > file.csv && \"${OT}\" -q -f CSV --if CSV - \"${AM_TGT}\" < \"${AM_SRC}\" | cut -d, -f3- > pipe.csv && cmp file.csv pipe.csv")
# --group-by: the K x K matrix, symmetric, 0 on the diagonal for exact OT.
geoenc_cli_case(ot.group_by.matrix TOOL geoenc-ot-distance
  --sh "awk -F, '{sub(/\r$/, \"\")} NR==1{print $0\",region\"} NR>1{print $0\",west\"}' \"${EU_SRC}\" > g.csv && awk -F, '{sub(/\r$/, \"\")} NR>1{print $0\",east\"}' \"${EU_TGT}\" >> g.csv && \"${OT}\" -q --solver exact --group-by region -f CSV g.csv > m.csv && head -1 m.csv | grep -qx 'group,east,west' && bash \"${CHECK_CSV}\" m.csv 1 east=0 west=927.6218562582227 && bash \"${CHECK_CSV}\" m.csv 2 east=927.6218562582227 west=0")
geoenc_cli_case(ot.group_by.json TOOL geoenc-ot-distance
  --setup "printf 'lon,lat,g\\n0,0,a\\n1,0,a\\n0,1,b\\n5,5,c\\n' > g.csv"
  --stdout-grep "^  \"groups\": .$" --stdout-grep "^  \"group_by\": \"g\"" --stdout-grep "\"pairs\": .$"
  -- ${OT} -q --solver divergence --group-by g g.csv)
# A group against itself reports its own max cost (the diameter), not 0.
geoenc_cli_case(ot.group_by.diagonal_max_cost TOOL geoenc-ot-distance
  --setup "printf 'lon,lat,g\\n0,0,a\\n1,0,a\\n0,1,b\\n5,5,c\\n' > g.csv"
  --sh "\"${OT}\" -q --solver exact --group-by g -f CSV g.csv > m.csv && \"${OT}\" -q --solver exact --group-by g g.csv | grep -c '\"max_cost\": 0.0' | grep -qx 2")
# Weighted groups of different totals: a warning, as for two inputs.
geoenc_cli_case(ot.group_by.totals_differ_warn TOOL geoenc-ot-distance --stdout-any
  --stderr "warning: the groups. masses differ in total" --stderr "${NO_CRS_WARNING}"
  --setup "printf 'lon,lat,g,w\\n0,0,a,1\\n1,0,a,1\\n0,1,b,5\\n5,5,b,1\\n' > g.csv"
  -- ${OT} --solver exact --group-by g --weight w g.csv)
# Sinkhorn that breaks down (eps far below double precision) is an error, not a distance.
geoenc_cli_case(ot.error.sinkhorn_breaks_down TOOL geoenc-ot-distance --exit 1
  --error "Sinkhorn broke down at eps = 1e-20 .*choose an --eps nearer the costs"
  -- ${OT} -q --eps 1e-20 --max-iter 20 ${EU_SRC} ${EU_TGT})
# --if is for the input on stdin; the other file is detected as usual.
geoenc_cli_case(ot.if_csv_applies_to_stdin_only TOOL geoenc-ot-distance --stdin ${EU_SRC}
  --stdout-grep "\"distance\": "
  -- ${OT} -q --if CSV - ${SITES_GPKG_OT})
geoenc_cli_case(ot.usage.target_where_named TOOL geoenc-ot-distance --exit 1
  --error "--target-where 'bogus ..' on .*europe_50x60_tgt"
  -- ${OT} -q ${EU_SRC} ${EU_TGT} --target-where "bogus ((")
geoenc_cli_case(ot.usage.no_cuda_device TOOL geoenc-ot-distance --exit 2 --error "--device cuda: no CUDA device available"
  -- ${OT} --device cuda ${EU_SRC} ${EU_TGT})
# Group pairs run one per thread: the matrix is the same on 1 and 2 threads, bit for bit.
geoenc_cli_case(ot.group_by.threads_identical TOOL geoenc-ot-distance
  --sh "awk -F, '{sub(/\r$/, \"\")} NR==1{print $0\",g\"} NR>1{print $0\",g\" (NR % 5)}' \"${AM_SRC}\" > g.csv && \"${OT}\" -q --threads 1 --eps 0.05max --group-by g -f CSV g.csv > one.csv && \"${OT}\" -q --threads 2 --eps 0.05max --group-by g -f CSV g.csv > two.csv && test $(wc -l < one.csv) = 6 && cmp one.csv two.csv")
# The first 5 sources again with weight 0 (max C unchanged): the same values, stored or on the fly.
geoenc_cli_case(ot.sinkhorn.zero_weights TOOL geoenc-ot-distance
  --sh "awk -F, '{sub(/\r$/, \"\")} {print} NR>1 && NR<=6 {print $1\",\"$2\",0\"}' \"${EUW_SRC}\" > z.csv && for cm in 0 1024\ndo \"${OT}\" -q --cost-memory $cm --eps 0.05max -f CSV --weight weight z.csv \"${EUW_TGT}\" > r.csv && REL_TOL=1e-7 bash \"${CHECK_CSV}\" r.csv 1 linear=1115.2555666516446 entropic=1163.5131513938877 || exit 1\ndone")
# The branch that runs pairs one at a time on all threads (--cost-memory 1 MiB holds one
# 300 x 300 cost, not two) gives the matrix of one thread, and of pairs run side by side.
geoenc_cli_case(ot.group_by.sequential_branch_identical TOOL geoenc-ot-distance
  --sh "{ cat \"${AM_SRC}\"\ntail -n +2 \"${AM_TGT}\"\n} | awk -F, '{sub(/\r$/, \"\")} NR==1{print $0\",g\"} NR>1{print $0\",g\" (NR % 3)}' > g.csv && \"${OT}\" -q --threads 1 --cost-memory 1 --eps 0.05max --group-by g -f CSV g.csv > one.csv && \"${OT}\" -q --threads 2 --cost-memory 1 --eps 0.05max --group-by g -f CSV g.csv > seq.csv && \"${OT}\" -q --threads 2 --cost-memory 4 --eps 0.05max --group-by g -f CSV g.csv > par.csv && test $(wc -l < one.csv) = 4 && cmp one.csv seq.csv && cmp one.csv par.csv")
# --plan: the flows of the exact plan carry all the mass.
geoenc_cli_case(ot.plan.exact TOOL geoenc-ot-distance --stdout-any
  --check "test -s plan.gpkg && ogrinfo -q -sql 'SELECT SUM(mass) AS s, COUNT(*) AS n FROM plan' plan.gpkg | grep -qE 's \\(Real\\) = (1|0\\.9999999999|1\\.0000000000)' && test -z \"$(ls -A | grep -v '^plan.gpkg$')\""
  -- ${OT} -q --solver exact --plan plan.gpkg --plan-flows 0 ${EU_SRC} ${EU_TGT})
geoenc_cli_case(ot.plan.refuses_overwrite TOOL geoenc-ot-distance --exit 1
  --setup "echo keep > plan.gpkg" --error "plan\\.gpkg: output exists .*--overwrite"
  --check "grep -qx keep plan.gpkg"
  -- ${OT} -q --plan plan.gpkg ${EU_SRC} ${EU_TGT})
# Embedding and mixed costs run from any encoder.
geoenc_cli_case(ot.embedding.sh TOOL geoenc-ot-distance
  --stdout-grep "\"cost\": \"embedding\"" --stdout-grep "\"model\": \"sh:L=4\"" --stdout-grep "\"converged\": true"
  -- ${OT} -q --cost embedding --model sh:L=4 --precision float64 ${EU_SRC} ${EU_TGT})
geoenc_cli_case(ot.mix.sh TOOL geoenc-ot-distance
  --stdout-grep "\"lambda\": 0\\.3" --stdout-grep "\"distance\": 0\\.[0-9]+"
  -- ${OT} -q --cost mix --lambda 0.3 --model sh:L=4 --solver exact ${EU_SRC} ${EU_TGT})

# Usage errors (exit 2) name the option.
geoenc_cli_case(ot.usage.embedding_needs_model TOOL geoenc-ot-distance --exit 2 --error "--cost embedding: needs --model"
  -- ${OT} --cost embedding ${EU_SRC} ${EU_TGT})
# -f is the distances' format: the plan's driver comes from its file name alone.
geoenc_cli_case(ot.usage.plan_unknown_extension TOOL geoenc-ot-distance --exit 2
  --error "--plan flows\\.xyz: cannot tell the format from the extension \\.xyz. name the file \\.gpkg"
  -- ${OT} --plan flows.xyz ${EU_SRC} ${EU_TGT})
geoenc_cli_case(ot.usage.bad_eps TOOL geoenc-ot-distance --exit 2 --error "--eps: unknown unit 'mi'"
  -- ${OT} --eps 3mi ${EU_SRC} ${EU_TGT})
geoenc_cli_case(ot.usage.group_by_with_target TOOL geoenc-ot-distance --exit 2 --error "--group-by: expected SOURCE only"
  -- ${OT} --group-by x ${EU_SRC} ${EU_TGT})
geoenc_cli_case(ot.usage.one_input TOOL geoenc-ot-distance --exit 2 --error "expected SOURCE and TARGET"
  -- ${OT} ${EU_SRC})
geoenc_cli_case(ot.usage.geospot_with_eps TOOL geoenc-ot-distance --exit 2 --error "--geospot fixes"
  -- ${OT} --geospot --eps 0.05max ${EU_SRC} ${EU_TGT})
# Data errors (exit 1) name input, FID and field.
geoenc_cli_case(ot.data.negative_weight TOOL geoenc-ot-distance --exit 1
  --setup "printf 'lon,lat,w\\n0,0,1\\n1,1,-2\\n' > a.csv"
  --error "a\\.csv, layer 'a': FID 2: field 'w' is negative"
  -- ${OT} -q --weight w a.csv a.csv)
geoenc_cli_case(ot.data.missing_weight_field TOOL geoenc-ot-distance --exit 1 --error "--weight: no field 'mass'"
  -- ${OT} -q --weight mass ${EU_SRC} ${EU_TGT})
# Above 2^20 pairs Sinkhorn runs on the single-precision Gibbs kernel when
# --cost-memory leaves room for it (4 bytes a pair after the stored costs), then
# finishes on the exact cost: the same value as without the kernel (a budget
# that stores the costs and leaves too little), far inside the 1e-9 tol, yet
# not to the last digit (so the two runs did take different paths).
geoenc_cli_case(ot.sinkhorn.gibbs_kernel TOOL geoenc-ot-distance
  --sh "awk 'BEGIN{srand(7)\nprint \"lon,lat\"\nwhile(i++<1100) printf \"%.6f,%.6f\\n\", -10+40*rand(), 35+25*rand()}' > s.csv && awk 'BEGIN{srand(8)\nprint \"lon,lat\"\nwhile(i++<1000) printf \"%.6f,%.6f\\n\", 40*rand(), 40+25*rand()}' > t.csv && \"${OT}\" -q -f CSV s.csv t.csv > k.csv && \"${OT}\" -q -f CSV --cost-memory 9 s.csv t.csv > x.csv && \"${OT}\" -q -f CSV --solver divergence s.csv t.csv > kd.csv && \"${OT}\" -q -f CSV --solver divergence --cost-memory 26 s.csv t.csv > xd.csv && col() { awk -F, -v n=$2 'NR==1{while(i++<NF) if($i==n) c=i} NR==2{print $c}' $1\n} && REL_TOL=1e-9 bash \"${CHECK_CSV}\" k.csv 1 linear=$(col x.csv linear) entropic=$(col x.csv entropic) && REL_TOL=1e-9 bash \"${CHECK_CSV}\" kd.csv 1 distance=$(col xd.csv distance) && grep -q ',true,converged,' k.csv && ! cmp -s k.csv x.csv")
