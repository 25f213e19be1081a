#!/bin/bash
# interop_changes: changes on a running pair, vipd against keepalived.
#   T. Equal priorities (VRRPv3, 0.1 s): vipd on n2 wins with the greater
#      address (192.0.2.12 against 192.0.2.11). Its interface's primary
#      address then changes to 192.0.2.5 (the old one is deleted, a
#      secondary is promoted): no fault, vipd stays master and its adverts
#      leave from 192.0.2.5. A partition makes both master; once healed,
#      both must agree that keepalived (now the greater address) wins:
#      one master, no advert ping-pong.
#   R. VRRPv2, keepalived 150 master, vipd 100 backup, both reloaded from
#      advert_int 1 to 5: vipd must wait for the slower adverts (its
#      Master_Down_Interval becomes 15.61 s) with no transition.

. "$(dirname "$0")/lib.sh"

VIPT_DAEMON=vipd need_daemon
VIPT_DAEMON=keepalived need_daemon

VIP=192.0.2.100
NEW_SRC=192.0.2.5

topo_create 2

declare -A RUNS

start_as() {
	RUNS[$1]=$2
	VIPT_DAEMON=$2 check_start "$1" "$3"
}

stop_as() {
	VIPT_DAEMON=${RUNS[$1]} check_stop "$1"
}

adverts_from() {
	echo "vrrp && vrrp.virt_rtr_id == $VRID && eth.src == $(node_mac "$1")${2:+ && $2}"
}

transitions() {
	inst_status "$1" | sed -n 's/.*"transitions":\([0-9]*\).*/\1/p'
}

received() {
	inst_status "$1" | sed -n 's/.*"received":\([0-9]*\).*/\1/p'
}

# ------------------------------------------------------------ T
VRID=58
diag "==== T: equal priority 100, keepalived on n1 (192.0.2.11), vipd on n2 (192.0.2.12)"
# Deleting the primary address promotes a secondary instead of taking
# every address of the subnet along; $NEW_SRC goes in before the VIP so
# that it is the one promoted.
nsx n2 sysctl -qw net.ipv4.conf.eth0.promote_secondaries=1 || bail "promote_secondaries on n2"
ip -n "$(ns n2)" addr add $NEW_SRC/24 dev eth0 || bail "add $NEW_SRC on n2"
{
	conf_global version=3
	conf_instance vrid=$VRID prio=100 advert=0.1 vip=$VIP/24
} >"$TMP/T.conf"
# An equal-priority backup keeps the master it hears: an election by
# address needs both to be master at once (a healed partition).
port_block n1
port_block n2
start_as n1 keepalived "$TMP/T.conf"
start_as n2 vipd "$TMP/T.conf"
check "[T] partitioned, both become master" wait_until 10 eval 'holds n1 $VIP && holds n2 $VIP'
port_unblock n1
port_unblock n2
check "[T] healed, vipd on n2 (greater address) is the only holder of $VIP" \
	wait_single_holder n2 $VIP 10
before=$(transitions n2)

capture_start T-src "ip proto 112"
ip -n "$(ns n2)" addr del "$(node_ip n2)/24" dev eth0 || bail "delete $(node_ip n2) on n2"
check "[T] $NEW_SRC is n2's primary address now" \
	wait_until 2 eval 'ip -n "$(ns n2)" -4 -o addr show dev eth0 | grep -v secondary | grep -q " $NEW_SRC/"'
check "[T] vipd logs that its adverts leave from $NEW_SRC" \
	wait_until 5 grep -q "web: adverts now leave from $NEW_SRC (was $(node_ip n2))" "$TMP/n2.log"
observe 1
capture_stop T-src
check_eq "[T] vipd stayed MASTER through the change (no transition)" "MASTER $before" \
	"$(inst_state n2) $(transitions n2)"
check "[T] vipd's adverts come from $NEW_SRC" \
	test "$(count_frames "$(capture_file T-src)" "$(adverts_from n2 "ip.src == $NEW_SRC")")" -ge 5
