#!/usr/bin/env bash
# check_csv_values.sh FILE.csv ROW KEY=VALUE... : the named columns of data row
# ROW (1-based) equal VALUE to within 1e-9 relative (absolute below 1e-300), or
# to within $REL_TOL when set (the Sinkhorn references of geoenc-ot-distance: 1e-7).
# Used for geoenc-moran's -f CSV results against esda's reference values.
set -euo pipefail
file=$1 row=$2
shift 2
for kv in "$@"; do
    key=${kv%%=*} want=${kv#*=}
    awk -F, -v key="$key" -v want="$want" -v row="$row" -v tol="${REL_TOL:-1e-9}" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == key) col = i; if (!col) { print "no column " key; exit 1 } }
        NR == row + 1 {
            got = $col + 0; w = want + 0; d = got - w; if (d < 0) d = -d
            s = w < 0 ? -w : w
            if (d > tol * s && d > 1e-300) { printf "%s: got %.17g, want %.17g\n", key, got, w; exit 1 }
            found = 1
        }
        END { if (!found && col) { print "no row " row; exit 1 } }' "$file"
done
