#!/bin/bash
# interop: vipd against keepalived (Debian's 2.2.7) on one segment, for
# VRRPv3/IPv4, VRRPv3/IPv6, VRRPv2 without and with simple-password
# authentication, and unicast (VRRPv3/IPv4 with unicast_src_ip/unicast_peer).
# For each protocol variant:
#   A. vipd 150 on n1, keepalived 100 on n2: vipd is master; kill -9 vipd,
#      keepalived takes the VIP; restart vipd: it removes the stale VIP (and
#      says so), then preempts back.
#   B. the same with the roles swapped (keepalived 150, vipd 100).
#   C. equal priorities, split brain healed: the greater primary address
#      (n2) wins, with vipd on n2 and then with keepalived on n2.
#   D. (throughout) neither side drops or complains about the other's
#      adverts: vipd's drop counters (per instance and per interface, from
#      `vipctl status --json`) stay zero, keepalived logs no checksum,
#      TTL, version, auth, length or address-list complaint.
# Both daemons' adverts are checked on the wire (version, checksum, TTL /
# hop limit, destination, v2 auth); with a wrong password (v2auth) both
# sides must complain, the control that the checks of D can fail.
# IPv6 also checks that the client's neighbour entry for the VIP follows a
# vipd that becomes master (unsolicited NA with the Override flag), IPv4 the
# same for gratuitous ARP.
#
# VIPT_INTEROP lists the variants to run (v3 v6 v2 v2auth unicast). This
# script alone runs v3; interop_ipv6.sh, interop_v2.sh and interop_unicast.sh
# set VIPT_INTEROP and source it, so make check runs the variants in
# parallel (the VRRPv2 ones are slow: advert_int cannot go below 1 s).
# VIPT_INTEROP="v3 v6 v2 v2auth unicast" ./interop.sh runs everything.

. "$(dirname "$0")/lib.sh"

VIPT_DAEMON=vipd need_daemon
VIPT_DAEMON=keepalived need_daemon
command -v jq >/dev/null 2>&1 || {
	echo "Bail out! jq is needed to read vipctl status --json"
	exit 1
}
VIPCTL=$VIPD_BUILDDIR/vipctl
[ -x "$VIPCTL" ] || {
	echo "Bail out! vipctl not found at $VIPCTL"
	exit 1
}

topo_create 2

mkdir -p "$TMP/old" || bail "mkdir $TMP/old"

declare -A RUNS # node -> the daemon it runs (vipd or keepalived)

# ------------------------------------------------------------ variants

# variant_set NAME: VRID, VIP, advert interval, configuration and capture
# filters of one protocol variant.
variant_set() {
	V=$1
	VIP=192.0.2.100
	VIPLEN=24
	LABEL=eth0:0
	ADVERT=0.1
	VERSION=3
	EXTRA=
	FAM=4
	case $V in
	v3) VRID=51 ;;
	v6)
		VRID=52
		VIP=2001:db8::100
		VIPLEN=64
		LABEL=
		FAM=6
		;;
	v2)
		VRID=53
		ADVERT=1
		VERSION=2
		;;
	v2auth)
		VRID=54
		ADVERT=1
		VERSION=2
		EXTRA=$'\tauthentication {\n\t\tauth_type PASS\n\t\tauth_pass secret\n\t}'
		;;
	unicast) VRID=55 ;;
	*) bail "unknown interop variant $V" ;;
	esac
	# Bounds: a few Master_Down_Intervals, never below 3 s (a loaded
	# machine, and keepalived's start-up).
	LIMIT=$(awk -v m="$(mdi_ms 100 $ADVERT)" 'BEGIN { l = 3 * m / 1000; print (l < 3 ? 3 : l) }')
	# Long enough for a few adverts to cross in either direction.
	SETTLE=$(awk -v a=$ADVERT 'BEGIN { s = 5 * a; print (s > 2.2 ? 2.2 : s) }')
	wire_fields
}

