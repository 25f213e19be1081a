#!/bin/sh
# capture-keepalived.sh - record real keepalived adverts as test vectors.
#
# Builds two network namespaces (viptcap-a, viptcap-b) joined by a veth
# pair, runs keepalived alone in viptcap-a for each scenario below, captures
# its VRRP packets with tcpdump in viptcap-b, stops keepalived (so the
# priority-0 resign advert is captured too) and writes the raw IP packets,
# IP header included, as hex: one packet per line.
#
#   keepalived-v3-ipv4.hex       VRRPv3, 224.0.0.18
#   keepalived-v3-ipv6.hex       VRRPv3, ff02::12
#   keepalived-v2-noauth.hex     VRRPv2, no authentication
#   keepalived-v2-pass.hex       VRRPv2, auth PASS "secret"
#   keepalived-v3-unicast.hex    VRRPv3, unicast_peer 192.0.2.12
#
# Each file holds ADVERTS adverts at priority 150 followed by the resign
# advert (priority 0). Needs root, iproute2, tcpdump and keepalived.
#
# Usage: tests/data/capture-keepalived.sh [OUTDIR]   (default: this directory)

set -eu

OUTDIR=${1:-$(cd "$(dirname "$0")" && pwd)}
NS_A=viptcap-a
NS_B=viptcap-b
IF_A=viptcap-va
IF_B=viptcap-vb
ADVERTS=3
# Fixed MACs and link-local addresses keep the IPv6 vectors reproducible.
MAC_A=02:00:00:00:00:0b
MAC_B=02:00:00:00:00:0c

TMP=$(mktemp -d /tmp/viptcap.XXXXXX)
KA_PID=
TD_PID=

cleanup() {
	[ -n "$KA_PID" ] && kill "$KA_PID" 2>/dev/null || true
	[ -n "$TD_PID" ] && kill "$TD_PID" 2>/dev/null || true
	ip netns del "$NS_A" 2>/dev/null || true
	ip netns del "$NS_B" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

say() { echo "capture: $*" >&2; }

setup() {
	ip netns add "$NS_A"
	ip netns add "$NS_B"
	ip link add "$IF_A" netns "$NS_A" address "$MAC_A" type veth \
		peer name "$IF_B" netns "$NS_B" address "$MAC_B"
	for ns in "$NS_A" "$NS_B"; do
		ip -n "$ns" link set lo up
	done
	# No automatic link-local: add fixed ones without DAD instead.
	ip -n "$NS_A" link set "$IF_A" addrgenmode none
	ip -n "$NS_B" link set "$IF_B" addrgenmode none
	ip -n "$NS_A" addr add 192.0.2.11/24 dev "$IF_A"
	ip -n "$NS_B" addr add 192.0.2.12/24 dev "$IF_B"
	ip -n "$NS_A" addr add fe80::11/64 dev "$IF_A" nodad
	ip -n "$NS_B" addr add fe80::12/64 dev "$IF_B" nodad
	ip -n "$NS_A" addr add 2001:db8::11/64 dev "$IF_A" nodad
	ip -n "$NS_B" addr add 2001:db8::12/64 dev "$IF_B" nodad
	ip -n "$NS_A" link set "$IF_A" up
	ip -n "$NS_B" link set "$IF_B" up
}

# write_conf NAME: the keepalived.conf for one scenario on stdout.
write_conf() {
	echo "global_defs {"
	echo "	router_id viptcap"
	echo "	script_user root"
	echo "}"
	echo "vrrp_instance VI_$1 {"
	echo "	state BACKUP"
	echo "	interface $IF_A"
	echo "	virtual_router_id 51"
	echo "	priority 150"
	echo "	advert_int 1"
	case $1 in
	v3-ipv4)
		echo "	version 3"
		echo "	virtual_ipaddress { 192.0.2.254/24 }" ;;
	v3-ipv6)
		echo "	version 3"
		echo "	virtual_ipaddress { 2001:db8::254/64 }" ;;
	v2-noauth)
		echo "	version 2"
		echo "	virtual_ipaddress { 192.0.2.254/24 }" ;;
	v2-pass)
		echo "	version 2"
		echo "	authentication {"
		echo "		auth_type PASS"
		echo "		auth_pass secret"
		echo "	}"
		echo "	virtual_ipaddress { 192.0.2.254/24 }" ;;
	v3-unicast)
		echo "	version 3"
		echo "	unicast_src_ip 192.0.2.11"
		echo "	unicast_peer { 192.0.2.12 }"
		echo "	virtual_ipaddress { 192.0.2.254/24 }" ;;
	esac
	echo "}"
}

