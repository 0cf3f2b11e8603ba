# bench/plot.gp — the charts of bench/run.sh: kensaku beside its peers on one corpus set
# (bench-comparison.png) and how index and query cost grow with corpus size
# (bench-scaling.png).  bench/run.sh writes the data files and calls:
#   gnuplot -e "datadir='DIR'; outdir='DIR'; setname='kdoc'; indextools='kensaku omindex';
#               querytools='kensaku omindex rg'" bench/plot.gp
# comparison.dat: tool cold_s index_mb compacted_mb query_median_ms query_p95_ms rss_mb mb_per_s
# scaling-TOOL.dat: scale corpus_mb cold_s query_median_ms index_mb
# "-" marks a figure a tool does not have (ripgrep builds no index).

set terminal pngcairo size 1280,860 font "sans,10"
set datafile missing "-"
set style fill solid 0.75 border -1
set grid ytics
set key below horizontal
set yrange [0:*]
stats datadir.'/comparison.dat' using 0 nooutput
set xrange [-0.6:STATS_records - 0.4]
set xtics nomirror noenhanced
set title noenhanced
set key noenhanced
cmp = datadir.'/comparison.dat'
fmtv(x) = (x >= 100) ? sprintf("%.0f", x) : (x >= 10) ? sprintf("%.1f", x) : sprintf("%.2f", x)

set output outdir.'/bench-comparison.png'
set multiplot layout 2,2 title sprintf("kensaku and its peers on the %s corpus (medians; lower is better)", setname) noenhanced
set boxwidth 0.6

set title "cold index: wall seconds"
plot cmp using 0:2:xtic(1) with boxes lc rgb "#4477aa" notitle, \
     ''  using 0:2:(fmtv($2)) with labels offset 0,0.8 notitle

set title "index size on disk, MB"
set boxwidth 0.35
plot cmp using 0:(NaN):xtic(1) with points notitle, \
     ''  using ($0-0.18):3 with boxes lc rgb "#4477aa" title "as built", \
     ''  using ($0+0.18):4 with boxes lc rgb "#88ccee" title "after xapian-compact", \
     ''  using ($0-0.18):3:(fmtv($3)) with labels offset 0,0.8 notitle

set title "query, one process each (snippets where the tool makes them): ms"
plot cmp using 0:(NaN):xtic(1) with points notitle, \
     ''  using ($0-0.18):5 with boxes lc rgb "#228833" title "median", \
     ''  using ($0+0.18):6 with boxes lc rgb "#99cc77" title "p95", \
     ''  using ($0-0.18):5:(fmtv($5)) with labels offset 0,0.8 notitle

set title "cold index: peak RSS, MB"
set boxwidth 0.6
plot cmp using 0:7:xtic(1) with boxes lc rgb "#aa3377" notitle, \
     ''  using 0:7:(fmtv($7)) with labels offset 0,0.8 notitle
unset multiplot

if (strlen(querytools) > 0) {
  set output outdir.'/bench-scaling.png'
  set terminal pngcairo size 1280,520 font "sans,10"
  set multiplot layout 1,2 title "cost against corpus size (1x, 2x, 4x copies of the set)" noenhanced
  set xlabel "corpus MB"
  set xrange [0:*]
  set xtics autofreq
  set title "cold index: wall seconds"
  set key inside top left vertical
  plot for [t in indextools] datadir.'/scaling-'.t.'.dat' using 2:3 with linespoints lw 2 pt 7 title t
  set title "query, one process each: median ms (log scale)"
  set logscale y
  set yrange [*:*]
  plot for [t in querytools] datadir.'/scaling-'.t.'.dat' using 2:4 with linespoints lw 2 pt 7 title t
  unset multiplot
}
