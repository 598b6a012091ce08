#!/usr/bin/env bash
# Runs one CLI test case (see README.md): a command in a fresh, empty working
# folder, then checks its exit status, its stdout and its stderr.
#
#   run_case.sh --name NAME --workroot DIR [checks...] -- COMMAND [ARG...]
#   run_case.sh --name NAME --workroot DIR [checks...] --sh 'SHELL SCRIPT'
#
# Checks (all optional; the defaults are strict):
#   --exit N            expected exit status (default 0)
#   --stdout-golden F   stdout must equal file F byte for byte
#                       (GEOENC_UPDATE_GOLDEN=1 rewrites F instead of comparing)
#   --stdout-grep RE    some stdout line must match the ERE RE (repeatable)
#   --stdout-lines N    stdout must have exactly N lines
#   --stdout-any        do not look at stdout
#                       (without any --stdout-* option stdout must be EMPTY)
#   --stderr RE         stderr may contain lines matching the ERE RE; each RE
#                       given must match at least one line, and every line
#                       must match one of them (repeatable). Without --stderr,
#                       stderr must be EMPTY: an unexpected message fails.
#   --stderr-lines N    stderr must have exactly N lines
#   --error RE          an error exit: exactly one stderr line that is not a
#                       warning ("TOOL: warning: ..."), and it reads
#                       "TOOL: ...RE..." (TOOL: $GEOENC_TOOL, default
#                       geoenc-embed). Warnings need their own --stderr.
#   --stdin FILE        feed FILE on stdin (default /dev/null)
#   --setup SH          shell snippet run in the working folder before the command
#   --check SH          shell snippet run in the working folder after the command;
#                       must exit 0. $CASE_STDOUT and $CASE_STDERR name the
#                       captured streams.
#
# The command runs with LC_ALL=C, in WORKROOT/NAME/run (emptied first), with
# stdout and stderr redirected to files (so never a terminal: no progress bar).
# --sh scripts run under bash with -e -u -o pipefail. On success the working
# folder is removed; on failure it is kept and its path printed.
set -u

name="" workroot="" exit_expected=0 stdin_file=/dev/null
stdout_mode=empty stdout_golden="" stdout_lines="" stderr_lines=""
stdout_greps=() stderr_res=() setup="" check="" error_re="" sh_script=""
cmd=()

die_usage() { echo "run_case.sh: $*" >&2; exit 99; }

while [ $# -gt 0 ]; do
    case "$1" in
        --name) name=$2; shift 2 ;;
        --workroot) workroot=$2; shift 2 ;;
        --exit) exit_expected=$2; shift 2 ;;
        --stdout-golden) stdout_mode=golden; stdout_golden=$2; shift 2 ;;
        --stdout-grep) [ "$stdout_mode" = empty ] && stdout_mode=checked; stdout_greps+=("$2"); shift 2 ;;
        --stdout-lines) [ "$stdout_mode" = empty ] && stdout_mode=checked; stdout_lines=$2; shift 2 ;;
        --stdout-any) stdout_mode=any; shift ;;
        --stderr) stderr_res+=("$2"); shift 2 ;;
        --stderr-lines) stderr_lines=$2; shift 2 ;;
        --error) error_re=$2; shift 2 ;;
        --stdin) stdin_file=$2; shift 2 ;;
        --setup) setup=$2; shift 2 ;;
        --check) check=$2; shift 2 ;;
        --sh) sh_script=$2; shift 2 ;;
        --) shift; cmd=("$@"); break ;;
        *) die_usage "unknown option $1" ;;
    esac
