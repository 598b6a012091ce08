# Both completion scripts know every option and choice the binary declares,
# and offer no option the binary lacks.
source "$(dirname "$0")/common.sh"
load_options
# Words of other programs that the scripts may mention.
foreign=(--formats)
for script in "$GEOENC_COMPLETION_DIR/$TOOL.bash" "$GEOENC_COMPLETION_DIR/_$TOOL"; do
    [[ -f $script ]] || { fail "$script is missing"; continue; }
    text=$(<"$script")
    name=${script##*/}
    for o in "${LONGS[@]}" "${SHORTS[@]}"; do
        has_word "$text" "$o" || fail "$name does not complete $o"
    done
    for c in "${!CHOICES[@]}"; do
        for v in ${CHOICES[$c]}; do
            has_word "$text" "$v" || fail "$name does not offer '$v' for $c"
        done
    done
    code=$(grep -v '^[[:space:]]*#' <<<"$text")  # comments may name anything
    for o in $(grep -oE -- '(^|[^-[:alnum:]_])--[a-z][-a-z_]*' <<<"$code" | sed 's/^[^-]*//' | sort -u); do
        is_option "$o" && continue
        [[ " ${foreign[*]} " == *" $o "* ]] && continue
        fail "$name offers $o, which $TOOL does not have"
    done
done
finish
