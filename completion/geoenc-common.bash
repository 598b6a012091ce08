# Helpers shared by the geoenc bash completions          -*- shell-script -*-
#
# Sourced by completion/geoenc-*.bash, which look for it next to themselves:
# as geoenc-common.bash in the source tree, as geoenc-common once installed
# into share/bash-completion/completions. It defines functions only and
# registers no completion of its own.
#
# A tool's completion function declares
#     local cur prev cword word opt lead
#     local -a words
# then calls `_geoenc_init || return`, fills COMPREPLY for $opt and $cur, and
# ends with `_geoenc_finish`. Those helpers set and read the caller's locals.

# Sourced once per shell: a second source (from the next tool's script) is a
# no-op, unless the shell holds an older version (an upgrade while it ran).
((${_geoenc_common_version:-0} >= 2)) && return 0
_geoenc_common_version=2

# Format names of the installed GDAL, cached per shell, into COMPREPLY:
# _geoenc_formats KIND MODE CUR with KIND vector or raster, MODE r (every
# driver of that kind) or w (those that can write: create or create-copy).
_geoenc_formats()
{
    local kind=$1 mode=$2 cur=$3
    local loaded=_geoenc_formats_loaded_$kind
    if [[ -z ${!loaded-} ]]; then
        local -a all=() writable=()
        local line name caps lister=ogrinfo
        [[ $kind == raster ]] && lister=gdalinfo
        if type -P "$lister" >/dev/null 2>&1; then
            # "  GPKG -raster,vector- (rw+vs): GeoPackage"
            local re='^[[:space:]]+(.*[^[:space:]])[[:space:]]+-([a-z, ]*)-[[:space:]]+\(([^)]*)\):'
            while IFS= read -r line; do
                [[ $line =~ $re ]] || continue
                [[ ${BASH_REMATCH[2]} == *$kind* ]] || continue
                name=${BASH_REMATCH[1]} caps=${BASH_REMATCH[3]}
                all+=("$name")
                [[ $caps == *w* ]] && writable+=("$name")
            done < <("$lister" --formats 2>/dev/null)
        fi
        if ((${#all[@]} == 0)); then
            if [[ $kind == raster ]]; then
                all=(GTiff COG VRT PNG JPEG netCDF HFA ENVI GPKG MEM)
            else
                all=(GPKG GeoJSON GeoJSONSeq CSV "ESRI Shapefile" FlatGeobuf
                    Parquet Arrow SQLite GML KML GPX "MapInfo File" PostgreSQL)
            fi
            writable=("${all[@]}")
        fi
        eval "_geoenc_formats_${kind}_r=(\"\${all[@]}\")"
        eval "_geoenc_formats_${kind}_w=(\"\${writable[@]}\")"
        printf -v "$loaded" 1  # last: an interrupted listing is tried again next time
    fi
    local -n _geoenc_list=_geoenc_formats_${kind}_$mode
    local f esc
    # Driver names are case-insensitive in GDAL; names with spaces are escaped.
    for f in "${_geoenc_list[@]}"; do
        esc=${f// /\\ }
        [[ ${esc,,} == "${cur,,}"* ]] && COMPREPLY+=("$esc")
    done
}

# Vector formats: $1 is r (for --if) or w (for -f/--of), $2 the word.
_geoenc_vector_formats() { _geoenc_formats vector "$1" "$2"; }

# Raster formats that can be written (geoenc-rasterize -f/--of), $1 the word.
_geoenc_raster_formats() { _geoenc_formats raster w "$1"; }

# Remove from each reply what bash does not treat as part of the word being
# completed: the text up to the last ':' or '=' that is in COMP_WORDBREAKS.
_geoenc_ltrim_wordbreaks()
{
    local word=$1 prefix="" k c i
    for ((k = ${#word} - 1; k >= 0; k--)); do
        c=${word:k:1}
        if [[ ($c == : || $c == =) && ${COMP_WORDBREAKS-} == *"$c"* ]]; then
            prefix=${word:0:k+1}
            break
        fi
    done
    [[ -n $prefix ]] || return 0
    for i in "${!COMPREPLY[@]}"; do
        COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}
    done
}

# Without bash-completion: COMP_WORDS with the words that bash split at ':'
# and '=' (sh:L=10 -> sh : L = 10, knn:8 -> knn : 8) joined again.
_geoenc_words()
{
    words=()
    cword=0
    local i j=-1 glue=0 w
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        if ((i > 0 && j >= 0)) && [[ $w =~ ^[:=]+$ ]]; then
            words[j]+=$w
            glue=1
        elif ((glue)); then
            words[j]+=$w
            glue=0
        else
            words[++j]=$w
        fi
        ((i == COMP_CWORD)) && cword=$j
    done
    ((cword <= j)) || words[cword]=""
    cur=${words[cword]}
    prev=""
    ((cword > 0)) && prev=${words[cword - 1]}
    return 0
}

# The pretrained models by name (io/model_registry), for --model.
_geoenc_named_models="satclip-resnet18-l10 satclip-resnet18-l40 satclip-resnet50-l10 satclip-resnet50-l40
    satclip-vit16-l10 satclip-vit16-l40"

# --model values, appended to COMPREPLY: after sh:L=N its conventions, else
# sh:L= and the named models.
_geoenc_model_specs()
{
    local cur=$1 m
    if [[ $cur =~ ^(sh:L=[0-9]+)(,.*)?$ ]]; then
        m=${BASH_REMATCH[1]}
        COMPREPLY+=($(compgen -W "$m $m,convention=satclip $m,convention=orthonormal" -- "$cur"))
    else
        COMPREPLY+=($(compgen -W "sh:L= $_geoenc_named_models" -- "$cur"))
    fi
}

# File names (with bash-completion's _filedir when it is loaded).
_geoenc_files()
{
    if declare -F _filedir >/dev/null 2>&1; then
        _filedir
    else
        local IFS=$'\n'
        compopt -o filenames 2>/dev/null
        COMPREPLY+=($(compgen -f -- "$1"))
    fi
}

# Start of a completion: sets the caller's cur prev words cword (with ':' and
# '=' kept inside words), and word (the word as typed), opt (the option whose
# value is being completed) and lead (the "--opt=" to put back in front of
# each reply, when --opt=value is one word).
_geoenc_init()
{
    COMPREPLY=()
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n := || return
    else
        _geoenc_words
    fi
    word=$cur opt=$prev lead=""
    # --opt=value is one word; complete the value and keep the --opt= part.
    if [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        lead=$opt=
        cur=${cur#*=}
    fi
    return 0
}

# End of a completion: put lead back and trim what bash will not replace.
_geoenc_finish()
{
    if [[ -n $lead ]]; then
        local i
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=$lead${COMPREPLY[i]}
        done
    fi
    _geoenc_ltrim_wordbreaks "$word"
}

# ex: filetype=sh
