#!/usr/bin/env bash
# bench/eval.sh — relevance of kensaku's ranking on a judged collection, beside the baselines.
#
# usage: bench/eval.sh [--baselines] [--run FILE] [COLLECTION_DIR]
#   COLLECTION_DIR  a collection in ../shared/eval's uniform format: docs/<id>.txt,
#                   queries.tsv (qid<TAB>query), qrels.tsv (default ../shared/eval/cranfield)
#   --baselines     re-run ../shared/eval/baselines/run_all.sh for the baseline rows instead
#                   of taking them from ../shared/eval/README.md's table
#   --run FILE      keep kensaku's TREC run in FILE
#   --update-docs   also write the table into docs/BENCHMARKS.md (between its eval markers)
# Indexes COLLECTION_DIR/docs with kensaku-index into a temporary database, runs every query
# through `kensaku --batch --any --json -n 100`, writes a TREC run (docid = file name without
# .txt, each file once, in kensaku's order) and scores it with ../shared/eval/score.py:
# MAP, nDCG@10, P@10, R@100.
# Env: KENSAKU_INDEX, KENSAKU  binaries to use (default: a Release build in build/bench)
#      KENSAKU_ARGS            extra arguments for kensaku (e.g. "--per-file 1 --literal")
#      INDEX_ARGS              extra arguments for kensaku-index (e.g. "--lang english")
#      DEPTH                   hits per query (default 100)
#      PY                      python for score.py (default /usr/bin/python3)
set -euo pipefail
export LC_ALL=C.UTF-8
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

baselines=readme run_out="" coll="" update_docs=0
while [ $# -gt 0 ]; do
  case $1 in
  --baselines) baselines=rerun ;;
  --run) run_out=${2:?--run needs a file}; shift ;;
  --update-docs) update_docs=1 ;;
  --help | -h) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  -*) die "unknown option $1 (see --help)" ;;
  *) [ -z "$coll" ] || die "one collection at a time"; coll=$1 ;;
  esac
  shift
done
coll=${coll:-$SHARED/eval/cranfield}
[ -d "$coll/docs" ] && [ -f "$coll/queries.tsv" ] && [ -f "$coll/qrels.tsv" ] ||
  die "$coll is not a collection: it needs docs/, queries.tsv and qrels.tsv"
coll=$(cd "$coll" && pwd)
name=$(basename "$coll")
PY=${PY:-/usr/bin/python3}
DEPTH=${DEPTH:-100}
[ -x "$PY" ] || die "$PY is needed to score the run (score.py)"
read -r -a kensaku_args <<< "${KENSAKU_ARGS:-}"
read -r -a index_args <<< "${INDEX_ARGS:-}"
build_kensaku

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/db

log "indexing $coll/docs"
t0=$EPOCHREALTIME st=0
"$KENSAKU_INDEX" --db "$db" --quiet "${index_args[@]}" "$coll/docs" > "$tmp/index.log" 2>&1 || st=$?
t1=$EPOCHREALTIME
if [ "$st" -gt 1 ]; then cat "$tmp/index.log" >&2; die "kensaku-index failed with status $st"; fi
[ "$st" = 0 ] || log "kensaku-index: some files failed (status 1): $(head -c 300 "$tmp/index.log")"

query_cmd=("$KENSAKU" --db "$db" --batch --any --json -n "$DEPTH" "${kensaku_args[@]}")
log "running $(wc -l < "$coll/queries.tsv") queries: $(shjoin "${query_cmd[@]}")"
st=0
"${query_cmd[@]}" < "$coll/queries.tsv" > "$tmp/hits.jsonl" 2> "$tmp/query.log" || st=$?
t2=$EPOCHREALTIME
if [ "$st" -gt 1 ]; then
  head -n 20 "$tmp/query.log" >&2
  [ -s "$tmp/hits.jsonl" ] || die "kensaku --batch failed with status $st"
  log "kensaku --batch ended with status $st: queries without output count as 0"
fi

# JSON Lines -> TREC run: docid is the file name without .txt; a file appears once per
# query (its first, best-ranked hit), ranks renumbered in kensaku's order.
"$PY" - "$tmp/hits.jsonl" "$tmp/run.txt" > "$tmp/convert.txt" <<'EOF'
import base64, json, os, sys
src, dst = sys.argv[1], sys.argv[2]
seen, rank, queries, bad = set(), {}, set(), 0
with open(src, encoding='utf-8') as f, open(dst, 'w', encoding='utf-8') as out:
    for line in f:
        try:
            o = json.loads(line)
        except ValueError:
            bad += 1
            continue
        qid = str(o.get('query_id', ''))
        if o.get('type') == 'summary':
            queries.add(qid)
        if o.get('type') != 'hit':
            continue
        path = o.get('path')
        if path is None:
            path = os.fsdecode(base64.b64decode(o['path_bytes']))
        doc = os.path.basename(path)
        doc = doc[:-4] if doc.endswith('.txt') else doc
        if (qid, doc) in seen:
            continue
        seen.add((qid, doc))
        rank[qid] = rank.get(qid, 0) + 1
        out.write('%s Q0 %s %d %s kensaku\n' % (qid, doc, rank[qid], repr(float(o['score']))))
