#!/bin/bash
# track_nginx: a real nginx on each node, tracked by a vrrp_script that
# fetches http://127.0.0.1/. With weight -60 (priorities 150/100) stopping
# nginx on the master drops it to 90, the VIP moves and the client's HTTP
# request to the VIP is answered by the other node; starting nginx again
# brings the VIP back (preempt). With weight 0 a stopped nginx puts the
# master in FAULT instead, and the VIP moves just the same.

for _t in nginx curl; do
	if ! command -v "$_t" >/dev/null 2>&1; then
		echo "1..0 # SKIP needs $_t"
		exit 0
	fi
done

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_nginx.sh"

need_daemon
topo_create 2

VIP=192.0.2.100
ADVERT=0.1
# client_get: the page the client gets from the VIP ("" when none).
client_get() {
	nsx c "$CURL" -fsS --max-time 1 "http://$VIP/" 2>/dev/null
}

client_served_by() {
	[ "$(client_get)" = "served by $1" ]
}

# node_conf NODE PRIORITY WEIGHT
node_conf() {
	{
		conf_global extra=$'\tscript_user root'
		printf 'vrrp_script chk_nginx {\n'
		printf '\tscript "%s -fsS --max-time 1 -o /dev/null http://127.0.0.1/"\n' "$CURL"
		printf '\tinterval 0.25\n\ttimeout 2\n\tfall 2\n\trise 2\n\tweight %s\n}\n\n' "$3"
		conf_instance prio="$2" advert=$ADVERT extra=$'\ttrack_script {\n\t\tchk_nginx\n\t}'
	} >"$TMP/$1-w$3.conf"
}

for node in n1 n2; do
	nginx_conf "$node" || bail "nginx config for $node"
	nginx_start "$node"
done
check_eq "n1's nginx names its node" "served by n1" "$(local_page n1)"

# --- weight -60: the master drops to 90 and hands over
node_conf n1 150 -60
node_conf n2 100 -60
check_start n1 "$TMP/n1-w-60.conf"
check_start n2 "$TMP/n2-w-60.conf"
check "[weight -60] n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 5
check "[weight -60] the client's HTTP request to $VIP is answered by n1" \
	wait_until 3 client_served_by n1
check_eq "[weight -60] n1's effective priority with nginx up" 150 "$(inst_prio n1)"

t0=$(now_us)
nginx_stop n1
check "[weight -60] n2 takes over $VIP" wait_single_holder n2 $VIP 6
ms=$(elapsed_ms "$t0")
diag "[weight -60] DETECT-TO-FAILOVER: nginx stopped on n1 -> n2 sole holder: $ms ms (script interval 0.25 s, fall 2, Master_Down_Interval $(mdi_ms 100 $ADVERT) ms)"
# Detection: up to one interval until the next fetch, then fall 2 of them.
check_lt "[weight -60] failover within 3 x 0.25 s + 2 x Master_Down_Interval (ms)" "$ms" \
	"$(failover_bound_ms 750 100 $ADVERT)"
check "[weight -60] n1's effective priority is 150 - 60" wait_until 2 prio_is n1 90
check "[weight -60] n1 is BACKUP" wait_until 2 state_is n1 BACKUP
check_eq "[weight -60] n2 is MASTER" MASTER "$(inst_state n2)"
check "[weight -60] the client's HTTP request to $VIP is answered by n2" \
	wait_until 3 client_served_by n2
check_ge "[weight -60] n1 counted the failed fetches" "$(check_counter n1 chk_nginx failures)" 2
check "[weight -60] n1's log gives the cause of the drop" \
	grep -q 'web: priority 150 -> 90: vrrp_script chk_nginx is down' "$TMP/n1.log"
observe 0.5
assert_single_holder $VIP n2

t0=$(now_us)
nginx_start n1
check "[weight -60] n1 preempts and holds $VIP again" wait_single_holder n1 $VIP 6
diag "[weight -60] RECOVERY: nginx started on n1 -> n1 sole holder: $(elapsed_ms "$t0") ms (rise 2)"
check "[weight -60] n1's effective priority is back to 150" wait_until 2 prio_is n1 150
check "[weight -60] the client's HTTP request to $VIP is answered by n1 again" \
	wait_until 3 client_served_by n1
check_stop n1
check_stop n2
assert_no_holder $VIP

# --- weight 0: a stopped nginx is a FAULT
node_conf n1 150 0
node_conf n2 100 0
check_start n1 "$TMP/n1-w0.conf"
check_start n2 "$TMP/n2-w0.conf"
check "[weight 0] n1 becomes the only holder" wait_single_holder n1 $VIP 5
check "[weight 0] the client's HTTP request to $VIP is answered by n1" \
	wait_until 3 client_served_by n1

t0=$(now_us)
nginx_stop n1
check "[weight 0] n2 takes over $VIP" wait_single_holder n2 $VIP 6
ms=$(elapsed_ms "$t0")
diag "[weight 0] DETECT-TO-FAILOVER: nginx stopped on n1 -> n2 sole holder: $ms ms"
check_lt "[weight 0] failover within 3 x 0.25 s + 2 x Master_Down_Interval (ms)" "$ms" \
	"$(failover_bound_ms 750 100 $ADVERT)"
check "[weight 0] n1 is in FAULT (vipctl status --json)" wait_until 2 state_is n1 FAULT
check_eq "[weight 0] n2 is MASTER" MASTER "$(inst_state n2)"
check "[weight 0] the client's HTTP request to $VIP is answered by n2" \
	wait_until 3 client_served_by n2
observe 0.5
assert_single_holder $VIP n2
check_eq "[weight 0] n1 stays in FAULT while nginx is down" FAULT "$(inst_state n1)"

t0=$(now_us)
nginx_start n1
check "[weight 0] n1 leaves FAULT and preempts" wait_single_holder n1 $VIP 6
diag "[weight 0] RECOVERY: nginx started on n1 -> n1 sole holder: $(elapsed_ms "$t0") ms"
check_eq "[weight 0] n1 is MASTER" MASTER "$(inst_state n1)"
check "[weight 0] n1's log names the fault that was resolved" \
	grep -qF 'web: FAULT -> BACKUP: fault cleared: vrrp_script chk_nginx is up again' "$TMP/n1.log"
check "[weight 0] the client's HTTP request to $VIP is answered by n1 again" \
	wait_until 3 client_served_by n1
check_stop n1
check_stop n2
assert_no_holder $VIP
for node in n1 n2; do
	nginx_stop "$node"
done

done_testing
