#!/bin/bash
# bench/sysdig.sh: our sysdig (stages in one process) and our stages as separate processes,
# against Debian's sysdig 0.29.3, in one run, on
#   - the largest corpus trace (bencer-k8s__capture.scap), and
#   - a synthesized trace of >= 5 M events: that trace concatenated 40 times (a .scap file may
#     hold several sections; both sysdigs read them in order), 5.84 M events.
# For each trace and each job, outputs are compared first (timing different work means
# nothing), then timed with hyperfine; peak RSS comes from one run under /usr/bin/time -f %M.
#
# Jobs (output to /dev/null):
#   print     sysdig -r T                         | ours: sysdig -r T
#   filter    sysdig -r T "$FILTER"                | ours: sysdig -r T "$FILTER"
#   quiet     sysdig -r T -q "$FILTER"             | ours: sysdig -r T -q "$FILTER"  (filter only)
#   chisel    sysdig -r T -c topprocs_cpu          | ours: sysdig -r T -c topprocs_cpu
#   pipe-print   scap-record -r T | scap-print                     (vs sysdig's print)
#   pipe-filter  scap-record -r T | scap-filter F | scap-print     (vs sysdig's filter)
#   pipe-chisel  scap-record -r T | scap-chisel topprocs_cpu       (vs sysdig's chisel)
#
# Figures: events/s (events in the trace over mean wall time) and the ratio to sysdig's, by wall
# time and by CPU time (user + system): the machine may be shared, and CPU time is what a
# loaded machine does not distort. Targets: 5x sysdig in-process, 2x as a pipeline, flat memory.
#
# The corpus trace is gzip-compressed, and so is the synthesized one by default (40 gzip members),
# and sysdig 0.29.3 reads gzip slowly (about 3-7 us per event), which flatters our ratios. PLAIN=1
# makes the synthesized trace uncompressed (what `sysdig -w` writes without -z): report both.
#
# Usage: [PLAIN=1] bench/sysdig.sh [RUNS] [BIG_RUNS]   (defaults 5 and 1; builds the release binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
big_runs=${2:-1}
corpus=${CORPUS:-../shared/corpus}
bin=$PWD/target/release
small="$corpus/traces/bencer-k8s__capture.scap"
if [ "${PLAIN:-0}" = 1 ]; then
	big=${TRACE:-${TMPDIR:-/tmp}/scap-bench-k8s-x40-plain.scap}
	[ -s "$big" ] || for _ in $(seq 40); do zcat -f "$small"; done > "$big"
else
	big=${TRACE:-${TMPDIR:-/tmp}/scap-bench-k8s-x40.scap}
	[ -s "$big" ] || for _ in $(seq 40); do cat "$small"; done > "$big"
fi
filter=${FILTER:-"proc.name=nginx and evt.type in (read, write, writev, sendfile, accept, close)"}
cargo build --release --quiet -p sysdig -p scap-record -p scap-filter -p scap-print -p scap-chisel
export TZ=UTC
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

jobs=(print filter quiet chisel pipe-print pipe-filter pipe-chisel)
ref_of() { case $1 in pipe-*) echo "${1#pipe-}" ;; *) echo "$1" ;; esac; }
theirs_cmd() {
	case $1 in
	print) echo "sysdig -r '$2'" ;;
	filter) echo "sysdig -r '$2' '$filter'" ;;
	quiet) echo "sysdig -r '$2' -q '$filter'" ;;
	chisel) echo "sysdig -r '$2' -c topprocs_cpu" ;;
	esac
}
ours_cmd() {
	case $1 in
	print) echo "$bin/sysdig -r '$2'" ;;
	filter) echo "$bin/sysdig -r '$2' '$filter'" ;;
	quiet) echo "$bin/sysdig -r '$2' -q '$filter'" ;;
	chisel) echo "$bin/sysdig -r '$2' -c topprocs_cpu" ;;
	pipe-print) echo "$bin/scap-record -r '$2' | $bin/scap-print" ;;
	pipe-filter) echo "$bin/scap-record -r '$2' | $bin/scap-filter '$filter' | $bin/scap-print" ;;
	pipe-chisel) echo "$bin/scap-record -r '$2' | $bin/scap-chisel topprocs_cpu" ;;
	esac
}
rss() { /usr/bin/time -f %M bash -o pipefail -c "$1 > /dev/null" 2>&1 >/dev/null | tail -1; }

report=$tmp/report.txt
for trace in "$small" "$big"; do
	n=$("$bin/sysdig" -r "$trace" -q -v 2>&1 | sed -n 's/.*Captured Events: \([0-9]*\),.*/\1/p')
	r=$runs
	[ "$trace" = "$big" ] && r=$big_runs
	echo "== $(basename "$trace"): $n events, $r run(s) per command" | tee -a "$report"
	# Reference outputs and their peak RSS.
	declare -A ref_rss=()
	for j in print filter quiet chisel; do
		eval "$(theirs_cmd $j "$trace")" > "$tmp/theirs.$j"
		ref_rss[$j]=$(rss "$(theirs_cmd $j "$trace")")
	done
	cmds=()
	for j in print filter quiet chisel; do cmds+=(-n "sysdig $j" "$(theirs_cmd $j "$trace") > /dev/null"); done
	for j in "${jobs[@]}"; do
		bash -o pipefail -c "$(ours_cmd $j "$trace")" > "$tmp/ours.$j"
		ref=$(ref_of $j)
		if cmp -s "$tmp/theirs.$ref" "$tmp/ours.$j"; then
			same=identical
		elif cmp -s <(sort "$tmp/theirs.$ref") <(sort "$tmp/ours.$j"); then
			same="same lines, other order"
		else
			same="DIFFERENT ($(diff "$tmp/theirs.$ref" "$tmp/ours.$j" | grep -c '^[<>]') lines differ)"
		fi
		echo "   $j: output $same as sysdig's $ref" | tee -a "$report"
		cmds+=(-n "ours $j" "$(ours_cmd $j "$trace") > /dev/null")
	done
	hyperfine --shell bash --style basic --warmup 0 --runs "$r" --export-json "$tmp/h.json" "${cmds[@]}" > "$tmp/hyperfine.txt"
	declare -A our_rss=()
	for j in "${jobs[@]}"; do our_rss[$j]=$(rss "$(ours_cmd $j "$trace")"); done
	rss_args=()
	for j in print filter quiet chisel; do rss_args+=("sysdig $j=${ref_rss[$j]}"); done
	for j in "${jobs[@]}"; do rss_args+=("ours $j=${our_rss[$j]}"); done
	python3 - "$tmp/h.json" "$n" "${rss_args[@]}" <<'PY' | tee -a "$report"
import json, sys
res = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
rss = dict(a.split("=", 1) for a in sys.argv[3:])
def cpu(x): return x["user"] + x["system"]
print(f"   {'command':<18}{'wall s':>8}{'cpu s':>8}{'M ev/s':>8}{'x wall':>8}{'x cpu':>8}{'peak RSS MB':>13}")
for name, x in res.items():
    job = name.split(" ", 1)[1]
    ref = res["sysdig " + (job[5:] if job.startswith("pipe-") else job)]
    print(f"   {name:<18}{x['mean']:>8.2f}{cpu(x):>8.2f}{n / x['mean'] / 1e6:>8.2f}"
          f"{ref['mean'] / x['mean']:>8.2f}{cpu(ref) / cpu(x):>8.2f}{int(rss[name]) / 1024:>13.1f}")
PY
done
echo
echo "Summary (also in $report while the script runs):"
cat "$report"