done
[ -n "$name" ] || die_usage "--name is required"
[ -n "$workroot" ] || die_usage "--workroot is required"
[ ${#cmd[@]} -gt 0 ] || [ -n "$sh_script" ] || die_usage "no command (-- CMD... or --sh SCRIPT)"

export LC_ALL=C
unset LANG LANGUAGE
tool=${GEOENC_TOOL:-geoenc-embed}
if [ -n "$error_re" ]; then
    error_re="^${tool}: .*${error_re}"
    stderr_res+=("$error_re")
fi

case_dir=$workroot/$name
run_dir=$case_dir/run
rm -rf "$case_dir"
mkdir -p "$run_dir" || exit 99
export CASE_STDOUT=$case_dir/stdout CASE_STDERR=$case_dir/stderr

failures=()
fail() { failures+=("$*"); }

show() {  # a captured stream, indented, at most 40 lines
    sed -n '1,40s/^/    | /p' "$1"
    [ "$(wc -l < "$1")" -le 40 ] || echo "    | ... ($(wc -l < "$1") lines)"
}

cd "$run_dir" || exit 99
if [ -n "$setup" ]; then
    if ! bash -euo pipefail -c "$setup" > "$case_dir/setup.log" 2>&1; then
        echo "FAIL $name: --setup failed:"; show "$case_dir/setup.log"
        echo "(kept $case_dir)"; exit 1
    fi
fi

if [ -n "$sh_script" ]; then
    bash -euo pipefail -c "$sh_script" < "$stdin_file" > "$CASE_STDOUT" 2> "$CASE_STDERR"
else
    "${cmd[@]}" < "$stdin_file" > "$CASE_STDOUT" 2> "$CASE_STDERR"
fi
status=$?

[ "$status" -eq "$exit_expected" ] || fail "exit status $status, expected $exit_expected"

# stdout
case "$stdout_mode" in
    empty) [ -s "$CASE_STDOUT" ] && fail "stdout should be empty" ;;
    golden)
        if [ "${GEOENC_UPDATE_GOLDEN:-0}" = 1 ]; then
            cp "$CASE_STDOUT" "$stdout_golden" && echo "updated golden file $stdout_golden"
        elif [ ! -f "$stdout_golden" ]; then
            fail "golden file $stdout_golden is missing (GEOENC_UPDATE_GOLDEN=1 creates it)"
        elif ! cmp -s "$CASE_STDOUT" "$stdout_golden"; then
            fail "stdout differs from golden file $stdout_golden:"$'\n'"$(diff "$stdout_golden" "$CASE_STDOUT" | head -20)"
        fi ;;
esac
for re in "${stdout_greps[@]+"${stdout_greps[@]}"}"; do
    grep -Eq -- "$re" "$CASE_STDOUT" || fail "no stdout line matches /$re/"
done
if [ -n "$stdout_lines" ]; then
    n=$(wc -l < "$CASE_STDOUT")
    [ "$n" -eq "$stdout_lines" ] || fail "stdout has $n lines, expected $stdout_lines"
fi

# stderr: nothing unexpected, and everything expected
if [ ${#stderr_res[@]} -eq 0 ]; then
    [ -s "$CASE_STDERR" ] && fail "unexpected stderr"
else
    while IFS= read -r line || [ -n "$line" ]; do
        ok=0
        for re in "${stderr_res[@]}"; do
            if printf '%s\n' "$line" | grep -Eq -- "$re"; then ok=1; break; fi
        done
        [ $ok = 1 ] || fail "unexpected stderr line: $line"
    done < "$CASE_STDERR"
    for re in "${stderr_res[@]}"; do
        grep -Eq -- "$re" "$CASE_STDERR" || fail "no stderr line matches /$re/"
    done
fi
if [ -n "$error_re" ]; then
    errors=$(grep -Ev -- "^${tool}: warning: " "$CASE_STDERR")
    n=$(grep -Evc -- "^${tool}: warning: " "$CASE_STDERR")
    if [ "$n" -ne 1 ]; then
        fail "expected exactly one error line on stderr, got $n"
    elif ! printf '%s\n' "$errors" | grep -Eq -- "$error_re"; then
        fail "the error line does not match /$error_re/"
    fi
fi
if [ -n "$stderr_lines" ]; then
    n=$(wc -l < "$CASE_STDERR")
    [ "$n" -eq "$stderr_lines" ] || fail "stderr has $n lines, expected $stderr_lines"
fi

if [ -n "$check" ]; then
    if ! bash -euo pipefail -c "$check" > "$case_dir/check.log" 2>&1; then
        fail "--check failed: $check"$'\n'"$(sed 's/^/    | /' "$case_dir/check.log")"
    fi
fi

if [ ${#failures[@]} -eq 0 ]; then
    cd / && rm -rf "$case_dir"
    echo "ok $name"
    exit 0
fi
echo "FAIL $name"
for f in "${failures[@]}"; do echo "  - $f"; done
echo "  command: ${sh_script:-${cmd[*]}}"
echo "  exit status: $status"
echo "  stdout:"; show "$CASE_STDOUT"
echo "  stderr:"; show "$CASE_STDERR"
echo "  (kept $case_dir)"
exit 1
