#!/usr/bin/env bash
# index_lock.sh — one writer at a time: while an indexer holds the database a
# second one exits 75 at once with a message naming the database, waits with
# --lock-timeout, and a --rebuild destroys nothing; --status still reads.
set -u
K=${KENSAKU_INDEX:?set KENSAKU_INDEX to the kensaku-index binary}
T=$(mktemp -d)
holder=
trap '[ -n "$holder" ] && kill -9 "$holder" 2>/dev/null; chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
passed=0 failed=0
check() {
  if "${@:2}"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi
}
doc_count() { xapian-delve "$1" | sed -n 's/^number of documents = //p'; }

DB=$T/db
D=$T/docs
# Enough files that indexing them takes a while.
make_corpus() { # WORD
  for i in $(seq 1 300); do
    mkdir -p "$D/d$((i % 20))"
    printf '%s file %d: the quick lanterns of the harbour %d glow %s\n\nSecond paragraph %d.\n' \
      "$1" "$i" "$i" "$1" "$i" > "$D/d$((i % 20))/f$i.txt"
  done
}
make_corpus first
"$K" --db "$DB" --quiet "$D"
check "the first build succeeds" [ $? -eq 0 ]
before=$(doc_count "$DB")
stub_before=$(cat "$DB/XAPIANDB")
make_corpus second

# Start an indexer and stop it once it holds the lock: run it in slices of
# 10 ms until /proc/locks shows a lock on the first shard's lock file.
lockfile=$(ls "$DB"/*shard0/flintlock)
inode=$(stat -c %i "$lockfile")
"$K" --db "$DB" --quiet > "$T/holder.out" 2>&1 &
holder=$!
kill -STOP "$holder"
held=no
for _ in $(seq 1 3000); do
  if grep -q ":$inode " /proc/locks; then held=yes; break; fi
  kill -CONT "$holder"; sleep 0.01; kill -STOP "$holder"
  kill -0 "$holder" 2>/dev/null || break
done
check "an indexer was caught holding the lock" [ "$held" = yes ]

start=$(date +%s%N)
"$K" --db "$DB" "$D" > "$T/out" 2> "$T/err"
status=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
check "a second writer exits 75" [ "$status" -eq 75 ]
check "at once" [ "$elapsed" -lt 5000 ]
check "naming the database" grep -qF "$DB" "$T/err"
check "saying another indexer holds it" grep -q 'another kensaku-index holds it' "$T/err"

start=$(date +%s%N)
"$K" --db "$DB" --lock-timeout 0.6 "$D" 2> "$T/err"
status=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
check "--lock-timeout gives up with 75" [ "$status" -eq 75 ]
check "after waiting" [ "$elapsed" -ge 500 ]

"$K" --db "$DB" --rebuild "$D" 2> "$T/err"
check "--rebuild while locked exits 75" [ $? -eq 75 ]
check "and destroys nothing" [ "$(doc_count "$DB")" -eq "$before" ]
check "the stub is untouched" [ "$(cat "$DB/XAPIANDB")" = "$stub_before" ]
check "no new generation was started" [ "$(ls -d "$DB"/gen* | wc -l)" -eq "$(grep -c . "$DB/XAPIANDB")" ]

"$K" --db "$DB" --status > "$T/out" 2>&1
check "--status reads while the lock is held" [ $? -eq 0 ]

# A waiting indexer gets its turn when the holder finishes.
"$K" --db "$DB" --lock-timeout 60 --json > "$T/waiter.out" 2> "$T/waiter.err" &
waiter=$!
sleep 0.3
kill -CONT "$holder"
wait "$holder"
check "the holder finishes normally" [ $? -eq 0 ]
holder=
wait "$waiter"
check "the waiter then runs" [ $? -eq 0 ]
check "and finds nothing left to do" grep -q '"added":0,"updated":0' "$T/waiter.out"

# --rebuild without a competitor: same content, new generation, old removed.
"$K" --db "$DB" --rebuild --quiet
check "--rebuild succeeds" [ $? -eq 0 ]
check "--rebuild indexes everything again" [ "$(doc_count "$DB")" -eq "$before" ]
# The first build was merged into gen2; the rebuild writes gen3, merged into gen4.
check "the stub lists the new generation, merged" [ "$(cat "$DB/XAPIANDB")" = "glass gen4-shard0" ]
check "the old generation is gone" [ "$(ls -d "$DB"/gen*)" = "$DB/gen4-shard0" ]

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
