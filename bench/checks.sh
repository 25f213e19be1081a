#!/bin/bash
# bench/checks.sh - what HTTP health checks cost: native http_get in vipd
# against the same checks as curl scripts, in vipd and in keepalived.
#
# One node runs nginx (one process) and a daemon with one instance that
# tracks C checks (default 20), each fetching http://127.0.0.1/ every
# INTERVAL (default 0.1 s). Over a window of W seconds (default 30) after
# the checks have run for a few seconds:
#   - daemon CPU: utime + stime of the daemon's process (keepalived: its
#     VRRP child, which runs the scripts), as a share of one core;
#   - script CPU: cutime + cstime of that process, the CPU of the script
#     processes it reaped (curl, and the shell keepalived puts in front);
#   - nginx CPU, for scale (the server side of every check);
#   - requests: check runs, counted by nginx's access log, and the CPU
#     (daemon + scripts) per run: keepalived's vrrp_script interval is a
#     whole number of seconds, so it runs the checks every 1 s, not 0.1 s,
#     and only the per-run figure compares;
#   - forks: the daemon's fork/clone calls per second, from strace over
#     2 s after the window (strace slows the daemon, so not during it).
#
# Usage: bench/checks.sh [--quick] [-w SECONDS] [-c CHECKS] [-i INTERVAL]
#                        [--modes "native curl keepalived"]
# --quick: 10 s window.
# Raw results: $BENCH_OUT/checks.tsv; the table is printed at the end.

WINDOW_S=30
CHECKS=20
INTERVAL=0.1
MODES="native curl keepalived"
WARMUP_S=3
quick=${BENCH_QUICK:-0}
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	-w) WINDOW_S=$2; shift ;;
	-c) CHECKS=$2; shift ;;
	-i) INTERVAL=$2; shift ;;
	--modes) MODES=$2; shift ;;
	*) echo "usage: $0 [--quick] [-w SECONDS] [-c CHECKS] [-i INTERVAL] [--modes LIST]" >&2; exit 2 ;;
	esac
	shift
done
[ "$quick" = 1 ] && WINDOW_S=10

. "$(dirname "$0")/lib.sh"
. "$BENCH_DIR/../tests/net/lib_nginx.sh"

bench_need_tools
for t in nginx curl; do
	command -v "$t" >/dev/null 2>&1 || bail "$t is needed"
done
topo_create 1

RAW=$BENCH_OUT/checks.tsv
bench_header checks started >"$RAW"
printf '# mode\tdaemon\tchecks\tinterval_s\twindow_s\tcpu_daemon_pct\tcpu_scripts_pct\tcpu_total_pct\tcpu_nginx_pct\trequests\tcpu_ms_per_run\tforks_per_s\n' >>"$RAW"

# cpu_split PID: "self children" in clock ticks (utime+stime, cutime+cstime).
cpu_split() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13, $14 + $15 }'
}

# forks_per_s PID SECONDS: fork/clone calls of PID per second (strace).
forks_per_s() {
	local out=$TMP/strace-forks.out n
	timeout "$2" strace -f -qq -e trace=fork,vfork,clone,clone3 -o "$out" -p "$1" 2>/dev/null
	n=$(grep -cE '(^|[^a-z])(v?fork|clone3?)\(' "$out")
	awk -v n="$n" -v s="$2" 'BEGIN { printf "%.1f", n / s }'
}

# conf MODE: C tracked checks fetching nginx's page, weight -1 each.
conf() {
	local i track=
	conf_global extra=$'\tscript_user root'
	for i in $(seq 1 "$CHECKS"); do
		printf 'vrrp_script chk%d {\n' "$i"
		if [ "$1" = native ]; then
			printf '\thttp_get http://127.0.0.1/\n'
		else
			printf '\tscript "%s -fsS --max-time 1 -o /dev/null http://127.0.0.1/"\n' "$CURL"
		fi
		printf '\tinterval %s\n\ttimeout 1\n\tweight -1\n}\n\n' "$INTERVAL"
		track+=$'\t\t'"chk$i"$'\n'
	done
	conf_instance prio=150 advert=1 extra=$'\ttrack_script {\n'"$track"$'\t}'
}

# requests: lines in nginx's access log so far.
requests() {
	wc -l <"$TMP/nginx-n1/access.log" 2>/dev/null || echo 0
}

nginx_conf n1 || bail "nginx config"
nginx_start n1 || bail "nginx does not start"
nginx_pid=${NGINX_PID[n1]}

for mode in $MODES; do
	daemon=vipd
	[ "$mode" = keepalived ] && daemon=keepalived
	VIPT_DAEMON=$daemon
	conf "$mode" >"$TMP/checks-$mode.conf"
	if ! start_daemon n1 "$TMP/checks-$mode.conf"; then
		not_ok "$mode: $daemon starts" "$(tail -n 20 "$TMP/n1.log")"
		continue
	fi
	if ! wait_single_holder n1 192.0.2.100 10; then
		not_ok "$mode: n1 becomes master" "$(tail -n 20 "$TMP/n1.log")"
		stop_daemon n1
		continue
	fi
	sleep "$WARMUP_S" # the checks settle into their rhythm
	pid=$(vrrp_pid n1)
	read -r self0 kids0 < <(cpu_split "$pid")
	ng0=$(cpu_ticks "$nginx_pid")
	req0=$(requests)
	sleep "$WINDOW_S"
	read -r self1 kids1 < <(cpu_split "$pid")
	ng1=$(cpu_ticks "$nginx_pid")
	req1=$(requests)
	forks=$(forks_per_s "$pid" 2)
	stop_daemon n1
	d=$(ticks_to_pct $((self1 - self0)) "$WINDOW_S")
	s=$(ticks_to_pct $((kids1 - kids0)) "$WINDOW_S")
	t=$(ticks_to_pct $((self1 - self0 + kids1 - kids0)) "$WINDOW_S")
	n=$(ticks_to_pct $((ng1 - ng0)) "$WINDOW_S")
	r=$((req1 - req0))
	per=$(awk -v t=$((self1 - self0 + kids1 - kids0)) -v r="$r" -v hz="$CLK_TCK" \
		'BEGIN { if (r > 0) printf "%.3f", t / hz * 1000 / r; else print "-" }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$daemon" "$CHECKS" \
		"$INTERVAL" "$WINDOW_S" "$d" "$s" "$t" "$n" "$r" "$per" "$forks" >>"$RAW"
	ok "$mode: $daemon, $CHECKS checks at ${INTERVAL} s for ${WINDOW_S} s: daemon $d %, scripts $s %, nginx $n %, $r runs, $per ms CPU per run, $forks forks/s"
done
nginx_stop n1
bench_header checks finished >>"$RAW"

diag "$(printf '%-11s %-10s %8s %9s %8s %7s %6s %9s %8s' mode daemon 'daemon%' 'scripts%' 'total%' 'nginx%' runs 'ms/run' 'forks/s')"
grep -v '^#' "$RAW" | while IFS=$'\t' read -r mode daemon c i w d s t n r per f; do
	diag "$(printf '%-11s %-10s %8s %9s %8s %7s %6s %9s %8s' "$mode" "$daemon" "$d" "$s" "$t" "$n" "$r" "$per" "$f")"
done
diag "(CPU as a share of one core over ${WINDOW_S} s; ms/run: daemon + script CPU per check run)"
diag "raw results: $RAW"
done_testing
