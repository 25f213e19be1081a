#!/bin/bash
# advert_path: two nodes (priorities 150/100) with a public eth0 (the
# client's bridge) and a private eth1, each naming eth1 as an advert path to
# the other. VRRP dropped on eth0 only (an iptables rule in the backup's
# namespace, as a filtering switch or cloud network would) keeps one master,
# and the backup logs, shows and exports eth0 as silent; dropped on eth1 only,
# nothing moves; the master's eth0 going down is a resignation over eth1 and
# the backup takes over after Skew_Time (measured on the eth1 bridge); both
# dropped is a split brain that ends when VRRP flows again. Last, a
# keepalived peer that knows nothing of advert_path still interoperates on
# eth0 with a vipd that has one, as master and as backup.

. "$(dirname "$0")/lib.sh"

need_daemon
is_keepalived && skip_all "advert_path is vipd's own"
# keepalived is the peer of the last part; iptables drops VRRP on one link.
VIPT_DAEMON=keepalived need_daemon
for tool in iptables ip6tables; do
	command -v $tool >/dev/null 2>&1 || {
		echo "Bail out! $tool is needed to drop VRRP on one interface"
		exit 1
	}
done
topo_create 2 eth1

VIP=192.0.2.100
ADVERT=1
SKEW_MS=$(skew_ms 100 $ADVERT)
MDI_MS=$(mdi_ms 100 $ADVERT)

# node_conf FILE PRIORITY PEER: eth1 is an advert path to PEER's eth1 address.
node_conf() {
	write_conf "$1" prio="$2" advert=$ADVERT \
		extra=$'\tadvert_path {\n\t\teth1 '"$3"$'\n\t}'
}

# vrrp_drop NODE IF / vrrp_pass NODE IF: VRRP (IP protocol 112) arriving on
# IF is dropped in NODE's namespace, every other packet passes.
vrrp_drop() {
	nsx "$1" iptables -w 5 -A INPUT -i "$2" -p 112 -j DROP
}

vrrp_pass() {
	nsx "$1" iptables -w 5 -D INPUT -i "$2" -p 112 -j DROP
}

metrics() {
	"$VIPD_BUILDDIR/vipctl" -p "$TMP/$1.pid" metrics
}

# path_metric NODE PATH: the value of vipd_advert_path_up for web on PATH.
path_metric() {
	metrics "$1" | sed -n "s/^vipd_advert_path_up{instance=\"web\",path=\"$2\"} //p"
}

path_metric_is() {
	[ "$(path_metric "$1" "$2")" = "$3" ]
}

# path_json NODE PATH: that path's object in the instance's JSON.
path_json() {
	inst_status "$1" | grep -o "{\"interface\":\"$2\",\"main\":[a-z]*,[^}]*}"
}

# single_for SECONDS NODE: NODE alone holds the VIP at every sample (every
# 0.2 s) for SECONDS; prints the first bad sample.
single_for() {
	local i n h
	n=$(awk -v s="$1" 'BEGIN { printf "%d", s * 5 }')
	for i in $(seq 1 "$n"); do
		h=$(vip_holders $VIP)
		if [ "$h" != "$2" ]; then
			echo "sample $i: holders '$h'"
			return 1
		fi
		sleep 0.2
	done
}

node_conf "$TMP/n1.conf" 150 198.51.100.12
node_conf "$TMP/n2.conf" 100 198.51.100.11
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 10
check "n2 is BACKUP" wait_until 5 state_is n2 BACKUP
check "n2 hears n1 on both paths" wait_until 5 eval \
	'path_metric_is n2 eth0 1 && path_metric_is n2 eth1 1'
check_eq "n1 (master) exports both paths as carrying its adverts" "1 1" \
	"$(path_metric n1 eth0) $(path_metric n1 eth1)"

# --- VRRP dropped on eth0: the adverts still arrive over eth1.
vrrp_drop n2 eth0
check "[eth0 dropped] n1 stays the only holder for 10 s" single_for 10 n1
check_eq "[eth0 dropped] n2 is still BACKUP" BACKUP "$(inst_state n2)"
check "[eth0 dropped] n2 warns that the adverts arrive only via eth1" \
	grep -qE 'web: adverts from 192\.0\.2\.11 arrive only via eth1; eth0 silent for [0-9.]+ s' \
	"$TMP/n2.log"
