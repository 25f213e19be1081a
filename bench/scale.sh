#!/bin/bash
# bench/scale.sh - many instances: CPU, memory, stability and advert rhythm.
#
# n1 (priority 150) is master and n2 (100) backup of N instances, VRIDs
# 1..N, one VIP each (198.51.100.1-254, then 203.0.113.x), VRRPv3, for N in
# 1, 50, 255 and advert_int 1, 0.1, 0.01, vipd and keepalived one after the
# other. Once n1 holds every VIP, over a window of W seconds (default 30):
#   - CPU: utime + stime of the VRRP process (keepalived: its VRRP child)
#     of master and backup, from /proc/PID/stat, as a share of one core;
#   - memory: VmRSS and RssAnon at the end of the window;
#   - stability: no state change in the window (vipd: the sum of vipctl's
#     per-instance transition counters; keepalived: "Entering" log lines),
#     every VIP on n1 and none on n2 at the end, and no advert from n2 on
#     the wire;
#   - rhythm: the inter-arrival of VRID 1's adverts on the wire (capture on
#     the client's port): median gap, p99 and max of |gap - advert_int|.
#
# Usage: bench/scale.sh [--quick] [-w SECONDS] [--counts "1 50 255"]
#                       [--adverts "1 0.1 0.01"]
# --quick: 10 s windows, N in 1 and 255, advert_int 0.1 and 0.01.
# Raw results: $BENCH_OUT/scale.tsv; the table is printed at the end.

WINDOW_S=30
COUNTS="1 50 255"
ADVERTS="1 0.1 0.01"
quick=${BENCH_QUICK:-0}
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	-w) WINDOW_S=$2; shift ;;
	--counts) COUNTS=$2; shift ;;
	--adverts) ADVERTS=$2; shift ;;
	*) echo "usage: $0 [--quick] [-w SECONDS] [--counts LIST] [--adverts LIST]" >&2; exit 2 ;;
	esac
	shift
done
if [ "$quick" = 1 ]; then
	WINDOW_S=10
	COUNTS="1 255"
	ADVERTS="0.1 0.01"
fi

. "$(dirname "$0")/lib.sh"

bench_need_tools
command -v jq >/dev/null 2>&1 || {
	echo "Bail out! jq is needed to read vipctl status --json"
	exit 1
}
topo_create 2

N1_IP=$(node_ip n1)
N2_IP=$(node_ip n2)
RAW=$BENCH_OUT/scale.tsv
bench_header scale started >"$RAW"
printf '# instances\tadvert_s\tdaemon\tcpu_master_pct\tcpu_backup_pct\trss_master_kib\trss_backup_kib\tanon_master_kib\tanon_backup_kib\tstayed\tbackup_adverts\tgap_median_ms\tdev_p99_ms\tdev_max_ms\tadverts\tstatus\n' >>"$RAW"

# vip_of I: the VIP of instance I.
vip_of() {
	if [ "$1" -le 254 ]; then
		echo "198.51.100.$1"
	else
		echo "203.0.113.$(($1 - 254))"
	fi
}

# conf N ADVERT PRIO
conf() {
	local i
	conf_global
	for i in $(seq 1 "$1"); do
		conf_instance name="vi$i" vrid="$i" prio="$3" advert="$2" vip="$(vip_of "$i")/32" label=
	done
}

# vip_count NODE: how many of the benchmark's VIPs NODE holds.
vip_count() {
	ip -n "$(ns "$1")" -o -4 addr show dev eth0 |
		awk '$4 ~ /^(198\.51\.100|203\.0\.113)\./ { n++ } END { print n + 0 }'
}

# transitions NODE LOG: the state changes so far (vipd: from vipctl;
# keepalived: "Entering" lines in its log).
transitions() {
	if [ "$VIPT_DAEMON" = keepalived ]; then
		grep -c 'Entering' "$TMP/$1.log"
	else
		vipctl_json "$1" | jq '[.instances[].transitions] | add'
	fi
}

