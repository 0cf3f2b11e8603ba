#!/usr/bin/env bash
# bench/run.sh — kensaku against its peers on the same corpus, in one run, on this machine.
#
# Builds (or reuses) the corpora with ../shared/bench/make-corpus.sh, builds kensaku in
# Release (build/bench), then for each corpus set measures kensaku-index + kensaku and the
# peers — omindex + quest (Xapian's omega), SQLite FTS5 through the sqlite3 shell, recoll,
# ripgrep without an index — alternating the tools run by run:
#   cold index wall and CPU seconds, input MB/s, peak RSS, index size (and after
#   xapian-compact), re-run over the unchanged tree, re-run after touching 1% of the files,
#   per-process query latency (a fresh process per query, median and p95 over the query
#   set), batch queries/s, and text/ analysis MB/s on one core (bench-analyse);
# then index and query cost at 1x, 2x, 4x the kdoc set (copies under other names).
# Prints a markdown table with ratios against each peer, keeps the raw data, draws PNG
# charts (bench/plot.gp) and writes the table into docs/BENCHMARKS.md.
#
# usage: bench/run.sh [--quick | --render RESULTS_DIR | --help]   (options are environment)
#   CORPUS       corpus root holding the sets (default $HOME/kensaku-corpus; built when absent)
#   SETS         sets to compare (default "kdoc kjv multi"; any folder under CORPUS works
#                with QUERIES set)
#   SCALES       corpus multiples for the scaling figures (default "1 2 4"; "1" = none)
#   SCALE_SET    the set that is scaled (default kdoc)
#   RUNS         runs of each index measurement (default 3)
#   QRUNS        timed processes per query (default 5, plus one warm-up)
#   BATCH_N      queries in the batch measurement (default 2000)
#   TOOLS        tools to measure (default "kensaku omindex fts5 rg recoll"); absent peers
#                are skipped and say so
#   SKIP_PEERS   peers to leave out, or "all"
#   SCALE_PEERS  peers measured at every scale too (default "omindex fts5 rg")
#   QUERIES      one query file for every set (default ../shared/bench/queries*.txt by set)
#   BENCH_WORK   work folder: corpus copies, databases, results (default build/bench-work)
#   RESULTS      where this run's table, raw data and charts go (default BENCH_WORK/results/DATE)
#   DOCS         where the charts and BENCHMARKS.md live (default docs/)
#   UPDATE_DOCS  1 (default): copy the charts to DOCS and put the table in DOCS/BENCHMARKS.md
#   NO_DEPS=1    do not run scripts/deps --bench (which installs the peers)
#   KENSAKU_INDEX, KENSAKU  use these binaries instead of building (BENCH_BUILD, BUILD_JOBS
#                set the build folder and parallelism otherwise); BENCH_ANALYSE likewise
# --quick is RUNS=1 QRUNS=2 BATCH_N=200 SETS=kdoc SCALES=1 UPDATE_DOCS=0; --render prints
# the report of an earlier run again and redraws its charts (and docs, with UPDATE_DOCS=1).
set -euo pipefail
export LC_ALL=C.UTF-8
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

RENDER_FROM=""
case "${1:-}" in
--help | -h) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
--render) RENDER_FROM=${2:?--render needs a results folder}
          [ -f "$RENDER_FROM/run.env" ] || die "$RENDER_FROM holds no finished run (run.env)" ;;
--quick) : "${RUNS:=1}" "${QRUNS:=2}" "${BATCH_N:=200}" "${SETS:=kdoc}" "${SCALES:=1}" "${UPDATE_DOCS:=0}" ;;
"") ;;
*) echo "usage: bench/run.sh [--quick | --render RESULTS_DIR | --help]; options are environment variables" >&2; exit 2 ;;
esac

CORPUS=${CORPUS:-$HOME/kensaku-corpus}
SETS=${SETS:-kdoc kjv multi}
SCALES=${SCALES:-1 2 4}
SCALE_SET=${SCALE_SET:-kdoc}
RUNS=${RUNS:-3}
QRUNS=${QRUNS:-5}
BATCH_N=${BATCH_N:-2000}
TOOLS=${TOOLS:-kensaku omindex fts5 rg recoll}
SKIP_PEERS=${SKIP_PEERS:-}
SCALE_PEERS=${SCALE_PEERS:-omindex fts5 rg}
WORK=${BENCH_WORK:-$ROOT/build/bench-work}
DOCS=${DOCS:-$ROOT/docs}
UPDATE_DOCS=${UPDATE_DOCS:-1}
STAMP=$(date +%Y%m%d-%H%M%S)
R=${RENDER_FROM:-${RESULTS:-$WORK/results/$STAMP}}
mkdir -p "$WORK" "$R"
WORK=$(cd "$WORK" && pwd) R=$(cd "$R" && pwd)
SUMMARY=$R/summary.tsv CMD_LOG=$R/cmd.log COMMANDS=$R/commands.txt
if [ -z "$RENDER_FROM" ]; then : > "$SUMMARY"; : > "$CMD_LOG"; : > "$COMMANDS"; : > "$R/notes.txt"; fi
TOUCH_BASE=$(date -d 2024-01-01T00:00:00Z +%s)
LOAD_START=$(load_now)

put() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$SUMMARY"; } # set scale tool key value
note() { printf '%s\n' "$*" >> "$R/notes.txt"; log "$*"; }

# ---------------------------------------------------------------------------------------
# The tools: how each is checked, prepared, run and sized.

tool_available() {
  case $1 in
  kensaku) return 0 ;;
  omindex) have omindex && have quest ;;
  fts5) have sqlite3 && sqlite3 :memory: \
          "CREATE VIRTUAL TABLE t USING fts5(x); SELECT count(*) FROM fsdir('/dev/null');" > /dev/null 2>&1 ;;
  rg) have rg ;;
  recoll) have recollindex && have recollq ;;
  *) return 1 ;;
  esac
}
has_index() { [ "$1" != rg ]; }
has_rerun() { [ "$1" != rg ]; }
has_batch() { [ "$1" = kensaku ] || [ "$1" = fts5 ]; }
is_xapian() { [ "$1" = kensaku ] || [ "$1" = omindex ] || [ "$1" = recoll ]; }

# db_of TOOL: where TOOL's database lives in this job ($W)
db_of() {
  case $1 in
  fts5) echo "$W/db/fts5.sqlite" ;;
  recoll) echo "$W/db/recoll" ;;
  *) echo "$W/db/$1" ;;
  esac
}
# the folder or file whose size is the index size
index_path() { if [ "$1" = recoll ]; then echo "$W/db/recoll/xapiandb"; else db_of "$1"; fi; }

prepare_cold() { # TOOL ROOT: remove the database before a cold run
  local db
  db=$(db_of "$1")
  rm -rf "$db"
  if [ "$1" = recoll ]; then
    mkdir -p "$db"
    printf 'topdirs = %s\nindexstemminglanguages = english\nnoaspell = 1\nloglevel = 1\n' \
      "$2" > "$db/recoll.conf"
  fi
}

# FTS5 through the sqlite3 shell alone: its fsdir() walks the tree and reads the files.
# One row per file, porter + unicode61 as ../shared/bench/tools/fts5_index.py, mtime kept
# so that a re-run replaces only what changed (the shell's own incremental update).
write_fts5_sql() { # ROOT
  local root=${1//\'/\'\'}
  cat > "$W/fts5-cold.sql" <<EOF
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, mtime UNINDEXED, body, tokenize='porter unicode61');
BEGIN;
INSERT INTO docs(path, mtime, body)
  SELECT name, mtime, CAST(data AS TEXT) FROM fsdir('$root') WHERE mode & 61440 = 32768;
COMMIT;
INSERT INTO docs(docs) VALUES('optimize');
EOF
  cat > "$W/fts5-rerun.sql" <<EOF
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
BEGIN;
CREATE TEMP TABLE disk AS SELECT name, mtime FROM fsdir('$root') WHERE mode & 61440 = 32768;
CREATE INDEX temp.disk_name ON disk(name);
CREATE TEMP TABLE old AS SELECT rowid AS id, path, mtime FROM docs;
CREATE INDEX temp.old_path ON old(path);
DELETE FROM docs WHERE rowid IN
  (SELECT o.id FROM old o LEFT JOIN disk d ON d.name = o.path WHERE d.name IS NULL OR d.mtime <> o.mtime);
INSERT INTO docs(path, mtime, body)
  SELECT name, mtime, CAST(readfile(name) AS TEXT) FROM disk
  WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.path = disk.name AND o.mtime = disk.mtime);
COMMIT;
EOF
}

index_cmd() { # TOOL cold|rerun ROOT -> CMD
  local db
  db=$(db_of "$1")
  case $1 in
  kensaku) CMD=("$KENSAKU_INDEX" --db "$db" --json --quiet "$3") ;;
  omindex) CMD=(omindex --db "$db" --url / -e index)
           if [ "$2" = cold ]; then CMD+=(--overwrite); fi
           CMD+=("$3") ;;
  fts5) CMD=(sqlite3 -bail "$db" ".read \"$W/fts5-$2.sql\"") ;;
  recoll) CMD=(recollindex -c "$db")
          if [ "$2" = cold ]; then CMD+=(-z); fi ;;
  esac
}
index_ok() { # TOOL STATUS: kensaku-index's 1 means "done, some files failed"
  [ "$2" = 0 ] || { [ "$1" = kensaku ] && [ "$2" = 1 ]; }
}

query_cmd() { # TOOL ROOT QUERY -> CMD (top 10, snippets where the tool makes them)
  local db q=$3 w words
  db=$(db_of "$1")
  case $1 in
  kensaku) CMD=("$KENSAKU" --db "$db" -n 10 --color=never -- "$q") ;;
  omindex) CMD=(quest -d "$db" -o and -m 10 -- "$q") ;;
  fts5) CMD=(sqlite3 "$db" "SELECT path, snippet(docs, 2, '[', ']', '...', 16) FROM docs WHERE docs MATCH '${q//\'/\'\'}' ORDER BY rank LIMIT 10;") ;;
  recoll) CMD=(recollq -c "$db" -n 10 -A "$q") ;;
  rg) # no index: files holding any of the words or quoted phrases, case-insensitive
    if w=$(printf '%s\n' "$q" | xargs -n 1 printf '%s\n' 2> /dev/null); then
      mapfile -t words <<< "$w"
    else # unbalanced quotes: plain words
      read -r -a words <<< "$q"
    fi
    CMD=(rg -i -l -F)
    for w in "${words[@]}"; do CMD+=(-e "$w"); done
    CMD+=(-- "$2") ;;
  esac
}
query_ok() { # TOOL STATUS: grep-like tools say 1 for "nothing found"
  case $1 in kensaku | rg) [ "$2" -le 1 ] ;; *) [ "$2" = 0 ] ;; esac
}

