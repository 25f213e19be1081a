#!/bin/bash
# mcast_group: vrrp_mcast_group4 set to another group than 224.0.0.18, as
# keepalived allows. vipd (n1, priority 150) and keepalived (n2, 100) both
# use 224.0.0.19: vipd's adverts go only there, keepalived hears them and
# stays backup and takes over when vipd stops; vipd restarted at priority
# 50 hears keepalived's adverts on that group and stays backup (were it
# deaf to the group, it would take the VIP too after its down interval).

. "$(dirname "$0")/lib.sh"

VIPT_DAEMON=vipd need_daemon
VIPT_DAEMON=keepalived need_daemon
topo_create 2

VIP=192.0.2.100
GROUP=224.0.0.19

conf() {
	{
		conf_global extra=$'\tvrrp_mcast_group4 '"$GROUP"
		conf_instance prio="$2" advert=0.1
	} >"$TMP/$1.conf"
}

conf n1 150
conf n2 100
capture_start wire "vrrp"
VIPT_DAEMON=vipd check_start n1 "$TMP/n1.conf"
VIPT_DAEMON=keepalived check_start n2 "$TMP/n2.conf"
check "vipd (150) on n1 is the only holder" wait_single_holder n1 $VIP 5
check "vipd warns that the group is not the standard one" \
	grep -q "vrrp_mcast_group4: adverts go to $GROUP instead of the standard 224.0.0.18" \
	"$TMP/n1.log"
observe 1
assert_single_holder $VIP n1
VIPT_DAEMON=vipd check_stop n1
check "keepalived on n2 takes over once vipd resigns" wait_single_holder n2 $VIP 5
conf n1 50
VIPT_DAEMON=vipd check_start n1 "$TMP/n1.conf"
observe 1.5
assert_single_holder $VIP n2
check_eq "vipd (50), restarted, hears keepalived on $GROUP and stays BACKUP" BACKUP \
	"$(inst_state n1)"
capture_stop wire
pcap=$(capture_file wire)
n1ip=$(node_ip n1)
n2ip=$(node_ip n2)
check_ge "vipd's adverts go to $GROUP" \
	"$(count_frames "$pcap" "vrrp && ip.src == $n1ip && ip.dst == $GROUP")" 10
check_eq "... and none to 224.0.0.18" 0 \
	"$(count_frames "$pcap" "vrrp && ip.src == $n1ip && ip.dst == 224.0.0.18")"
check_ge "keepalived's adverts go to $GROUP too" \
	"$(count_frames "$pcap" "vrrp && ip.src == $n2ip && ip.dst == $GROUP")" 1
VIPT_DAEMON=vipd check_stop n1
VIPT_DAEMON=keepalived check_stop n2

done_testing
