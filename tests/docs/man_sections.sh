# The man page has the sections a user looks for, and renders cleanly.
#   man_sections.sh TOOL_BINARY TOOL   checks TOOL.1
#   man_sections.sh "" PAGE            checks PAGE (e.g. geoenc.7)
source "$(dirname "$0")/common.sh"
if [[ -n $TOOL_BIN ]]; then
    page=$TOOL.1
    required=(NAME SYNOPSIS DESCRIPTION OPTIONS INPUT OUTPUT MODELS EXAMPLES "EXIT STATUS" ENVIRONMENT "SEE ALSO")
else
    page=$TOOL
    required=(NAME DESCRIPTION TOOLS PIPELINES "EXIT STATUS" ENVIRONMENT "SEE ALSO")
fi
text=$(page_text "$page") || exit 1
for s in "${required[@]}"; do
    grep -Eq "^(\.SH|#) \"?$s\"?\$" <<<"$text" || fail "$page has no $s section"
done
grep -q '@[A-Z]*@' <<<"$text" && fail "$page still has a placeholder: $(grep -o '@[A-Z]*@' <<<"$text" | head -1)"
if [[ -n $TOOL_BIN ]]; then
    # Exit codes 0, 1 and 2 are each explained.
    status=$(section "EXIT STATUS" <<<"$text")
    for code in 0 1 2; do
        grep -qx "$code" <<<"$status" || fail "$page: EXIT STATUS does not explain $code"
    done
    examples=$(section EXAMPLES <<<"$text")
    grep -q "$TOOL " <<<"$examples" || fail "$page: EXAMPLES has no $TOOL command line"
fi
if [[ -n ${GO_MD2MAN-} ]] && command -v man >/dev/null 2>&1; then
    warnings=$(MANWIDTH=80 man --warnings -l "$GEOENC_MAN_DIR/$page" 2>&1 >/dev/null)
    [[ -z $warnings ]] || fail "man reports warnings for $page: $warnings"
    rendered=$(MANWIDTH=80 man -l "$GEOENC_MAN_DIR/$page" 2>/dev/null)
    grep -q '^EXIT STATUS' <<<"$rendered" || fail "man -l $page does not show EXIT STATUS"
fi
finish