batch_cmd() { # TOOL -> CMD and STDIN_FILE
  local db
  db=$(db_of "$1")
  case $1 in
  kensaku) CMD=("$KENSAKU" --db "$db" --batch --json -n 10); STDIN_FILE=$W/batch.kensaku.tsv ;;
  fts5) CMD=(sqlite3 "$db" ".read \"$W/batch.fts5.sql\""); STDIN_FILE=/dev/null ;;
  esac
}

# ---------------------------------------------------------------------------------------
# Corpus: the shared sets, and private copies (so touching files never alters the corpus
# others use; scale N holds N copies under other names).

ensure_set() { # SET
  local d=$CORPUS/$1
  if [ -d "$d" ] && [ -n "$(find "$d" -type f -print -quit)" ]; then return 0; fi
  case $1 in
  kdoc | kjv | multi)
    log "building corpus set $1 under $CORPUS"
    bash "$SHARED/bench/make-corpus.sh" "$CORPUS" "$1" >&2 ;;
  *) die "corpus set $d does not exist (only kdoc, kjv and multi can be built)" ;;
  esac
}

tree_signature() { find "$1" -type f -printf '%P %s\n' | LC_ALL=C sort | cksum; }

prepare_copies() { # SRC DEST N
  local src=$1 dest=$2 n=$3 sig i
  sig="$(tree_signature "$src") x$n"
  if [ -d "$dest" ] && [ -f "$dest.sig" ] && [ "$(cat "$dest.sig")" = "$sig" ]; then return 0; fi
  log "copying $src into $dest ($n copies)"
  rm -rf "$dest" "$dest.sig"
  mkdir -p "$dest"
  for ((i = 1; i <= n; i++)); do cp -a "$src" "$dest/copy$i"; done
  printf '%s\n' "$sig" > "$dest.sig"
}

queries_for() { # SET
  if [ -n "${QUERIES:-}" ]; then echo "$QUERIES"; return; fi
  case $1 in
  kdoc) echo "$SHARED/bench/queries.txt" ;;
  kjv) echo "$SHARED/bench/queries-kjv.txt" ;;
  multi) echo "$SHARED/bench/queries-multi.txt" ;;
  *) if [ -f "$CORPUS/$1.queries" ]; then echo "$CORPUS/$1.queries"; else die "no queries for set $1: set QUERIES"; fi ;;
  esac
}

# ---------------------------------------------------------------------------------------
# Phases.  Each appends raw lines "wall cpu rss status" to RAW/TOOL.PHASE.tsv and
# summary rows for the table.

run_timed() { # TOOL PHASE RUN: time CMD (with STDIN) and say whether it succeeded
  local f=$RAW/$1.$2.tsv st
  measure "$f" "$RAW/$1.$2.$3.log" "${CMD[@]}"
  st=$(tail -n 1 "$f" | cut -d' ' -f4)
  if [ "$2" = batch ]; then query_ok "$1" "$st" && return 0; else index_ok "$1" "$st" && return 0; fi
  note "$JOB: $1 $2 run $3 failed with status $st (log: $RAW/$1.$2.$3.log)"
  sed -i '$ s/$/ failed/' "$f"
  return 1
}

summarise_phase() { # TOOL PHASE PREFIX: medians of the successful runs, in one pass
  local f=$RAW/$1.$2.tsv
  [ -f "$f" ] || return 0
  awk -v pre="$SET\t$SCALE\t$1\t$3" '
    function sort(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x } }
    function med(a, n) { sort(a, n); return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { total++ } NF == 4 { n++; w[n] = $1 + 0; c[n] = $2 + 0; if ($3 != "-") { m++; r[m] = $3 + 0 } }
    END {
      print pre "_runs\t" n + 0 "/" total
      if (!n) exit
      print pre "\t" med(w, n); print pre "_min\t" w[1]; print pre "_max\t" w[n]
      print pre "_cpu\t" med(c, n)
      if (m) print pre "_rss\t" med(r, m)
    }' "$f" >> "$SUMMARY"
}

phase_cold() {
  local r t
  for ((r = 1; r <= RUNS; r++)); do
    for t in "${INDEXERS[@]}"; do
      prepare_cold "$t" "$ROOT_DIR"
      index_cmd "$t" cold "$ROOT_DIR"
      [ "$r" = 1 ] && echo "$JOB $t cold index: $(shjoin "${CMD[@]}")" >> "$COMMANDS"
      log "$JOB: $t cold index, run $r/$RUNS"
      run_timed "$t" cold "$r" || true
    done
  done
  for t in "${INDEXERS[@]}"; do
    summarise_phase "$t" cold cold
    local w
    w=$(awk -F'\t' -v s="$SET" -v x="$SCALE" -v t="$t" '$1 == s && $2 == x && $3 == t && $4 == "cold" { print $5 }' "$SUMMARY")
    if [ -n "$w" ]; then
      put "$SET" "$SCALE" "$t" mbps "$(awk -v b="$BYTES" -v w="$w" 'BEGIN { if (w > 0) printf "%.2f", b / 1e6 / w }')"
    fi
  done
}

