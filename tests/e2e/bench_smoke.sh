#!/usr/bin/env bash
# tests/e2e/bench_smoke.sh — keeps the benchmark and relevance harness from rotting:
# bench/run.sh on a tiny generated corpus (one run of everything, 1x and 2x, peers that
# are not installed skipped) and bench/eval.sh on a tiny generated collection.  It checks
# that each produced its table, never a timing.
# Env (from ctest): KENSAKU_INDEX, KENSAKU, SOURCE_DIR.
set -uo pipefail
export LC_ALL=C.UTF-8
SOURCE_DIR=${SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${KENSAKU_INDEX:?KENSAKU_INDEX must name the kensaku-index binary}"
: "${KENSAKU:?KENSAKU must name the kensaku binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { # NAME COMMAND...
  if "${@:2}"; then passed=$((passed + 1)); echo "ok: $1"
  else failed=$((failed + 1)); echo "FAIL: $1"; fi
}

# A corpus of 40 small files drawn from a fixed vocabulary by a fixed generator, so the
# queries below always find something.
make_corpus() { # DIR FILES
  mkdir -p "$1/sub"
  awk -v dir="$1" -v n="$2" 'BEGIN {
    split("ledger lantern harbour orchard compass meadow quarry signal timber furnace " \
          "ferry granite willow beacon pulley saddle thimble copper kettle glacier " \
          "the a of and to in is with for on", w, " ")
    seed = 12345
    for (f = 1; f <= n; f++) {
      path = sprintf("%s/%sdoc%02d.txt", dir, (f % 3 ? "" : "sub/"), f)
      for (p = 1; p <= 4; p++) {
        line = ""
        for (k = 1; k <= 40; k++) {
          seed = (seed * 1103515245 + 12345) % 2147483648
          line = line (k > 1 ? " " : "") w[1 + int(seed / 65536) % 30]
        }
        print line ".\n" > path
      }
      if (f % 4 == 0) print "the copper kettle sat by the harbour lantern.\n" > path
      close(path)
    }
  }'
}

mkdir -p "$tmp/corpus"
make_corpus "$tmp/corpus/tiny" 40
printf '%s\n' lantern 'copper kettle' '"harbour lantern"' 'glacier OR quarry' > "$tmp/queries.txt"

NO_DEPS=1 CORPUS=$tmp/corpus SETS=tiny SCALE_SET=tiny SCALES="1 2" RUNS=1 QRUNS=1 BATCH_N=20 \
  QUERIES=$tmp/queries.txt BENCH_WORK=$tmp/work RESULTS=$tmp/results DOCS=$tmp/docs UPDATE_DOCS=0 \
  SCALE_PEERS="fts5 rg" SKIP_PEERS=recoll \
  bash "$SOURCE_DIR/bench/run.sh" > "$tmp/run.md" 2> "$tmp/run.log"
status=$?
check "bench/run.sh exits 0" test "$status" = 0
[ "$status" = 0 ] || tail -n 30 "$tmp/run.log"
check "the report is kept in the results folder" test -s "$tmp/results/report.md"
check "the index table has a kensaku row" grep -qE '^\| kensaku \| [0-9]' "$tmp/run.md"
check "the query table has a kensaku row" grep -qE '^\| kensaku \| [0-9.]+ \| [0-9.]+ \| 0/4 \|' "$tmp/run.md"
check "the scaling table has kensaku at 2x" grep -qE '^\| kensaku \| 2× \| 80 \|' "$tmp/run.md"
check "the commands are recorded" grep -q 'kensaku cold index: ' "$tmp/results/commands.txt"
UPDATE_DOCS=0 bash "$SOURCE_DIR/bench/run.sh" --render "$tmp/results" > "$tmp/render.md" 2>> "$tmp/run.log"
check "--render prints the same tables again" diff -q <(grep '^|' "$tmp/run.md") <(grep '^|' "$tmp/render.md")
for peer in omindex fts5 rg; do
  if grep -q "^$peer skipped" "$tmp/results/notes.txt"; then
    echo "skip: $peer is not installed"
  else
    case $peer in
    omindex) row='omindex \+ quest' ;; fts5) row='SQLite FTS5' ;; rg) row='ripgrep' ;;
    esac
    check "the table has a $peer row" grep -qE "^\| $row" "$tmp/run.md"
  fi
done

# Relevance: three documents, two queries, judgments; eval.sh needs Debian's python3 and
# ../shared/eval/score.py.
score_py=$SOURCE_DIR/../shared/eval/score.py
if [ ! -f "$score_py" ]; then
  echo "skip: $score_py is absent, bench/eval.sh not run"
elif [ -x /usr/bin/python3 ]; then
  coll=$tmp/coll
  mkdir -p "$coll/docs"
  printf 'copper kettles\nA kettle made of copper heats water on the furnace.\n' > "$coll/docs/d1.txt"
  printf 'harbour lights\nThe lantern at the harbour guides the ferry home.\n' > "$coll/docs/d2.txt"
  printf 'granite quarry\nStone from the quarry is cut into granite blocks.\n' > "$coll/docs/d3.txt"
  printf '1\tcopper kettle\n2\tharbour lantern ferry\n' > "$coll/queries.tsv"
  printf '1\td1\t2\n2\td2\t1\n2\td3\t0\n' > "$coll/qrels.tsv"
  bash "$SOURCE_DIR/bench/eval.sh" --run "$tmp/eval-run.txt" "$coll" > "$tmp/eval.md" 2> "$tmp/eval.log"
  status=$?
  check "bench/eval.sh exits 0" test "$status" = 0
  [ "$status" = 0 ] || tail -n 30 "$tmp/eval.log"
  check "eval prints kensaku's scores" grep -qE '^\| kensaku .*\| [01]\.[0-9]{4} \| [01]\.[0-9]{4} \| [01]\.[0-9]{4} \| [01]\.[0-9]{4} \|' "$tmp/eval.md"
  check "eval writes a TREC run, the copper document first" grep -qE '^1 Q0 d1 1 ' "$tmp/eval-run.txt"
else
  echo "skip: /usr/bin/python3 is absent, bench/eval.sh not run"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
