#!/bin/bash
# bench/run.sh - runs every benchmark and writes doc/performance.md.
#
# Usage: bench/run.sh [--quick] [OUTPUT.md]
#   --quick (or BENCH_QUICK=1): the quick modes (a few minutes in all);
#   the default is the full run (about an hour on 2 cores).
# VIPD_BUILDDIR names the vipd build to measure (make bench sets it);
# BENCH_OUT keeps the raw results (default a fresh /tmp/vipt-bench.*).
# Exits non-zero when a benchmark could not measure something. The
# document is written only when every benchmark ran and produced figures
# (failed repetitions are reported in it, as misses); when one was skipped
# (not root, a missing tool), bailed out or left no results, the committed
# page stays as it is and the report goes to BENCH_OUT/performance.md.

set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
quick=${BENCH_QUICK:-0}
doc=$here/../doc/performance.md
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	-*) echo "usage: $0 [--quick] [OUTPUT.md]" >&2; exit 2 ;;
	*) doc=$1 ;;
	esac
	shift
done
export BENCH_QUICK=$quick
if [ "$(id -u)" != 0 ]; then
	echo "bench/run.sh: needs root (network namespaces); $doc left as it is" >&2
	exit 1
fi
export VIPD_BUILDDIR=${VIPD_BUILDDIR:-$here/..}
BENCH_OUT=${BENCH_OUT:-$(mktemp -d /tmp/vipt-bench.XXXXXX)} || exit 1
export BENCH_OUT
mkdir -p "$BENCH_OUT" || exit 1

{
	echo "date:       $(date -u +%FT%TZ)"
	echo "cores:      $(nproc)"
	echo "CPU:        $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "memory:     $(awk '$1 == "MemTotal:" { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "kernel:     $(uname -sr)"
	echo "keepalived: $(keepalived --version 2>&1 | head -n 1)"
	echo "vipd:       $("$VIPD_BUILDDIR/vipd" --version 2>&1 | head -n 1), built with CFLAGS $(sed -n "s/^CFLAGS='\(.*\)'$/\1/p" "$VIPD_BUILDDIR/config.log" 2>/dev/null | head -n 1)"
	echo "source:     commit $(git -C "$here/.." describe --always --dirty=' with local changes' 2>/dev/null || echo unknown), for every benchmark"
	echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
} >"$BENCH_OUT/machine.txt"
cat "$BENCH_OUT/machine.txt"

q=
[ "$quick" = 1 ] && q=" --quick"
cmds=("bench/failover.sh$q" "bench/scale.sh$q" "bench/vips.sh$q" "bench/checks.sh$q")
[ "$quick" = 1 ] || cmds+=("bench/vips.sh --big -n 3")
rc=0
for cmd in "${cmds[@]}"; do
	name=${cmd#bench/}
	name=${name%%.sh*}
	echo "==== $cmd (log: $BENCH_OUT/$name.log)"
	read -r -a argv <<<"${cmd#bench/}"
	"$here/${argv[0]}" "${argv[@]:1}" >>"$BENCH_OUT/$name.log" 2>&1 || rc=1
	grep -E '^(\||not ok)' "$BENCH_OUT/$name.log" | tail -n 60
done
echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end" >>"$BENCH_OUT/machine.txt"

# Could every benchmark measure? A skip (1..0 # SKIP), a bail-out or a raw
# file without a single row of figures means it could not.
incomplete=
for cmd in "${cmds[@]}"; do
	name=${cmd#bench/}
	name=${name%%.sh*}
	log=$BENCH_OUT/$name.log
	if grep -q '^1\.\.0 *# *SKIP' "$log" 2>/dev/null; then
		incomplete="$incomplete; $name skipped: $(sed -n 's/^1\.\.0 *# *SKIP *//p' "$log" | head -n 1)"
	elif grep -q '^Bail out!' "$log" 2>/dev/null; then
		incomplete="$incomplete; $name bailed out: $(sed -n 's/^Bail out! *//p' "$log" | head -n 1)"
	elif ! grep -q -v '^#' "$BENCH_OUT/$name.tsv" 2>/dev/null; then
		incomplete="$incomplete; $name left no results"
	fi
done
if [ -n "$incomplete" ]; then
	"$here/report.sh" doc "$BENCH_OUT" "${cmds[@]}" >"$BENCH_OUT/performance.md"
	echo "bench/run.sh: could not measure everything (${incomplete#; }): $doc left as it is;" \
		"this run's report is $BENCH_OUT/performance.md" >&2
	exit 1
fi
"$here/report.sh" doc "$BENCH_OUT" "${cmds[@]}" >"$doc.tmp" && mv "$doc.tmp" "$doc"
echo "wrote $doc (raw results in $BENCH_OUT)"
exit $rc