# iconf NODE PRIORITY: the configuration of the current variant for NODE
# (the same text for vipd and keepalived).
iconf() {
	local node=$1 prio=$2 peer extra=$EXTRA
	if [ "$V" = unicast ]; then
		peer=n1
		[ "$node" = n1 ] && peer=n2
		extra=$'\tunicast_src_ip '"$(node_ip "$node")"$'\n\tunicast_peer {\n\t\t'"$(node_ip $peer)"$'\n\t}'
	fi
	conf_global version=$VERSION
	conf_instance name=web vrid=$VRID prio="$prio" advert=$ADVERT vip=$VIP/$VIPLEN \
		label="$LABEL" extra="$extra"
}

# ------------------------------------------------------------ daemons

# start_as NODE DAEMON CONF: check_start with the given daemon.
start_as() {
	RUNS[$1]=$2
	VIPT_DAEMON=$2 check_start "$1" "$3"
}

kill9_as() {
	[ -n "${DAEMON_PID[$1]:-}" ] || return 0
	VIPT_DAEMON=${RUNS[$1]} kill9_daemon "$1"
}

# stop_as NODE: check_stop when a daemon still runs there.
stop_as() {
	[ -n "${DAEMON_PID[$1]:-}" ] || return 0
	VIPT_DAEMON=${RUNS[$1]} check_stop "$1"
}

# ------------------------------------------------------------ observations

# adverts: a display filter for the current variant's adverts from NODE.
adverts_from() {
	echo "vrrp && vrrp.virt_rtr_id == $VRID && eth.src == $(node_mac "$1")"
}

# client_neigh_mac: the MAC in the client's neighbour entry for the VIP,
# without sending anything (so only announcements can have changed it).
client_neigh_mac() {
	ip -n "$(ns c)" -$FAM neigh show to "$VIP" dev eth0 |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

client_neigh_is() {
	[ "$(client_neigh_mac)" = "$(node_mac "$1")" ]
}

# wire_of PCAP NODE: the distinct WIRE_FIELDS of NODE's adverts (what
# both daemons must agree on: version, checksum good, TTL / hop limit 255,
# destination; v2: auth type, interval, password).
wire_fields() {
	WIRE_FIELDS=(vrrp.version vrrp.checksum.status)
	if [ "$FAM" = 6 ]; then
		WIRE_FIELDS+=(ipv6.hlim ipv6.dst)
	else
		WIRE_FIELDS+=(ip.ttl ip.dst)
	fi
	if [ "$VERSION" = 2 ]; then
		WIRE_FIELDS+=(vrrp.auth_type vrrp.adver_int)
		[ "$V" = v2auth ] && WIRE_FIELDS+=(vrrp.auth_string)
	fi
	WIRE_DESC=$(IFS='|' && echo "${WIRE_FIELDS[*]}")
}

wire_of() {
	tshark_fields "$1" "$(adverts_from "$2")" "${WIRE_FIELDS[@]}" | sort -u | paste -sd' '
}

# wire_expect NODE: what wire_of must print for NODE.
wire_expect() {
	local dst=224.0.0.18 s
	[ "$FAM" = 6 ] && dst=ff02::12
	if [ "$V" = unicast ]; then
		dst=$(node_ip n1)
		[ "$1" = n1 ] && dst=$(node_ip n2)
	fi
	s="$VERSION|1|255|$dst"
	case $V in
	v2) s="$s|0|$ADVERT" ;;
	v2auth) s="$s|1|$ADVERT|secret" ;;
	esac
	echo "$s"
}

# vipd_drops NODE: the non-zero drop counters of vipd on NODE, as
# "instance:web:checksum=1 interface:eth0:ttl=2" ("" when all are zero).
vipd_drops() {
	"$VIPCTL" -p "$TMP/$1.pid" status --json | jq -r '
		[(.instances[] | ("instance:" + .name) as $o | .drops | to_entries[] |
			select(.value != 0) | "\($o):\(.key)=\(.value)"),
		 (.interfaces[] | ("interface:" + .name) as $o | .drops | to_entries[] |
			select(.value != 0) | "\($o):\(.key)=\(.value)")] | join(" ")'
}

vipd_received() {
	"$VIPCTL" -p "$TMP/$1.pid" status --json | jq -r '.instances[0].adverts.received'
}

