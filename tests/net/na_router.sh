#!/bin/bash
# na_router: the Router flag of the unsolicited Neighbor Advertisements a
# new IPv6 master sends follows the interface's IPv6 forwarding setting
# (vipd.conf(5)); the Override flag is always set. Read from a capture.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 1

VIP=2001:db8::100
{
	conf_global
	conf_instance prio=150 vip=$VIP/64 label= extra="	garp_master_repeat 2
	garp_master_delay 0"
} >"$TMP/n1.conf"

# na_flags FORWARDING: start vipd with net.ipv6.conf.eth0.forwarding set
# so; FLAGS gets "COUNTxR|O" for each distinct Router|Override pair of the
# NAs for the VIP it sent as a new master.
na_flags() {
	local pcap
	nsx n1 sysctl -qw net.ipv6.conf.eth0.forwarding="$1" || bail "sysctl forwarding=$1"
	capture_start "na$1" "icmp6"
	check_start n1 "$TMP/n1.conf"
	check "n1 becomes master (forwarding $1)" wait_holder n1 $VIP 5
	pcap=$(capture_file "na$1")
	wait_until 3 eval 'test "$(count_frames "$pcap" "icmpv6.type == 136")" -ge 2'
	check_stop n1
	capture_stop "na$1"
	FLAGS=$(tshark_fields "$pcap" "icmpv6.type == 136 && icmpv6.nd.na.target_address == $VIP" \
		icmpv6.nd.na.flag.r icmpv6.nd.na.flag.o | sort | uniq -c | awk '{ printf "%sx%s ", $1, $2 }')
	FLAGS=${FLAGS% }
}

na_flags 0
check_eq "forwarding 0: two NAs, Router clear, Override set (count x R|O)" "2x0|1" "$FLAGS"
na_flags 1
check_eq "forwarding 1: two NAs, Router and Override set (count x R|O)" "2x1|1" "$FLAGS"

done_testing
