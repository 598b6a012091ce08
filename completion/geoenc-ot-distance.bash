# bash completion for geoenc-ot-distance                          -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/geoenc-ot-distance (or
# ~/.local/share/bash-completion/completions/geoenc-ot-distance), or source it from
# ~/.bashrc. It uses the bash-completion package when that is loaded and works
# without it.
#
# The option words below are written by hand; tests/docs checks them against
# `geoenc-ot-distance --list-options`, so a new option that is missing here fails the
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

# --model: the registered names, analytic encodings, or a model file.
_geoenc_ot_models()
{
    local cur=$1
    COMPREPLY=($(compgen -W "$_geoenc_named_models sh:L=10 sh:L=40" -- "$cur"))
    _geoenc_files "$cur"
}

_geoenc_ot_distance()
{
    local cur prev cword word opt lead
    local -a words
    _geoenc_init || return

    local options="--help -h --version --quiet -q --progress --no-progress
        --config --threads --device --weight --group-by --target-layer --target-where
        --cost --p --radius --model -m --precision --lambda --cost-memory
        --solver --eps --tol --max-iter --geospot
        --of -f --plan --plan-flows --plan-min-mass --overwrite
        --layer -l --where --oo --if --s_srs --point --skip-invalid"

    case $opt in
        --device)
            COMPREPLY=($(compgen -W "auto cpu cuda" -- "$cur"))
            ;;
        --point)
            COMPREPLY=($(compgen -W "point-on-surface centroid" -- "$cur"))
            ;;
        --cost)
            COMPREPLY=($(compgen -W "haversine geodesic embedding mix" -- "$cur"))
            ;;
        --p)
            COMPREPLY=($(compgen -W "1 2" -- "$cur"))
            ;;
        --precision)
            COMPREPLY=($(compgen -W "float32 float64" -- "$cur"))
            ;;
        --solver)
            COMPREPLY=($(compgen -W "exact sinkhorn divergence" -- "$cur"))
            ;;
        -f | --of)
            COMPREPLY=($(compgen -W "JSON CSV" -- "$cur"))
            ;;
        -m | --model)
            _geoenc_ot_models "$cur"
            ;;
        --plan)
            _geoenc_files "$cur"
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
        --threads | --eps | --weight | --group-by | --target-layer | --target-where | --radius | --lambda | --cost-memory | --tol | --max-iter | --plan-flows | --plan-min-mass | -l | --layer | --where | --oo)
            # A value of the user's own.
            ;;
        *)
            if ((cword >= 2)) && [[ ${words[cword - 2]} == --config ]]; then
                : # the VALUE of --config KEY VALUE
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$options" -- "$cur"))
            else
                # SOURCE and TARGET: OGR sources; - is stdin.
                _geoenc_files "$cur"
            fi
            ;;
    esac

    _geoenc_finish
} &&
    complete -F _geoenc_ot_distance geoenc-ot-distance

# ex: filetype=sh
