# bench/lib.sh - shared code of the benchmarks (sourced by bench/*.sh).
#
# The topology, daemons and captures are those of the namespace tests
# (tests/net/lib.sh: namespaces named vipt*, addresses from the documentation
# ranges, everything removed on every exit path); this file adds what only
# the benchmarks need: per-process CPU and memory, the client's ping,
# statistics, and the raw results file that bench/report.sh turns into
# tables.
#
# Environment:
#   VIPD_BUILDDIR   where vipd and vipctl were built (benchmark an optimised
#                   build: CFLAGS="-O2 -g")
#   BENCH_OUT       directory for the raw results (TSV); default a fresh
#                   directory under /tmp, printed at the end
#   BENCH_QUICK=1   the same as --quick
#   BENCH_DAEMONS   which daemons to run (default "vipd keepalived")

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# tests/net/lib.sh prints TAP: one "ok" line per benchmark repetition that
# produced figures, "not ok" for one that could not (the run goes on).
. "$BENCH_DIR/../tests/net/lib.sh"

BENCH_OUT=${BENCH_OUT:-}
if [ -z "$BENCH_OUT" ]; then
	BENCH_OUT=$(mktemp -d /tmp/vipt-bench.XXXXXX) || bail "mktemp"
fi
mkdir -p "$BENCH_OUT" || bail "mkdir $BENCH_OUT"
# BENCH_DAEMONS="vipd" (for instance) runs one daemon only.
read -r -a BENCH_DAEMONS <<<"${BENCH_DAEMONS:-vipd keepalived}"
CLK_TCK=$(getconf CLK_TCK)

BENCH_REAL_vipd=$VIPD_BUILDDIR/vipd
BENCH_REAL_keepalived=$(command -v keepalived || echo /usr/sbin/keepalived)

# The namespace tests start the daemons with -D, with which vipd logs every
# advert it receives: a benchmark measures them as deployed, so start_daemon
# runs them through a wrapper that drops -D (and execs, keeping the pid).
daemon_bin() {
	echo "$TMP/bench-$VIPT_DAEMON"
}

_bench_wrap() {
	local w=$TMP/bench-$1
	printf '#!/bin/sh
for a; do shift; [ "$a" = -D ] || set -- "$@" "$a"; done
exec %s "$@"
' \
		"$2" >"$w" && chmod 755 "$w"
}

bench_need_tools() {
	local d real
	for d in vipd keepalived vipctl; do
		real=${BENCH_REAL_vipd%/vipd}/vipctl
		[ "$d" = vipctl ] || eval "real=\$BENCH_REAL_$d"
		if [ ! -x "$real" ]; then
			echo "Bail out! $d not found at $real (build it, or set VIPD_BUILDDIR)"
			exit 1
		fi
		[ "$d" = vipctl ] || _bench_wrap "$d" "$real" || bail "cannot write $TMP/bench-$d"
	done
}

# bench_header WHAT started|finished: a comment line of a raw results file:
# when, under which load (the machine may be shared).
bench_header() {
	printf '# %s %s %s, load average %s\n' "$1" "$2" "$(date -u +%FT%TZ)" \
		"$(cut -d' ' -f1-3 /proc/loadavg)"
}

# ------------------------------------------------------------ processes

# vrrp_pid NODE: the process doing the VRRP work: vipd's daemon (its guard
# only watches it), keepalived's VRRP child (its parent only watches it).
vrrp_pid() {
	daemon_pid "$1"
}

# cpu_ticks PID: utime + stime in clock ticks (fields 14 and 15 of
# /proc/PID/stat, counted after the command name, which may hold spaces).
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}

# rss_kib PID: VmRSS in KiB.
rss_kib() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null
}

# anon_kib PID: RssAnon in KiB, the process's own memory (VmRSS also
# counts the shared libraries' pages; PSS depends on who else maps them).
anon_kib() {
	awk '$1 == "RssAnon:" { print $2 }' "/proc/$1/status" 2>/dev/null
}

# ticks_to_pct TICKS SECONDS: share of one core, in percent.
ticks_to_pct() {
	awk -v t="$1" -v s="$2" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz / s * 100 }'
}

# client_ping_start VIP: the client pings VIP every 10 ms (at most 120 s);
# sets PING_PID.
client_ping_start() {
	ip netns exec "$(ns c)" ping -n -q -i 0.01 -W 1 -w 120 "$1" >/dev/null 2>&1 </dev/null &
	PING_PID=$!
	register_pid "$PING_PID"
}

client_ping_stop() {
	[ -n "${PING_PID:-}" ] || return 0
	kill -INT "$PING_PID" 2>/dev/null
	wait "$PING_PID" 2>/dev/null
	PING_PID=
}

# client_setup: the client believes every ARP it hears at once (the default
# locktime of 1 s ignores a gratuitous ARP that comes within a second of the
# last update of the entry, which would measure the client, not the daemon).
client_setup() {
	nsx c sysctl -qw net.ipv4.neigh.eth0.locktime=0 >/dev/null
}

# wait_pid_gone PID TIMEOUT_S
wait_pid_gone() {
	wait_until "$2" eval '! _is_alive '"$1"
}

# ------------------------------------------------------------ statistics

# stats: numbers on stdin, one a line; prints "n median p95 max" (nearest
# rank: with 10 samples p95 is the maximum) or "0 - - -".
stats() {
	sort -g | awk '{ v[++n] = $1 }
		END {
			if (n == 0) { print "0 - - -"; exit }
			m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			r = int(0.95 * n); if (r < 0.95 * n) r++
			printf "%d %.3f %.3f %.3f\n", n, m, v[r], v[n]
		}'
}
