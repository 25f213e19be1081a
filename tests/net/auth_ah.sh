#!/bin/bash
# auth_ah: auth_type AH (keepalived's IPsec authentication header, VRRPv2)
# between vipd and keepalived, in both role orders, and a peer with the
# wrong key:
#   A. vipd 150 (n1) beside keepalived 100 (n2): keepalived hears vipd's AH
#      adverts and stays backup; vipd counts no drop; when vipd stops,
#      keepalived takes over.
#   B. keepalived 150 (n1) beside vipd 100 (n2): vipd hears keepalived's
#      AH adverts and stays BACKUP; when keepalived stops, vipd takes over.
#   C. vipd 100 (n1) master, then a peer with priority 200 and another key
#      (keepalived, then vipd, which keeps advertising): vipd drops its
#      adverts (auth_mismatch, counted) and stays MASTER.
# The wire carries protocol 51 only, never a bare VRRP advert.

. "$(dirname "$0")/lib.sh"

VIPT_DAEMON=vipd need_daemon
VIPT_DAEMON=keepalived need_daemon
command -v jq >/dev/null 2>&1 || {
	echo "1..0 # SKIP needs jq"
	exit 0
}
VIPCTL=$VIPD_BUILDDIR/vipctl
topo_create 2

VIP=192.0.2.100

# conf FILE PRIORITY KEY
conf() {
	{
		conf_global version=2
		conf_instance prio="$2" advert=1 extra=$'\tauthentication {\n\t\tauth_type AH\n\t\tauth_pass '"$3"$'\n\t}'
	} >"$1"
}

drops() {
	"$VIPCTL" -p "$TMP/$1.pid" status --json |
		jq -r "[.instances[].drops.$2 // 0] | add"
}

capture_start wire "vrrp or ip proto 51"

# --- A
conf "$TMP/a-n1.conf" 150 secret
conf "$TMP/a-n2.conf" 100 secret
VIPT_DAEMON=vipd check_start n1 "$TMP/a-n1.conf"
VIPT_DAEMON=keepalived check_start n2 "$TMP/a-n2.conf"
check "[A] vipd (150) on n1 is the only holder" wait_single_holder n1 $VIP 8
observe 4
assert_single_holder $VIP n1
check_eq "[A] vipd counted no auth_mismatch drop" 0 "$(drops n1 auth_mismatch)"
VIPT_DAEMON=vipd check_stop n1
check "[A] keepalived takes over once vipd resigns" wait_single_holder n2 $VIP 6
VIPT_DAEMON=keepalived check_stop n2

# --- B
conf "$TMP/b-n1.conf" 150 secret
conf "$TMP/b-n2.conf" 100 secret
VIPT_DAEMON=keepalived check_start n1 "$TMP/b-n1.conf"
check "[B] keepalived (150) on n1 holds $VIP" wait_single_holder n1 $VIP 8
VIPT_DAEMON=vipd check_start n2 "$TMP/b-n2.conf"
observe 5
assert_single_holder $VIP n1
check_eq "[B] vipd (100) hears keepalived's AH adverts: BACKUP" BACKUP "$(inst_state n2)"
check_eq "[B] vipd counted no auth_mismatch drop" 0 "$(drops n2 auth_mismatch)"
VIPT_DAEMON=keepalived check_stop n1
check "[B] vipd takes over once keepalived resigns" wait_single_holder n2 $VIP 6
VIPT_DAEMON=vipd check_stop n2

# --- C
conf "$TMP/c-n1.conf" 100 secret
conf "$TMP/c-n2.conf" 200 wrongkey
VIPT_DAEMON=vipd check_start n1 "$TMP/c-n1.conf"
check "[C] vipd on n1 is master alone" wait_until 8 state_is n1 MASTER
mark=$(wc -l <"$TMP/n1.log")
VIPT_DAEMON=keepalived check_start n2 "$TMP/c-n2.conf"
check "[C] keepalived, deaf to vipd's key, becomes master too" \
	wait_until 8 holds n2 $VIP
observe 3.5
check_eq "[C] vipd stays MASTER beside a higher-priority peer with another key" MASTER \
	"$(inst_state n1)"
check_ge "[C] vipd counted keepalived's adverts as auth_mismatch drops" \
	"$(drops n1 auth_mismatch)" 1
check "[C] vipd logged the first such drop" grep -q "dropped advert from $(node_ip n2): authentication" \
	"$TMP/n1.log"
VIPT_DAEMON=keepalived check_stop n2
before=$(drops n1 auth_mismatch)
VIPT_DAEMON=vipd check_start n2 "$TMP/c-n2.conf"
check "[C] vipd with the other key on n2 becomes master too" wait_until 8 holds n2 $VIP
observe 3.5
check_ge "[C] vipd on n1 counted its adverts as drops too" "$(drops n1 auth_mismatch)" \
	"$((before + 3))"
check_eq "[C] vipd on n1 is still MASTER" MASTER "$(inst_state n1)"
check_eq "[C] ... and changed no state because of any of them" "" \
	"$(tail -n +"$((mark + 1))" "$TMP/n1.log" | grep 'web: MASTER ->')"
VIPT_DAEMON=vipd check_stop n2
VIPT_DAEMON=vipd check_stop n1

capture_stop wire
pcap=$(capture_file wire)
check_ge "AH packets on the wire" "$(count_frames "$pcap" "ip.proto == 51")" 10
check_eq "no bare VRRP advert on the wire" 0 "$(count_frames "$pcap" "ip.proto == 112")"

done_testing
