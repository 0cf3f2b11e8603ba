#!/usr/bin/env bash
# query_basics.sh — kensaku end to end on fixtures/query/corpus: the query
# language, matching per file, every output format, exit statuses, errors
# and their hints, batch mode.
set -u
: "${KENSAKU:?}" "${KENSAKU_INDEX:?}" "${FIXTURES:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# check NAME EXPECTED-STATUS COMMAND... — run, keep stdout/stderr, check status.
check() {
    local name=$1 want=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then pass; else
        fail "$name: exit $got, expected $want"; sed 's/^/  | /' "$work/err" >&2; fi
}
# has NAME FILE PATTERN — FILE matches the extended regex PATTERN.
has() { if grep -Eq -- "$3" "$2"; then pass; else fail "$1: no /$3/ in $2"; sed 's/^/  | /' "$2" >&2; fi; }
lacks() { if grep -Eq -- "$3" "$2"; then fail "$1: /$3/ in $2"; sed 's/^/  | /' "$2" >&2; else pass; fi; }
lines() { local n; n=$(wc -l <"$2"); if [ "$n" -eq "$3" ]; then pass; else fail "$1: $n lines, expected $3"; sed 's/^/  | /' "$2" >&2; fi; }

corpus="$work/corpus"
cp -r "$FIXTURES/query/corpus" "$corpus"
db="$work/db"
if ! "$KENSAKU_INDEX" --db "$db" --quiet "$corpus" 2>"$work/index.err"; then
    cat "$work/index.err" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
k() { "$KENSAKU" --db "$db" --color=never "$@"; }

# --- words, stems, phrases, operators
check "stemmed word" 0 k -l planting
has "stem finds planted" "$work/out" "kitchen\.txt$"
has "stem finds plant" "$work/out" "garden\.md$"
check "highlight of a stemmed form" 0 k --json planting
has "planted is highlighted" "$work/out" '"highlights":\[\['
check "all words per file, spread over passages" 0 k -l gulls charts
lines "gulls charts: one file" "$work/out" 1
check "but not within one passage" 1 k '"gulls charts"' OR 'gulls NEAR/50 charts'
check "NOT drops every file with the word" 0 k -l -- garden -bread
lacks "no kitchen for garden -bread" "$work/out" "kitchen"
has "garden.md stays" "$work/out" "garden\.md"
check "phrase" 0 k -l '"compost heap"'
lines "phrase: one file" "$work/out" 1
check "phrase split over two arguments" 0 k -l '"compost' 'heap"'
lines "joined arguments are one phrase" "$work/out" 1
check "phrase words not adjacent" 1 k '"heap compost"'
check "OR" 0 k -l bread OR lighthouse
lines "bread OR lighthouse: two files" "$work/out" 2
check "--any" 0 k -l --any bread lighthouse
lines "--any: two files" "$work/out" 2
check "NEAR" 0 k -l 'lamp NEAR/2 failed'
lines "NEAR: one file" "$work/out" 1
check "NEAR too far" 1 k 'bread NEAR/1 crust'
check "prefix" 0 k -l 'lightho*'
has "prefix finds lighthouse" "$work/out" "harbour"
check "hyphenated word" 0 k -l 'forest-floor'
lines "hyphenated word is a phrase" "$work/out" 1
check "hyphenated word not as a phrase" 1 k 'forest-floor-rubbish'
check "stray punctuation is no error" 0 k -l 'bread , ; &'

# --- filters
check "ext filter" 0 k -l 'ext:md garden'
lines "ext:md: one file" "$work/out" 1
check "path filter, relative" 0 bash -c "cd '$corpus' && '$KENSAKU' --db '$db' -l 'path:travel harbour'"
has "path:travel" "$work/out" "travel/harbour"
check "path filter excludes" 1 k "path:$corpus/travel" bread
check "after: today's files match" 0 k -c 'after:2000-01-01' bread
check "before: no file is that old" 1 k 'before:2000-01-01' bread

# --- Unicode
check "CJK substring through bigrams" 0 k --json 'システム管理'
has "CJK highlight is one span" "$work/out" '"highlights":\[\[[0-9]+,[0-9]+\]\]'
has "CJK file" "$work/out" "kyoto\.txt"
check "accents folded" 0 k -l eleve
has "eleve finds L'élève" "$work/out" "lettres\.txt"
check "one CJK character" 0 k -l '茶'

# --- output formats
check "count" 0 k -c bread OR garden
has "count is a number" "$work/out" '^2$'
check "null-separated" 0 k -0 garden
if tr '\0' '\n' <"$work/out" | grep -q 'garden\.md$' && [ "$(tr -cd '\0' <"$work/out" | wc -c)" -ge 1 ]; then pass; else fail "-0 output"; fi
check "json lines" 0 k --json -n 3 the
if python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines[-1]["type"] == "summary" and lines[-1]["hits"] == len(lines) - 1
for h in lines[:-1]:
    assert h["type"] == "hit" and h["path"].startswith("/") and h["line"] >= 1
    s = h["snippet"].encode()
    for a, b in h["highlights"]:
        assert 0 <= a < b <= len(s)
