#!/bin/bash
# startup_delay: with vrrp_startup_delay the instances wait that long
# before they start (keepalived's remedy for interfaces that pass traffic
# only some seconds after boot): INIT meanwhile, no adverts, no VIP; then
# the usual start.

. "$(dirname "$0")/lib.sh"

need_daemon
if is_keepalived; then
	echo "1..0 # SKIP vipd's own test"
	exit 0
fi
topo_create 1

VIP=192.0.2.100
DELAY=1.5
{
	conf_global extra=$'\tvrrp_startup_delay '"$DELAY"
	conf_instance prio=150 advert=0.1
} >"$TMP/n1.conf"

capture_start adverts "vrrp"
start_epoch=$(date +%s.%N)
t0=$(now_us)
check_start n1 "$TMP/n1.conf"
observe 0.8
check_eq "0.8 s after the start the instance is still INIT" INIT "$(inst_state n1)"
assert_no_holder $VIP
check "n1 becomes master after the delay" wait_single_holder n1 $VIP 6
ms=$(elapsed_ms "$t0")
diag "start -> master: $ms ms (vrrp_startup_delay $DELAY s)"
check_ge "not before the delay" "$ms" 1500
capture_stop adverts
first=$(tshark_fields "$(capture_file adverts)" "vrrp && ip.src == $(node_ip n1)" \
	frame.time_epoch | head -n 1)
gap=$(awk -v f="${first:-0}" -v s="$start_epoch" 'BEGIN { printf "%.0f", (f - s) * 1000 }')
diag "first advert ${gap} ms after the start"
check_ge "no advert before the delay was over" "$gap" 1400
check "the log says why" grep -q "vrrp_startup_delay: instances start in 1.50 s" "$TMP/n1.log"
check_stop n1

done_testing
