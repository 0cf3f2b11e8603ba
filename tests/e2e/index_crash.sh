#!/usr/bin/env bash
# index_crash.sh — safe interruption. An indexer killed with SIGKILL at
# several points leaves the database at its last commit, and the next run
# completes the work: the database then holds exactly what a clean build
# holds (documents, every term with its frequency, every file record).
# SIGTERM finishes the current files, commits and exits 130.
set -u
K=${KENSAKU_INDEX:?set KENSAKU_INDEX to the kensaku-index binary}
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
passed=0 failed=0
check() {
  if "${@:2}"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi
}
# Commit every 10 kB of text, so a kill lands between many commits.
export KENSAKU_COMMIT_MB=0.01

D=$T/docs
words=(harbour lantern ferry tide beacon keeper anchor compass signal gale
       current reef buoy channel estuary jetty pilot rudder sextant dune)
for i in $(seq 1 600); do
  dir=$D/part$((i % 8))
  mkdir -p "$dir"
  {
    for p in 1 2 3; do
      for w in $(seq 1 40); do printf '%s%d ' "${words[$(((i * w + p) % 20))]}" $((w % 7)); done
      printf '\n\n'
    done
  } > "$dir/note$i.txt"
done
printf '<html><title>Chart room</title><p>Soundings and bearings.</p></html>' > "$D/chart.html"
printf '\x00\x01binary' > "$D/blob.bin"

# What a database holds, in a form that does not depend on document ids, on
# when it was written or on its shards: the document count, every term with
# its frequency, and the metadata keys of all its shards (one per file
# record) with a sample of the records themselves. Also its layout: one
# merged shard.
dump() {
  xapian-delve "$1" | grep '^number of documents'
  xapian-delve -1 -a -v "$1"
  local shard key
  echo "shards: $(grep -c . "$1/XAPIANDB")"
  for shard in "$1"/gen*-shard*; do
    xapian-metadata list "$shard" | grep -v 'kensaku.last-run'
  done | sort
  for shard in "$1"/gen*-shard*; do
    xapian-metadata list "$shard" | grep '^kensaku.file:' | while read -r key; do
      printf 'value of %s: %s\n' "$key" "$(xapian-metadata get "$shard" "$key")"
    done
  done | sort | head -5
}

# The kills below land at fractions of the time a clean build takes on this
# machine, under this build (sanitizers slow everything down alike), so they
# fall inside the work however fast or loaded the machine is.
started=$(date +%s%N)
"$K" --db "$T/clean" --jobs 2 --quiet "$D"
check "the clean build succeeds" [ $? -eq 0 ]
clean_ns=$(($(date +%s%N) - started))
# fraction PERCENT: that share of the clean build's time, in seconds for sleep.
fraction() { printf '%d.%09d' $((clean_ns * $1 / 100 / 1000000000)) $((clean_ns * $1 / 100 % 1000000000)); }
dump "$T/clean" > "$T/clean.dump"
check "the clean dump has a record per file" [ "$(grep -c '^kensaku.file:XF' "$T/clean.dump")" -eq 602 ]

# Kill the same build at several points, resuming each time. Each run is
# killed after an eighth of a clean build's time, so six runs together do
# less than the whole work and each one is cut in the middle.
DB=$T/crashed
killed=0
for percent in 5 12 12 12 12 12; do
  "$K" --db "$DB" --jobs 2 --quiet "$D" > /dev/null 2>&1 &
  pid=$!
  sleep "$(fraction "$percent")"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null
done
check "the build was killed at least twice" [ "$killed" -ge 2 ]
"$K" --db "$DB" --jobs 2 --quiet "$D"
check "the run after the kills completes" [ $? -eq 0 ]
dump "$DB" > "$T/crashed.dump"
check "killed and resumed holds exactly what a clean build holds" \
  cmp -s "$T/clean.dump" "$T/crashed.dump"
cmp -s "$T/clean.dump" "$T/crashed.dump" || diff "$T/clean.dump" "$T/crashed.dump" | head -20 >&2

# Kill a rebuild: the old database stays whole and usable.
"$K" --db "$DB" --jobs 2 --quiet --rebuild > /dev/null 2>&1 &
pid=$!
sleep "$(fraction 40)"
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
"$K" --db "$DB" --jobs 2 --quiet
check "a killed rebuild leaves a database the next run completes" [ $? -eq 0 ]
dump "$DB" > "$T/rebuilt.dump"
check "which again equals the clean build" cmp -s "$T/clean.dump" "$T/rebuilt.dump"

# Kills while a new database is being created (its shards, then the stub
# naming them) and merged (the merged shard, then the stub naming it): at 60
# instants spread over a small build, so that some land inside each however
# fast this build is. Wherever the kill lands, the next run creates or
# completes the database, merged.
small=$T/small
mkdir -p "$small"
for i in 1 2 3; do printf 'lantern %d ferry\n' "$i" > "$small/n$i.txt"; done
started=$(date +%s%N)
"$K" --db "$T/small-clean" --jobs 2 --quiet "$small"
small_ns=$(($(date +%s%N) - started))
created=0
for step in $(seq 1 60); do
  fresh=$T/fresh-$step
  "$K" --db "$fresh" --jobs 2 --quiet "$small" > /dev/null 2>&1 &
  pid=$!
  delay=$((small_ns * step / 60))
  sleep "$(printf '%d.%09d' $((delay / 1000000000)) $((delay % 1000000000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if "$K" --db "$fresh" --jobs 2 --quiet "$small" &&
     [ "$(xapian-delve "$fresh" | sed -n 's/^number of documents = //p')" = 3 ] &&
     [ "$(grep -c . "$fresh/XAPIANDB")" = 1 ] && [ "$(ls -d "$fresh"/gen* | wc -l)" = 1 ]; then
    created=$((created + 1))
  else
    echo "after a kill at step $step of 60 the next run failed" >&2
  fi
  rm -rf "$fresh"
done
check "a kill during the creation never leaves a database the next run cannot open" \
  [ "$created" -eq 60 ]

# SIGTERM: finish, commit, exit 130; the next run completes.
DB=$T/terminated
"$K" --db "$DB" --jobs 2 "$D" > /dev/null 2> "$T/term.err" &
pid=$!
sleep "$(fraction 40)"
kill -TERM "$pid"
wait "$pid"
status=$?
if [ "$status" -eq 0 ]; then
  echo "note: the build finished before SIGTERM arrived; 130 not observed" >&2
  check "SIGTERM after the end is harmless" true
else
  check "SIGTERM exits 130" [ "$status" -eq 130 ]
  check "and says it was interrupted" grep -q interrupted "$T/term.err"
  status_out=$("$K" --db "$DB" --status)
  check "work so far is committed" grep -qE 'files +[1-9][0-9]* indexed' <<<"$status_out"
  check "the last run is recorded as interrupted" grep -q interrupted <<<"$status_out"
  check "the shards wait to be merged" grep -q '2 shards to merge when a run completes' <<<"$status_out"
fi
"$K" --db "$DB" --jobs 2 --quiet
check "the run after SIGTERM completes" [ $? -eq 0 ]
dump "$DB" > "$T/terminated.dump"
check "and equals the clean build" cmp -s "$T/clean.dump" "$T/terminated.dump"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
