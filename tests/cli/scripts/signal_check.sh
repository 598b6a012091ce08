# signal_check.sh, sourced by the signal_cleanup scripts:
#   kill_at_temp_output PID SIGNAL [SETTLE_SECONDS]
# waits until the tool PID has created its hidden temporary output in out/,
# lets it run SETTLE_SECONDS more, sends SIGNAL, and checks that the tool died
# of it, left nothing in out/ and wrote nothing to tool.err.
kill_at_temp_output() {
    local pid=$1 sig=$2 settle=${3:-0}
    for _ in $(seq 300); do
        ls -A out | grep -q 'geoenc-tmp' && break
        sleep 0.1
    done
    if ! ls -A out | grep -q 'geoenc-tmp'; then
        echo "the temporary output never appeared in out/: $(ls -A out)" >&2
        kill "$pid" 2>/dev/null || true
        exit 1
    fi
    sleep "$settle"
    kill -s "$sig" "$pid"
    local status=0
    wait "$pid" 2>/dev/null || status=$?
    local expected=$((128 + $(kill -l "$sig")))
    [ "$status" -eq "$expected" ] || { echo "exit status $status, expected $expected (killed by SIG$sig)" >&2; exit 1; }
    local left
    left=$(ls -A out)
    [ -z "$left" ] || { echo "left behind in out/: $left" >&2; exit 1; }
    [ ! -s tool.err ] || { echo "unexpected stderr from the tool:" >&2; cat tool.err >&2; exit 1; }
}