# check_vipd_clean TAG NODE WHEN [rx]: vipd on NODE dropped no advert
# (instance and interface counters); with rx, it also accepted some (the
# peer has been master while this vipd ran).
check_vipd_clean() {
	local tag=$1 node=$2 when=$3 drops rcvd
	drops=$(vipd_drops "$node" 2>&1)
	check_eq "[$tag] vipd on $node: every drop counter is zero ($when)" "" "$drops"
	[ "${4:-}" = rx ] || return 0
	rcvd=$(vipd_received "$node" 2>&1)
	check_ge "[$tag] vipd on $node accepted keepalived's adverts ($when)" "$rcvd" 1
}

# Every complaint keepalived 2.2.7 makes about a received advert (its
# vrrp_check_packet() and friends): TTL, version, auth, interval, type,
# address count, length, unicast/multicast, VIP list, checksum, unknown VRID.
KA_COMPLAINT='invalid TTL|TTL/HL|wrong version|auth, expecting|invalid passwd|interval mismatch|interval updated|changing advert interval|invalid packet type|unexpected ip number count|ip_tot_len mismatch|icast packet but received|VIPs but received|not present in MASTER advert|checksum|packet too|bogus|unknown VRID|received AH header|with our IP address|sync instance needed'

# check_logs TAG NODE: after the daemon on NODE has stopped, its log
# (this scenario only) shows no complaint about the peer's adverts.
check_logs() {
	local tag=$1 node=$2 log=$TMP/$2.log bad
	if [ "${RUNS[$node]}" = keepalived ]; then
		bad=$(grep -iE "$KA_COMPLAINT" "$log")
	else
		bad=$(grep -E 'dropped advert|differ from our|receive error' "$log")
	fi
	check_eq "[$tag] ${RUNS[$node]} on $node logged no complaint about the peer's adverts" "" "$bad"
}

# scenario_begin TAG / scenario_end TAG [nologs]: logs per scenario; on failure the
# scenario's logs go out as diagnostics.
scenario_begin() {
	FAILED_BEFORE=$TAP_FAILED
	diag "==== $1"
}

scenario_end() {
	local tag=$1 node f
	for node in n1 n2; do
		stop_as "$node"
	done
	for node in n1 n2; do
		[ -f "$TMP/$node.log" ] || continue
		[ "${2:-}" = nologs ] || check_logs "$tag" "$node"
		f=$TMP/old/$tag-$node-${RUNS[$node]}.log
		mv "$TMP/$node.log" "$f"
		if [ "$TAP_FAILED" -ne "$FAILED_BEFORE" ]; then
			diag "---- $tag: last lines of $node's ${RUNS[$node]} log"
			diag "$(tail -n 30 "$f")"
		fi
	done
	assert_no_holder "$VIP"
	ip -n "$(ns c)" neigh flush dev eth0
}

# ------------------------------------------------------------ scenarios

