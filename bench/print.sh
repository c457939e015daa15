#!/bin/bash
# bench/print.sh: printing every event, ours against sysdig 0.29.3, on the same trace in the same
# run, as events per second and the ratio.
#
# The trace is the corpus's k8s capture concatenated 20 times (2.92 M events) unless TRACE names
# another. Timed, all with output to /dev/null:
#   sysdig        sysdig -r T
#   pipe          scap-record -r T | scap-print        (two processes, the framed stream between)
#   scap-print    scap-print -r T                      (one process)
# The outputs are compared first: timing different work means nothing.
#
# Usage: bench/print.sh [RUNS]    (builds the release binaries it needs)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
corpus=${CORPUS:-../shared/corpus}
bin=target/release
big=${TRACE:-${TMPDIR:-/tmp}/scap-bench-k8s-x20.scap}
if [ ! -s "$big" ]; then
	for _ in $(seq 20); do zcat -f "$corpus/traces/bencer-k8s__capture.scap"; done > "$big"
fi
cargo build --release --quiet -p scap-print -p scap-record
export TZ=UTC
ours=$(mktemp) theirs=$(mktemp) json=$(mktemp)
trap 'rm -f "$ours" "$theirs" "$json"' EXIT
sysdig -r "$big" > "$theirs"
"$bin/scap-record" -r "$big" | "$bin/scap-print" > "$ours"
if ! cmp -s "$theirs" "$ours"; then
	echo "bench/print.sh: our output differs from sysdig's on $big; not timing it" >&2
	cmp "$theirs" "$ours" >&2 || true
	exit 1
fi
events=$(wc -l < "$ours")
echo "trace: $big, $events events, outputs identical"
hyperfine --warmup 1 --runs "$runs" --export-json "$json" \
	-n sysdig "sysdig -r $big > /dev/null" \
	-n pipe "$bin/scap-record -r $big | $bin/scap-print > /dev/null" \
	-n scap-print "$bin/scap-print -r $big > /dev/null"
python3 - "$json" "$events" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
s = r["sysdig"]
print(f"sysdig: {n / s / 1e6:.2f} M events/s")
for k in ("pipe", "scap-print"):
    print(f"{k}: {n / r[k] / 1e6:.2f} M events/s, {s / r[k]:.2f}x sysdig's speed")
PY
