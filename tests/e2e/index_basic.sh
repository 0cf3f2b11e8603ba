#!/usr/bin/env bash
# index_basic.sh — kensaku-index end to end: add, modify, delete and rename
# files and check the summary counts and what the database holds; remembered
# roots, --forget, --no-delete, excludes, hidden files, the database inside a
# root, --status, --json, --quiet, exit statuses and usage errors.
set -u
K=${KENSAKU_INDEX:?set KENSAKU_INDEX to the kensaku-index binary}
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
passed=0 failed=0

check() { # DESCRIPTION COMMAND... : the command must succeed
  if "${@:2}"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi
}
# The value of KEY in the flat JSON object JSON.
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2"; }
# counts JSON "added updated removed unchanged failed skipped" : compare all six
counts_are() {
  local got
  got="$(field added "$1") $(field updated "$1") $(field removed "$1") $(field unchanged "$1") $(field failed "$1") $(field skipped "$1")"
  [ "$got" = "$2" ] || { echo "  counts: got '$got', want '$2' ($1)" >&2; return 1; }
}
# termfreq DB TERM : how many passages index TERM
termfreq() {
  xapian-delve -t "$2" "$1" 2>/dev/null | sed -n 's/.*(termfreq \([0-9]*\),.*/\1/p' | grep . || echo 0
}
has_term() { [ "$(termfreq "$1" "$2")" -gt 0 ]; }
lacks_term() { [ "$(termfreq "$1" "$2")" -eq 0 ]; }
doc_count() { xapian-delve "$1" | sed -n 's/^number of documents = //p'; }
# run ARGS... : sets $out (stdout), $err (stderr), $status
run() {
  out=$("$K" "$@" 2>"$T/stderr"); status=$?
  err=$(cat "$T/stderr")
}

DB=$T/db
D=$T/docs
mkdir -p "$D/sub" "$D/.hidden" "$D/.git"
printf 'The harbour lanterns glow over quiet water.\n' > "$D/a.txt"
printf 'Ferrymen count passengers at dusk.\n' > "$D/sub/b.md"
printf '<html><head><title>Tide tables</title></head><body><p>High water at noon.</p></body></html>' > "$D/c.html"
printf 'secret hidden words\n' > "$D/.hidden/x.txt"
printf 'ref: refs/heads/main\n' > "$D/.git/HEAD"
printf 'excluded logfile words\n' > "$D/debug.log"

