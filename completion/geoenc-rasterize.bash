# bash completion for geoenc-rasterize                          -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/geoenc-rasterize (or
# ~/.local/share/bash-completion/completions/geoenc-rasterize), or source it from
# ~/.bashrc. It uses the bash-completion package when that is loaded and works
# without it.
#
# The option words below are written by hand; tests/docs checks them against
# `geoenc-rasterize --list-options`, so a new option that is missing here fails the
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

_geoenc_rasterize()
{
    local cur prev cword word opt lead
    local -a words
    _geoenc_init || return

    local options="--help -h --version --quiet -q --progress --no-progress
        --config --threads --device --model -m --precision --mode --bands --components
        --rgb --pca-from --pca-samples --seed --ref --ref-vector --probabilities --point-wise
        --te --tr --ts --t_srs --like --mask
        --of -f --co --ot --nodata --scale --offset --overwrite --shard"

    case $opt in
        --device)
            COMPREPLY=($(compgen -W "auto cpu cuda" -- "$cur"))
            ;;
        --precision)
            COMPREPLY=($(compgen -W "float32 float64" -- "$cur"))
            ;;
        --mode)
            COMPREPLY=($(compgen -W "embedding pca similarity predict" -- "$cur"))
            ;;
        --ot)
            COMPREPLY=($(compgen -W "Float32 Float64 Int16 Byte" -- "$cur"))
            ;;
        -m | --model)
            COMPREPLY=()
            _geoenc_model_specs "$cur"
            [[ ${COMPREPLY[*]-} == *= ]] && compopt -o nospace 2>/dev/null
            ;;
        --t_srs)
            # EPSG:n, WKT, a PROJ string, or a file holding one of those.
            COMPREPLY=($(compgen -W "EPSG:4326 EPSG:3857 EPSG:3031 EPSG:3413 OGC:CRS84" -- "$cur"))
            _geoenc_files "$cur"
            ;;
        --like | --mask | --pca-from | --ref-vector)
            # A raster (--like) or a vector file.
            _geoenc_files "$cur"
            ;;
        --config)
            # KEY, then VALUE as the next word.
            COMPREPLY=($(compgen -W "GDAL_CACHEMAX GDAL_NUM_THREADS CPL_DEBUG CPL_TMPDIR
                GDAL_TIFF_INTERNAL_MASK" -- "$cur"))
            ;;
        -f | --of)
            _geoenc_raster_formats "$cur"
            ;;
        --threads | --bands | --components | --pca-samples | --seed | --ref | --te | --tr | --ts | --co | --nodata | --scale | --offset | --shard)
            # A value of the user's own (the first number of --te/--tr/--ts).
            ;;
        *)
            if ((cword >= 2)) && [[ ${words[cword - 2]} == --config ]]; then
                : # the VALUE of --config KEY VALUE
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$options" -- "$cur"))
            else
                # OUTPUT: the raster to write.
                _geoenc_files "$cur"
            fi
            ;;
    esac

    _geoenc_finish
} &&
    complete -F _geoenc_rasterize geoenc-rasterize

# ex: filetype=sh