# failover TAG HIGH LOW: HIGH (priority 150) on n1, LOW (100) on n2.
failover() {
	local tag=$1 hi=$2 lo=$3 t0 pcap gap ms mac1 mac2 vipd_node
	mac1=$(node_mac n1)
	mac2=$(node_mac n2)
	vipd_node=n1
	[ "$lo" = vipd ] && vipd_node=n2
	scenario_begin "$tag: $hi 150 on n1, $lo 100 on n2"
	iconf n1 150 >"$TMP/$tag-n1.conf"
	iconf n2 100 >"$TMP/$tag-n2.conf"
	t0=$(now_us)
	start_as n1 "$hi" "$TMP/$tag-n1.conf"
	start_as n2 "$lo" "$TMP/$tag-n2.conf"
	check "[$tag] $hi on n1 (priority 150) becomes the only holder of $VIP" \
		wait_single_holder n1 $VIP "$LIMIT"
	diag "[$tag] ELECTION: n1 held $VIP $(elapsed_ms "$t0") ms after its start (Master_Down_Interval at 150: $(mdi_ms 150 $ADVERT) ms)"
	check "[$tag] the client reaches $VIP" client_ping $VIP
	check_eq "[$tag] the client's neighbour entry for $VIP is n1's MAC" "$mac1" "$(client_neigh_mac)"

	capture_start "$tag-kill" "ip proto 112 or ip6 proto 112"
	observe "$SETTLE"
	# A vipd backup has heard keepalived; a vipd master has heard nothing.
	check_vipd_clean "$tag" $vipd_node "$hi master, $lo backup" "$([ "$lo" = vipd ] && echo rx)"
	kill9_as n1
	t0=$(now_us)
	check "[$tag] after kill -9 of $hi on n1, $lo on n2 holds $VIP" wait_holder n2 $VIP "$LIMIT"
	ms=$(elapsed_ms "$t0")
	if [ "$lo" = vipd ]; then
		check "[$tag] the client's neighbour entry for $VIP follows vipd to n2 (announcement)" \
			wait_until 2 client_neigh_is n2
	else
		wait_until 2 client_neigh_is n2
		diag "[$tag] after keepalived took over, the client's entry for $VIP is $(client_neigh_mac) (n2: $mac2)"
	fi
	observe "$SETTLE"
	capture_stop "$tag-kill"
	pcap=$(capture_file "$tag-kill")
	if t_last=$(last_time "$pcap" "$(adverts_from n1)"); then
		check_eq "[$tag] $lo on n2 sent no advert while $hi was master" 0 \
			"$(count_frames "$pcap" "$(adverts_from n2) && frame.time_relative < $t_last")"
	else
		not_ok "[$tag] $lo on n2 sent no advert while $hi was master" "no advert of n1 ($hi) in the capture"
	fi
	gap=$(capture_gap_ms "$pcap" "$(adverts_from n1)" "$(adverts_from n2)")
	diag "[$tag] FAILOVER: last advert of n1 ($hi) -> first advert of n2 ($lo): ${gap:-?} ms; VIP seen on n2 $ms ms after the kill (Master_Down_Interval at 100: $(mdi_ms 100 $ADVERT) ms)"
	check_lt "[$tag] failover within 2 x Master_Down_Interval + 300 ms (ms)" "${gap:-}" \
		"$(awk -v m="$(mdi_ms 100 $ADVERT)" 'BEGIN { print 2 * m + 300 }')"
	check "[$tag] n1 still has the VIP its crashed $hi left" holds n1 $VIP
	check_eq "[$tag] $hi's adverts from n1 on the wire: $WIRE_DESC" "$(wire_expect n1)" \
		"$(wire_of "$pcap" n1)"
	check_eq "[$tag] $lo's adverts from n2 on the wire: $WIRE_DESC" "$(wire_expect n2)" \
		"$(wire_of "$pcap" n2)"
	[ "$lo" = vipd ] && check_vipd_clean "$tag" n2 "vipd master after the crash" rx

	capture_start "$tag-back" "ip proto 112 or ip6 proto 112"
	start_as n1 "$hi" "$TMP/$tag-n1.conf"
	t0=$(now_us)
	check "[$tag] restarted $hi on n1 preempts: it is the only holder of $VIP" \
		wait_single_holder n1 $VIP "$LIMIT"
	diag "[$tag] PREEMPT: n1 the only holder $(elapsed_ms "$t0") ms after its restart"
	if [ "$hi" = vipd ]; then
		check "[$tag] restarted vipd logs that it removed the stale VIP" \
			grep -qE "web: VIP $VIP/$VIPLEN was already present on eth0 .*removing it" "$TMP/n1.log"
		check "[$tag] the client's neighbour entry for $VIP follows vipd back to n1 (announcement)" \
			wait_until 2 client_neigh_is n1
	fi
	observe "$SETTLE"
	capture_stop "$tag-back"
	pcap=$(capture_file "$tag-back")
	assert_single_holder $VIP n1
	gap=$(tshark_fields "$pcap" "$(adverts_from n1)" frame.time_relative | head -n 1)
	check_eq "[$tag] $lo on n2 stopped advertising once $hi on n1 was back" 0 \
		"$(count_frames "$pcap" "$(adverts_from n2) && frame.time_relative > ${gap:-0} + $ADVERT + 0.05")"
	check_vipd_clean "$tag" $vipd_node "after the restart" rx
	scenario_end "$tag"
}

