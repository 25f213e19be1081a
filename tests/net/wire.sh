#!/bin/bash
# wire: what the master puts on the wire, as tshark decodes it. VRRPv3 over
# IPv4 and IPv6 (and one VRRPv2 instance): version, type, VRID, priority,
# addresses, advertisement interval field, TTL / hop limit 255, multicast
# destination, source (primary address / link-local), checksum good, and the
# advert rhythm on the wire matching advert_int.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 2

VIP=192.0.2.100
VIP6=2001:db8::100
VIP2=192.0.2.101

wire_conf() {
	local prio=$1
	conf_global
	conf_instance name=web vrid=51 prio="$prio" advert=0.1 vip=$VIP/24
	conf_instance name=web6 vrid=52 prio="$prio" advert=0.1 vip=$VIP6/64 label=
	conf_instance name=web2 vrid=53 prio="$prio" advert=1 vip=$VIP2/24 \
		label=eth0:2 extra=$'\tversion 2'
}
wire_conf 150 >"$TMP/n1.conf"
wire_conf 100 >"$TMP/n2.conf"

check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 holds $VIP (VRRPv3, IPv4)" wait_single_holder n1 $VIP 5
check "n1 holds $VIP6 (VRRPv3, IPv6)" wait_single_holder n1 $VIP6 5
check "n1 holds $VIP2 (VRRPv2)" wait_single_holder n1 $VIP2 12

capture_start wire "ip proto 112 or ip6 proto 112"
# Thirty 0.1 s intervals and three 1 s intervals.
observe 3.2
capture_stop wire
pcap=$(capture_file wire)
mac1=$(node_mac n1)
ll1=$(ip -n "$(ns n1)" -6 -o addr show dev eth0 scope link | awk '{ split($4, a, "/"); print a[1] }')

# distinct PCAP FILTER FIELD...: the distinct value tuples of FIELDs.
distinct() {
	tshark_fields "$@" | sort -u | paste -sd' '
}

check_eq "n2 (backup) sent no advert" 0 \
	"$(count_frames "$pcap" "vrrp && (ip.src == 192.0.2.12 || eth.src == $(node_mac n2))")"

# --- VRRPv3, IPv4
f="vrrp && vrrp.virt_rtr_id == 51"
n=$(count_frames "$pcap" "$f")
check_ge "v3/IPv4: adverts captured in 3.2 s" "$n" 25
check_eq "v3/IPv4: version 3, type 1 (advertisement), VRID 51, priority 150, 1 address" \
	"3|1|51|150|1|$VIP" \
	"$(distinct "$pcap" "$f" vrrp.version vrrp.type vrrp.virt_rtr_id vrrp.prio vrrp.addr_count vrrp.ip_addr)"
check_eq "v3/IPv4: Max Adver Int field 10 cs" "10" "$(distinct "$pcap" "$f" vrrp.short_adver_int)"
check_eq "v3/IPv4: from n1's primary address and MAC to 224.0.0.18 / 01:00:5e:00:00:12, TTL 255" \
	"192.0.2.11|224.0.0.18|$mac1|01:00:5e:00:00:12|255" \
	"$(distinct "$pcap" "$f" ip.src ip.dst eth.src eth.dst ip.ttl)"
check_eq "v3/IPv4: checksum good (IPv4 pseudo-header) on every advert" "1" \
	"$(distinct "$pcap" "$f" vrrp.checksum.status)"
read -r median max count < <(interarrival_stats "$pcap" "$f")
diag "v3/IPv4 advert gaps: median ${median:-?} ms, max ${max:-?} ms over ${count:-0} gaps (advert_int 100 ms)"
check "v3/IPv4: median advert gap within 10 % of 100 ms (${median:-?} ms)" \
	awk -v m="${median:-0}" 'BEGIN { exit !(m >= 90 && m <= 110) }'

# --- VRRPv3, IPv6
f="vrrp && vrrp.virt_rtr_id == 52"
n=$(count_frames "$pcap" "$f")
check_ge "v3/IPv6: adverts captured in 3.2 s" "$n" 25
check_eq "v3/IPv6: version 3, type 1, VRID 52, priority 150, 1 address" \
	"3|1|52|150|1|$VIP6" \
	"$(distinct "$pcap" "$f" vrrp.version vrrp.type vrrp.virt_rtr_id vrrp.prio vrrp.addr_count vrrp.ipv6_addr)"
check_eq "v3/IPv6: Max Adver Int field 10 cs" "10" "$(distinct "$pcap" "$f" vrrp.short_adver_int)"
check_eq "v3/IPv6: from n1's link-local address to ff02::12 / 33:33:00:00:00:12, hop limit 255" \
	"$ll1|ff02::12|$mac1|33:33:00:00:00:12|255" \
	"$(distinct "$pcap" "$f" ipv6.src ipv6.dst eth.src eth.dst ipv6.hlim)"
check_eq "v3/IPv6: checksum good on every advert" "1" "$(distinct "$pcap" "$f" vrrp.checksum.status)"
read -r median max count < <(interarrival_stats "$pcap" "$f")
diag "v3/IPv6 advert gaps: median ${median:-?} ms, max ${max:-?} ms over ${count:-0} gaps (advert_int 100 ms)"
check "v3/IPv6: median advert gap within 10 % of 100 ms (${median:-?} ms)" \
	awk -v m="${median:-0}" 'BEGIN { exit !(m >= 90 && m <= 110) }'

# --- VRRPv2, IPv4
f="vrrp && vrrp.virt_rtr_id == 53"
n=$(count_frames "$pcap" "$f")
check_ge "v2: adverts captured in 3.2 s" "$n" 3
check_eq "v2: version 2, type 1, VRID 53, priority 150, 1 address, no authentication, Adver Int 1 s" \
	"2|1|53|150|1|$VIP2|0|1" \
	"$(distinct "$pcap" "$f" vrrp.version vrrp.type vrrp.virt_rtr_id vrrp.prio vrrp.addr_count vrrp.ip_addr vrrp.auth_type vrrp.adver_int)"
check_eq "v2: from 192.0.2.11 to 224.0.0.18, TTL 255" "192.0.2.11|224.0.0.18|255" \
	"$(distinct "$pcap" "$f" ip.src ip.dst ip.ttl)"
check_eq "v2: checksum good on every advert" "1" "$(distinct "$pcap" "$f" vrrp.checksum.status)"
read -r median max count < <(interarrival_stats "$pcap" "$f")
diag "v2 advert gaps: median ${median:-?} ms, max ${max:-?} ms over ${count:-0} gaps (advert_int 1000 ms)"
check "v2: median advert gap within 10 % of 1000 ms (${median:-?} ms)" \
	awk -v m="${median:-0}" 'BEGIN { exit !(m >= 900 && m <= 1100) }'

assert_single_holder $VIP n1
assert_single_holder $VIP6 n1
assert_single_holder $VIP2 n1
check_stop n1
check_stop n2
assert_no_holder $VIP
assert_no_holder $VIP6
assert_no_holder $VIP2

done_testing