diag "$(grep -F 'arrive only via' "$TMP/n2.log" | tail -n 1)"
check "[eth0 dropped] vipctl status shows eth0 silent, eth1 up" eval \
	'"$VIPD_BUILDDIR/vipctl" -p "$TMP/n2.pid" status | grep -qE "advert path eth0 +\(main\) +silent for" &&
	 "$VIPD_BUILDDIR/vipctl" -p "$TMP/n2.pid" status | grep -qE "advert path eth1 +198\.51\.100\.11 +up, last advert"'
check "[eth0 dropped] the JSON shows eth0 down, eth1 up" eval \
	'path_json n2 eth0 | grep -q "\"up\":false" && path_json n2 eth1 | grep -q "\"up\":true"'
check_eq "[eth0 dropped] the metrics show eth0 0, eth1 1" "0 1" \
	"$(path_metric n2 eth0) $(path_metric n2 eth1)"
check_eq "[eth0 dropped] n2's master is still named by its eth0 address" 192.0.2.11 \
	"$(inst_status n2 | sed -n 's/.*"master":"\([^"]*\)".*/\1/p')"
transitions=$(inst_status n2 | sed -n 's/.*"transitions":\([0-9]*\).*/\1/p')
kill -HUP "${DAEMON_PID[n2]}"
check "[eth0 dropped, reload] n2 reloads" wait_until 5 grep -q 'reloaded: 1 instance kept' "$TMP/n2.log"
check_eq "[eth0 dropped, reload] the paths keep their state: eth0 0, eth1 1" "0 1" \
	"$(path_metric n2 eth0) $(path_metric n2 eth1)"
check "[eth0 dropped, reload] n1 stays the only holder for 3 s" single_for 3 n1
check_eq "[eth0 dropped, reload] n2 made no transition" "$transitions" \
	"$(inst_status n2 | sed -n 's/.*"transitions":\([0-9]*\).*/\1/p')"
check_eq "[eth0 dropped, reload] the silence is not warned twice" 1 \
	"$(grep -c 'arrive only via eth1; eth0 silent' "$TMP/n2.log")"
vrrp_pass n2 eth0
check "[eth0 back] the metric shows eth0 1 again" wait_until 5 path_metric_is n2 eth0 1
check "[eth0 back] n2 logs that eth0 carries the adverts again" \
	grep -qF 'web: adverts from 192.0.2.11 arrive via eth0 again' "$TMP/n2.log"

# --- VRRP dropped on eth1: nothing happens but a warning.
vrrp_drop n2 eth1
check "[eth1 dropped] n1 stays the only holder for 6 s" single_for 6 n1
check "[eth1 dropped] n2 warns that the adverts arrive only via eth0" \
	grep -qE 'web: adverts from 192\.0\.2\.11 arrive only via eth0; eth1 silent for' "$TMP/n2.log"
check_eq "[eth1 dropped] the metrics show eth0 1, eth1 0" "1 0" \
	"$(path_metric n2 eth0) $(path_metric n2 eth1)"
vrrp_pass n2 eth1
check "[eth1 back] the metric shows eth1 1 again" wait_until 5 path_metric_is n2 eth1 1

# --- the master's eth0 goes down: it resigns over eth1.
capture_start p1 "ip proto 112" br "${P}br1" || bail "capture on ${P}br1"
node_if_down n1
check "[n1 eth0 down] n2 becomes the only holder" wait_single_holder n2 $VIP 5
check "[n1 eth0 down] n1 is in FAULT" wait_until 5 state_is n1 FAULT
check "[n1 eth0 down] n1 logs its resignation via eth1" \
	grep -qF 'web: sent priority-0 advert (resigning) via eth1' "$TMP/n1.log"
observe 0.5
capture_stop p1
PCAP=$(capture_file p1)
gap=$(capture_gap_ms "$PCAP" 'ip.src == 198.51.100.11 && vrrp.prio == 0' \
	'ip.src == 198.51.100.12 && vrrp.prio == 100')
diag "[n1 eth0 down] priority-0 advert (eth1) to n2's first advert as master: ${gap:-none} ms (Skew_Time $SKEW_MS ms, Master_Down_Interval $MDI_MS ms)"
if [ -n "$gap" ] && asan_build; then
	skip_check "[n1 eth0 down] n2 takes over within Skew_Time + 5 ms" \
		"not for sanitizer builds: timing bound (${gap} ms)"
	check_ge "[n1 eth0 down] and not before Skew_Time" "$gap" "$SKEW_MS"
elif [ -n "$gap" ]; then
	check_lt "[n1 eth0 down] n2 takes over within Skew_Time + 5 ms" "$gap" \
		"$(awk -v s="$SKEW_MS" 'BEGIN { print s + 5 }')"
	check_ge "[n1 eth0 down] and not before Skew_Time" "$gap" "$SKEW_MS"
else
	not_ok "[n1 eth0 down] the eth1 capture has the resignation and n2's advert" \
		"$(vrrp_adverts "$PCAP")"
fi
check "[n1 eth0 down] the client reaches $VIP" client_ping $VIP
node_if_up n1
check "[n1 eth0 up] n1 preempts and is the only holder again" wait_single_holder n1 $VIP 10
check "[n1 eth0 up] n2 is BACKUP" wait_until 5 state_is n2 BACKUP

# --- every path cut: a split brain, until VRRP flows again.
vrrp_drop n2 eth0
vrrp_drop n2 eth1
check "[both dropped] n2 becomes master too" wait_until 10 state_is n2 MASTER
check_eq "[both dropped] both nodes hold $VIP" "n1 n2" "$(vip_holders $VIP)"
check_eq "[both dropped] n2, master now, exports both paths as sending" "1 1" \
	"$(path_metric n2 eth0) $(path_metric n2 eth1)"
t0=$(now_us)
vrrp_pass n2 eth0
vrrp_pass n2 eth1
check "[healed] n1 is the only holder again" wait_single_holder n1 $VIP 5
diag "[healed] one holder after $(elapsed_ms "$t0") ms"
check "[healed] n2 is BACKUP" wait_until 5 state_is n2 BACKUP
t0=$(now_us)
check "[healed] the client reaches $VIP on n1 (its ARP entry is n1's MAC)" wait_until 20 eval \
	'[ "$(client_arp_mac $VIP)" = "$(node_mac n1)" ]'
diag "[healed] the client's ARP entry for $VIP was n1's after $(elapsed_ms "$t0") ms"

check_stop n1
check_stop n2
assert_no_holder $VIP

# --- equal priorities, split by every path, then only eth1 healed: with
# eth0 still silent the path's addresses decide (n2's 198.51.100.12 is the
# greater); eth0 healing after that changes nothing.
node_conf "$TMP/n1-eq.conf" 100 198.51.100.12
node_conf "$TMP/n2-eq.conf" 100 198.51.100.11
for n in n1 n2; do
	vrrp_drop $n eth0
	vrrp_drop $n eth1
done
check_start n1 "$TMP/n1-eq.conf"
check_start n2 "$TMP/n2-eq.conf"
check "[equal, all cut] both become master" wait_until 10 eval \
	'state_is n1 MASTER && state_is n2 MASTER'
vrrp_pass n1 eth1
vrrp_pass n2 eth1
check "[equal, eth1 healed] n2 (greater eth1 address) is the only holder" \
	wait_single_holder n2 $VIP 10
check "[equal, eth1 healed] n1 is BACKUP" wait_until 5 state_is n1 BACKUP
check "[equal, eth1 healed] n1 says why" \
	grep -qF 'web: MASTER -> BACKUP: equal priority 100 and greater address 198.51.100.12' \
	"$TMP/n1.log"
vrrp_pass n1 eth0
vrrp_pass n2 eth0
check "[equal, eth0 healed] n2 stays the only holder for 5 s" single_for 5 n2
check_stop n1
check_stop n2
assert_no_holder $VIP

# --- IPv6: the path's peers are the nodes' link-local addresses on eth1.
VIP6=2001:db8::100
# lladdr NODE: NODE's link-local address on eth1, once DAD is done.
lladdr() {
	ip -n "$(ns "$1")" -6 -o addr show dev eth1 scope link |
		awk '$0 !~ /tentative/ { split($4, a, "/"); print a[1]; exit }'
}
check "[IPv6] both nodes have a link-local address on eth1" wait_until 10 eval \
	'[ -n "$(lladdr n1)" ] && [ -n "$(lladdr n2)" ]'
LL1=$(lladdr n1)
LL2=$(lladdr n2)
node_conf6() {
	write_conf "$1" prio="$2" advert=$ADVERT vip=$VIP6/64 label= \
		extra=$'\tadvert_path {\n\t\teth1 '"$3"$'\n\t}'
}
node_conf6 "$TMP/n1-v6.conf" 150 "$LL2"
node_conf6 "$TMP/n2-v6.conf" 100 "$LL1"
check_start n1 "$TMP/n1-v6.conf"
check_start n2 "$TMP/n2-v6.conf"
check "[IPv6] n1 becomes the only holder of $VIP6" wait_single_holder n1 $VIP6 10
check "[IPv6] n2 hears n1 on both paths" wait_until 5 eval \
	'path_metric_is n2 eth0 1 && path_metric_is n2 eth1 1'
nsx n2 ip6tables -w 5 -A INPUT -i eth0 -p 112 -j DROP
check "[IPv6, eth0 dropped] n2 warns that the adverts arrive only via eth1" wait_until 8 \
	grep -qE 'web: adverts from fe80::[0-9a-f:]+ arrive only via eth1; eth0 silent' "$TMP/n2.log"
check "[IPv6, eth0 dropped] n1 stays the only holder for 3 s more" eval \
	'VIP=$VIP6 single_for 3 n1'
check_eq "[IPv6, eth0 dropped] n2 is still BACKUP" BACKUP "$(inst_state n2)"
nsx n2 ip6tables -w 5 -D INPUT -i eth0 -p 112 -j DROP
node_if_down n1
check "[IPv6, n1 eth0 down] n2 becomes the only holder" wait_single_holder n2 $VIP6 5
check "[IPv6, n1 eth0 down] n2 took over on n1's resignation" \
	grep -qE 'web: BACKUP -> MASTER: master fe80::[0-9a-f:]+ resigned \(priority 0\)' "$TMP/n2.log"
node_if_up n1
check_stop n1
check_stop n2
assert_no_holder $VIP6

# --- keepalived on n2, on eth0 only; vipd on n1 keeps its advert path.
ka_conf() {
	write_conf "$1" prio="$2" advert=$ADVERT
}
# ka_quiet: keepalived logged no complaint about what it received.
ka_quiet() {
	! grep -iE 'checksum|ttl|invalid|bad|mismatch|wrong|unknown' "$TMP/n2.log"
}
node_conf "$TMP/n1-ka.conf" 150 198.51.100.12
ka_conf "$TMP/n2-ka.conf" 100
check_start n1 "$TMP/n1-ka.conf"
VIPT_DAEMON=keepalived check_start n2 "$TMP/n2-ka.conf"
check "[keepalived backup] vipd on n1 is the only holder" wait_single_holder n1 $VIP 10
check "[keepalived backup] it stays so for 5 s" single_for 5 n1
check "[keepalived backup] keepalived logs no complaint" ka_quiet
check_stop n1
check "[keepalived backup] keepalived takes over when vipd stops" wait_single_holder n2 $VIP 5
VIPT_DAEMON=keepalived check_stop n2
assert_no_holder $VIP

node_conf "$TMP/n1-ka2.conf" 100 198.51.100.12
ka_conf "$TMP/n2-ka2.conf" 150
VIPT_DAEMON=keepalived check_start n2 "$TMP/n2-ka2.conf"
check "[keepalived master] keepalived on n2 holds $VIP" wait_single_holder n2 $VIP 10
check_start n1 "$TMP/n1-ka2.conf"
check "[keepalived master] vipd on n1 is BACKUP" wait_until 5 state_is n1 BACKUP
check "[keepalived master] keepalived stays the only holder for 6 s" single_for 6 n2
check "[keepalived master] vipd warns that eth1 is silent (keepalived sends on eth0 only)" \
	wait_until 5 grep -qE 'web: adverts from 192\.0\.2\.12 arrive only via eth0; eth1 silent' \
	"$TMP/n1.log"
check_eq "[keepalived master] vipd names keepalived as the master" 192.0.2.12 \
	"$(inst_status n1 | sed -n 's/.*"master":"\([^"]*\)".*/\1/p')"
check "[keepalived master] keepalived logs no complaint" ka_quiet
check_stop n1
VIPT_DAEMON=keepalived check_stop n2
assert_no_holder $VIP
done_testing