# tie TAG DAEMON_N1 DAEMON_N2: equal priorities, partitioned until both are
# master, then healed: n2 (greater primary address: 192.0.2.12, or for IPv6
# the link-local fe80::5eff:fe10:c) must stay the only one.
tie() {
	local tag=$1 d1=$2 d2=$3 t0 pcap last1 vipd_node
	vipd_node=n1
	[ "$d2" = vipd ] && vipd_node=n2
	scenario_begin "$tag: equal priority 100, $d1 on n1, $d2 on n2"
	iconf n1 100 >"$TMP/$tag-n1.conf"
	iconf n2 100 >"$TMP/$tag-n2.conf"
	port_block n1
	port_block n2
	start_as n1 "$d1" "$TMP/$tag-n1.conf"
	start_as n2 "$d2" "$TMP/$tag-n2.conf"
	check "[$tag] partitioned, both become master (split brain)" \
		wait_until "$LIMIT" eval 'holds n1 $VIP && holds n2 $VIP'
	capture_start "$tag" "ip proto 112 or ip6 proto 112"
	port_unblock n1
	port_unblock n2
	t0=$(now_us)
	check "[$tag] healed, n2 ($d2, greater primary address) is the only holder" \
		wait_single_holder n2 $VIP "$LIMIT"
	diag "[$tag] TIE: split brain resolved $(elapsed_ms "$t0") ms after the heal (advert_int $ADVERT s)"
	observe "$SETTLE"
	capture_stop "$tag"
	pcap=$(capture_file "$tag")
	assert_single_holder $VIP n2
	# n1 may yield without an advert in the capture: then n2's count from
	# the start (an unreadable capture still fails: no count at all).
	last1=$(last_time "$pcap" "$(adverts_from n1)")
	check "[$tag] n2 went on advertising after n1's last advert (at ${last1:-none} s)" \
		test "$(count_frames "$pcap" "$(adverts_from n2) && frame.time_relative > ${last1:-0}")" -ge 2
	# The loser has heard the winner.
	check_vipd_clean "$tag" $vipd_node "after the heal" "$([ "$d1" = vipd ] && echo rx)"
	scenario_end "$tag"
}

# auth_control TAG: the control for the "no complaint" checks: with
# different passwords, keepalived must log the complaint KA_COMPLAINT looks
# for, and vipd must count and log an auth_mismatch drop.
auth_control() {
	local tag=$1
	scenario_begin "$tag: vipd 150 on n1 (auth_pass secret), keepalived 100 on n2 (auth_pass wrong)"
	iconf n1 150 >"$TMP/$tag-n1.conf"
	iconf n2 100 | sed 's/auth_pass secret/auth_pass wrong/' >"$TMP/$tag-n2.conf"
	start_as n1 vipd "$TMP/$tag-n1.conf"
	start_as n2 keepalived "$TMP/$tag-n2.conf"
	check "[$tag] keepalived complains about vipd's password (and KA_COMPLAINT matches it)" \
		wait_until "$LIMIT" eval 'grep -iE "$KA_COMPLAINT" "$TMP/n2.log" | grep -q "invalid passwd"'
	check "[$tag] vipd counts keepalived's adverts as auth_mismatch, and nothing else" \
		wait_until "$LIMIT" eval '[[ "$(vipd_drops n1)" =~ ^instance:web:auth_mismatch=[1-9][0-9]*$ ]]'
	check "[$tag] vipd logs the dropped advert" grep -q "web: dropped advert from $(node_ip n2): " "$TMP/n1.log"
	diag "[$tag] vipd drop counters: $(vipd_drops n1)"
	scenario_end "$tag" nologs
}

# ------------------------------------------------------------ main

for v in ${VIPT_INTEROP:-v3}; do
	variant_set "$v"
	diag "======== variant $V: VRRPv$VERSION, VRID $VRID, VIP $VIP/$VIPLEN, advert_int $ADVERT s"
	failover "$V-A" vipd keepalived
	failover "$V-B" keepalived vipd
	tie "$V-C1" keepalived vipd
	tie "$V-C2" vipd keepalived
	[ "$V" = v2auth ] && auth_control "$V-X"
done

done_testing
