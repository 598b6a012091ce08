# Shared by the docs tests. Sourced as: common.sh TOOL_BINARY TOOL_NAME
# Environment (from CMake): GEOENC_MAN_DIR GEOENC_MAN_SRC GEOENC_COMPLETION_DIR
# CMAKE_COMMAND GO_MD2MAN (empty when go-md2man was not found).
set -u
TOOL_BIN=${1-}
TOOL=${2-}
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
skip() { echo "SKIP: $*"; exit 77; }
finish() {
    if ((failures)); then
        echo "$failures check(s) failed"
        exit 1
    fi
    echo "OK"
    exit 0
}

WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/geoenc-docs.XXXXXX")
trap 'rm -rf "$WORKDIR"' EXIT

# load_options: LONGS (--name), SHORTS (-s), and per long name its short name,
# kind, completion kind and choices (space-separated), from --list-options.
load_options() {
    LONGS=() SHORTS=() POSITIONALS=()
    declare -gA SHORT_OF=() KIND=() COMPLETE=() CHOICES=()
    local line a b c d e
    while IFS= read -r line; do
        # Fields may be empty: split on a non-whitespace separator so empty ones survive.
        line=${line//$'\t'/$'\x1f'}
        IFS=$'\x1f' read -r a b c d e <<<"$line"
        if [[ $a == @positional ]]; then
            POSITIONALS+=("$b")
            continue
        fi
        LONGS+=("$a")
        [[ -n $b ]] && SHORTS+=("$b")
        SHORT_OF[$a]=$b KIND[$a]=$c COMPLETE[$a]=$d CHOICES[$a]=${e//,/ }
    done < <("$TOOL_BIN" --list-options)
    if ((${#LONGS[@]} == 0)); then
        echo "FAIL: $TOOL_BIN --list-options printed no options" >&2
        exit 1
    fi
}

is_option() {  # is $1 one of the tool's long or short options?
    local o
    for o in "${LONGS[@]}" "${SHORTS[@]}"; do [[ $o == "$1" ]] && return 0; done
    return 1
}

# has_word TEXT WORD: WORD occurs in TEXT as a whole option word
# (not as part of a longer option such as --progress in --no-progress).
has_word() {
    local text=$1 word=$2 w
    w=$(printf '%s' "$word" | sed 's/[][\.*^$+?(){}|/]/\\&/g')
    grep -Eq -- "(^|[^-[:alnum:]_])${w}([^-[:alnum:]_]|\$)" <<<"$text"
}

# page_text PAGE (e.g. geoenc-embed.1): the page's text, roff escapes removed.
# With go-md2man, the rendered page in the build tree (checked to be up to
# date with the binary); without it, the Markdown spliced here.
page_text() {
    local page=$1 md=$WORKDIR/$1.md
    local tool_def=()
    [[ -n $TOOL_BIN ]] && tool_def=("-DTOOL=$TOOL_BIN")
    if ! "$CMAKE_COMMAND" "-DSOURCE=$GEOENC_MAN_SRC/$page.md" "-DOUTPUT=$md" "${tool_def[@]}" -DVERSION=test \
        -P "$GEOENC_MAN_SRC/splice.cmake" >&2; then
        echo "FAIL: splicing $page.md" >&2
        exit 1
    fi
    if [[ -z ${GO_MD2MAN-} ]]; then
        echo "note: go-md2man not found; checking the generated Markdown" >&2
        sed -e 's/\\\(.\)/\1/g' -e 's/\*\*//g' "$md"
        return
    fi
    local built=$GEOENC_MAN_DIR/$page
    if [[ ! -f $built || ! -f $built.md ]]; then
        echo "FAIL: $built is missing: build it with 'ninja man'" >&2
        exit 1
    fi
    # Line 1 carries the version; compare the rest.
    if ! diff -q <(sed '1d' "$built.md") <(sed '1d' "$md") >/dev/null; then
        echo "FAIL: $built is out of date with ${TOOL_BIN:-its source}: rebuild it with 'ninja man'" >&2
        exit 1
    fi
    sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\(em/--/g' -e 's/\\e/\\/g' "$built"
}

# section NAME: the lines of one section of page text given on stdin.
section() {
    awk -v want="$1" '
        /^(\.SH|#) / { line = $0; sub(/^(\.SH|#) +/, "", line); gsub(/"/, "", line); on = (line == want); next }
        on { print }'
}