phase_sizes() {
  local t p
  for t in "${INDEXERS[@]}"; do
    p=$(index_path "$t")
    [ -e "$p" ] || continue
    put "$SET" "$SCALE" "$t" size_mb "$(du -sb "$p" | awk '{ printf "%.2f", $1 / 1e6 }')"
    if is_xapian "$t" && have xapian-compact; then
      rm -rf "$W/compact.tmp"
      if xapian-compact "$p" "$W/compact.tmp" >> "$CMD_LOG" 2>&1; then
        put "$SET" "$SCALE" "$t" compact_mb "$(du -sb "$W/compact.tmp" | awk '{ printf "%.2f", $1 / 1e6 }')"
      else
        note "$JOB: xapian-compact failed on $t's database (see $CMD_LOG)"
      fi
      rm -rf "$W/compact.tmp"
    fi
  done
  return 0
}

phase_reruns() {
  local r t files touched_list
  files=$W/files.txt touched_list=$W/touched.txt
  find "$ROOT_DIR" -type f | LC_ALL=C sort > "$files"
  awk 'NR % 100 == 1' "$files" > "$touched_list"
  put "$SET" "$SCALE" _set touched "$(wc -l < "$touched_list")"
  for ((r = 1; r <= RUNS; r++)); do
    for t in "${RERUNNERS[@]}"; do
      index_cmd "$t" rerun "$ROOT_DIR"
      [ "$r" = 1 ] && echo "$JOB $t re-run: $(shjoin "${CMD[@]}")" >> "$COMMANDS"
      log "$JOB: $t re-run over the unchanged tree, run $r/$RUNS"
      run_timed "$t" rerun "$r" || true
    done
  done
  # 1% touched: every tool sees the same new mtime, later in every run
  local stamps=$W/mtimes.txt
  while IFS= read -r f; do printf '%s\t%s\n' "$(stat -c %.9Y "$f")" "$f"; done < "$touched_list" > "$stamps"
  for ((r = 1; r <= RUNS; r++)); do
    while IFS= read -r f; do touch -d "@$((TOUCH_BASE + r * 60))" "$f"; done < "$touched_list"
    for t in "${RERUNNERS[@]}"; do
      index_cmd "$t" rerun "$ROOT_DIR"
      log "$JOB: $t re-run after touching 1% of the files, run $r/$RUNS"
      run_timed "$t" touch "$r" || true
    done
  done
  while IFS=$'\t' read -r m f; do touch -d "@$m" "$f"; done < "$stamps"
  for t in "${RERUNNERS[@]}"; do
    summarise_phase "$t" rerun noop
    summarise_phase "$t" touch touch
  done
}

phase_queries() {
  local qfile i=0 q t st csv out
  qfile=$(queries_for "$SET")
  mapfile -t QLIST < <(grep -v '^[[:space:]]*$' "$qfile")
  put "$SET" "$SCALE" _set queries "${#QLIST[@]}"
  echo "$JOB queries: $qfile" >> "$COMMANDS"
  for t in "${QUERIERS[@]}"; do mkdir -p "$RAW/q.$t"; : > "$RAW/q.$t.tsv"; done
  for q in "${QLIST[@]}"; do
    i=$((i + 1))
    log "$JOB: query $i/${#QLIST[@]}: $q"
    for t in "${QUERIERS[@]}"; do
      query_cmd "$t" "$ROOT_DIR" "$q"
      [ $i = 1 ] && echo "$JOB $t query: $(shjoin "${CMD[@]}")" >> "$COMMANDS"
      out=$RAW/q.$t/$i.out csv=$RAW/q.$t/$i.csv st=0
      "${CMD[@]}" > "$out" 2>&1 < /dev/null || st=$?
      if query_ok "$t" "$st"; then
        time_process "$csv" "$QRUNS" "${CMD[@]}"
        printf '%s\t%s\t%s\t%s\n' "$i" "$(csv_median_ms "$csv")" "$st" "$(wc -l < "$out")" >> "$RAW/q.$t.tsv"
      else
        printf '%s\t-\t%s\t%s\n' "$i" "$st" "$(wc -l < "$out")" >> "$RAW/q.$t.tsv"
        note "$JOB: $t failed query $i ($q) with status $st: $(head -c 200 "$out" | tr '\n' ' ')"
      fi
    done
  done
  for t in "${QUERIERS[@]}"; do
    put "$SET" "$SCALE" "$t" q_med "$(awk -F'\t' '$2 != "-" { print $2 }' "$RAW/q.$t.tsv" | median)"
    put "$SET" "$SCALE" "$t" q_p95 "$(awk -F'\t' '$2 != "-" { print $2 }' "$RAW/q.$t.tsv" | p95)"
    put "$SET" "$SCALE" "$t" q_fail "$(awk -F'\t' '$2 == "-"' "$RAW/q.$t.tsv" | wc -l)"
  done
}

