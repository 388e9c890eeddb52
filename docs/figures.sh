#!/bin/sh
# Draws the figures of docs/error-curves.md into docs/img/.
#
#   docs/figures.sh BUILD_DIR [OUT_DIR]      (e.g. docs/figures.sh build)
#
# Every curve is spow-inspect's exact-arithmetic error after the last step,
# on a 1500-point log grid (--format csv); the comparison figures overlay
# several recurrences at equal GEMM count with gnuplot.  The single-recurrence
# figures are spow-inspect --plot itself.  Needs gnuplot (Debian gnuplot-nox).
. "$(dirname "$0")/figures_setup.sh"
grid="--grid 1500"

# ---- our recurrences that are not shipped: the best schedules at 19 GEMMs
# (p = 1/2) and 15 GEMMs (p = 0) among those tried in docs/error-curves.md
"$gen" --p 1/2 --lo 1e-3 --hi 1.001 --degree 4,6,9 --format json -o "$tmp/ours_p1_2_19.json"
"$gen" --p 0 --lo 1e-3 --hi 1.001 --degree 2,4,4,4 --format json -o "$tmp/ours_p0_15.json"

# ---- the curves
"$insp" --json "$tmp/ours_p1_2_19.json" $grid --format csv -o "$tmp/ours_p1_2_19.csv"
"$insp" --family fixedpoint --p 1/2 --coef 3.0,-0.795918 --steps 6 $grid --format csv -o "$tmp/pub_p1_2_6.csv"
"$insp" --table 1/4 --lo 1e-3 $grid --format csv -o "$tmp/ours_p1_4_28.csv"
"$insp" --family fixedpoint --p 1/3 --coef 0.66 --steps 6 $grid --format csv -o "$tmp/pub_p1_3_6.csv"
"$insp" --family fixedpoint --p 1/3 --coef 0.66 --steps 14 $grid --format csv -o "$tmp/pub_p1_3_14.csv"
"$insp" --json "$tmp/ours_p0_15.json" $grid --format csv -o "$tmp/ours_p0_15.csv"
"$insp" --family muon-quintic --p 0 --coef 3.4445,-4.7750,2.0315 --steps 5 $grid --format csv -o "$tmp/muon_5.csv"

# ---- overlays: the last step of each recurrence (column 1 is the step)
overlay() {   # overlay OUT TITLE "file:last_step:title" ...
    png=$1; title=$2; shift 2
    {
        echo "set terminal pngcairo size 1000,700 enhanced font 'DejaVu Sans,11'"
        echo "set output '$png'"
        echo "set datafile separator ','"
        echo "set logscale xy; set format x '10^{%L}'; set format y '10^{%L}'; set grid"
        echo "set key below left Left reverse; set xrange [1e-4:1.05]; set yrange [1e-10:1e3]"
        echo "set xlabel 'normalized singular value s'"
        echo "set ylabel 'relative error |x_K(s)/s^p - 1| (exact arithmetic)'"
        printf '%s\n' "set title \"$title\\nerrors above 1e3 (blown up) drawn at the top edge\" noenhanced"
        echo "clamp(e) = (e != e) ? 1e3 : (e > 1e3 ? 1e3 : (e < 1e-17 ? 1e-17 : e))"
        echo "set arrow from 1e-3, graph 0 to 1e-3, graph 1 nohead dt 2 lc rgb 'gray30'"
        echo "set arrow from 1, graph 0 to 1, graph 1 nohead dt 2 lc rgb 'gray30'"
        echo "set label 'lo' at 1e-3, graph 1.02 center; set label '1' at 1, graph 1.02 center"
        printf "plot "
        sep=""
        for spec in "$@"; do
            f=${spec%%:*}; rest=${spec#*:}; k=${rest%%:*}; t=${rest#*:}
            printf "%s'%s' using 2:(column(1) == %s ? clamp(column(4)) : 1/0) with lines lw 2 title '%s'" \
                "$sep" "$tmp/$f.csv" "$k" "$t"
            sep=", \\
     "
        done
        echo
    } > "$tmp/overlay.gp"
    gnuplot "$tmp/overlay.gp"
}

overlay "$out/compare_p1_2.png" "p = 1/2 at 19 GEMMs: ours (coupled, degrees 4,6,9) vs the published fixed point" \
    "ours_p1_2_19:3:ours, coupled 4,6,9 (19 GEMMs)" \
    "pub_p1_2_6:6:published (c,d) = (3.0,-0.795918), 6 steps (19 GEMMs)"
overlay "$out/compare_p1_4.png" "p = 1/4 (ours, shipped) next to the published p = 1/3 fixed point" \
    "ours_p1_4_28:3:ours p = 1/4, shipped table (28 GEMMs)" \
    "pub_p1_3_14:14:published p = 1/3, c = 0.66, 14 steps (28 GEMMs)" \
    "pub_p1_3_6:6:published p = 1/3, c = 0.66, 6 steps (12 GEMMs)"
overlay "$out/compare_p0.png" "p = 0 at 15 GEMMs: Muon's quintic vs ours (coupled, degrees 2,4,4,4)" \
    "ours_p0_15:4:ours, coupled 2,4,4,4 (15 GEMMs)" \
    "muon_5:5:Muon quintic (3.4445,-4.7750,2.0315), 5 steps (15 GEMMs)"

# ---- single recurrences, every step, drawn by spow-inspect itself
"$insp" --table 1/2 --lo 1e-3 $grid --matrix 512x256 --plot "$out/ours_p1_2_steps.png" > /dev/null
"$insp" --table 1/4 --lo 1e-3 $grid --plot "$out/ours_p1_4_arith.png" --plot-by arith > /dev/null
"$insp" --family fixedpoint --p 1/2 --coef 3.0,-0.795918 --steps 6 $grid --plot "$out/published_p1_2_steps.png" > /dev/null
# spow-inspect leaves the data and the script next to each figure; keep only the figures
for f in ours_p1_2_steps ours_p1_4_arith published_p1_2_steps; do
    rm -f "$out/$f.csv" "$out/$f.matrix.csv" "$out/$f.gp"
done
echo "figures written to $out"
