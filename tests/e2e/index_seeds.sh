#!/usr/bin/env bash
# index_seeds.sh — kensaku-index over the shared seed articles: every file
# indexed in passages with their words, stems and spelling, a re-run reads
# nothing, and --status agrees with the database. Skipped (and says so) when
# ../shared/corpus/seeds is absent.
set -u
K=${KENSAKU_INDEX:?set KENSAKU_INDEX to the kensaku-index binary}
SEEDS=${SEEDS:-$(dirname "$0")/../../../shared/corpus/seeds}
if [ ! -d "$SEEDS" ]; then
  echo "SKIPPED: the seed corpus is absent ($SEEDS)"
  echo "0 passed, 0 failed"
  exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0 failed=0
check() {
  if "${@:2}"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi
}
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2"; }
termfreq() {
  xapian-delve -t "$2" "$1" 2>/dev/null | sed -n 's/.*(termfreq \([0-9]*\),.*/\1/p' | grep . || echo 0
}
DB=$T/db
files=$(find "$SEEDS" -type f ! -name '.*' | wc -l)
out=$("$K" --db "$DB" --json "$SEEDS")
check "the seeds index cleanly" [ $? -eq 0 ]
check "every seed file is added" [ "$(field added "$out")" -eq "$files" ]
passages=$(field passages "$out")
check "each file is cut into several passages" [ "$passages" -gt "$files" ]
docs=$(xapian-delve "$DB" | sed -n 's/^number of documents = //p')
check "one document per passage" [ "$docs" -eq "$passages" ]
check "stems are indexed" [ "$(termfreq "$DB" Zabduct)" -gt 0 ]
check "the unstemmed form too" [ "$(termfreq "$DB" abductions)" -gt 0 ] || [ "$(termfreq "$DB" abduction)" -gt 0 ]
check "apostrophes are normalised (Kishida's is found as kishida)" [ "$(termfreq "$DB" kishida)" -gt 0 ]
out=$("$K" --db "$DB" --json)
check "a re-run reads nothing" [ "$(field unchanged "$out")" -eq "$files" ] && [ "$(field passages "$out")" -eq 0 ]
status=$("$K" --db "$DB" --status --json)
check "--status counts the files" grep -q "\"indexed\":$files" <<<"$status"
check "--status counts the passages" grep -q "\"passages\":$passages" <<<"$status"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
