#!/bin/bash
# garp: how a new master announces its VIP. garp_master_repeat gratuitous
# ARPs at once, paced by garp_interval; garp_master_delay later another
# burst; garp_master_refresh every so often garp_master_refresh_repeat more.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 1

VIP=192.0.2.100
write_conf "$TMP/n1.conf" prio=150 extra="	garp_master_repeat 4
	garp_interval 0.2
	garp_master_delay 0
	garp_master_refresh 2
	garp_master_refresh_repeat 2"
capture_start garp "arp"
check_start n1 "$TMP/n1.conf"
check "n1 becomes master" wait_holder n1 $VIP 5
t0=$(now_us)
check "a first burst and one refresh are captured" wait_until 6 eval \
	'test "$(count_frames "$(capture_file garp)" "arp.src.proto_ipv4 == '$VIP'")" -ge 6 2>/dev/null'
capture_stop garp
pcap=$(capture_file garp)
mapfile -t times < <(tshark_fields "$pcap" "arp.src.proto_ipv4 == $VIP && arp.dst.proto_ipv4 == $VIP" frame.time_relative)
check_eq "6 gratuitous ARPs: a burst of 4, then a refresh of 2" 6 "${#times[@]}"
gaps=$(awk -v t="${times[*]}" 'BEGIN { n = split(t, a, " "); for (i = 2; i <= n; i++) printf "%d ", (a[i] - a[i - 1]) * 1000 }')
diag "gaps between gratuitous ARPs (ms): $gaps"
read -r g1 g2 g3 g4 g5 <<<"$gaps"
check "the burst is paced by garp_interval 0.2 s ($g1 $g2 $g3 ms)" \
	eval '[ "${g1:-0}" -ge 150 ] && [ "${g2:-0}" -ge 150 ] && [ "${g3:-0}" -ge 150 ] && [ "${g1:-0}" -lt 1000 ]'
check "the refresh comes about garp_master_refresh 2 s after the burst began ($g4 ms after its last)" \
	eval '[ "${g4:-0}" -ge 1000 ] && [ "${g4:-0}" -lt 3000 ]'
check "the refresh's two are paced too ($g5 ms)" eval '[ "${g5:-0}" -ge 150 ]'
check_stop n1
done_testing
