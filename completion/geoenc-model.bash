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

# MODEL: sh:L=N[,convention=...] and the pretrained models by name, besides files.
_geoenc_model_specs()
{
    local cur=$1 m
    if [[ $cur =~ ^(sh:L=[0-9]+)(,.*)?$ ]]; then
        m=${BASH_REMATCH[1]}
        COMPREPLY+=($(compgen -W "$m $m,convention=satclip $m,convention=orthonormal" -- "$cur"))
    else
        COMPREPLY+=($(compgen -W "sh:L= satclip-resnet18-l10 satclip-resnet18-l40 satclip-resnet50-l10
            satclip-resnet50-l40 satclip-vit16-l10 satclip-vit16-l40" -- "$cur"))
    fi
}

# Remove from each reply what bash does not treat as part of the word being
# completed: the text up to the last ':' or '=' that is in COMP_WORDBREAKS.
_geoenc_model_ltrim_wordbreaks()
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
# and '=' (sh:L=10 -> sh : L = 10) joined again.
_geoenc_model_words()
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

_geoenc_model_files()
{
    if declare -F _filedir >/dev/null 2>&1; then
        _filedir
    else
        local IFS=$'\n'
        compopt -o filenames 2>/dev/null
        COMPREPLY+=($(compgen -f -- "$1"))
    fi
}

_geoenc_model()
{
    local cur prev cword
    local -a words
    COMPREPLY=()
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n := || return
    else
        _geoenc_model_words
    fi

    local options="--help -h --version --quiet -q --progress --no-progress
        --config --threads --device --json --overwrite"

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
                        _geoenc_model_files "$cur"
                        ;;
                    1) # MODEL
                        _geoenc_model_specs "$cur"
                        _geoenc_model_files "$cur"
                        [[ ${COMPREPLY[*]-} == *= ]] && compopt -o nospace 2>/dev/null
                        ;;
                    *) # OUTPUT of convert: a .geoenc file
                        _geoenc_model_files "$cur"
                        ;;
                esac
            fi
            ;;
    esac

    if [[ -n $lead ]]; then
        local i
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=$lead${COMPREPLY[i]}
        done
    fi
    _geoenc_model_ltrim_wordbreaks "$word"
} &&
    complete -F _geoenc_model geoenc-model

# ex: filetype=sh
