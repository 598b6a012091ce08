# The bash completion script, driven as bash would drive it: COMP_WORDS split
# the way readline splits a line, then _geoenc_embed, then COMPREPLY checked.
# Runs without the bash-completion package, and again with it when installed.
source "$(dirname "$0")/common.sh"
load_options
SCRIPT=$GEOENC_COMPLETION_DIR/$TOOL.bash
FUNC=_${TOOL//-/_}
BASH_COMPLETION_MAIN=${BASH_COMPLETION_MAIN:-/usr/share/bash-completion/bash_completion}

# Bash's default; readline splits words at these characters.
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'

# complete_line LINE: complete with the cursor at the end of LINE; sets REPLY_LIST
# (the sorted COMPREPLY, one per line).
complete_line() {
    local line=$1 w="" c i n=${#1}
    COMP_WORDS=()
    for ((i = 0; i < n; i++)); do
        c=${line:i:1}
        if [[ $c == ' ' ]]; then
            [[ -n $w ]] && COMP_WORDS+=("$w")
            w=""
        elif [[ $c == : || $c == = ]]; then
            # A run of ':' and '=' is a word of its own.
            if [[ -n $w && $w != *[:=] ]]; then COMP_WORDS+=("$w"); w=""; fi
            w+=$c
        else
            if [[ $w == *[:=] ]]; then COMP_WORDS+=("$w"); w=""; fi
            if [[ $c == \\ ]] && ((i + 1 < n)); then
                w+=$c${line:i+1:1}
                i=$((i + 1))
            else
                w+=$c
            fi
        fi
    done
    COMP_WORDS+=("$w")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    local prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # compopt complains outside real completion; that is expected here.
    "$FUNC" "$TOOL" "${COMP_WORDS[COMP_CWORD]}" "$prev" 2>/dev/null
    REPLY_LIST=$(printf '%s\n' "${COMPREPLY[@]}" | sort -u | sed '/^$/d')
}

MODE=""
# expect_has LINE WORD...: each WORD is offered.
expect_has() {
    local line=$1 word
    shift
    complete_line "$line"
    for word; do
        grep -qxF -- "$word" <<<"$REPLY_LIST" ||
            fail "[$MODE] '$line<TAB>' does not offer '$word'; got: $(echo $REPLY_LIST)"
    done
}
# expect_exactly LINE WORD...: exactly these words (in any order), or none.
expect_exactly() {
    local line=$1
    shift
    complete_line "$line"
    local want
    want=$(printf '%s\n' "$@" | sort -u | sed '/^$/d')
    [[ $REPLY_LIST == "$want" ]] ||
        fail "[$MODE] '$line<TAB>' offers '$(echo $REPLY_LIST)', expected '$(echo $want)'"
}

raster_formats_have() {  # does the installed GDAL (or the fallback list) know raster format $1?
    ! command -v gdalinfo >/dev/null 2>&1 || gdalinfo --formats 2>/dev/null | grep -q "^ *$1 -[^-]*raster"
}
formats_have() {  # does the installed GDAL (or the fallback list) know vector format $1?
    ! command -v ogrinfo >/dev/null 2>&1 || ogrinfo --formats 2>/dev/null | grep -q "^ *$1 -[^-]*vector"
}

run_cases() {
    # Every option completes from its own name, and "-" offers them all.
    local o all=()
    for o in "${LONGS[@]}"; do
        expect_has "$TOOL $o" "$o"
        expect_has "$TOOL ${o:0:4}" "$o"
        all+=("$o")
    done
    expect_has "$TOOL -" "${all[@]}" "${SHORTS[@]}"
    expect_has "$TOOL -m sh:L=10 in.gpkg -" "${all[@]}"

    # Choice options offer exactly their choices, also after --opt=.
    for o in "${LONGS[@]}"; do
        [[ ${COMPLETE[$o]} == choice ]] || continue
        expect_exactly "$TOOL $o " ${CHOICES[$o]}
        [[ -n ${SHORT_OF[$o]} ]] && expect_exactly "$TOOL ${SHORT_OF[$o]} " ${CHOICES[$o]}
        expect_exactly "$TOOL $o=" ${CHOICES[$o]}
    done

    # Vector formats from GDAL for every vector-format option.
    for o in "${LONGS[@]}"; do
        [[ ${COMPLETE[$o]} == vector-format ]] || continue
        formats_have GPKG && expect_has "$TOOL $o GP" GPKG
        formats_have GPKG && expect_has "$TOOL $o gp" GPKG
        formats_have CSV && expect_has "$TOOL $o " CSV
        formats_have "ESRI Shapefile" && expect_has "$TOOL $o ESRI\\ S" 'ESRI\ Shapefile'
        formats_have GPKG && expect_has "$TOOL $o=GP" GPKG
    done

    # Writable raster formats from GDAL for every raster-format option.
    for o in "${LONGS[@]}"; do
        [[ ${COMPLETE[$o]} == raster-format ]] || continue
        raster_formats_have GTiff && expect_has "$TOOL $o GT" GTiff
        raster_formats_have COG && expect_has "$TOOL $o co" COG
        [[ -n ${SHORT_OF[$o]} ]] && raster_formats_have GTiff && expect_has "$TOOL ${SHORT_OF[$o]} GT" GTiff
        raster_formats_have GTiff && expect_has "$TOOL $o=GT" GTiff
        # Read-only drivers are not offered for an output.
        raster_formats_have DERIVED && expect_exactly "$TOOL $o DERIV"
    done

    # Options whose values are the user's own offer nothing (not file names).
    for o in "${LONGS[@]}"; do
        [[ ${KIND[$o]} == value || ${KIND[$o]} == list ]] || continue
        [[ ${COMPLETE[$o]} == none ]] || continue
        [[ $o == --model || $o == --weights || $o == --pe || $o == --net || $o == --head ]] && continue  # structured values (sh:L=, knn:, siren:) are offered
        expect_exactly "$TOOL $o "
    done

    # Positionals (and nothing else) complete file names.
    (
        cd "$WORKDIR" && mkdir -p files && cd files && touch alpha.gpkg beta.csv
        expect_exactly "$TOOL al" alpha.gpkg
        expect_exactly "$TOOL -m sh:L=10 alpha.gpkg be" beta.csv
        expect_exactly "$TOOL --device cpu alpha.gpkg be" beta.csv
        exit $failures
    ) || failures=$((failures + $?))

    if [[ $TOOL == geoenc-embed ]]; then
        expect_exactly "$TOOL --dev" --device
        expect_exactly "$TOOL --device " auto cpu cuda
        expect_exactly "$TOOL --device c" cpu cuda
        expect_exactly "$TOOL --point c" centroid
        expect_exactly "$TOOL --precision " float32 float64
        formats_have GPKG && expect_has "$TOOL -f GP" GPKG
        formats_have GeoJSONSeq && expect_has "$TOOL --of GeoJSON" GeoJSON GeoJSONSeq
        local named=(satclip-resnet18-l10 satclip-resnet18-l40 satclip-resnet50-l10 satclip-resnet50-l40
            satclip-vit16-l10 satclip-vit16-l40)
        expect_exactly "$TOOL --model " sh:L= "${named[@]}"
        expect_exactly "$TOOL -m sh" sh:L=
        expect_exactly "$TOOL -m sa" "${named[@]}"
        expect_exactly "$TOOL -m satclip-vit" satclip-vit16-l10 satclip-vit16-l40
        # bash completes only after the last ':' or '='.
        expect_exactly "$TOOL --model sh:" L=
        expect_exactly "$TOOL --model sh:L=10," 10,convention=satclip 10,convention=orthonormal
        expect_exactly "$TOOL --model=sh:L=10,convention=o" orthonormal
        expect_has "$TOOL --config " OGR_CURRENT_DATE
        expect_exactly "$TOOL --config OGR_CURRENT_DATE "
        expect_has "$TOOL --s_srs EPSG:" 4326 3857
        expect_exactly "$TOOL --threads "
        expect_exactly "$TOOL --skip-inv" --skip-invalid
        expect_exactly "$TOOL --no-" --no-progress
    fi
}

[[ -f $SCRIPT ]] || { fail "$SCRIPT is missing"; finish; }

MODE="plain bash"
(
    source "$SCRIPT"
    declare -F _init_completion >/dev/null && { echo "FAIL: _init_completion defined in plain bash" >&2; exit 1; }
    complete -p "$TOOL" >/dev/null 2>&1 || fail "$SCRIPT does not register 'complete -F $FUNC $TOOL'"
    run_cases
    exit $failures
) || failures=$((failures + $?))

if [[ -f $BASH_COMPLETION_MAIN ]]; then
    MODE="bash-completion"
    (
        source "$BASH_COMPLETION_MAIN" >/dev/null 2>&1
        declare -F _init_completion >/dev/null || { echo "note: $BASH_COMPLETION_MAIN defines no _init_completion"; exit 0; }
        source "$SCRIPT"
        run_cases
        exit $failures
    ) || failures=$((failures + $?))
else
    echo "note: bash-completion is not installed; checked the fallback only"
fi
finish