phase_batch() {
  local r t n=0 q
  : > "$W/batch.kensaku.tsv"; : > "$W/batch.fts5.sql"
  while ((n < BATCH_N)); do
    for q in "${QLIST[@]}"; do
      ((n < BATCH_N)) || break
      n=$((n + 1))
      printf '%s\t%s\n' "$n" "$q" >> "$W/batch.kensaku.tsv"
      printf "SELECT path, snippet(docs, 2, '[', ']', '...', 16) FROM docs WHERE docs MATCH '%s' ORDER BY rank LIMIT 10;\n" \
        "${q//\'/\'\'}" >> "$W/batch.fts5.sql"
    done
  done
  for ((r = 1; r <= RUNS; r++)); do
    for t in "${BATCHERS[@]}"; do
      batch_cmd "$t"
      [ "$r" = 1 ] && echo "$JOB $t batch: $(shjoin "${CMD[@]}") < $STDIN_FILE" >> "$COMMANDS"
      log "$JOB: $t batch of $BATCH_N queries, run $r/$RUNS"
      STDIN=$STDIN_FILE run_timed "$t" batch "$r" || true
    done
  done
  for t in "${BATCHERS[@]}"; do
    summarise_phase "$t" batch batch
    put "$SET" "$SCALE" "$t" batch_qps "$(awk -v n="$BATCH_N" 'NF == 4 && $1 > 0 { print n / $1 }' "$RAW/$t.batch.tsv" | median)"
    put "$SET" "$SCALE" "$t" batch_cpu_ms "$(awk -v n="$BATCH_N" 'NF == 4 { print $2 * 1000 / n }' "$RAW/$t.batch.tsv" | median)"
  done
}

phase_analyse() {
  [ -n "${BENCH_ANALYSE:-}" ] || return 0
  local r mode key
  echo "$JOB analysis: $(shjoin "$BENCH_ANALYSE" "$ROOT_DIR") (and with --icu-only)" >> "$COMMANDS"
  for mode in full icu; do
    key=analyse_mbps
    [ "$mode" = icu ] && key=analyse_icu_mbps
    : > "$RAW/$key.txt"
    for ((r = 1; r <= RUNS; r++)); do
      log "$JOB: bench-analyse ($mode), run $r/$RUNS"
      if [ "$mode" = icu ]; then CMD=("$BENCH_ANALYSE" --icu-only "$ROOT_DIR"); else CMD=("$BENCH_ANALYSE" "$ROOT_DIR"); fi
      if ! "${CMD[@]}" > "$RAW/analyse.$mode.$r.log" 2>&1; then
        note "$JOB: bench-analyse failed (see $RAW/analyse.$mode.$r.log)"
        break
      fi
      grep -oE '[0-9]+(\.[0-9]+)? *MB/s' "$RAW/analyse.$mode.$r.log" | tail -n 1 | grep -oE '^[0-9.]+' >> "$RAW/$key.txt" || true
    done
    if [ -s "$RAW/$key.txt" ]; then put "$SET" "$SCALE" _set "$key" "$(median < "$RAW/$key.txt")"; fi
  done
  return 0
}

# ---------------------------------------------------------------------------------------
# One job: a set at a scale, "full" (every figure) or "scale" (cold index, size, queries).