# --- first run: everything new
run --db "$DB" --json --exclude '*.log' "$D"
check "first run exits 0" [ "$status" -eq 0 ]
check "first run adds three files" counts_are "$out" "3 0 0 0 0 0"
check "first run writes passages" [ "$(field passages "$out")" -ge 3 ]
check "stdout holds one JSON object only" [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
check "summary line on stderr" grep -q '3 added' <<<"$err"
check "no progress noise off a terminal" bash -c '! grep -q "ETA" <<<"$0"' "$err"
check "words are indexed" has_term "$DB" lanterns
check "stems are indexed" has_term "$DB" Zlantern
check "html title is indexed" has_term "$DB" tide
check "hidden files are skipped" lacks_term "$DB" secret
check "excluded files are skipped" lacks_term "$DB" logfile
check "file term" has_term "$DB" "XF$D/a.txt"
check "folder terms" has_term "$DB" "XP$D/sub"
check "extension term" has_term "$DB" Emd
check "stored as a stub folder" [ -f "$DB/XAPIANDB" ]
check "a new database is merged into one shard, the next generation" \
  [ "$(cat "$DB/XAPIANDB")" = "glass gen2-shard0" ]
check "the shards it was written as are gone" [ "$(ls -d "$DB"/gen* | wc -l)" -eq 1 ]
check "the merged database knows its passages' files" \
  bash -c 'xapian-metadata get "$0" kensaku.file-runs | grep -q .' "$DB/gen2-shard0"

# --- unchanged re-run (bare: the root and its exclude are remembered)
run --db "$DB" --json
check "bare re-run exits 0" [ "$status" -eq 0 ]
check "bare re-run reads nothing" counts_are "$out" "0 0 0 3 0 0"
check "remembered exclude still applies" lacks_term "$DB" logfile

# --- modify, delete, add, rename
printf 'The harbour lanterns flicker in the storm.\n' > "$D/a.txt"
rm "$D/c.html"
printf 'A new file about lighthouses.\n' > "$D/new.txt"
mv "$D/sub/b.md" "$D/sub/renamed.md"
run --db "$DB" --json
check "changes exit 0" [ "$status" -eq 0 ]
check "1 updated, 1 removed, 2 added (new + renamed)" counts_are "$out" "2 1 2 0 0 0"
check "new words are found" has_term "$DB" flicker
check "old words are gone" lacks_term "$DB" glow
check "deleted file's words are gone" lacks_term "$DB" tide
check "renamed file under its new name" has_term "$DB" "XF$D/sub/renamed.md"
check "renamed file not under its old name" lacks_term "$DB" "XF$D/sub/b.md"
check "one passage per file here" [ "$(doc_count "$DB")" -eq 3 ]
check "updates go to the merged database" [ "$(cat "$DB/XAPIANDB")" = "glass gen2-shard0" ]

# --- a damaged file record: the file is indexed again, never twice
key="kensaku.file:XF$D/a.txt"
for shard in "$DB"/gen*-shard*; do
  if xapian-metadata list "$shard" | grep -qxF "$key"; then
    xapian-metadata set "$shard" "$key" "not a record"
  fi
done
docs_before=$(doc_count "$DB")
run --db "$DB" --json
check "a file whose record is damaged is indexed again" counts_are "$out" "1 0 0 2 0 0"
check "without duplicating its passages" [ "$(doc_count "$DB")" -eq "$docs_before" ]

# --- --no-delete keeps files gone from disk
rm "$D/new.txt"
run --db "$DB" --json --no-delete
check "--no-delete removes nothing" counts_are "$out" "0 0 0 2 0 0"
check "--no-delete keeps the passages" has_term "$DB" lighthouses
run --db "$DB" --json
check "a normal run then removes it" counts_are "$out" "0 0 1 2 0 0"

# --- a second root, then --forget the first
P=$T/papers
mkdir -p "$P"
printf 'Tidal energy papers.\n' > "$P/p.txt"
run --db "$DB" --json "$P"
check "second root added" counts_are "$out" "1 0 0 0 0 0"
run --db "$DB" --json
check "bare run walks both roots" counts_are "$out" "0 0 0 3 0 0"
run --db "$DB" --json --forget "$D"
check "--forget exits 0" [ "$status" -eq 0 ]
check "--forget removes the root's files" counts_are "$out" "0 0 2 0 0 0"
check "forgotten words are gone" lacks_term "$DB" flicker
check "the other root stays" has_term "$DB" tidal
run --db "$DB" --forget "$D"
check "--forget of an unknown root is an error" [ "$status" -eq 2 ]

# --- --status
run --db "$DB" --status
check "--status exits 0" [ "$status" -eq 0 ]
check "--status lists the root" grep -q "$P" <<<"$out"
check "--status shows the last run" grep -q 'last run' <<<"$out"
run --db "$DB" --status --json
check "--status --json has the files" grep -q '"files":{"indexed":1' <<<"$out"
check "--status --json: one shard, merged" grep -q '"shards":1,"merge_pending":false' <<<"$out"
run --db "$T/none" --status
check "--status without a database is an error" [ "$status" -eq 2 ]

# --- the database inside a root is never indexed
IN=$T/inside
mkdir -p "$IN"
printf 'outer words\n' > "$IN/o.txt"
run --db "$IN/db" --json "$IN"
check "database inside its root: only the document" counts_are "$out" "1 0 0 0 0 0"
run --db "$IN/db" --json "$IN"
check "and nothing of the database on the next run" counts_are "$out" "0 0 0 1 0 0"

# --- a file given as a root; --quiet
F=$T/single.txt
printf 'a lone file\n' > "$F"
run --db "$T/single-db" --quiet "$F"
check "a file root is indexed" [ "$status" -eq 0 ]
check "--quiet prints nothing" [ -z "$err" ] && [ -z "$out" ]
check "the lone file is found" has_term "$T/single-db" lone

# --- refusals
run --db "$DB" --lang french
check "--lang on an existing database is refused" [ "$status" -eq 2 ]
check "the refusal says why" grep -q 'new database only' <<<"$err"
run --db "$T/new-db" "$T/does-not-exist"
check "a missing PATH is an error" [ "$status" -eq 2 ]
run --db "$T/empty-db"
check "nothing to index is an error" [ "$status" -eq 2 ]
run --db "$DB" --jobs 0
check "a bad option value is a usage error" [ "$status" -eq 2 ]
run --bogus
check "an unknown option is a usage error" [ "$status" -eq 2 ]
mkdir -p "$T/not-a-db" && printf 'x' > "$T/not-a-db/file"
run --db "$T/not-a-db" "$P"
check "a folder that is no database is refused" [ "$status" -eq 2 ]
check "and left alone" [ -f "$T/not-a-db/file" ]
run --help
check "--help exits 0 and shows the contract" bash -c '[ "$0" -eq 0 ] && grep -q -- --lock-timeout <<<"$1"' "$status" "$out"
run --version
check "--version exits 0" [ "$status" -eq 0 ]

# --- --lang for a new database, and --rebuild keeps the roots
run --db "$T/fr-db" --lang french "$P"
check "--lang french for a new database" [ "$status" -eq 0 ]
run --db "$T/fr-db" --status
check "the analyser is french" grep -q 'language=french' <<<"$out"
run --db "$T/fr-db" --rebuild --json
check "--rebuild re-indexes the remembered roots" counts_are "$out" "1 0 0 0 0 0"
check "--rebuild keeps the language" bash -c 'grep -q "language=french" <<<"$("$0" --db "$1" --status)"' "$K" "$T/fr-db"
run --db "$T/fr-db" --rebuild --lang english --json
check "--rebuild with --lang switches language" bash -c 'grep -q "language=english" <<<"$("$0" --db "$1" --status)"' "$K" "$T/fr-db"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
