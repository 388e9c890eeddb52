#!/bin/sh
# Fails when a checked-in table differs from a fresh regeneration, or when
# tables/ holds a generated file that regenerate.sh no longer produces.
#   tests/check-tables.sh SPOW_GEN TABLES_DIR
set -eu
gen=$1
shipped=$2
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$shipped/regenerate.sh" "$gen" "$fresh"
status=0
# tables/ and its subdirectories (bf16/), paths relative to the top
for b in $(cd "$fresh" && find . -type f | sort); do
    b=${b#./}
    if ! cmp -s "$fresh/$b" "$shipped/$b"; then
        echo "tables/$b differs from a fresh regeneration:"
        diff -u "$shipped/$b" "$fresh/$b" | head -40 || true
        status=1
    fi
done
for b in $(cd "$shipped" && find . -type f \( -name '*.c' -o -name '*.json' \) | sort); do
    b=${b#./}
    if [ ! -e "$fresh/$b" ]; then
        echo "tables/$b is not produced by regenerate.sh"
        status=1
    fi
done
[ $status -eq 0 ] && echo "all $(cd "$fresh" && find . -type f | wc -l) table files match a fresh regeneration"
exit $status
