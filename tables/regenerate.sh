#!/bin/sh
# Regenerates every shipped table (C source + JSON), the registry and the
# list of sources the runtime compiles (sources.cmake).
#
#   tables/regenerate.sh SPOW_GEN OUTDIR
#
# The degree schedules below are the cheapest (fewest GEMMs) that certify a
# max relative error <= 1e-6, found once with
#   spow-gen --p P --lo LO --hi 1.001 --degree auto --target-err 1e-6
# and written out here so that regeneration is fast and byte-for-byte.
#
# hi = 1.001: after scaling by the Frobenius norm every singular value is at
# most 1, but a rank-one input sits exactly at 1 and rounding pushes it a few
# ulps above, where the error of a fit that stops at 1 grows steeply.  The
# certificate covers [lo, 1.001] instead, at a cost of 1-3% in error.
hi=1.001
set -eu
gen=$1
out=$2
mkdir -p "$out"

# lo p schedule
configs='
1e-3 0 2,4,4,4,4
1e-3 1/5 9,9,9
1e-3 1/4 9,9,9
1e-3 1/3 9,9,12
1e-3 2/5 9,9,9
1e-3 1/2 4,4,4,6
1e-3 3/5 9,9,9
1e-3 2/3 9,9,9
1e-3 3/4 9,9,9
1e-3 4/5 6,9,9
1e-3 -1/8 9,9,9
1e-3 -1/4 9,9,9
1e-2 0 2,4,4,4
1e-2 1/5 16,16
1e-2 1/4 16,16
1e-2 1/3 16,16
1e-2 2/5 12,16
1e-2 1/2 4,4,9
1e-2 3/5 12,16
1e-2 2/3 16,16
1e-2 3/4 12,16
1e-2 4/5 12,16
1e-2 -1/8 12,16
1e-2 -1/4 16,16
'

# p as it appears in a table name: 1/2 -> 1_2, -1/4 -> m1_4, 0 -> 0_1
pname() {
    num=${1%/*}
    den=${1#*/}
    [ "$den" = "$1" ] && den=1
    case $num in
        -*) echo "m${num#-}_$den" ;;
        *) echo "${num}_$den" ;;
    esac
}

names=''
echo "$configs" | while read -r lo p sched; do
    [ -n "$lo" ] || continue
    name="coupled_p$(pname "$p")_lo$lo"
    "$gen" --p "$p" --lo "$lo" --hi "$hi" --degree "$sched" --format c -o "$out/$name.c"
    "$gen" --p "$p" --lo "$lo" --hi "$hi" --degree "$sched" --format json -o "$out/$name.json"
    echo "$name"
done > "$out/.names"

# Tables for 4:1 inputs (the usual MLP shape), named ..._a4.  On an m x n
# input (m >= n) the Gram product and the updates cost m/n small-side
# products each, so fewer steps of higher degree pay; these schedules are the
# cheapest in those flops at aspect 4 that certify 1e-6, found once with
#   spow-gen --p P --lo 1e-3 --hi 1.001 --degree auto --aspect 4 --target-err 1e-6
# For every other p listed above that search returns the square schedule
# itself, so nothing is shipped for it.  Listed by spow_table_list_shape(),
# not spow_table_list(): spow_table_find keeps choosing the tables above,
# spow_table_find_shape weighs both lists by shape.  In tables/a4/, so that
# the Python package's spow.load_table (tables/*.json, as spow_table_find)
# keeps choosing the tables above too.
mkdir -p "$out/a4"
shape_configs='
1e-3 0 9,16,16 4
1e-3 1/2 9,9,12 4
'
echo "$shape_configs" | while read -r lo p sched a; do
    [ -n "$lo" ] || continue
    name="coupled_p$(pname "$p")_lo${lo}_a$a"
    for fmt in c json; do
        "$gen" --p "$p" --lo "$lo" --hi "$hi" --degree "$sched" --name "$name" \
            --format $fmt -o "$out/a4/$name.$fmt"
    done
    echo "$name"
