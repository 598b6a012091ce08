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

# The helpers shared by the geoenc scripts: geoenc-common.bash next to this
# script in the source tree, geoenc-common once installed. Without it, no
# completion (and no error).
if ((${_geoenc_common_version:-0} < 2)); then  # not loaded, or an older one (upgraded while the shell ran)
    # This script's folder, then (for a symbolic link) its target's folder.
    for _geoenc_src in "${BASH_SOURCE[0]}" "$(readlink -f -- "${BASH_SOURCE[0]}" 2>/dev/null)"; do
        [[ -n $_geoenc_src ]] || continue
        [[ $_geoenc_src == */* ]] && _geoenc_src=${_geoenc_src%/*} || _geoenc_src=.
        for _geoenc_common in "$_geoenc_src"/geoenc-common.bash "$_geoenc_src"/geoenc-common; do
            [[ -f $_geoenc_common ]] && . "$_geoenc_common" >/dev/null 2>&1 && break 2
        done
    done
    unset _geoenc_src _geoenc_common
fi
declare -F _geoenc_init >/dev/null 2>&1 || return 0

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

_geoenc_moran()
{
    local cur prev cword word opt lead
    local -a words
    _geoenc_init || return

    local options="--help -h --version --quiet -q --progress --no-progress
        --config --threads --device --field --fields-like --bivariate
        --weights -w --weights-file --save-weights --metric --transform --id --snap
        --mode --band --permutations --seed --alpha --adjust --two-sided --geary
        --layer -l --where --oo --if --s_srs --point --skip-invalid
        --of -f --co --lco --nln --overwrite"

    case $opt in
        --device)
            COMPREPLY=($(compgen -W "auto cpu cuda" -- "$cur"))
            ;;
        --point)
            COMPREPLY=($(compgen -W "point-on-surface centroid" -- "$cur"))
            ;;
        --transform)
            COMPREPLY=($(compgen -W "r b v o" -- "$cur"))
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
                _geoenc_files "$cur"
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
            _geoenc_files "$cur"
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
                _geoenc_files "$cur"
            fi
            ;;
    esac

    _geoenc_finish
} &&
    complete -F _geoenc_moran geoenc-moran

# ex: filetype=sh