' "$work/out"; then pass; else fail "json lines are not what DESIGN.md says"; fi
check "per-file 2" 0 k --json --per-file 2 -n 10 the
if python3 -c '
import json, sys, collections
hits = [json.loads(l) for l in open(sys.argv[1])][:-1]
c = collections.Counter(h["path"] for h in hits)
assert max(c.values()) == 2, c
' "$work/out"; then pass; else fail "--per-file 2 gives two passages of a file"; fi
check "limit and offset" 0 k -l -n 1 --offset 1 the
lines "offset 1 limit 1: one path" "$work/out" 1
check "offset past the end still found" 0 k -l --offset 50 the
lines "offset past the end prints nothing" "$work/out" 0
check "human output" 0 k -n 1 lighthouse
has "path:line: header" "$work/out" "^$corpus/travel/harbour\.txt:[0-9]+: "
check "colour on request" 0 "$KENSAKU" --db "$db" --color=always lighthouse
has "ANSI highlight" "$work/out" $'\033\\[1;31m'
check "NO_COLOR with auto" 0 env NO_COLOR=1 "$KENSAKU" --db "$db" --color=auto lighthouse
lacks "no ANSI" "$work/out" $'\033'

# --- nothing found, errors
check "nothing found" 1 k xylophone
check "did you mean" 1 k harbuor
has "suggestion on stderr" "$work/err" "did you mean: harbour"
check "suggestion in json" 1 k --json harbuor
has "summary suggestion" "$work/out" '"suggestion":"harbour"'
check "syntax error" 2 k 'garden AND (bread'
has "caret" "$work/err" '^ +\^$'
has "column and expectation" "$work/err" "column 18: expected '\)'"
check "literal mode" 0 k -l --literal 'garden AND (bread'
check "unknown -word option" 2 k garden -bread
has "hint about --" "$work/err" "kensaku \[OPTIONS\] -- "
check "-- ends options" 0 k -l -- garden -bread
check "no query" 2 k
check "only punctuation" 2 k ', ;'
check "missing database" 2 "$KENSAKU" --db "$work/nothing-here" garden
has "how to create one" "$work/err" "kensaku-index --db $work/nothing-here"
check "not a database" 2 "$KENSAKU" --db "$corpus" garden
has "says there is none" "$work/err" "no kensaku database in $corpus"
# A database of another schema version: made with Xapian's Python bindings
# when they are installed (Debian's python3-xapian).
if /usr/bin/python3 -c 'import xapian' 2>/dev/null; then
    /usr/bin/python3 -c '
import sys, xapian
db = xapian.WritableDatabase(sys.argv[1], xapian.DB_CREATE_OR_OPEN)
db.set_metadata("kensaku.schema", "999")
db.set_metadata("kensaku.analyser", "v1 language=english accents=fold passage=60-300")
db.commit()
' "$work/future"
    check "other schema version" 2 "$KENSAKU" --db "$work/future" garden
    has "refused with a reason" "$work/err" "schema version 999, and this kensaku reads version"
else
    echo "SKIPPED: schema version check (python3-xapian is not installed)"
fi
check "KENSAKU_DB" 0 env KENSAKU_DB="$db" "$KENSAKU" -l garden
check "XDG_DATA_HOME" 2 env -u KENSAKU_DB XDG_DATA_HOME="$work/xdg" "$KENSAKU" garden
has "default path named" "$work/err" "$work/xdg/kensaku/db"
check "bad number" 2 k -n many garden
check "help" 0 k --help
has "usage" "$work/out" "^usage: kensaku"
check "version" 0 k --version

# --- batch
printf 'q1\tgarden\nq2\txylophone\nlighthouse\nq4\tgarden AND (\n\n' >"$work/queries"
check "batch: something found" 0 k --batch --json <"$work/queries"
if python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
s = [r for r in rows if r["type"] == "summary"]
assert [r["query_id"] for r in s] == ["q1", "q2", "3", "q4"], s
assert s[0]["hits"] >= 1 and s[1]["hits"] == 0 and "error" in s[3]
assert all("query_id" in r for r in rows)
ids = [r["query_id"] for r in rows]
assert ids == sorted(ids, key=lambda i: ["q1", "q2", "3", "q4"].index(i))
' "$work/out"; then pass; else fail "batch json: each query then its summary"; fi
has "batch syntax error names the query" "$work/err" "query q4: syntax error"
printf 'xylophone\nq\tzither\n' >"$work/none"
check "batch: nothing found" 1 k --batch <"$work/none"
printf 'garden AND\n' >"$work/bad"
check "batch: only errors" 2 k --batch <"$work/bad"
check "batch with arguments" 2 k --batch garden </dev/null
check "batch -c" 0 k --batch -c <"$work/queries"
has "batch count line" "$work/out" "^q1	[0-9]+$"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
