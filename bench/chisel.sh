#!/bin/bash
# bench/chisel.sh: a heavy chisel under scap-chisel and under sysdig 0.29.3, on the same large
# trace in the same run, and the ratio of their wall times.
#
# The trace is the corpus's k8s capture concatenated 20 times (2.92 M events, see
# ../shared/corpus/README.md). CHISEL picks the chisel (default topprocs_cpu; echo_fds, or a path
# such as bench/chisels/count_by_type.lua, which runs Lua on every event with fields every stage
# already knows). Ours runs reading the .scap directly (scap-chisel -r) and through a pipe from
# scap-record. The outputs are compared first: a benchmark of different work means nothing.
#
# Usage: bench/chisel.sh [RUNS]    (builds the release binaries it needs)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
chisel=${CHISEL:-topprocs_cpu}
corpus=${CORPUS:-../shared/corpus}
bin=target/release
big=${TMPDIR:-/tmp}/scap-bench-k8s-x20.scap
if [ ! -s "$big" ]; then
	for _ in $(seq 20); do zcat -f "$corpus/traces/bencer-k8s__capture.scap"; done > "$big"
fi
cargo build --release --quiet -p scap-chisel -p scap-record
export TZ=UTC
ours=$(mktemp) theirs=$(mktemp)
trap 'rm -f "$ours" "$theirs"' EXIT
sysdig -r "$big" -c "$chisel" > "$theirs"
"$bin/scap-chisel" "$chisel" -r "$big" > "$ours"
if [ "$(wc -l < "$theirs")" != "$(wc -l < "$ours")" ] || [ "$(head -2 "$theirs")" != "$(head -2 "$ours")" ]; then
	echo "bench/chisel.sh: $chisel prints something else than sysdig on $big; not timing it" >&2
	diff "$theirs" "$ours" | head -5 >&2
	exit 1
fi
if ! cmp -s <(sort "$theirs") <(sort "$ours"); then
	# Top tables cut ties at their last row by hash order, differently in each program.
	echo "note: same length and header; $(diff <(sort "$theirs") <(sort "$ours") | grep -c '^<') lines differ (ties at a table's cut)"
fi
hyperfine --warmup 1 --runs "$runs" --export-json /tmp/scap-bench-chisel.json \
	-n sysdig "sysdig -r $big -c $chisel > /dev/null" \
	-n scap-chisel "$bin/scap-chisel $chisel -r $big > /dev/null" \
	-n record-pipe "$bin/scap-record -r $big | $bin/scap-chisel $chisel > /dev/null"
python3 - "$chisel" <<'PY'
import json, sys
res = {x["command"]: x for x in json.load(open("/tmp/scap-bench-chisel.json"))["results"]}
r = {k: v["mean"] for k, v in res.items()}
# CPU time (user + system, all threads and processes) is less at the mercy of other load on the
# machine than wall time.
cpu = {k: v["user"] + v["system"] for k, v in res.items()}
s = r["sysdig"]
for k in ("scap-chisel", "record-pipe"):
    print(f"{sys.argv[1]}: {k} {r[k]:.3f} s, sysdig {s:.3f} s: {s / r[k]:.2f}x sysdig's speed"
          f" (CPU {cpu[k]:.3f} s against {cpu['sysdig']:.3f} s)")
PY
