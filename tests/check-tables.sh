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
for f in "$fresh"/*; do
    b=$(basename "$f")
    if ! cmp -s "$f" "$shipped/$b"; then
        echo "tables/$b differs from a fresh regeneration:"
        diff -u "$shipped/$b" "$f" | head -40 || true
        status=1
    fi
done
for f in "$shipped"/*.c "$shipped"/*.json; do
    b=$(basename "$f")
    if [ ! -e "$fresh/$b" ]; then
        echo "tables/$b is not produced by regenerate.sh"
        status=1
    fi
done
[ $status -eq 0 ] && echo "all $(ls "$fresh" | wc -l) table files match a fresh regeneration"
exit $status
