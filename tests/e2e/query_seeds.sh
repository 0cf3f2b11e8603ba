#!/usr/bin/env bash
# query_seeds.sh — kensaku on the shared seed corpus (real news articles):
# stemmed forms highlighted, NOT per file, a phrase, counts that agree.
set -u
: "${KENSAKU:?}" "${KENSAKU_INDEX:?}"
if [ -z "${SEEDS:-}" ] || [ ! -d "$SEEDS" ]; then
    echo "SKIPPED: the seed corpus (../shared/corpus/seeds) is absent"
    echo "0 passed, 0 failed"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $*" >&2; fi; }

db="$work/db"
"$KENSAKU_INDEX" --db "$db" --quiet "$SEEDS" || { echo "0 passed, 1 failed"; exit 1; }
k() { "$KENSAKU" --db "$db" --color=never "$@"; }

# "abduction" finds and highlights "abducted".
k --json -n 20 abduction >"$work/abduction"
ok python3 -c '
import json, sys
hits = [json.loads(l) for l in open(sys.argv[1]) if "\"hit\"" in l]
marked = [h["snippet"].encode()[a:b].decode() for h in hits for a, b in h["highlights"]]
assert "abducted" in marked and "abduction" in marked, marked
' "$work/abduction"

# sanctions -Stockholm: no file that mentions Stockholm anywhere.
k -l -- sanctions -Stockholm >"$work/not"
k -l Stockholm >"$work/stockholm"
ok test -s "$work/not"
ok bash -c "! grep -qxFf '$work/stockholm' '$work/not'"
k -l sanctions >"$work/sanctions"
ok test "$(wc -l <"$work/sanctions")" -eq $(($(wc -l <"$work/not") + $(grep -cxFf "$work/stockholm" "$work/sanctions")))

# "Camp David": the phrase, highlighted as one span.
k --json '"Camp David"' >"$work/camp"
ok python3 -c '
import json, sys
hits = [json.loads(l) for l in open(sys.argv[1]) if "\"hit\"" in l]
assert hits
for h in hits:
    marked = [h["snippet"].encode()[a:b].decode() for a, b in h["highlights"]]
    assert marked and all(m == "Camp David" for m in marked), marked
' "$work/camp"

# A phrase's JSON total (counted from the same search as its hits) agrees
# with -c and -l, and its hits are one per file, best first.
for phrase in '"Camp David"' '"the United States"' '"prime minister" OR Kishida'; do
    k --json -n 1000 "$phrase" >"$work/phrase"
    ok python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
hits = [r for r in rows if r["type"] == "hit"]
summary = rows[-1]
assert summary["type"] == "summary" and summary["total"] == len(hits) == int(sys.argv[2]), (summary, len(hits), sys.argv[2])
assert len({h["path"] for h in hits}) == len(hits)
assert all(a["score"] >= b["score"] for a, b in zip(hits, hits[1:]))
' "$work/phrase" "$(k -c "$phrase")"
    ok test "$(k -c "$phrase")" -eq "$(k -l -n 1000 "$phrase" | wc -l)"
    ok test "$(k --json -n 2 --offset 1 "$phrase" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" -eq "$(k -c "$phrase")"
done

# -c agrees with -l, and with grep over the files for a plain word.
ok test "$(k -c Kishida)" -eq "$(k -l -n 1000 Kishida | wc -l)"
ok test "$(k -c Pyongyang)" -eq "$(grep -li pyongyang "$SEEDS"/* | wc -l)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
