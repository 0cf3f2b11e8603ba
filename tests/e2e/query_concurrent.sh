#!/usr/bin/env bash
# query_concurrent.sh — queries keep working while kensaku-index commits:
# a reader that finds the database modified reopens it and runs the query
# again, so no query fails and every answer is consistent.
set -u
: "${KENSAKU:?}" "${KENSAKU_INDEX:?}" "${FIXTURES:?}"
work=$(mktemp -d)
trap 'kill "$writer" 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0

db="$work/db"
docs="$work/docs"
mkdir -p "$docs"
cp -r "$FIXTURES/query/corpus/." "$docs/"

# Rounds of new, changed and deleted files; every query below matches in
# every round, so any exit status but 0 is a failure.
generate() {
    for i in $(seq 1 30); do
        printf 'Round %s file %s: the lighthouse keeper counts boats.\n\n%s\n' \
            "$1" "$i" "$(seq -s ' word' 1 200)" >"$docs/gen-$i.txt"
    done
    rm -f "$docs/gen-$(($1 % 30 + 1)).txt"
}
generate 0
"$KENSAKU_INDEX" --db "$db" --quiet "$docs" || { echo "0 passed, 1 failed"; exit 1; }

# The writer: each round a run of the indexer, with its commits.
(
    for round in $(seq 1 12); do
        generate "$round"
        "$KENSAKU_INDEX" --db "$db" --quiet "$docs" || exit 1
    done
) &
writer=$!

queries=0
errors=0
while kill -0 "$writer" 2>/dev/null; do
    for q in lighthouse 'keeper boats' '"lighthouse keeper" -garden' 'word*'; do
        "$KENSAKU" --db "$db" --json -- "$q" >"$work/out" 2>"$work/err"
        status=$?
        queries=$((queries + 1))
        if [ "$status" -ne 0 ] || ! tail -n 1 "$work/out" | grep -q '"type":"summary"'; then
            errors=$((errors + 1))
            echo "query [$q] exit $status:" >&2
            cat "$work/err" >&2
        fi
    done
    printf 'a\tlighthouse\nb\tkeeper boats\n' | "$KENSAKU" --db "$db" --batch -c >"$work/batch" 2>"$work/err" ||
        { errors=$((errors + 1)); cat "$work/err" >&2; }
done
wait "$writer"
writer_status=$?

if [ "$writer_status" -eq 0 ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: the indexer failed ($writer_status)" >&2; fi
if [ "$queries" -ge 10 ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: only $queries queries ran during indexing" >&2; fi
if [ "$errors" -eq 0 ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $errors of $queries queries failed while indexing" >&2; fi
echo "($queries queries ran while the indexer committed)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
