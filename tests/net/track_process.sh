#!/bin/bash
# track_process: vrrp_track_process follows a real nginx on each node
# through the kernel's process events, with no script and no polling.
# Each node's block names its own nginx by its command line (both run on
# one host, so the name alone would count both). With weight -60
# (priorities 150/100) SIGKILL to the master's nginx sends an advert with
# priority 90 at once and the VIP moves; with weight 0 the master goes to
# FAULT, resigns, and the backup is master after its Skew_Time.
#
# The kernel sends process events to the initial network namespace only,
# so the daemons start there and net_namespace moves each into its node,
# as keepalived's own track_process needs: this is also the net_namespace
# test.

for _t in nginx curl; do
	if ! command -v "$_t" >/dev/null 2>&1; then
		echo "1..0 # SKIP needs $_t"
		exit 0
	fi
done

. "$(dirname "$0")/lib.sh"

need_daemon
if is_keepalived; then
	echo "1..0 # SKIP vipd's own test (track_process.sh runs vipd)"
	exit 0
fi
topo_create 2

VIP=192.0.2.100
ADVERT=0.1
. "$(dirname "$0")/lib_nginx.sh"

# nginx_kill NODE: SIGKILL, as a crash; records the time just before it.
nginx_kill() {
	local node=$1 pid=${NGINX_PID[$1]:-}
	KILL_EPOCH=$(date +%s.%N)
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "NGINX_PID[$node]"
}

# node_conf NODE PRIORITY WEIGHT
node_conf() {
	local d=$TMP/nginx-$1
	{
		printf 'net_namespace %s\n\n' "$(ns "$1")"
		conf_global
		printf 'vrrp_track_process nginx {\n'
		printf '\tprocess %s -e %s/error.log -p %s -c %s/nginx.conf\n' "$NGINX" "$d" "$d" "$d"
		printf '\tweight %s\n}\n\n' "$3"
		conf_instance prio="$2" advert=$ADVERT extra=$'\ttrack_process {\n\t\tnginx\n\t}'
	} >"$TMP/$1-w$3.conf"
}

# first advert from SRC with priority PRIO after the kill: ms after it.
advert_delay_ms() {
	local pcap=$1 src=$2 prio=$3 t
	t=$(tshark_fields "$pcap" "vrrp && ip.src == $src && vrrp.prio == $prio" \
		frame.time_epoch | head -n 1)
	[ -n "$t" ] || return 1
	awk -v a="$t" -v k="$KILL_EPOCH" 'BEGIN { printf "%.2f\n", (a - k) * 1000 }'
}

for node in n1 n2; do
	nginx_conf "$node" || bail "nginx config for $node"
	nginx_start "$node"
done

# --- weight -60: the priority drops at once and the VIP moves
node_conf n1 150 -60
node_conf n2 100 -60
START_IN_HOST=1 check_start n1 "$TMP/n1-w-60.conf"
START_IN_HOST=1 check_start n2 "$TMP/n2-w-60.conf"
check "n1 runs in its namespace (its log says so)" \
	grep -q "running in network namespace $(ns n1)" "$TMP/n1.log"
check "[weight -60] n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 5
check_eq "vipctl finds n1's daemon through its pid file" MASTER "$(inst_state n1)"
check_eq "[weight -60] n1's effective priority: the start-up scan found its nginx" 150 "$(inst_prio n1)"
capture_start prio "vrrp"
nginx_kill n1
check "[weight -60] n2 takes over $VIP" wait_single_holder n2 $VIP 6
check "[weight -60] n1's effective priority is 150 - 60" wait_until 2 prio_is n1 90
capture_stop prio
ms=$(advert_delay_ms "$(capture_file prio)" "$(node_ip n1)" 90)
diag "[weight -60] nginx SIGKILLed on n1 -> first advert with priority 90 on the wire: ${ms:-none} ms"
check "[weight -60] an advert with priority 90 was sent" test -n "$ms"
check_lt "[weight -60] ... within 10 ms of the kill" "$ms" 10
check "[weight -60] n1's log gives the cause" \
	grep -q 'web: priority 150 -> 90: vrrp_track_process nginx is down' "$TMP/n1.log"
check "[weight -60] n1's log names the exit" \
	grep -q 'vrrp_track_process nginx: up -> down (0 running)' "$TMP/n1.log"

nginx_start n1
check "[weight -60] n1 preempts once nginx runs again" wait_single_holder n1 $VIP 6
check "[weight -60] n1's effective priority is back to 150" wait_until 2 prio_is n1 150
check_stop n1
check_stop n2

# --- weight 0: FAULT, and the backup is master after its Skew_Time
node_conf n1 150 0
node_conf n2 100 0
START_IN_HOST=1 check_start n1 "$TMP/n1-w0.conf"
START_IN_HOST=1 check_start n2 "$TMP/n2-w0.conf"
check "[weight 0] n1 becomes the only holder" wait_single_holder n1 $VIP 5
check "[weight 0] vipctl: vipd_check_up of nginx is 1" check_up_is n1 process nginx 1
check "[weight 0] vipctl: one nginx running" eval \
	'vipctl_metrics n1 | grep -qx "vipd_check_processes{check=\"nginx\"} 1"'
check "[weight 0] vipctl status: web's track process nginx is up" \
	eval '"$VIPD_BUILDDIR/vipctl" -p "$TMP/n1.pid" status | grep -Eq "track process +nginx +up \(1 running\)"'
t0=$(now_us)
nginx_kill n1
check "[weight 0] n2 takes over $VIP" wait_single_holder n2 $VIP 6
ms=$(elapsed_ms "$t0")
diag "[weight 0] nginx SIGKILLed on n1 -> n2 sole holder: $ms ms (n2's Skew_Time $(skew_ms 100 $ADVERT) ms)"
check_lt "[weight 0] failover takes about a Skew_Time, not a Master_Down_Interval" "$ms" \
	"$(mdi_ms 100 $ADVERT)"
check "[weight 0] n1 is in FAULT" wait_until 2 state_is n1 FAULT
check_eq "[weight 0] n2 is MASTER" MASTER "$(inst_state n2)"
check "[weight 0] vipctl: vipd_check_up of nginx is 0" check_up_is n1 process nginx 0
check "[weight 0] vipctl --json: web's track process nginx is down" \
	track_is n1 web process nginx false
check "[weight 0] vipctl status: web's track process nginx is down" \
	eval '"$VIPD_BUILDDIR/vipctl" -p "$TMP/n1.pid" status | grep -Eq "track process +nginx +down \(0 running\)"'
check "[weight 0] the client's HTTP request to $VIP is answered by n2" \
	wait_until 3 eval "[ \"\$(nsx c $CURL -fsS --max-time 1 http://$VIP/ 2>/dev/null)\" = 'served by n2' ]"
nginx_start n1
check "[weight 0] n1 leaves FAULT and preempts" wait_single_holder n1 $VIP 6
check_stop n1
check_stop n2
assert_no_holder $VIP
for node in n1 n2; do
	[ -z "${NGINX_PID[$node]:-}" ] || nginx_kill "$node"
done

done_testing