# rhythm PCAP ADVERT: "median_gap p99_dev max_dev count" for n1's adverts.
rhythm() {
	tshark -r "$1" -Y "vrrp && ip.src == $N1_IP && vrrp.virt_rtr_id == 1" \
		-T fields -e frame.time_epoch 2>/dev/null |
		awk -v a="$2" 'NR > 1 { g = ($1 - p) * 1000; print g, (g > a * 1000 ? g - a * 1000 : a * 1000 - g) } { p = $1 }' >"$TMP/gaps"
	local med p99 max n
	n=$(wc -l <"$TMP/gaps")
	[ "$n" -gt 0 ] || { echo "- - - 0"; return; }
	med=$(cut -d' ' -f1 "$TMP/gaps" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	p99=$(cut -d' ' -f2 "$TMP/gaps" | sort -g | awk '{ v[NR] = $1 } END { r = int(0.99 * NR); if (r < 0.99 * NR) r++; printf "%.3f", v[r] }')
	max=$(cut -d' ' -f2 "$TMP/gaps" | sort -g | tail -n 1)
	printf '%s %s %.3f %d\n' "$med" "$p99" "$max" "$((n + 1))"
}

stop_if_running() {
	[ -n "${DAEMON_PID[$1]:-}" ] || return 0
	stop_daemon "$1" >/dev/null
}

# one_run N ADVERT DAEMON
one_run() {
	local n=$1 a=$2 d=$3 tag pm pb t0 c0m c0b c1m c1b t1 el tr0 tr1 held
	local cpum cpub rssm rssb anm anb stayed badv rh status
	tag="$d $n instances advert_int $a"
	export VIPT_DAEMON=$d
	conf "$n" "$a" 150 >"$TMP/n1.conf"
	conf "$n" "$a" 100 >"$TMP/n2.conf"
	if ! start_daemon n1 "$TMP/n1.conf" || ! start_daemon n2 "$TMP/n2.conf" ||
		! wait_until "$(awk -v a="$a" 'BEGIN { print 4 * a + 20 }')" \
			eval '[ "$(vip_count n1)" -eq '"$n"' ] && [ "$(vip_count n2)" -eq 0 ]'; then
		not_ok "$tag: n1 did not become master of every instance" \
			"n1 holds $(vip_count n1), n2 $(vip_count n2)"
		stop_if_running n1
		stop_if_running n2
		return 1
	fi
	# Let the backups hear a few adverts before the window opens.
	observe "$(awk -v a="$a" 'BEGIN { print 3 * a + 1 }')"
	pm=$(vrrp_pid n1)
	pb=$(vrrp_pid n2)
	# vipctl is asked before and after the window, never in it: a status
	# request is work for the daemon.
	tr0=$(($(transitions n1) + $(transitions n2)))
	capture_start scale "ip proto 112 and (src host $N2_IP or ip[((ip[0] & 0xf) << 2) + 1] = 1)" c ||
		bail "tcpdump did not start"
	t0=$EPOCHREALTIME
	c0m=$(cpu_ticks "$pm")
	c0b=$(cpu_ticks "$pb")
	sleep "$WINDOW_S"
	c1m=$(cpu_ticks "$pm")
	c1b=$(cpu_ticks "$pb")
	t1=$EPOCHREALTIME
	rssm=$(rss_kib "$pm")
	rssb=$(rss_kib "$pb")
	anm=$(anon_kib "$pm")
	anb=$(anon_kib "$pb")
	# A process that is gone has no figures: never 0 or a negative CPU share.
	status=ok
	_is_alive "$pm" || status="died: n1's daemon (pid $pm) during the window"
	_is_alive "$pb" || status="died: n2's daemon (pid $pb) during the window"
	capture_stop scale
	tr1=
	[ "$status" = ok ] && tr1=$(($(transitions n1) + $(transitions n2)))
	held="$(vip_count n1)/$(vip_count n2)"
	el=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
	cpum=- cpub=-
	if [ "$status" = ok ] && [ -n "$c0m" ] && [ -n "$c1m" ] && [ -n "$c0b" ] && [ -n "$c1b" ]; then
		cpum=$(ticks_to_pct $((c1m - c0m)) "$el")
		cpub=$(ticks_to_pct $((c1b - c0b)) "$el")
	fi
	if [ "$status" != ok ]; then
		rssm=- rssb=- anm=- anb=-
	fi
	if ! badv=$(count_frames "$(capture_file scale)" "vrrp && ip.src == $N2_IP"); then
		badv=-
		[ "$status" = ok ] && status="unmeasured: the capture could not be read"
	fi
	stayed=no
	[ "$tr1" = "$tr0" ] && [ "$held" = "$n/0" ] && stayed=yes
	if [ "$stayed" = no ]; then
		# Keep the why: the state changes the daemons logged.
		grep -h -E 'MASTER|BACKUP|FAULT|Entering' "$TMP/n1.log" "$TMP/n2.log" 			>"$BENCH_OUT/scale-flaps-$d-$n-$a.log"
	fi
	rh=$(rhythm "$(capture_file scale)" "$a")
	stop_if_running n1
	stop_if_running n2
	wait_until 10 eval '[ "$(vip_count n1)" -eq 0 ]' ||
		{ ip -n "$(ns n1)" addr flush dev eth0 to 198.51.100.0/24; ip -n "$(ns n1)" addr flush dev eth0 to 203.0.113.0/24; }
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$a" "$d" "$cpum" "$cpub" \
		"$rssm" "$rssb" "$anm" "$anb" "$stayed" "$badv" "${rh// /$'\t'}" "$status" >>"$RAW"
	if [ "$status" = ok ]; then
		ok "$tag: cpu ${cpum}%/${cpub}% rss ${rssm}/${rssb} anon ${anm}/${anb} KiB stayed=$stayed ($((tr1 - tr0)) transitions, VIPs $held) backup adverts $badv rhythm $rh"
	else
		not_ok "$tag: $status"
	fi
}

diag "scale: instances '$COUNTS', advert_int '$ADVERTS', ${WINDOW_S} s windows"
for a in $ADVERTS; do
	for n in $COUNTS; do
		for d in "${BENCH_DAEMONS[@]}"; do
			one_run "$n" "$a" "$d"
		done
	done
done
bench_header scale finished >>"$RAW"

"$BENCH_DIR/report.sh" table scale "$RAW"
diag "raw results: $RAW"
done_testing