print(len(queries), len(rank), bad)
EOF
read -r nsummaries nanswered nbad < "$tmp/convert.txt"
[ -z "$run_out" ] || cp "$tmp/run.txt" "$run_out"

score() { "$PY" "$SHARED/eval/score.py" "$coll/qrels.tsv" "$@" | awk '$1 ~ /^(MAP|nDCG@10|P@10|R@100)$/ { printf "%s ", $2 } END { print "" }'; }
by_score=$(score "$tmp/run.txt")
by_rank=$(score "$tmp/run.txt" --use-rank)
scored=$("$PY" "$SHARED/eval/score.py" "$coll/qrels.tsv" "$tmp/run.txt" | awk '$1 == "queries" { print $2 }')

row() { # LABEL "MAP nDCG P R"
  local m n p r
  read -r m n p r <<< "$2"
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$m" "$n" "$p" "$r"
}

baseline_rows() {
  if [ "$baselines" = rerun ]; then
    log "running the baselines ($SHARED/eval/baselines/run_all.sh)"
    sh "$SHARED/eval/baselines/run_all.sh" "$coll" "$tmp/baseline-runs" 2> "$tmp/baselines.log" |
      awk '/^== / { name = $2; next } $1 ~ /^(MAP|nDCG@10|P@10|R@100)$/ { v[name] = v[name] " " $2 }
           END { for (n in v) { split(v[n], a, " "); printf "| %s (re-run now) | %s | %s | %s | %s |\n", n, a[1], a[2], a[3], a[4] } }' |
      sort
  else
    awk -F'|' -v c="$name" '{ for (i = 2; i < NF; i++) gsub(/^ +| +$/, "", $i) }
      $2 == c && NF >= 8 { printf "| %s (eval/README.md) | %s | %s | %s | %s |\n", $3, $4, $5, $6, $7 }' "$SHARED/eval/README.md"
  fi
}
rows=$(baseline_rows) || true
if [ "$baselines" = rerun ] && [ -z "$rows" ]; then cat "$tmp/baselines.log" >&2; die "the baselines did not run"; fi

{
  echo "Collection $name: $(find "$coll/docs" -type f | wc -l) documents, $(wc -l < "$coll/queries.tsv") queries, $scored of them with relevant documents (scored)."
  echo "kensaku indexed it in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s and answered the queries in $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", b - a }') s; $nanswered queries had hits$([ "$nsummaries" = "$(grep -c . "$coll/queries.tsv")" ] || echo ", only $nsummaries queries ended with a summary line")$([ "$nbad" = 0 ] || echo ", $nbad output lines were not JSON")."
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'); query command: \`kensaku --db DB $(shjoin "${query_cmd[@]:3}")\` with queries.tsv on stdin."
  echo
  echo "| system | MAP | nDCG@10 | P@10 | R@100 |"
  echo "|---|---|---|---|---|"
  row "kensaku (score order, trec_eval ties)" "$by_score"
  [ "$by_rank" = "$by_score" ] || row "kensaku (its printed order)" "$by_rank"
  if [ -n "$rows" ]; then
    printf '%s\n' "$rows"
    best=$(printf '%s\n' "$rows" | awk -F'|' '{ gsub(/ /, "", $3); if ($3 + 0 > b) b = $3 + 0 } END { printf "%.4f", b }')
    echo
    echo "MAP against the best baseline ($best): $(awk -v k="${by_score%% *}" -v b="$best" 'BEGIN { printf "%+.4f", k - b }')" \
      "(differences of about 0.01 are within noise for a collection of this size)."
  else
    echo
    echo "(no baseline figures for $name in $SHARED/eval/README.md: use --baselines)"
  fi
} > "$tmp/report.md"
cat "$tmp/report.md"

if [ "$update_docs" = 1 ]; then
  md=$ROOT/docs/BENCHMARKS.md begin='<!-- bench/eval.sh: begin -->' end='<!-- bench/eval.sh: end -->'
  if grep -qF "$begin" "$md" 2> /dev/null && grep -qF "$end" "$md"; then
    awk -v b="$begin" -v e="$end" -v rep="$tmp/report.md" '
      $0 == b { print; while ((getline l < rep) > 0) print l; skip = 1; next }
      $0 == e { skip = 0 } !skip' "$md" > "$md.tmp" && mv "$md.tmp" "$md"
    log "table written into $md"
  else
    log "$md has no eval markers: not updated"
  fi
fi
