# plot.gp -- time vs size per method from a spow-bench --csv file.
#
#   gnuplot -e "csv='bench.csv'; out='docs/img/bench-time.png'" bench/plot.gp
#   gnuplot -e "csv='bench.csv'; out='docs/img/bench-ratio.png'; what='ratio'" bench/plot.gp
#
# Six panels: float (top) and double (bottom), one column per p.  x is the
# size in the order of the run (categorical: 4096x1024 and 1024x4096 cost
# about the same), y the median time in ms (what='time', the default) or
# that time divided by spow's at the same size, p and precision
# (what='ratio'), log scale.

if (!exists("csv")) csv = 'bench.csv'
if (!exists("out")) out = 'bench-time.png'
if (!exists("what")) what = 'time'
ratio = what eq 'ratio'

set terminal pngcairo size 1500,900 font ",10"
set output out
set datafile separator ','
set datafile missing NaN        # filtered-out rows do not break the lines
set logscale y
set format y "10^{%T}"
set grid ytics mytics xtics
set key top left font ",9" spacing 0.9
set xtics rotate by -30
set ylabel ratio ? "time / spow's time" : "median time (ms)"
set offsets 0.3, 0.5, 0, 0
if (ratio) {
    set format y "%g"
    set ytics (0.25, 0.5, 1, 2, 4, 8)
    set yrange [0.04:10]   # room below the data for the key
    set key bottom left
}

# Median ms (or the ratio to spow) of method m, precision f32 (1) or f64 (0),
# exponent p; NaN elsewhere.
val(dummy) = ratio ? column(13) : 1e3 * column(11)
sel(m, f, p) = (strcol(8) eq m && column(10) == f && abs(column(7) - p) < 1e-9) ? val(0) : NaN

set style line 1 lc rgb "#c0392b" lw 3 pt 7 ps 1.2     # spow
set style line 2 lc rgb "#e67e22" lw 2 pt 5 ps 1.0     # spow-mixed
set style line 3 lc rgb "#8e44ad" lw 2 pt 9 ps 1.2     # spow-fast
set style line 4 lc rgb "#2471a3" lw 2 pt 4 ps 1.0 dt 2  # gesdd
set style line 5 lc rgb "#17a589" lw 2 pt 6 ps 1.0 dt 2  # syevd
set style line 6 lc rgb "#7f8c8d" lw 2 pt 8 ps 1.0 dt 3  # ns-coupled
set style line 7 lc rgb "#2c3e50" lw 2 pt 12 ps 1.0 dt 3 # muon-quintic

set multiplot layout 2,3 title (ratio ? "spow-bench: time relative to spow (below 1: faster than spow)" \
                                      : "spow-bench: median time per method (lower is better)") font ",13"

do for [f in "1 0"] {
    ff = int(f)
    prec = ff ? "float" : "double"
    gesdd = ff ? "sgesdd" : "dgesdd"
    syevd = ff ? "ssyevd" : "dsyevd"
    do for [pi = 1:3] {
        p = pi == 1 ? 0.5 : pi == 2 ? 0.25 : 0.0
        ptxt = pi == 1 ? "1/2" : pi == 2 ? "1/4" : "0"
        set title sprintf("p = %s, %s", ptxt, prec)
        # Only the series that exist at this p (no empty-data warnings).
        cmd = 'plot csv every ::1 using 1:(sel("spow", ff, p)):xticlabels(2) with linespoints ls 1 title "spow"'
        if (ff) {
            cmd = cmd . ', "" every ::1 using 1:(sel("spow-mixed", ff, p)) with linespoints ls 2 title "spow-mixed"'
            cmd = cmd . ', "" every ::1 using 1:(sel("spow-fast", ff, p)) with linespoints ls 3 title "spow-fast"'
        }
        cmd = cmd . sprintf(', "" every ::1 using 1:(sel("%s", ff, p)) with linespoints ls 4 title "%s"', gesdd, gesdd)
        cmd = cmd . sprintf(', "" every ::1 using 1:(sel("%s", ff, p)) with linespoints ls 5 title "%s"', syevd, syevd)
        if (pi < 3) {
            cmd = cmd . ', "" every ::1 using 1:(sel("ns-coupled", ff, p)) with linespoints ls 6 title "ns-coupled"'
        } else {
            cmd = cmd . ', "" every ::1 using 1:(sel("muon-quintic", ff, p)) with linespoints ls 7 title "muon-quintic"'
        }
        eval cmd
    }
}
unset multiplot
