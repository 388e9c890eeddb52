#!/bin/sh
# Draws the figures of docs/design-space.md into docs/img/ and prints the
# numbers behind them.
#
#   docs/fronts.sh BUILD_DIR [OUT_DIR]       (e.g. docs/fronts.sh build)
#
# The fronts are spow-gen --pareto (the cheapest certified schedule per
# target decade, every point re-fitted and certified); the published
# recurrences are evaluated by spow-inspect in exact arithmetic on the same
# interval, their error after k steps against their product count after k
# steps.  Needs gnuplot (Debian gnuplot-nox).  About 5 minutes of CPU.
. "$(dirname "$0")/figures_setup.sh"
range="--lo 1e-3 --hi 1.001"

for p in 0 1/4 1/3 1/2 2/3 -1/4; do
    f=$(echo "$p" | tr '/-' '_m')
    "$gen" --p "$p" $range --pareto --format csv -o "$tmp/front_p$f.csv" 2>/dev/null
    echo "== p = $p"
    cut -d, -f1-5 "$tmp/front_p$f.csv"
    # the same front on 4:1 inputs, scored in small-side products (column 8)
    "$gen" --p "$p" $range --pareto --aspect 4 --format csv -o "$tmp/front_a4_p$f.csv" 2>/dev/null
    echo "== p = $p, 4:1 (target, products, certified, steps, degrees, scheme, small-side products)"
    cut -d, -f1-5,7,8 "$tmp/front_a4_p$f.csv"
done

# products so far and the exact error on [lo, hi] after every step of a
# spow-inspect report
steps() { awk '$1 ~ /^[0-9]+$/ && $3 == "|" { c += $2; print c "," $4 }'; }

# Muon's quintic (3.4445, -4.7750, 2.0315), p = 0
"$insp" --family muon-quintic --p 0 $range --steps 10 | steps > "$tmp/quintic.csv"
# Polar Express, degree 5 (Amsel, Persson, Musco, Gower, arXiv:2505.16932,
# Algorithm 1): the published (a, b, c) with their safety factor 1.01 on all
# but the last, p(x) = a x + b x^3 + c x^5, i.e. g(t) = a + b t + c t^2 of
# the coupled family at p = 0
pe='8.205160414005574,-22.90193498705605,16.460724910180314;4.066395159942775,-2.8611540867551426,0.5183995226694741;3.9095949044379155,-2.823351735039516,0.5250369769390025;3.2855640171986153,-2.415301959635945,0.48529406552790866;2.277873287083977,-1.619821765265441,0.39848078704168355;1.8725756512746514,-1.2307042574884297,0.35851616209511666;1.856437109755889,-1.2132392819185351,0.35679978941375945;1.875,-1.25,0.375'
"$insp" --family coupled --p 0 $range --coef "$pe" --steps 8 | steps > "$tmp/polar_express.csv"
# the Muon^p fixed point, published c = 0.66 for p = 1/3
"$insp" --family fixedpoint --p 1/3 $range --steps 64 | steps > "$tmp/fixedpoint_p1_3.csv"
for f in quintic polar_express fixedpoint_p1_3; do
    echo "== $f (products, exact error)"
    cat "$tmp/$f.csv"
done

common="set terminal pngcairo size 1000,680 enhanced font 'DejaVu Sans,11'
set datafile separator ','
set logscale y; set format y '10^{%L}'; set grid
set xlabel 'matrix products per application'
set ylabel 'certified max |x/s^p - 1| on [1e-3, 1.001] (exact for published)'
set key outside right top"

gnuplot <<GP
$common
set output '$out/fronts.png'
set title 'cheapest certified spow recurrence per target decade (spow-gen --pareto)'
set xrange [8:36]
plot '$tmp/front_p0.csv' using 2:3 skip 1 with linespoints lw 2 pt 7 title 'p = 0', \
     '$tmp/front_p1_4.csv' using 2:3 skip 1 with linespoints lw 2 pt 5 title 'p = 1/4', \
     '$tmp/front_p1_3.csv' using 2:3 skip 1 with linespoints lw 2 pt 9 title 'p = 1/3', \
     '$tmp/front_p1_2.csv' using 2:3 skip 1 with linespoints lw 2 pt 11 title 'p = 1/2', \
     '$tmp/front_p2_3.csv' using 2:3 skip 1 with linespoints lw 2 pt 13 title 'p = 2/3', \
     '$tmp/front_pm1_4.csv' using 2:3 skip 1 with linespoints lw 2 pt 15 title 'p = -1/4'
GP

gnuplot <<GP
$common
set output '$out/fronts_published.png'
set title 'p = 0 and p = 1/3: spow fronts and published recurrences, step by step'
set xrange [0:40]; set yrange [1e-17:10]
plot '$tmp/front_p0.csv' using 2:3 skip 1 with linespoints lw 2 pt 7 title 'spow, p = 0', \
     '$tmp/polar_express.csv' using 1:2 with linespoints lw 1.5 pt 6 title 'Polar Express (degree 5), p = 0', \
     '$tmp/quintic.csv' using 1:2 with linespoints lw 1.5 pt 4 title 'Muon quintic, p = 0', \
     '$tmp/front_p1_3.csv' using 2:3 skip 1 with linespoints lw 2 pt 9 title 'spow, p = 1/3', \
     '$tmp/fixedpoint_p1_3.csv' using 1:2 with linespoints lw 1.5 pt 8 title 'fixed point c = 0.66, p = 1/3'
GP
gnuplot <<GP
$common
set output '$out/fronts_a4.png'
set title 'the same fronts on 4:1 inputs (spow-gen --pareto --aspect 4)'
set xlabel 'small-side products per application on a 4:1 input'
plot '$tmp/front_a4_p0.csv' using 8:3 skip 1 with linespoints lw 2 pt 7 title 'p = 0', \
     '$tmp/front_a4_p1_4.csv' using 8:3 skip 1 with linespoints lw 2 pt 5 title 'p = 1/4', \
     '$tmp/front_a4_p1_3.csv' using 8:3 skip 1 with linespoints lw 2 pt 9 title 'p = 1/3', \
     '$tmp/front_a4_p1_2.csv' using 8:3 skip 1 with linespoints lw 2 pt 11 title 'p = 1/2', \
     '$tmp/front_a4_p2_3.csv' using 8:3 skip 1 with linespoints lw 2 pt 13 title 'p = 2/3', \
     '$tmp/front_a4_pm1_4.csv' using 8:3 skip 1 with linespoints lw 2 pt 15 title 'p = -1/4'
GP
echo "figures: $out/fronts.png $out/fronts_published.png $out/fronts_a4.png"
