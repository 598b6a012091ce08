# Every option the binary declares is documented in its man page's OPTIONS
# section, and every --option the page mentions exists.
source "$(dirname "$0")/common.sh"
load_options
text=$(page_text "$TOOL.1") || exit 1
options=$(section OPTIONS <<<"$text")
[[ -n $options ]] || fail "$TOOL.1 has no OPTIONS section"
for o in "${LONGS[@]}" "${SHORTS[@]}"; do
    has_word "$options" "$o" || fail "$o is not in the OPTIONS section of $TOOL.1"
done
for c in "${!CHOICES[@]}"; do
    for v in ${CHOICES[$c]}; do
        grep -qF -- "$v" <<<"$options" || fail "choice '$v' of $c is not in $TOOL.1"
    done
done
for o in $(grep -oE -- '(^|[^-[:alnum:]_])--[a-z][-a-z_]*' <<<"$text" | sed 's/^[^-]*//' | sort -u); do
    is_option "$o" || fail "$TOOL.1 mentions $o, which $TOOL does not have"
done
finish
