#!/bin/bash
# track_gateway: each node pings its own gateway address, both held by the
# client namespace (n1: 192.0.2.201, n2: 192.0.2.202), weight -60 with
# priorities 150/100. Removing only n1's gateway address drops n1 to 90 and
# the VIP moves to n2; putting it back returns the VIP. When the gateway
# namespace stops answering pings altogether both nodes drop (90 and 40)
# and nothing moves: only a difference in health moves the VIP.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 2

VIP=192.0.2.100
ADVERT=0.1
GW_N1=192.0.2.201
GW_N2=192.0.2.202
CNS=$(ns c)

ip -n "$CNS" addr add $GW_N1/24 dev eth0 && ip -n "$CNS" addr add $GW_N2/24 dev eth0 ||
	bail "gateway addresses on the client"

# node_conf NODE PRIORITY GATEWAY
node_conf() {
	{
		conf_global
		printf 'track_gateway gw {\n\taddress %s\n\tinterval 0.2\n\ttimeout 0.2\n' "$3"
		printf '\tfall 2\n\trise 2\n\tweight -60\n}\n\n'
		conf_instance prio="$2" advert=$ADVERT extra=$'\ttrack_gateway {\n\t\tgw\n\t}'
	} >"$TMP/$1.conf"
}

gw_up() {
	vipctl_json "$1" | grep -q '{"kind":"gateway","name":"gw","up":true,"runs"'
}

node_conf n1 150 $GW_N1
node_conf n2 100 $GW_N2
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 5
check "n1's gateway check is up" gw_up n1
check "n2's gateway check is up" gw_up n2
check "n1's gateway check has run" test "$(check_counter n1 gw runs)" -ge 1
check_eq "n1's gateway check has not failed" 0 "$(check_counter n1 gw failures)"
check_eq "n1's effective priority" 150 "$(inst_prio n1)"
check_eq "n2's effective priority" 100 "$(inst_prio n2)"

# --- only n1's gateway goes away
t0=$(now_us)
ip -n "$CNS" addr del $GW_N1/24 dev eth0 || bail "removing $GW_N1"
check "[n1's gateway gone] n1's effective priority drops to 90" wait_until 5 prio_is n1 90
diag "[n1's gateway gone] priority dropped $(elapsed_ms "$t0") ms after the address went (interval 0.2 s, timeout 0.2 s, fall 2)"
check "[n1's gateway gone] n2 becomes the only holder" wait_single_holder n2 $VIP 5
ms=$(elapsed_ms "$t0")
diag "[n1's gateway gone] DETECT-TO-FAILOVER: $ms ms (Master_Down_Interval at 100: $(mdi_ms 100 $ADVERT) ms)"
# Detection: fall 2 probes of interval 0.2 s, each up to its timeout 0.2 s.
check_lt "[n1's gateway gone] failover within 2 x (0.2 + 0.2) s + 2 x Master_Down_Interval (ms)" \
	"$ms" "$(failover_bound_ms 800 100 $ADVERT)"
check_eq "[n1's gateway gone] n2's priority is untouched" 100 "$(inst_prio n2)"
check "[n1's gateway gone] n2's gateway check is still up" gw_up n2
check_eq "[n1's gateway gone] n1 is BACKUP" BACKUP "$(inst_state n1)"
check_ge "[n1's gateway gone] n1 counted the lost probes" "$(check_counter n1 gw failures)" 2
check "[n1's gateway gone] n1's log says why" \
	grep -q 'track_gateway gw: up -> down: no echo reply within 0.20 s' "$TMP/n1.log"
observe 0.5
assert_single_holder $VIP n2

t0=$(now_us)
ip -n "$CNS" addr add $GW_N1/24 dev eth0 || bail "restoring $GW_N1"
check "[n1's gateway back] n1's effective priority is 150 again" wait_until 5 prio_is n1 150
check "[n1's gateway back] n1 preempts and is the only holder" wait_single_holder n1 $VIP 5
diag "[n1's gateway back] RECOVERY: $(elapsed_ms "$t0") ms (rise 2)"
observe 0.5
assert_single_holder $VIP n1

# --- the gateway namespace ignores every ping: both drop, nothing moves
t0=$(now_us)
nsx c sysctl -qw net.ipv4.icmp_echo_ignore_all=1 || bail "icmp_echo_ignore_all on the client"
check "[no gateway answers] n1 drops to 90" wait_until 5 prio_is n1 90
check "[no gateway answers] n2 drops to 40" wait_until 5 prio_is n2 40
diag "[no gateway answers] both priorities dropped within $(elapsed_ms "$t0") ms"
observe 1
check_eq "[no gateway answers] n1 is still MASTER" MASTER "$(inst_state n1)"
assert_single_holder $VIP n1
nsx c sysctl -qw net.ipv4.icmp_echo_ignore_all=0 || bail "icmp_echo_ignore_all on the client"
check "[gateways answer again] n1 is back to 150" wait_until 5 prio_is n1 150
check "[gateways answer again] n2 is back to 100" wait_until 5 prio_is n2 100
assert_single_holder $VIP n1
check_stop n1
check_stop n2
assert_no_holder $VIP

done_testing