# count_adverts PCAP: VRRP packets captured so far (0 while the file is new).
count_adverts() {
	tcpdump -nn -r "$1" 2>/dev/null | wc -l
}

# wait_gone PID SECONDS: wait for a process to exit, bounded in time.
wait_gone() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# pcap_to_hex PCAP: one line of hex per packet, exactly the IP packet
# (tcpdump -x drops the Ethernet header; trim any Ethernet padding using
# the IP length fields).
pcap_to_hex() {
	tcpdump -nn -x -r "$1" 2>/dev/null | awk '
		function flush(  b, n, want) {
			if (hex == "")
				return
			n = length(hex) / 2
			b = substr(hex, 1, 1)
			if (b == "4")
				want = ("0x" substr(hex, 5, 4)) + 0
			else
				want = 40 + ("0x" substr(hex, 9, 4)) + 0
			if (want < n)
				hex = substr(hex, 1, want * 2)
			print hex
			hex = ""
		}
		/^[^ \t]/ { flush(); next }
		/^[ \t]+0x[0-9a-f]+:/ {
			for (i = 2; i <= NF; i++)
				hex = hex $i
		}
		END { flush() }'
}

# capture NAME FILTER
capture() {
	name=$1
	filter=$2
	dir=$TMP/$name
	mkdir -p "$dir"
	write_conf "$name" >"$dir/keepalived.conf"
	pcap=$dir/adverts.pcap

	ip netns exec "$NS_B" tcpdump -i "$IF_B" -nn -U -s 0 -w "$pcap" "$filter" \
		2>"$dir/tcpdump.log" &
	TD_PID=$!
	sleep 1

	ip netns exec "$NS_A" keepalived -n -l -D --vrrp -f "$dir/keepalived.conf" \
		-p "$dir/keepalived.pid" -r "$dir/vrrp.pid" >"$dir/keepalived.log" 2>&1 &
	KA_PID=$!

	# Backup for ~3.6 s, then master sending one advert a second.
	i=0
	while [ "$(count_adverts "$pcap")" -lt "$ADVERTS" ]; do
		i=$((i + 1))
		if [ "$i" -gt 200 ]; then
			say "$name: no adverts after 20 s"
			cat "$dir/keepalived.log" >&2
			exit 1
		fi
		sleep 0.1
	done

	kill -TERM "$KA_PID"
	wait_gone "$KA_PID" 10 || { say "$name: keepalived did not stop"; exit 1; }
	wait "$KA_PID" 2>/dev/null || true
	KA_PID=
	sleep 0.5
	kill -TERM "$TD_PID"
	wait "$TD_PID" 2>/dev/null || true
	TD_PID=

	# Keep the first ADVERTS adverts and the last packet, which is the
	# priority-0 advert keepalived sends when it stops on SIGTERM (the
	# unit test checks that priority).
	pcap_to_hex "$pcap" >"$dir/all.hex"
	total=$(wc -l <"$dir/all.hex")
	if [ "$total" -le "$ADVERTS" ]; then
		say "$name: no resign advert captured"
		exit 1
	fi
	{ head -n "$ADVERTS" "$dir/all.hex"; tail -n 1 "$dir/all.hex"; } \
		>"$OUTDIR/keepalived-$name.hex"
	say "$name: $total packets captured, kept $((ADVERTS + 1))"
}

command -v keepalived >/dev/null || { say "keepalived not installed"; exit 1; }
command -v tcpdump >/dev/null || { say "tcpdump not installed"; exit 1; }
setup
keepalived -v 2>&1 | head -n 1 >&2

capture v3-ipv4 "ip proto 112"
capture v3-ipv6 "ip6 proto 112"
capture v2-noauth "ip proto 112"
capture v2-pass "ip proto 112"
capture v3-unicast "ip proto 112"
