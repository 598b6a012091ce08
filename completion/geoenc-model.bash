# bash completion for geoenc-model                          -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/geoenc-model (or
# ~/.local/share/bash-completion/completions/geoenc-model), or source it from
# ~/.bashrc. It uses the bash-completion package when that is loaded and works
# without it.
#
# The option words below are written by hand; tests/docs checks them against
# `geoenc-model --list-options`, so a new option that is missing here fails the
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

_geoenc_model()
{
    local cur prev cword word opt lead
    local -a words
    _geoenc_init || return

    local options="--help -h --version --quiet -q --progress --no-progress
        --config --threads --device --json --overwrite"

    case $opt in
        --device)
            COMPREPLY=($(compgen -W "auto cpu cuda" -- "$cur"))
            ;;
        --config)
            # KEY, then VALUE as the next word.
            COMPREPLY=($(compgen -W "GDAL_HTTP_TIMEOUT GDAL_HTTP_PROXY CPL_DEBUG CPL_TMPDIR" -- "$cur"))
            ;;
        --threads)
            # A value of the user's own.
            ;;
        *)
            if ((cword >= 2)) && [[ ${words[cword - 2]} == --config ]]; then
                : # the VALUE of --config KEY VALUE
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$options" -- "$cur"))
            else
                # Which positional is this? Skip options and the values they take.
                local i n=0 w
                for ((i = 1; i < cword; i++)); do
                    w=${words[i]}
                    case $w in
                        --threads | --device) ((i++)) ;;
                        --config) ((i += 2)) ;;
                        -*) ;;
                        *) ((n++)) ;;
                    esac
                done
                case $n in
                    0) # COMMAND (a file name here is a mistake the tool explains)
                        COMPREPLY=($(compgen -W "info convert" -- "$cur"))
                        _geoenc_files "$cur"
                        ;;
                    1) # MODEL
                        _geoenc_model_specs "$cur"
                        _geoenc_files "$cur"
                        [[ ${COMPREPLY[*]-} == *= ]] && compopt -o nospace 2>/dev/null
                        ;;
                    *) # OUTPUT of convert: a .geoenc file
                        _geoenc_files "$cur"
                        ;;
                esac
            fi
            ;;
    esac

    _geoenc_finish
} &&
    complete -F _geoenc_model geoenc-model

# ex: filetype=sh