done > "$out/.shapenames"

# Tables for the accuracy training needs (docs/design-space.md), in
# tables/target/, named ..._eT for a target error T: certified max relative
# error <= 1e-2 or 1e-3 in fewer products than the 1e-6 tables above, and at
# lo = 1e-4, where gradients' small singular values live.  The schedules are
# the cheapest the search finds,
#   spow-gen --p P --lo LO --hi 1.001 --target-err T --search
# kept only where the float-coefficient certificate meets T too; where it
# does not, the schedule here is a hand-picked one that does (p = 0, lo =
# 1e-3, 1e-2: 2,4,4,9 for the search's 4,4,4,4, whose float certificate is
# 1.016e-2; p = 1/3, lo = 1e-4, 1e-3: 4,6,6,9 for 4,4,6,9 at 1.09e-3), or
# nothing is shipped (p = 0, lo = 1e-4, 1e-2: the 1e-3 table serves;
# p = -1/4, lo = 1e-4, 1e-3: every schedule tried certifies above 1e-3 in
# float).  The search's p = 0 schedules start with a degree-1 step, where the
# default scaling (spow.h, SPOW_SCALE_GRAM4) adds a product: at lo = 1e-3,
# 1e-3 that makes 1,4,4,4,4 as dear as the 1e-6 table (nothing shipped), at
# lo = 1e-4 2,4,4,4,4,6 (24 products, 5.7e-8, 1.6e-4 in float) replaces
# 1,4,4,4,4,4 (4,4,4,4,4,2, as dear as 1,4,4,4,4,4 then, certifies 1e-5 but
# rounds 2x worse than the Python tests' rounding model allows).  Listed by spow_table_list_target(), returned only by
# spow_table_find_target.
mkdir -p "$out/target"
target_configs='
1e-3 1e-2 0 2,4,4,9
1e-3 1e-2 1/5 4,4,9
1e-3 1e-2 1/4 4,4,9
1e-3 1e-2 1/3 4,4,9
1e-3 1e-2 2/5 4,4,9
1e-3 1e-2 1/2 4,6,9
1e-3 1e-2 3/5 4,4,6
1e-3 1e-2 2/3 4,4,9
1e-3 1e-2 3/4 4,4,6
1e-3 1e-2 4/5 16,16
1e-3 1e-2 -1/8 4,4,9
1e-3 1e-2 -1/4 4,4,9
1e-3 1e-3 1/5 4,6,9
1e-3 1e-3 1/4 4,9,9
1e-3 1e-3 1/3 4,9,9
1e-3 1e-3 2/5 4,6,9
1e-3 1e-3 1/2 6,9,9
1e-3 1e-3 3/5 4,6,9
1e-3 1e-3 2/3 4,9,9
1e-3 1e-3 3/4 4,6,9
1e-3 1e-3 4/5 4,4,9
1e-3 1e-3 -1/8 4,6,9
1e-3 1e-3 -1/4 4,9,9
1e-4 1e-2 1/5 9,9,16
1e-4 1e-2 1/4 9,9,16
1e-4 1e-2 1/3 4,4,4,9
1e-4 1e-2 2/5 9,9,12
1e-4 1e-2 1/2 4,4,6,9
1e-4 1e-2 3/5 9,9,12
1e-4 1e-2 2/3 9,9,16
1e-4 1e-2 3/4 9,9,12
1e-4 1e-2 4/5 9,9,9
1e-4 1e-2 -1/8 9,9,12
1e-4 1e-2 -1/4 9,9,16
1e-4 1e-3 0 2,4,4,4,4,6
1e-4 1e-3 1/5 9,16,16
1e-4 1e-3 1/4 9,16,16
1e-4 1e-3 1/3 4,6,6,9
1e-4 1e-3 2/5 9,12,16
1e-4 1e-3 1/2 4,4,9,9
1e-4 1e-3 3/5 9,12,16
1e-4 1e-3 2/3 4,4,6,9
1e-4 1e-3 3/4 4,4,4,9
1e-4 1e-3 4/5 9,9,16
1e-4 1e-3 -1/8 9,12,16
'
echo "$target_configs" | while read -r lo err p sched; do
    [ -n "$lo" ] || continue
    name="coupled_p$(pname "$p")_lo${lo}_e$err"
    for fmt in c json; do
        "$gen" --p "$p" --lo "$lo" --hi "$hi" --degree "$sched" --name "$name" \
            --format $fmt -o "$out/target/$name.$fmt"
    done
    echo "$name"
