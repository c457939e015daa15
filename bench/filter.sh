#!/bin/bash
# Filter throughput against sysdig 0.29.3 on the same large trace, in the same run.
#
#   bench/filter.sh [FILTER]        (default: 'proc.name=hyperkube and evt.type in (read, write)')
#
# The trace is the corpus recipe: 20 concatenated copies of bencer-k8s__capture (2.92 M events).
# Reported:
#   1. sysdig -r BIG -q FILTER                      read + parse + filter, nothing printed
#   2. scap-record -r BIG | scap-filter FILTER      the same job as a pipe of our stages
#   3. scap-filter -r BIG.stream FILTER             the filter stage alone, on a pre-imported stream
#   4. the evaluator alone, one core, over pre-decoded events (examples/eval_bench.rs)
set -euo pipefail
cd "$(dirname "$0")/.."
FILTER=${1:-'proc.name=hyperkube and evt.type in (read, write)'}
CORPUS=${CORPUS:-../shared/corpus/traces}
WORK=${WORK:-target/bench}
mkdir -p "$WORK"
BIG=$WORK/k8s-x20.scap
if [ ! -s "$BIG" ]; then
    for _ in $(seq 20); do zcat "$CORPUS/bencer-k8s__capture.scap"; done > "$BIG"
fi
cargo build --release -q -p scap-record -p scap-filter -p scap-print
cargo build --release -q -p scap-filter --example eval_bench
BIN=target/release
[ -s "$BIG.stream" ] || "$BIN/scap-record" -r "$BIG" -w "$BIG.stream"
echo "trace: $BIG ($(du -h "$BIG" | cut -f1)), filter: $FILTER"
echo "matching events: sysdig $(sysdig -r "$BIG" "$FILTER" -p %evt.num | wc -l)," \
     "ours $("$BIN/scap-filter" -r "$BIG.stream" "$FILTER" | "$BIN/scap-print" | wc -l)"
hyperfine --warmup 1 --runs "${RUNS:-3}" --export-markdown "$WORK/filter.md" \
    -n sysdig "sysdig -r $BIG -q '$FILTER'" \
    -n 'scap-record | scap-filter' "$BIN/scap-record -r $BIG | $BIN/scap-filter '$FILTER' > /dev/null" \
    -n 'scap-filter (stream)' "$BIN/scap-filter -r $BIG.stream '$FILTER' > /dev/null || true"
cat "$WORK/filter.md"
for f in 'evt.type=open' 'proc.name=hyperkube' "$FILTER"; do
    "$BIN/examples/eval_bench" "$CORPUS/bencer-k8s__capture.scap" "$f" 10
done
