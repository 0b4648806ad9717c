#!/usr/bin/env bash
# Whole-CLI benchmark: generates N candidates with `servicefit simulate`, then
# times in the same run (a) the parse floor (every record read with the csv
# crate's ByteRecord, doing nothing: examples/parse_floor.rs), (b) `score
# --format csv`, (c) `score --format jsonl`, each ranked (the default) and
# --unsorted. Prints rows/s, MB/s, peak memory and the ratio of each to (a).
# Each case runs RUNS times (default 3) and the fastest run counts: on a
# shared machine the others are slowed by neighbours, not by the program.
#
# Usage: scripts/bench.sh [N]        (default 1000000; the file takes ~190 MB)
#        RUNS=5 scripts/bench.sh
# Needs: cargo, GNU time as /usr/bin/time (Debian/Ubuntu: apt-get install time).
# Installs nothing. Uses BENCH_DIR (default target/bench) for the data file.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-target/bench}
TARGET=${CARGO_TARGET_DIR:-target}
if [ ! -x /usr/bin/time ]; then
  echo "bench.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2
  exit 2
fi
cargo build --release --quiet --bin servicefit --example parse_floor
BIN=$TARGET/release/servicefit
FLOOR=$TARGET/release/examples/parse_floor
mkdir -p "$DIR"
DATA=$DIR/responses-$N.csv
if [ ! -s "$DATA" ]; then
  echo "generating $N candidates (5% careless) into $DATA ..." >&2
  "$BIN" simulate --n "$N" --role retail --seed 1 --careless 0.05 --fitting 0.2 --out "$DATA"
fi
BYTES=$(stat -c %s "$DATA")

echo "machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "input: $N rows, $(awk -v b="$BYTES" 'BEGIN {printf "%.1f MB", b/1e6}'); fastest of $RUNS runs each"
printf '%-26s %9s %12s %9s %10s %8s\n' case seconds rows/s MB/s peak_MB ratio

FLOOR_SECONDS=
measure() {
  local name=$1; shift
  local log seconds peak best= best_peak=0
  log=$(mktemp)
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    # Exit code 1 means some rows were rejected: still a complete run.
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || [ $? -eq 1 ]
    end=$(date +%s.%N)
    seconds=$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f", e - s}')
    peak=$(awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
    if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$seconds; fi
    best_peak=$(awk -v a="$peak" -v b="$best_peak" 'BEGIN {print (a > b) ? a : b}')
  done
  rm -f "$log"
  [ -z "$FLOOR_SECONDS" ] && FLOOR_SECONDS=$best
  awk -v n="$name" -v s="$best" -v rows="$N" -v b="$BYTES" -v p="$best_peak" -v f="$FLOOR_SECONDS" \
    'BEGIN {printf "%-26s %9.3f %12.0f %9.1f %10s %8.2f\n", n, s, rows/s, b/1e6/s, p, s/f}'
}

measure "(a) parse floor" "$FLOOR" "$DATA"
measure "(b) score csv" "$BIN" score "$DATA" --role retail --format csv
measure "(b) score csv --unsorted" "$BIN" score "$DATA" --role retail --format csv --unsorted
measure "(c) score jsonl" "$BIN" score "$DATA" --role retail --format jsonl
measure "(c) score jsonl --unsorted" "$BIN" score "$DATA" --role retail --format jsonl --unsorted
