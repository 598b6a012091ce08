# bash completion for geoenc-moran                          -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/geoenc-moran (or
# ~/.local/share/bash-completion/completions/geoenc-moran), or source it from
# ~/.bashrc. It uses the bash-completion package when that is loaded and works
# without it.
#
# The option words below are written by hand; tests/docs checks them against
# `geoenc-moran --list-options`, so a new option that is missing here fails the
# tests.

# Vector format names of the installed GDAL, cached per shell. $1 is r (all
# vector drivers, for --if) or w (those that can create datasets, for -f).
_geoenc_vector_formats()
{
    if [[ -z ${_geoenc_formats_loaded-} ]]; then
        _geoenc_formats_loaded=1
        _geoenc_formats_r=()
        _geoenc_formats_w=()
        local line name caps
        if type -P ogrinfo >/dev/null 2>&1; then
            # "  GPKG -raster,vector- (rw+vs): GeoPackage"
            local re='^[[:space:]]+(.*[^[:space:]])[[:space:]]+-([a-z, ]*)-[[:space:]]+\(([^)]*)\):'
            while IFS= read -r line; do
                [[ $line =~ $re ]] || continue
                [[ ${BASH_REMATCH[2]} == *vector* ]] || continue
                name=${BASH_REMATCH[1]} caps=${BASH_REMATCH[3]}
                _geoenc_formats_r+=("$name")
                [[ $caps == *w* ]] && _geoenc_formats_w+=("$name")
            done < <(ogrinfo --formats 2>/dev/null)
        fi
        if ((${#_geoenc_formats_r[@]} == 0)); then
            _geoenc_formats_r=(GPKG GeoJSON GeoJSONSeq CSV "ESRI Shapefile" FlatGeobuf
                Parquet Arrow SQLite GML KML GPX "MapInfo File" PostgreSQL)
            _geoenc_formats_w=("${_geoenc_formats_r[@]}")
        fi
    fi
    local -n _geoenc_list=_geoenc_formats_$1
    local cur=$2 f esc
    # Driver names are case-insensitive in GDAL; names with spaces are escaped.
    for f in "${_geoenc_list[@]}"; do
        esc=${f// /\\ }
        [[ ${esc,,} == "${cur,,}"* ]] && COMPREPLY+=("$esc")
    done
}

# --weights SPEC: the kinds, then K/D as the user's own number.
_geoenc_moran_weights()
{
    local cur=$1
    case $cur in
        kernel:*:*) ;;
        kernel:*)
            COMPREPLY=($(compgen -W "kernel:triangular: kernel:uniform: kernel:quadratic:
                kernel:quartic: kernel:gaussian:" -- "$cur"))
            ;;
        *)
            COMPREPLY=($(compgen -W "queen rook knn: distance: kernel:" -- "$cur"))
            ;;
    esac
}

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
# and '=' (knn:8 -> knn : 8) joined again.
_geoenc_moran_words()
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

_geoenc_moran_files()
{
    if declare -F _filedir >/dev/null 2>&1; then
        _filedir
    else
        local IFS=$'\n'
        compopt -o filenames 2>/dev/null
        COMPREPLY+=($(compgen -f -- "$1"))
    fi
}

_geoenc_moran()
{
    local cur prev cword
    local -a words
    COMPREPLY=()
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n := || return
    else
        _geoenc_moran_words
    fi

    local options="--help -h --version --quiet -q --progress --no-progress
        --config --threads --device --field --fields-like --bivariate
        --weights -w --weights-file --save-weights --metric --transform --id --snap
        --mode --band --permutations --seed --alpha --adjust --two-sided --geary
        --layer -l --where --oo --if --s_srs --point --skip-invalid
        --of -f --co --lco --nln --overwrite"

    # --opt=value is one word; complete the value and keep the --opt= part.
    local word=$cur opt=$prev lead=""
    if [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        lead=$opt=
        cur=${cur#*=}
    fi

    case $opt in
        --device)
            COMPREPLY=($(compgen -W "auto cpu cuda" -- "$cur"))
            ;;
        --point)
            COMPREPLY=($(compgen -W "point-on-surface centroid" -- "$cur"))
            ;;
        --transform)
            COMPREPLY=($(compgen -W "r b v" -- "$cur"))
            ;;
        --metric)
            COMPREPLY=($(compgen -W "auto sphere planar" -- "$cur"))
            ;;
        --mode)
            COMPREPLY=($(compgen -W "global local multires" -- "$cur"))
            ;;
        --adjust)
            COMPREPLY=($(compgen -W "none fdr bonferroni" -- "$cur"))
            ;;
        -w | --weights)
            _geoenc_moran_weights "$cur"
            [[ ${COMPREPLY[*]-} == *: ]] && compopt -o nospace 2>/dev/null
            ;;
        --weights-file | --save-weights)
            # GeoDa/PySAL weights files.
            if declare -F _filedir >/dev/null 2>&1; then
                _filedir '@(gal|gwt)'
            else
                _geoenc_moran_files "$cur"
            fi
            ;;
        -f | --of)
            _geoenc_vector_formats w "$cur"
            ;;
        --if)
            _geoenc_vector_formats r "$cur"
            ;;
        --s_srs)
            # EPSG:n, WKT, a PROJ string, or a file holding one of those.
            COMPREPLY=($(compgen -W "EPSG:4326 EPSG:3857 EPSG:4258 OGC:CRS84" -- "$cur"))
            _geoenc_moran_files "$cur"
            ;;
        --config)
            # KEY, then VALUE as the next word.
            COMPREPLY=($(compgen -W "OGR_CURRENT_DATE GDAL_CACHEMAX GDAL_NUM_THREADS
                CPL_DEBUG CPL_TMPDIR OGR_SQLITE_SYNC OGR_GPKG_NUM_THREADS" -- "$cur"))
            ;;
        --threads | --field | --fields-like | --bivariate | --id | --snap | --band | --permutations | --seed | --alpha | -l | --layer | --where | --oo | --co | --lco | --nln)
            # A value of the user's own.
            ;;
        *)
            if ((cword >= 2)) && [[ ${words[cword - 2]} == --config ]]; then
                : # the VALUE of --config KEY VALUE
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$options" -- "$cur"))
            else
                # INPUT and OUTPUT: OGR sources (rasters with --mode multires); - is stdin/stdout.
                _geoenc_moran_files "$cur"
            fi
            ;;
    esac

    if [[ -n $lead ]]; then
        local i
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=$lead${COMPREPLY[i]}
        done
    fi
    _geoenc_ltrim_wordbreaks "$word"
} &&
    complete -F _geoenc_moran geoenc-moran

# ex: filetype=sh