done > "$out/.targetnames"

# Tables for bfloat16 arithmetic (docs/python.md), in tables/bf16/.  bf16
# rounds at 2^-9, so a matrix scaled to singular values <= 1 comes out with
# some up to ~1.004, and every product moves the next step's y values by as
# much: hi = 1.02 with a 2% first-step margin keeps them inside the fit, and
# low degrees (4,6,6) keep the polynomials tame just outside their intervals
# (the degree 9-16 schedules above blow up in bf16).  lo = 1e-2: below that a
# bf16 Gram matrix resolves nothing.  Compiled into libspow but left out of
# spow_table_list(), so that spow_table_find keeps choosing the tables above.
mkdir -p "$out/bf16"
for p in 0 1/5 1/4 1/3 2/5 1/2 3/5 2/3 3/4 4/5 -1/8 -1/4; do
    name="coupled_p$(pname "$p")_lo1e-2_bf16"
    for fmt in c json; do
        "$gen" --p "$p" --lo 1e-2 --hi 1.02 --margin 0.02 --degree 4,6,6 --name "$name" \
            --format $fmt -o "$out/bf16/$name.$fmt"
    done
    echo "bf16/$name"
done > "$out/.bf16names"

{
    echo "/* spow_registry.c -- generated by tables/regenerate.sh; do not edit. */"
    echo "#include <stddef.h>"
    echo "#include \"spow.h\""
    echo
    cat "$out/.names" "$out/.shapenames" "$out/.targetnames" | while read -r name; do
        echo "extern const spow_table spow_table_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_');"
    done
    for list in shipped:names:spow_table_list shaped:shapenames:spow_table_list_shape \
                targeted:targetnames:spow_table_list_target; do
        echo
        echo "static const spow_table *const ${list%%:*}[] = {"
        rest=${list#*:}
        while read -r name; do
            echo "    &spow_table_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_'),"
        done < "$out/.${rest%%:*}"
        echo "    NULL,"
        echo "};"
        echo
        echo "const spow_table *const *${rest#*:}(void)"
        echo "{"
        echo "    return ${list%%:*};"
        echo "}"
    done
} > "$out/spow_registry.c"

# The runtime's list of table sources (runtime/CMakeLists.txt includes it):
# explicit, so that a stray file in tables/ is never compiled in.
{
    echo "# sources.cmake -- generated by tables/regenerate.sh; do not edit."
    echo "set(SPOW_TABLE_SOURCES"
    while read -r name; do
        echo "  \${CMAKE_CURRENT_LIST_DIR}/$name.c"
    done < "$out/.names"
    while read -r name; do
        echo "  \${CMAKE_CURRENT_LIST_DIR}/a4/$name.c"
    done < "$out/.shapenames"
    while read -r name; do
        echo "  \${CMAKE_CURRENT_LIST_DIR}/target/$name.c"
    done < "$out/.targetnames"
    while read -r name; do
        echo "  \${CMAKE_CURRENT_LIST_DIR}/$name.c"
    done < "$out/.bf16names"
    echo "  \${CMAKE_CURRENT_LIST_DIR}/spow_registry.c)"
} > "$out/sources.cmake"
rm -f "$out/.names" "$out/.shapenames" "$out/.targetnames" "$out/.bf16names"
