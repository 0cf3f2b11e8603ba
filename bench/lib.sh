# bench/lib.sh — shell helpers shared by bench/run.sh, bench/eval.sh and the smoke test:
# logging, quoting, medians, timing one command (wall, CPU, peak RSS) and timing a
# fresh process per query (hyperfine, or a plain loop when hyperfine is absent),
# and the Release build of the two binaries.  Sourced, never run.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/.." && pwd)/shared}

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 2; }
have() { command -v "$1" > /dev/null 2>&1; }

# shq WORD: WORD as one POSIX shell word (what hyperfine -N and sh both parse back),
# single-quoted unless it is plainly safe.
shq() {
  local s=$1 q="'\\''"
  if [[ -n $s && $s =~ ^[A-Za-z0-9_./=:,+@%-]+$ ]]; then printf '%s' "$s"; else printf "'%s'" "${s//\'/$q}"; fi
}

# shjoin WORD...: a command line that splits back into exactly these words.
shjoin() {
  local out='' w
  for w in "$@"; do out+="${out:+ }$(shq "$w")"; done
  printf '%s' "$out"
}

# Statistics over numbers on stdin, one per line; "-" when there are none.
median() {
  sort -g | awk '{ a[NR] = $1 }
    END { if (!NR) print "-"; else if (NR % 2) print a[(NR + 1) / 2];
          else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
p95() { # nearest rank
  sort -g | awk '{ a[NR] = $1 }
    END { if (!NR) { print "-"; exit } r = int(0.95 * NR); if (r < 0.95 * NR) r++; print a[r] }'
}
minimum() { sort -g | awk 'NR == 1 { print; f = 1 } END { if (!f) print "-" }'; }
maximum() { sort -g | awk '{ x = $1 } END { print NR ? x : "-" }'; }

# column N FILE: the Nth whitespace-separated column of FILE, one value per line
column_of() { awk -v n="$1" '$n != "-" { print $n }' "$2"; }

load_now() { cut -d' ' -f1-3 /proc/loadavg; }

machine_summary() {
  local cpu mem
  cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  mem=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
  printf '%s cores (nproc), %s RAM, CPU: %s, Linux %s' "$(nproc)" "$mem" "${cpu:-unknown}" "$(uname -r)"
}

# measure OUT LOG CMD...: run CMD once (stdin from $STDIN or /dev/null, stdout+stderr
# appended to LOG) and append "wall_s cpu_s peak_rss_mb status" to OUT.  Wall time comes
# from the shell's clock; CPU time and peak RSS from GNU time -v when installed (else
# CPU from bash's `time`, RSS "-"; GNU_TIME names another binary, or none when it is
# not executable).  Never fails: the status is recorded.
measure() {
  local out=$1 logf=$2 tf st=0 t0 t1 cpu rss
  shift 2
  tf=$(mktemp)
  t0=$EPOCHREALTIME
  if [ -x "${GNU_TIME:-/usr/bin/time}" ]; then
    "${GNU_TIME:-/usr/bin/time}" -v -o "$tf" "$@" < "${STDIN:-/dev/null}" >> "$logf" 2>&1 || st=$?
    t1=$EPOCHREALTIME
    read -r cpu rss < <(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 }
      /Maximum resident set size/ { r = $2 } END { printf "%.3f %.1f\n", u + s, r / 1024 }' "$tf")
  else
    local TIMEFORMAT='%U %S'
    { time "$@" < "${STDIN:-/dev/null}" >> "$logf" 2>&1 || st=$?; } 2> "$tf"
    t1=$EPOCHREALTIME
    cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$tf"); rss=-
  fi
  rm -f "$tf"
  awk -v a="$t0" -v b="$t1" -v c="$cpu" -v r="$rss" -v s="$st" \
    'BEGIN { printf "%.3f %s %s %s\n", b - a, c, r, s }' >> "$out"
}

# time_process CSV RUNS CMD...: time RUNS fresh processes of CMD (plus one warm-up),
# output discarded, failures ignored (status is checked separately).  Writes a
# hyperfine-style CSV: command,mean,stddev,median,user,system,min,max (seconds).
time_process() {
  local csv=$1 runs=$2
  shift 2
  if have hyperfine && [ -z "${NO_HYPERFINE:-}" ]; then
    hyperfine -N -i --warmup 1 --runs "$runs" --style none --export-csv "$csv" \
      -- "$(shjoin "$@")" > /dev/null 2>> "${CMD_LOG:-/dev/null}" && return
  fi
  local i t0 t1 times=()
  "$@" > /dev/null 2>&1 < /dev/null || true
  for ((i = 0; i < runs; i++)); do
    t0=$EPOCHREALTIME
    "$@" > /dev/null 2>&1 < /dev/null || true
    t1=$EPOCHREALTIME
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')")
  done
  {
    echo 'command,mean,stddev,median,user,system,min,max'
    printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1; s += $1; q += $1 * $1 }
      END { m = s / NR; v = q / NR - m * m; if (v < 0) v = 0
            med = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
            printf "loop,%.6f,%.6f,%.6f,-,-,%.6f,%.6f\n", m, sqrt(v), med, a[1], a[NR] }'
  } > "$csv"
}

# csv_median_ms CSV: the median of a time_process CSV, in milliseconds
csv_median_ms() { awk -F, 'NR == 2 { printf "%.3f\n", $(NF - 4) * 1000 }' "$1"; }

# build_kensaku: make KENSAKU_INDEX and KENSAKU point at Release binaries.  Binaries
# given in the environment are used as they are; otherwise the tree is configured
# and built in $BENCH_BUILD (default build/bench), which is quick when up to date.
# Also sets BENCH_ANALYSE when the text/ analysis benchmark program can be built.
build_kensaku() {
  if [ -n "${KENSAKU_INDEX:-}" ] && [ -n "${KENSAKU:-}" ]; then
    [ -x "$KENSAKU_INDEX" ] || die "KENSAKU_INDEX=$KENSAKU_INDEX is not executable"
    [ -x "$KENSAKU" ] || die "KENSAKU=$KENSAKU is not executable"
    KENSAKU_INDEX=$(realpath "$KENSAKU_INDEX") KENSAKU=$(realpath "$KENSAKU")
    find_bench_analyse "$(dirname "$KENSAKU")" "${BUILD_DIR:-}"
    return 0
  fi
  local b=${BENCH_BUILD:-$ROOT/build/bench} jobs=${BUILD_JOBS:-2}
  mkdir -p "$b"
  log "building kensaku (Release) in $b"
  if ! cmake -S "$ROOT" -B "$b" -DCMAKE_BUILD_TYPE=Release -DKENSAKU_SANITIZE=OFF \
         -DKENSAKU_TESTS=OFF > "$b/bench-configure.log" 2>&1 ||
     ! cmake --build "$b" -j "$jobs" --target kensaku-index kensaku > "$b/bench-build.log" 2>&1; then
    tail -n 30 "$b/bench-configure.log" "$b/bench-build.log" >&2 2> /dev/null || true
    die "the Release build of kensaku-index and kensaku failed (logs in $b)"
  fi
  KENSAKU_INDEX=$b/kensaku-index KENSAKU=$b/kensaku
  # Not `| grep -q`: grep leaves early and pipefail would count cmake's SIGPIPE.
  local targets
  targets=$(cmake --build "$b" --target help 2> /dev/null || true)
  if [[ $targets == *bench-analyse* ]]; then
    cmake --build "$b" -j "$jobs" --target bench-analyse >> "$b/bench-build.log" 2>&1 ||
      log "bench-analyse did not build (see $b/bench-build.log); analysis MB/s skipped"
  fi
  find_bench_analyse "$b"
}

find_bench_analyse() {
  [ -n "${BENCH_ANALYSE:-}" ] && return 0
  local d f
  for d in "$@"; do
    [ -n "$d" ] && [ -d "$d" ] || continue
    f=$(find "$d" -maxdepth 2 -name bench-analyse -type f -perm -u+x 2> /dev/null | head -n 1)
    if [ -n "$f" ]; then BENCH_ANALYSE=$f; return 0; fi
  done
  BENCH_ANALYSE=
}
