#!/usr/bin/env bash
# query_golden.sh — every output format of kensaku, compared byte for byte
# with fixtures/query/golden/ (paths and timings normalised). Run with
# UPDATE_GOLDEN=1 to write the golden files again after an intended change.
set -u
: "${KENSAKU:?}" "${KENSAKU_INDEX:?}" "${FIXTURES:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
golden="$FIXTURES/query/golden"
passed=0
failed=0

corpus="$work/corpus"
cp -r "$FIXTURES/query/corpus" "$corpus"
db="$work/db"
if ! "$KENSAKU_INDEX" --db "$db" --quiet "$corpus" 2>"$work/index.err"; then
    cat "$work/index.err" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

# Paths depend on the temporary folder, timings on the machine.
normalise() {
    sed -e "s|$corpus|<CORPUS>|g" \
        -e 's/"ms":[0-9.e+-]*/"ms":0/g' \
        -e 's/, [0-9.]* ms$/, 0 ms/'
}

# golden NAME [STDIN-FILE] -- ARGS...: run kensaku, compare with golden/NAME.
golden() {
    local name=$1 input=/dev/null
    shift
    if [ "$1" != "--" ]; then input=$1; shift; fi
    shift
    "$KENSAKU" --db "$db" "$@" <"$input" 2>&1 | normalise >"$work/$name"
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$work/$name" "$golden/$name"
    fi
    if cmp -s "$work/$name" "$golden/$name"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name differs from its golden file:" >&2
        diff -u "$golden/$name" "$work/$name" >&2
    fi
}

printf 'harbour\tlighthouse keeper\nkitchen\tbread -lighthouse\nnone\txylophone\nbad\t(bread\n' >"$work/batch"

golden human.txt -- --color=never -n 3 the harbour OR garden
golden color.txt -- --color=always -n 2 '"compost heap"' OR lighthouse
golden json.jsonl -- --json -n 4 --any planting bread
golden files.txt -- -l -n 5 the
golden null.bin -- -0 garden
golden count.txt -- -c the
golden per-file.jsonl -- --json --per-file 2 -n 3 --snippet-chars 60 lighthouse OR harbour
golden cjk.jsonl -- --json 'システム管理'
golden batch.jsonl "$work/batch" -- --batch --json -n 2 --snippet-chars 80
golden batch-human.txt "$work/batch" -- --batch --color=never -n 1 --snippet-chars 80
golden suggestion.txt -- --color=never harbuor
golden syntax-error.txt -- 'harbour NEAR (keeper'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