assert_single_holder $VIP n2

port_block n1
port_block n2
check "[T] partitioned again, both become master" wait_until 10 eval 'holds n1 $VIP && holds n2 $VIP'
capture_start T-heal "ip proto 112"
port_unblock n1
port_unblock n2
t0=$(now_us)
check "[T] healed, keepalived on n1 (192.0.2.11 > $NEW_SRC) is the only holder" \
	wait_single_holder n1 $VIP 10
diag "[T] split brain resolved $(elapsed_ms "$t0") ms after the heal"
observe 2
capture_stop T-heal
pcap=$(capture_file T-heal)
assert_single_holder $VIP n1
check_eq "[T] vipd on n2 is BACKUP" BACKUP "$(inst_state n2)"
last2=$(last_time "$pcap" "$(adverts_from n2)")
n1_after=$(count_frames "$pcap" "$(adverts_from n1) && frame.time_relative > ${last2:-0}")
diag "[T] after vipd's last advert (at ${last2:-none} s): $n1_after adverts from keepalived"
check "[T] keepalived went on advertising after vipd's last advert" test "$n1_after" -ge 10
# At 0.1 s, 2 s of one master is about 20 adverts; a ping-pong is thousands.
check_lt "[T] no advert ping-pong: adverts in the 2 s after the heal" \
	"$(count_frames "$pcap" "vrrp && frame.time_relative < $(first_time "$pcap" vrrp) + 2")" 40
stop_as n2
stop_as n1
ip -n "$(ns n2)" addr add "$(node_ip n2)/24" dev eth0
ip -n "$(ns n2)" addr del $NEW_SRC/24 dev eth0
mv "$TMP/n1.log" "$TMP/T-n1.log.old"
mv "$TMP/n2.log" "$TMP/T-n2.log.old"

# ------------------------------------------------------------ R
VRID=59
diag "==== R: VRRPv2, keepalived 150 on n1 (master), vipd 100 on n2 (backup), advert_int 1 -> 5"
rconf() {
	conf_global version=2
	conf_instance vrid=$VRID prio="$1" advert="$2" vip=$VIP/24
}
rconf 150 1 >"$TMP/R-n1.conf"
rconf 100 1 >"$TMP/R-n2.conf"
start_as n1 keepalived "$TMP/R-n1.conf"
check "[R] keepalived on n1 holds $VIP" wait_holder n1 $VIP 10
start_as n2 vipd "$TMP/R-n2.conf"
check "[R] vipd on n2 hears keepalived" wait_until 5 eval 'test "$(received n2)" -ge 1'
check "[R] vipd on n2 is BACKUP" state_is n2 BACKUP
before=$(transitions n2)
rconf 150 5 >"$TMP/R-n1.conf"
rconf 100 5 >"$TMP/R-n2.conf"
capture_start R "ip proto 112"
kill -HUP "${DAEMON_PID[n2]}"
kill -HUP "${DAEMON_PID[n1]}"
check "[R] vipd reloaded" wait_until 5 grep -q "reloaded: 1 instance kept" "$TMP/n2.log"
# Two periods of 5 s and more than the old 3.61 s Master_Down_Interval.
observe 12
capture_stop R
pcap=$(capture_file R)
check_eq "[R] vipd on n2 sent no advert after the reload" 0 "$(count_frames "$pcap" "$(adverts_from n2)")"
check_eq "[R] vipd on n2 is BACKUP with no transition" "BACKUP $before" \
	"$(inst_state n2) $(transitions n2)"
assert_single_holder $VIP n1
stats=$(interarrival_stats "$pcap" "$(adverts_from n1 "vrrp.adver_int == 5")")
diag "[R] keepalived's adverts at 5 s after the reload: median/max gap, count: ${stats:-none}"
check "[R] keepalived advertises every 5 s now" \
	test "$(count_frames "$pcap" "$(adverts_from n1 "vrrp.adver_int == 5")")" -ge 2
stop_as n2
stop_as n1

done_testing
