# The zsh completion script parses, and loads as a completion function.
source "$(dirname "$0")/common.sh"
SCRIPT=$GEOENC_COMPLETION_DIR/_$TOOL
[[ -f $SCRIPT ]] || { fail "$SCRIPT is missing"; finish; }
head -1 "$SCRIPT" | grep -qx "#compdef $TOOL" || fail "$SCRIPT does not start with '#compdef $TOOL'"
command -v zsh >/dev/null 2>&1 || skip "zsh is not installed"
zsh -n "$SCRIPT" || fail "zsh -n $SCRIPT: syntax error"
# Autoload it the way compinit does; an error in its body surfaces here.
out=$(zsh -f -c '
    fpath=("$1" $fpath)
    autoload -Uz compinit && compinit -u -D
    [[ $_comps['"$TOOL"'] == _'"$TOOL"' ]] || { print "compinit did not bind '"$TOOL"' to _'"$TOOL"'"; exit 1 }
    autoload -Uz +X _'"$TOOL"' || exit 1
' zsh "$GEOENC_COMPLETION_DIR" 2>&1) || fail "zsh could not load $SCRIPT: $out"
finish
