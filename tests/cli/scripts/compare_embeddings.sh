#!/usr/bin/env bash
# compare_embeddings.sh A.csv B.csv TOL [ROWS]
# Compares the emb_* columns of two CSV outputs of geoenc-embed row by row:
# same column names, same row count (ROWS, when given), and every value within
# TOL (absolute). Silent on success; explains itself on stderr otherwise.
# Plain comma splitting: the inputs must not have quoted commas. COLUMNS_RE
# (an awk regex, default ^emb_) picks other columns, e.g. ^prob_ for the
# class probabilities of a trained model.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 A.csv B.csv TOL [ROWS]" >&2; exit 2; }
LC_ALL=C awk -F, -v tol="$3" -v rows="${4:-}" -v re="${COLUMNS_RE:-^emb_}" '
    FNR == 1 {
        file++
        n[file] = 0
        for (i = 1; i <= NF; i++) if ($i ~ re) { col[file, ++n[file]] = i; name[file, n[file]] = $i }
        next
    }
    file == 1 { r1++; for (k = 1; k <= n[1]; k++) v[r1, k] = $(col[1, k]); next }
    {
        r2++
        for (k = 1; k <= n[2]; k++) {
            d = $(col[2, k]) - v[r2, k]
            if (d < 0) d = -d
            if (d > tol || d != d) { bad++; if (bad <= 5) printf "row %d %s: %s vs %s\n", r2, name[2, k], v[r2, k], $(col[2, k]) > "/dev/stderr" }
        }
    }
    END {
        err = 0
        if (n[1] == 0) { print "no " re " columns in " ARGV[1] > "/dev/stderr"; err = 1 }
        if (n[1] != n[2]) { printf "%d vs %d " re " columns\n", n[1], n[2] > "/dev/stderr"; err = 1 }
        for (k = 1; k <= n[1] && k <= n[2]; k++)
            if (name[1, k] != name[2, k]) { print "column " k ": " name[1, k] " vs " name[2, k] > "/dev/stderr"; err = 1 }
        if (r1 != r2) { printf "%d vs %d rows\n", r1, r2 > "/dev/stderr"; err = 1 }
        if (rows != "" && r1 != rows) { printf "%d rows, expected %d\n", r1, rows > "/dev/stderr"; err = 1 }
        if (bad) { printf "%d value(s) differ by more than %s\n", bad, tol > "/dev/stderr"; err = 1 }
        exit err
    }' "$1" "$2"
