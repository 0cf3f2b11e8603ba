#!/usr/bin/env bash
# index_badinput.sh — bad input never stops a run: invalid UTF-8, binary and
# empty files, a 50 MB single line, odd file names, very long paths, symlink
# loops, fifos, a gzip bomb, a truncated PDF, broken HTML, files removed
# while the walk runs. Each is indexed (repaired), skipped or reported as a
# failure; a failure is remembered and skipped on the next run.
set -u
K=${KENSAKU_INDEX:?set KENSAKU_INDEX to the kensaku-index binary}
FIX=${FIXTURES:-$(dirname "$0")/../../fixtures}/indexer
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
passed=0 failed=0
check() {
  if "${@:2}"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi
}
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2"; }
counts_are() {
  local got
  got="$(field added "$1") $(field updated "$1") $(field removed "$1") $(field unchanged "$1") $(field failed "$1") $(field skipped "$1")"
  [ "$got" = "$2" ] || { echo "  counts: got '$got', want '$2'" >&2; return 1; }
}
termfreq() {
  xapian-delve -t "$2" "$1" 2>/dev/null | sed -n 's/.*(termfreq \([0-9]*\),.*/\1/p' | grep . || echo 0
}
has_term() { [ "$(termfreq "$1" "$2")" -gt 0 ]; }
run() {
  out=$("$K" "$@" 2>"$T/stderr"); status=$?
  err=$(cat "$T/stderr")
}

DB=$T/db
D=$T/docs
mkdir -p "$D"
printf 'valid start \xff\xfe\xc3 broken bytes then mooring lines\n' > "$D/invalid-utf8.txt"
head -c 4096 /dev/urandom > "$D/random.bin"
printf '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00' > "$D/program"
: > "$D/empty.txt"
printf '   \n\n\t  \n' > "$D/blank.txt"
printf 'newline in the name: capstan\n' > "$D/odd
name.txt"
printf 'invalid bytes in the name: windlass\n' > "$D/bad$(printf '\xff\xfe')name.txt"
cp "$FIX/harbour-truncated.pdf" "$D/truncated.pdf"
cp "$FIX/harbour.pdf" "$D/good.pdf"
cp "$FIX/broken.html" "$D/broken.html"
cp "$FIX/truncated.txt.gz" "$D/truncated.txt.gz"
mkfifo "$D/a-fifo"
mkdir -p "$D/loop"
ln -s .. "$D/loop/up"
ln -s nowhere "$D/dangling"
# A path far over Xapian's 245-byte term limit.
long=$D/$(printf 'a%.0s' $(seq 1 120))/$(printf 'b%.0s' $(seq 1 120))
mkdir -p "$long"
printf 'deep file about bollards\n' > "$long/$(printf 'c%.0s' $(seq 1 100)).txt"
# A gzip bomb: 100 MB of one letter in a small file, over the size limit.
head -c 100000000 /dev/zero | tr '\0' 'w' | gzip -1 > "$D/bomb.txt.gz"
# A 50 MB file of one line (over the 40 MB limit of this run: skipped
# unread), and a 5 MB one (indexed: cut into passages at word boundaries).
head -c 50000000 /dev/zero | tr '\0' 'z' > "$D/one-line-50M.txt"
head -c 5000000 /dev/zero | tr '\0' 'z' | sed 's/zzzzzzzzz/rope knot /g' > "$D/one-line-5M.txt"

run --db "$DB" --json --verbose --max-size 40M "$D"
check "bad input is not fatal: exit 1 for the failures" [ "$status" -eq 1 ]
check "the truncated PDF is reported by path" grep -q 'failed .*truncated.pdf: PDF' <<<"$err"
check "the truncated gzip is reported by path" grep -q 'failed .*truncated.txt.gz: gzip' <<<"$err"
check "two failures" [ "$(field failed "$out")" -eq 2 ]
# added: invalid-utf8, odd name, bad name, good.pdf, broken.html, deep, 5M line
check "repaired and odd files are indexed" [ "$(field added "$out")" -eq 7 ]
# skipped: random.bin, program, empty, blank, bomb, 50M line
check "binary, empty and oversized files are skipped" [ "$(field skipped "$out")" -eq 6 ]
check "the 50 MB line is reported as too large" grep -q 'skipped .*one-line-50M.txt: larger than the size limit' <<<"$err"
check "invalid UTF-8 is repaired around" has_term "$DB" mooring
check "a newline in a name" has_term "$DB" capstan
check "invalid bytes in a name" has_term "$DB" windlass
check "names are escaped in messages" grep -q 'odd\\nname.txt' <<<"$err"
check "broken HTML is repaired" has_term "$DB" harbour
check "a good PDF" has_term "$DB" lanterns
check "a very long path" has_term "$DB" bollards
check "the 5 MB line is indexed" has_term "$DB" knot
check "the symlink loop was not followed forever" [ "$status" -ne 124 ]

run --db "$DB" --json
check "the next run exits 0" [ "$status" -eq 0 ]
check "remembered failures and skips are skipped, nothing re-read" counts_are "$out" "0 0 0 7 0 8"
check "and not reported again" bash -c '! grep -q failed <<<"$0"' "$(grep -v '0 failed' <<<"$err")"

run --db "$DB" --json --max-size 40M --retry-failed
check "--retry-failed tries them again" [ "$(field failed "$out")" -eq 2 ]
check "--retry-failed exit 1" [ "$status" -eq 1 ]

cp "$FIX/harbour.pdf" "$D/truncated.pdf"
run --db "$DB" --json --max-size 40M
check "a failed file that changes is retried" [ "$(field added "$out")" -eq 1 ]
check "and the fixed one is fine" [ "$status" -eq 0 ]

run --db "$DB" --status
check "--status lists the remembered failure" grep -q 'truncated.txt.gz: gzip' <<<"$out"

# Files removed while the walk runs: the run goes on, the next one cleans up.
R=$T/racing
mkdir -p "$R"
for i in $(seq 1 1000); do printf 'race file %d with words\n' "$i" > "$R/f$i.txt"; done
"$K" --db "$T/race-db" --quiet "$R" &
pid=$!
for i in $(seq 1 2 1000); do rm -f "$R/f$i.txt"; done
wait "$pid"
status=$?
check "files vanishing mid-walk are not fatal" [ "$status" -eq 0 ]
run --db "$T/race-db" --json
check "the next run is clean" [ "$status" -eq 0 ]
check "exactly the remaining files are indexed" bash -c \
  '[ "$(xapian-delve "$0" | sed -n "s/^number of documents = //p")" -eq 500 ]' "$T/race-db"

# --max-size skips large files without reading them.
run --db "$T/small-db" --json --max-size 1K "$D"
check "--max-size skips the large files unread" [ "$(field skipped "$out")" -eq 7 ]

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
