# bash completion for geoenc-train                              -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/geoenc-train (or
# ~/.local/share/bash-completion/completions/geoenc-train), or source it from
# ~/.bashrc. It uses the bash-completion package when that is loaded and works
# without it.
#
# The option words below are written by hand; tests/docs checks them against
# `geoenc-train --list-options`, so a new option that is missing here fails the
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

# --pe: the analytic positional encodings, sh:L=N[,convention=...] first.
_geoenc_train_pe()
{
    local cur=$1
    if [[ $cur =~ ^sh:L=[0-9]+(,.*)?$ ]]; then
        COMPREPLY=()
        _geoenc_model_specs "$cur"
    else
        COMPREPLY=($(compgen -W "sh:L= direct cartesian3d wrap grid theory spherec spherec+
            spherem spherem+" -- "$cur"))
    fi
}

# -m/--model (the encoder to probe): the pretrained models by name, an
# analytic spec, or a .geoenc/.pt/.ckpt file.
_geoenc_train_models()
{
    local cur=$1
    if [[ $cur == sh:* ]]; then
        _geoenc_train_pe "$cur"
        return
    fi
    COMPREPLY=($(compgen -W "$_geoenc_named_models sh:L=" -- "$cur"))
    _geoenc_files "$cur"
}

_geoenc_train()
{
    local cur prev cword word opt lead
    local -a words
    _geoenc_init || return

    local options="--help -h --version --quiet -q --progress --no-progress
        --config --threads --device --target --task --class-weights
        --pe --net --model -m --head
        --epochs --batch-size --lr --weight-decay --dropout --seed --patience --val-fraction --val-where
        --eval --eval-layer --eval-where --cv-blocks --cv-folds --overwrite
        --layer -l --where --oo --if --s_srs --point --skip-invalid"

    case $opt in
        --device)
            COMPREPLY=($(compgen -W "auto cpu cuda" -- "$cur"))
            ;;
        --point)
            COMPREPLY=($(compgen -W "point-on-surface centroid" -- "$cur"))
            ;;
        --task)
            COMPREPLY=($(compgen -W "classification regression" -- "$cur"))
            ;;
        --class-weights)
            COMPREPLY=($(compgen -W "none balanced" -- "$cur"))
            ;;
        --pe)
            _geoenc_train_pe "$cur"
            [[ ${COMPREPLY[*]-} == *= ]] && compopt -o nospace 2>/dev/null
            ;;
        --net)
            # siren:WIDTHxDEPTH[,w0_initial=30,w0=1], fcnet:WIDTHxDEPTH or linear.
            if [[ $cur == siren:*x* ]]; then
                COMPREPLY=($(compgen -W "${cur%%,*} ${cur%%,*},w0_initial=30,w0=1" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "siren: fcnet: linear" -- "$cur"))
                [[ ${COMPREPLY[*]-} == *: ]] && compopt -o nospace 2>/dev/null
            fi
            ;;
        --head)
            # linear, or mlp[:WIDTH].
            COMPREPLY=($(compgen -W "linear mlp" -- "$cur"))
            ;;
        -m | --model)
            _geoenc_train_models "$cur"
            [[ ${COMPREPLY[*]-} == *= ]] && compopt -o nospace 2>/dev/null
            ;;
        --eval)
            # TEST: labelled points, any OGR source.
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
            COMPREPLY=($(compgen -W "GDAL_CACHEMAX GDAL_NUM_THREADS CPL_DEBUG CPL_TMPDIR
                GDAL_HTTP_PROXY GDAL_HTTP_TIMEOUT" -- "$cur"))
            ;;
        --threads | --target | --epochs | --batch-size | --lr | --weight-decay | --dropout | --seed | --patience | --val-fraction | --val-where | --eval-layer | --eval-where | --cv-blocks | --cv-folds | -l | --layer | --where | --oo)
            # A value of the user's own.
            ;;
        *)
            if ((cword >= 2)) && [[ ${words[cword - 2]} == --config ]]; then
                : # the VALUE of --config KEY VALUE
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$options" -- "$cur"))
            else
                # INPUT (any OGR source; - is stdin) and OUTPUT (.geoenc), or
                # the MODEL to score with --eval.
                _geoenc_files "$cur"
            fi
            ;;
    esac

    _geoenc_finish
} &&
    complete -F _geoenc_train geoenc-train

# ex: filetype=sh