run_job() { # SET SCALE MODE
  SET=$1 SCALE=$2
  local mode=$3 t
  JOB=$SET-${SCALE}x
  ROOT_DIR=$WORK/data/$JOB W=$WORK/run/$JOB RAW=$R/raw/$JOB
  prepare_copies "$CORPUS/$SET" "$ROOT_DIR" "$SCALE"
  rm -rf "$W"; mkdir -p "$W/db" "$RAW"
  local tools=()
  for t in $ACTIVE; do
    if [ "$mode" = full ] || [ "$t" = kensaku ] || [[ " $SCALE_PEERS " = *" $t "* ]]; then tools+=("$t"); fi
  done
  INDEXERS=() RERUNNERS=() QUERIERS=() BATCHERS=()
  for t in "${tools[@]}"; do
    QUERIERS+=("$t")
    has_index "$t" && INDEXERS+=("$t")
    has_rerun "$t" && RERUNNERS+=("$t")
    has_batch "$t" && BATCHERS+=("$t")
  done
  put "$SET" "$SCALE" _set tools "${tools[*]}"
  FILES=$(find "$ROOT_DIR" -type f | wc -l)
  BYTES=$(find "$ROOT_DIR" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  put "$SET" "$SCALE" _set files "$FILES"
  put "$SET" "$SCALE" _set mb "$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')"
  put "$SET" "$SCALE" _set load_start "$(load_now)"
  log "$JOB ($mode): $FILES files, $BYTES bytes in $ROOT_DIR; tools: ${tools[*]}; load $(load_now)"
  find "$ROOT_DIR" -type f -print0 | xargs -0 cat > /dev/null # warm the page cache
  write_fts5_sql "$ROOT_DIR"
  phase_cold
  phase_sizes
  if [ -f "$RAW/kensaku.cold.$RUNS.log" ]; then
    t=$(grep -oE '"passages": *[0-9]+' "$RAW/kensaku.cold.$RUNS.log" | grep -oE '[0-9]+$' | tail -n 1 || true)
    [ -n "$t" ] && put "$SET" "$SCALE" kensaku passages "$t"
  fi
  [ "$mode" = full ] && phase_reruns
  phase_queries
  if [ "$mode" = full ]; then
    phase_batch
    [ "$SCALE" = 1 ] && phase_analyse
  fi
  put "$SET" "$SCALE" _set load_end "$(load_now)"
}

# ---------------------------------------------------------------------------------------
# The report: markdown tables from summary.tsv, charts, BENCHMARKS.md.

render() {
  awk -F'\t' -v sets="$SETS" -v scaleset="$SCALE_SET" -v scales="$SCALE_LIST" -v order="$ACTIVE" -v runs="$RUNS" -v qruns="$QRUNS" -v batchn="$BATCH_N" '
    { v[$1 SUBSEP $2 SUBSEP $3 SUBSEP $4] = $5 }
    function g(s, x, t, k) { return ((s SUBSEP x SUBSEP t SUBSEP k) in v) ? v[s SUBSEP x SUBSEP t SUBSEP k] : "" }
    function num(a) { return a ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
    function f(a,   d) {
      if (!num(a)) return "–"
      a += 0; d = (a >= 100) ? 0 : (a >= 10) ? 1 : (a >= 1) ? 2 : 3
      return sprintf("%." d "f", a)
    }
    function ratio(k, p, low,   r) { # how many times better kensaku is than this peer
      if (!num(k) || !num(p) || k + 0 <= 0 || p + 0 <= 0) return ""
      r = low ? p / k : k / p
      return " ×" ((r >= 10) ? sprintf("%.0f", r) : (r >= 1) ? sprintf("%.1f", r) : sprintf("%.2g", r))
    }
    function cell(s, x, t, key, low, spread,   a, c) {
      a = g(s, x, t, key); c = f(a)
      if (spread && num(g(s, x, t, key "_min")) && g(s, x, t, key "_min") != g(s, x, t, key "_max"))
        c = c " (" f(g(s, x, t, key "_min")) "–" f(g(s, x, t, key "_max")) ")"
      if (t != "kensaku" && num(a)) c = c ratio(g(s, x, "kensaku", key), a, low)
      return c
    }
    function has(s, x, t) { return index(" " g(s, x, "_set", "tools") " ", " " t " ") > 0 }
    function label(t) {
      if (t == "kensaku") return "kensaku"
      if (t == "omindex") return "omindex + quest"
      if (t == "fts5") return "SQLite FTS5 (sqlite3 shell)"
      if (t == "rg") return "ripgrep (no index)"
      if (t == "recoll") return "recollindex + recollq -A"
      return t
    }
    END {
      ns = split(sets, S, " "); nt = split(order, T, " "); nx = split(scales, X, " ")
      for (i = 1; i <= ns; i++) {
        s = S[i]
        if (g(s, 1, "_set", "files") == "") continue
        printf "### %s: %s files, %s MB\n\n", s, g(s, 1, "_set", "files"), g(s, 1, "_set", "mb")
        printf "Load average at start %s, at end %s. Each figure the median of %s run%s, (min–max) when they differ.\n\n", g(s, 1, "_set", "load_start"), g(s, 1, "_set", "load_end"), runs, (runs == 1 ? "" : "s")
        print "| tool | cold index s | CPU s | MB/s | peak RSS MB | index MB | compacted MB | re-run, no change, s | re-run, 1% touched (" g(s, 1, "_set", "touched") (g(s, 1, "_set", "touched") == 1 ? " file" : " files") "), s |"
        print "|---|---|---|---|---|---|---|---|---|"
        for (j = 1; j <= nt; j++) {
          t = T[j]
          if (!has(s, 1, t) || t == "rg") continue
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label(t),
            cell(s, 1, t, "cold", 1, 1), cell(s, 1, t, "cold_cpu", 1, 0), cell(s, 1, t, "mbps", 0, 0),
            cell(s, 1, t, "cold_rss", 1, 0), cell(s, 1, t, "size_mb", 1, 0), cell(s, 1, t, "compact_mb", 1, 0),
            cell(s, 1, t, "noop", 1, 1), cell(s, 1, t, "touch", 1, 1)
        }
        printf "\n%s queries, each a fresh process timed %s times after a warm-up; median and p95 over the queries of each query'"'"'s median. Batch: %s queries in one process.\n\n", g(s, 1, "_set", "queries"), qruns, batchn
        print "| tool | query median ms | query p95 ms | failed queries | batch queries/s | batch CPU ms/query |"
        print "|---|---|---|---|---|---|"
        for (j = 1; j <= nt; j++) {
          t = T[j]
          if (!has(s, 1, t)) continue
          printf "| %s | %s | %s | %s | %s | %s |\n", label(t), cell(s, 1, t, "q_med", 1, 0), cell(s, 1, t, "q_p95", 1, 0),
            g(s, 1, t, "q_fail") "/" g(s, 1, "_set", "queries"), cell(s, 1, t, "batch_qps", 0, 0), cell(s, 1, t, "batch_cpu_ms", 1, 0)
        }
        extra = ""
        if (num(g(s, 1, "kensaku", "passages"))) extra = extra sprintf("kensaku stored %s passages. ", g(s, 1, "kensaku", "passages"))
        if (num(g(s, 1, "_set", "analyse_mbps")))
          extra = extra sprintf("text/ analysis alone (decode, segment, normalise, stem; bench-analyse, one core): %s MB/s%s. ", f(g(s, 1, "_set", "analyse_mbps")),
            num(g(s, 1, "_set", "analyse_icu_mbps")) ? sprintf("; ICU'"'"'s word break iterator alone: %s MB/s", f(g(s, 1, "_set", "analyse_icu_mbps"))) : "")
        if (extra != "") print "\n" extra
        print ""
      }
      if (nx > 1 && g(scaleset, 1, "_set", "files") != "") {
        s = scaleset
        sc = ""; for (k = 1; k <= nx; k++) sc = sc (k > 1 ? ", " : "") X[k] "×"
        printf "### Scaling: %s at %s\n\n", s, sc
        print "(×N) after a figure: that figure divided by the same tool'"'"'s figure at 1×."
        print ""
        print "| tool | scale | files | MB | cold index s | MB/s | index MB | query median ms | query p95 ms |"
        print "|---|---|---|---|---|---|---|---|---|"
        for (j = 1; j <= nt; j++) {
          t = T[j]
          scaled = 0
          for (k = 1; k <= nx; k++) if (X[k] != 1 && has(s, X[k], t)) scaled = 1
          if (!scaled) continue
          for (k = 1; k <= nx; k++) {
            x = X[k]
            if (!has(s, x, t)) continue
            printf "| %s | %s× | %s | %s | %s | %s | %s | %s | %s |\n", label(t), x, g(s, x, "_set", "files"), g(s, x, "_set", "mb"),
              grow(s, x, t, "cold"), f(g(s, x, t, "mbps")), grow(s, x, t, "size_mb"), grow(s, x, t, "q_med"), grow(s, x, t, "q_p95")
          }
        }
        print ""
      }
    }
    function grow(s, x, t, key,   a, b) {
      a = g(s, x, t, key); b = g(s, 1, t, key)
      if (x == 1 || !num(a) || !num(b) || b + 0 <= 0) return f(a)
      return f(a) sprintf(" (×%.1f)", a / b)
    }
  ' "$SUMMARY"
}

chart_data() {
  local s=$1 t
  : > "$R/comparison.dat"
  for t in $ACTIVE; do
    awk -F'\t' -v s="$s" -v t="$t" '
      $1 == s && $2 == 1 && $3 == t { v[$4] = $5 }
      $1 == s && $2 == 1 && $3 == "_set" && $4 == "tools" { if (index(" " $5 " ", " " t " ")) on = 1 }
      function o(k) { return (k in v) ? v[k] : "-" }
      END { if (on) print t, o("cold"), o("size_mb"), o("compact_mb"), o("q_med"), o("q_p95"), o("cold_rss"), o("mbps") }' \
      "$SUMMARY" >> "$R/comparison.dat"
  done
  for t in $ACTIVE; do
    awk -F'\t' -v s="$SCALE_SET" -v t="$t" '
      $1 == s && $3 == t { v[$2, $4] = $5; x[$2] = 1 } $1 == s && $3 == "_set" && $4 == "mb" { mb[$2] = $5 }
      function o(a, k) { return ((a, k) in v) ? v[a, k] : "-" }
      END { for (a in x) print a, mb[a], o(a, "cold"), o(a, "q_med"), o(a, "size_mb") }' "$SUMMARY" |
      sort -n > "$R/scaling-$t.dat"
    [ -s "$R/scaling-$t.dat" ] || rm -f "$R/scaling-$t.dat"
  done
}

charts() {
  have gnuplot || { note "gnuplot is not installed: no charts"; return 0; }
  local first=${SETS%% *} indextools="" querytools="" t f
  if [[ " $SETS " = *" kdoc "* ]]; then first=kdoc; fi
  chart_data "$first"
  for t in $ACTIVE; do # a line needs two points at least
    f=$R/scaling-$t.dat
    [ -s "$f" ] || continue
    if [ "$(awk '$3 != "-"' "$f" | wc -l)" -gt 1 ]; then indextools+="${indextools:+ }$t"; fi
    if [ "$(awk '$4 != "-"' "$f" | wc -l)" -gt 1 ]; then querytools+="${querytools:+ }$t"; fi
  done
  gnuplot -e "datadir='$R'; outdir='$R'; setname='$first'; indextools='$indextools'; querytools='$querytools'" \
    "$BENCH_DIR/plot.gp" >> "$CMD_LOG" 2>&1 || note "gnuplot failed (see $CMD_LOG)"
}

update_docs() {
  [ "$UPDATE_DOCS" = 1 ] || return 0
  mkdir -p "$DOCS"
  local p
  for p in bench-comparison.png bench-scaling.png; do [ -f "$R/$p" ] && cp "$R/$p" "$DOCS/$p"; done
  local md=$DOCS/BENCHMARKS.md begin='<!-- bench/run.sh: begin -->' end='<!-- bench/run.sh: end -->'
  if [ -f "$md" ] && grep -qF "$begin" "$md" && grep -qF "$end" "$md"; then
    awk -v b="$begin" -v e="$end" -v rep="$R/report.md" '
      $0 == b { print; while ((getline l < rep) > 0) print l; skip = 1; next }
      $0 == e { skip = 0 } !skip' "$md" > "$md.tmp" && mv "$md.tmp" "$md"
    log "table written into $md"
  else
    note "$md has no '$begin' / '$end' markers: table not written there"
  fi
}

# ---------------------------------------------------------------------------------------

write_report() {
  local first_job
  {
    echo "Measured $MEASURED on $MACHINE."
    echo "Load average at start of the run: $LOAD_START; at the end: $LOAD_END (other work shares these cores)."
    echo
    echo "Command: \`$COMMAND_LINE\`"
    echo
    echo "×N beside a peer's figure: how many times better kensaku is on that figure (faster, smaller,"
    echo "more throughput); below ×1 the peer is better."
    echo
    render
    echo "Commands (first set; the others differ only in paths and queries):"
    echo
    first_job=$(head -n 1 "$COMMANDS" | cut -d' ' -f1)
    grep "^$first_job " "$COMMANDS" | cut -d' ' -f2- | sed 's/^/    /'
    echo
    echo "Versions:"
    echo
    sed 's/^/    /' "$R/versions.txt"
    if [ -s "$R/notes.txt" ]; then echo; echo "Notes:"; echo; sed 's/^/- /' "$R/notes.txt"; fi
  } > "$R/report.md"
}

publish() { # the report, charts and docs from what R holds
  write_report
  charts
  update_docs
  cat "$R/report.md"
  echo
  echo "Raw data: $R (summary.tsv, raw/, commands.txt, cmd.log$( [ -f "$R/bench-comparison.png" ] && echo ', bench-comparison.png')$( [ -f "$R/bench-scaling.png" ] && echo ', bench-scaling.png'))"
}

main() {
  log "bench/run.sh: load average at start $LOAD_START; results in $R"
  if [ "${NO_DEPS:-0}" != 1 ]; then
    "$ROOT/scripts/deps" --bench || log "scripts/deps --bench failed; absent peers will be skipped"
  fi
  ACTIVE=""
  local t
  for t in $TOOLS; do
    if [ "$t" != kensaku ]; then
      if [ "$SKIP_PEERS" = all ] || [[ " $SKIP_PEERS " = *" $t "* ]]; then note "$t skipped (SKIP_PEERS)"; continue; fi
      if ! tool_available "$t"; then note "$t skipped: not installed"; continue; fi
    fi
    ACTIVE+="${ACTIVE:+ }$t"
  done
  [ -n "$ACTIVE" ] || die "nothing to measure"
  if [[ " $ACTIVE " = *" kensaku "* ]]; then
    build_kensaku
    { printf 'kensaku: '; "$KENSAKU" --version 2>&1 | head -n 1; } > "$R/versions.txt" || true
  else
    : > "$R/versions.txt"
  fi
  dpkg-query -W -f='${Package} ${Version}\n' xapian-omega xapian-tools libxapian30 sqlite3 ripgrep \
    recollcmd hyperfine gnuplot-nox 2> /dev/null | awk 'NF == 2' >> "$R/versions.txt" || true
  mkdir -p "$CORPUS"; CORPUS=$(cd "$CORPUS" && pwd)
  local s x scale_mode="" v
  for s in $SETS; do ensure_set "$s"; done
  SCALE_LIST=""
  for x in $SCALES; do SCALE_LIST+="${SCALE_LIST:+ }$x"; done
  if [ "$SCALE_LIST" != 1 ] && [ -n "$SCALE_LIST" ]; then
    ensure_set "$SCALE_SET"
    [[ " $SETS " = *" $SCALE_SET "* ]] || scale_mode=yes
    [[ " $SCALE_LIST " = *" 1 "* ]] || SCALE_LIST="1 $SCALE_LIST"
  else
    SCALE_LIST=1
  fi
  COMMAND_LINE=$(for v in CORPUS SETS SCALES RUNS QRUNS BATCH_N TOOLS SKIP_PEERS; do
    if [ -n "${!v}" ]; then printf '%s=%s ' "$v" "$(shq "${!v}")"; fi; done)bench/run.sh
  for s in $SETS; do run_job "$s" 1 full; done
  if [ -n "$scale_mode" ]; then run_job "$SCALE_SET" 1 scale; fi
  for x in $SCALE_LIST; do [ "$x" = 1 ] || run_job "$SCALE_SET" "$x" scale; done

  MEASURED=$(date -u '+%Y-%m-%d %H:%M UTC') MACHINE=$(machine_summary) LOAD_END=$(load_now)
  declare -p SETS SCALE_SET SCALE_LIST ACTIVE RUNS QRUNS BATCH_N LOAD_START LOAD_END MEASURED MACHINE \
    COMMAND_LINE > "$R/run.env"
  publish
  ln -sfn "$R" "$WORK/results/latest" 2> /dev/null || true
  log "done; load average $(load_now)"
}

if [ -n "$RENDER_FROM" ]; then
  # shellcheck source=/dev/null
  . "$R/run.env"
  publish
else
  main
fi
