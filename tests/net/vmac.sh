#!/bin/bash
# vmac: with use_vmac the master carries the VIP on a macvlan whose MAC is
# the VRRP virtual MAC 00:00:5e:00:01:VRID; adverts and gratuitous ARPs come
# from it, the client's ARP entry for the VIP is the virtual MAC and stays
# the same across a failover, and the macvlan is removed when vipd stops.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 2

VIP=192.0.2.100
VMAC=00:00:5e:00:01:33 # VRID 51

vmac_of() { # NODE: the MAC of NODE's vrrp.51, empty when it does not exist
	ip -n "$(ns "$1")" -o link show dev vrrp.51 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "link/ether") print $(i + 1) }'
}

vip_dev() { # NODE: the interface NODE holds the VIP on
	ip -n "$(ns "$1")" -o -4 addr show | awk -v v="$VIP" '{ split($4, a, "/"); if (a[1] == v) print $2 }'
}

write_conf "$TMP/n1.conf" prio=150 label= extra="	use_vmac"
write_conf "$TMP/n2.conf" prio=100 label= extra="	use_vmac"
capture_start vmac "vrrp or arp"
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 becomes the only holder of $VIP" wait_single_holder n1 $VIP 5
check_eq "n1's macvlan vrrp.51 has the virtual MAC" $VMAC "$(vmac_of n1)"
check_eq "the VIP sits on vrrp.51" vrrp.51 "$(vip_dev n1)"
check "the client reaches $VIP" client_ping $VIP
check_eq "the client's ARP entry for $VIP is the virtual MAC" $VMAC "$(client_arp_mac $VIP)"

# The master's public link goes: n1 falls into FAULT, n2 takes the VIP.
link_cut n1
check "with n1's link cut, n2 holds $VIP" wait_single_holder n2 $VIP 5
check "the client reaches $VIP through n2" wait_until 5 client_ping $VIP
check_eq "the client's ARP entry is still the virtual MAC" $VMAC "$(client_arp_mac $VIP)"
link_heal n1
check "n1 takes the VIP back when its link returns" wait_single_holder n1 $VIP 5
check "the client reaches $VIP through n1 again" wait_until 5 client_ping $VIP
check_eq "and the ARP entry never changed" $VMAC "$(client_arp_mac $VIP)"
observe 0.3
capture_stop vmac
pcap=$(capture_file vmac)
check "adverts leave from the virtual MAC" \
	test "$(count_frames "$pcap" "vrrp && eth.src == $VMAC")" -ge 3
check_eq "no advert leaves from a node's own MAC" 0 \
	"$(count_frames "$pcap" "vrrp && eth.src != $VMAC")"
check "gratuitous ARPs for $VIP come from the virtual MAC" \
	test "$(count_frames "$pcap" "arp.src.proto_ipv4 == $VIP && eth.src == $VMAC && arp.src.hw_mac == $VMAC")" -ge 2

check_stop n1
check_stop n2
check_eq "vrrp.51 is removed from n1 when vipd stops" "" "$(vmac_of n1)"
check_eq "vrrp.51 is removed from n2 when vipd stops" "" "$(vmac_of n2)"
assert_no_holder $VIP
done_testing
