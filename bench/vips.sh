#!/bin/bash
# bench/vips.sh - one instance with many VIPs: how long until they are all
# installed and announced, and whether the master keeps its advert rhythm
# meanwhile.
#
# n1 runs one VRRPv3 instance (priority 150, advert_int 0.1) alone, with
#   500 VIPs    198.51.100.1-250 in virtual_ipaddress (they go in every
#               advert) and 203.0.113.1-250 in virtual_ipaddress_excluded
#   1000 VIPs   the same and 500 IPv6 addresses from 2001:db8:1::/64 in
#               virtual_ipaddress_excluded (the documentation ranges do not
#               hold 1000 IPv4 addresses)
#   10000 VIPs  (--big) the same with 9500 IPv6 addresses
# and garp_master_repeat 1 with no second burst, so there is exactly one
# gratuitous ARP (IPv4) or unsolicited NA (IPv6) per VIP. Each repetition
# starts the daemon, which becomes master after its Master_Down_Interval,
# and measures from the moment it shows it is master, its first advert on
# the wire (capture on the client's port) or its first VIP added,
# whichever comes first:
#   installed  the last VIP added (`ip -ts monitor address` in n1's
#              namespace: netlink notifications, timestamped as received)
#   span       the first VIP added to the last
#   garps      the last gratuitous ARP or NA for a VIP on the wire
#   adv_gap    the longest silence from then to 3 s after the VIPs are in:
#              between two of n1's adverts, or before its first one (100 ms
#              when it keeps its rhythm; a priority-100 backup would take
#              over after 361 ms)
# vipd and keepalived alternate, REPS repetitions each (default 5).
#
# Usage: bench/vips.sh [--quick] [--big] [-n REPS]
# --quick: 3 repetitions. --big: 10 000 VIPs only.
# Raw results: $BENCH_OUT/vips.tsv (appended to, so a --big run adds its
# rows to the others); the table is printed at the end.

REPS=5
SETS="500 1000"
quick=${BENCH_QUICK:-0}
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--big) SETS=10000 ;;
	-n) REPS=$2; shift ;;
	*) echo "usage: $0 [--quick] [--big] [-n REPS]" >&2; exit 2 ;;
	esac
	shift
done
[ "$quick" = 1 ] && REPS=3

. "$(dirname "$0")/lib.sh"

bench_need_tools
topo_create 1

ADVERT=0.1
N1_IP=$(node_ip n1)
N1_MAC=$(node_mac n1)
N4_ADVERT=250 # in virtual_ipaddress: 4 x 250 bytes fit in one advert
N4_EXCL=250
RAW=$BENCH_OUT/vips.tsv
if [ ! -s "$RAW" ]; then
	printf '# vips\tdaemon\trep\tinstalled_ms\tspan_ms\tgarps_ms\tadv_gap_ms\tstatus\n' >"$RAW"
fi
bench_header "vips ($SETS VIPs)" started >>"$RAW"

# conf NVIPS
conf() {
	local i n6=$(($1 - N4_ADVERT - N4_EXCL))
	conf_global extra=$'\tvrrp_garp_master_repeat 1\n\tvrrp_garp_master_delay 0'
	cat <<EOF
vrrp_instance many {
	state BACKUP
	interface eth0
	virtual_router_id 60
	priority 150
	advert_int $ADVERT
	garp_master_repeat 1
	garp_master_delay 0
	virtual_ipaddress {
EOF
	for i in $(seq 1 $N4_ADVERT); do
		printf '\t\t198.51.100.%d/32 dev eth0\n' "$i"
	done
	printf '\t}\n\tvirtual_ipaddress_excluded {\n'
	for i in $(seq 1 $N4_EXCL); do
		printf '\t\t203.0.113.%d/32 dev eth0\n' "$i"
	done
	for i in $(seq 1 "$n6"); do
		printf '\t\t2001:db8:1::%x/64 dev eth0\n' "$i"
	done
	printf '\t}\n}\n'
}

# vip_count: VIPs on n1 now.
vip_count() {
	ip -n "$(ns n1)" -o addr show dev eth0 |
		awk '$4 ~ /^(198\.51\.100\.|203\.0\.113\.|2001:db8:1::)/ { n++ } END { print n + 0 }'
}

# monitor_times FILE: epoch times of the VIP additions in an
# `ip -ts monitor address` log, in order ("[2024-05-01T10:00:00.123456] 2:
# eth0 inet 198.51.100.1/32 ..."). Local time, as date(1) reads it: one
# call per distinct second.
monitor_times() {
	awk '/^\[/ && !/Deleted/ && $5 ~ /^(198\.51\.100\.|203\.0\.113\.|2001:db8:1::)/ {
		t = substr($1, 2, length($1) - 2)
		sec = substr(t, 1, 19); frac = substr(t, 20)
		if (!(sec in ep)) {
			cmd = "date -d " sec " +%s"
			cmd | getline ep[sec]
			close(cmd)
		}
		print ep[sec] frac
	}' "$1"
}

# analyse MONLOG PCAP: "installed span garps adv_gap" in ms.
analyse() {
	local adv first last ann gap
	tshark -r "$2" -Y "vrrp && ip.src == $N1_IP" -T fields -e frame.time_epoch \
		2>/dev/null >"$TMP/adverts"
	adv=$(head -n 1 "$TMP/adverts")
	first=$(monitor_times "$1" | head -n 1)
	# The silence counts from the first sign of mastership: a daemon that
	# installs its VIPs before its first advert is silent meanwhile too.
	gap=$(awk -v f="$first" 'NR == 1 && f != "" && f + 0 < $1 + 0 { p = f; n = 1 }
		n && $1 - p > g { g = $1 - p } { p = $1; n++ }
		END { if (n > 1) printf "%.2f", g * 1000; else print "-" }' "$TMP/adverts")
	last=$(monitor_times "$1" | tail -n 1)
	ann=$(tshark -r "$2" -Y "eth.src == $N1_MAC && (arp.src.proto_ipv4 == arp.dst.proto_ipv4 || icmpv6.type == 136)" \
		-T fields -e frame.time_epoch 2>/dev/null | tail -n 1)
	# Becoming master shows first as an advert or as the first VIP added,
	# whichever the daemon does first.
	awk -v a="$adv" -v f="$first" -v l="$last" -v g="$ann" -v gap="$gap" '
		function ms(x, y) { return (x == "" || y == "") ? "-" : sprintf("%.2f", (x - y) * 1000) }
		BEGIN {
			s = (a == "" || (f != "" && f + 0 < a + 0)) ? f : a
			print ms(l, s), ms(l, f), ms(g, s), gap
		}'
}

# announce_count PCAP
announce_count() {
	count_frames "$1" "eth.src == $N1_MAC && (arp.src.proto_ipv4 == arp.dst.proto_ipv4 || icmpv6.type == 136)"
}

one_rep() {
	local d=$1 nvips=$2 rep=$3 tag mon pcap cap_pid mon_pid res ann status=ok
	tag="$d $nvips VIPs rep $rep"
	export VIPT_DAEMON=$d
	mon=$TMP/mon-$d-$rep.log
	pcap=$TMP/vips-$d-$rep.pcap
	ip netns exec "$(ns n1)" ip -ts monitor address >"$mon" 2>&1 </dev/null &
	mon_pid=$!
	register_pid "$mon_pid"
	# A large buffer: the announcements come in one burst.
	ip netns exec "$(ns c)" tcpdump -n -U --immediate-mode -B 65536 -Z root -s 128 -i eth0 \
		-w "$pcap" "ip proto 112 or arp or icmp6" >/dev/null 2>"$TMP/vips.tcpdump.err" </dev/null &
	cap_pid=$!
	register_pid "$cap_pid"
	wait_until 10 grep -q 'listening on' "$TMP/vips.tcpdump.err" || bail "tcpdump did not start"
	if ! start_daemon n1 "$TMP/n1-$nvips.conf" ||
		! wait_until 60 eval '[ "$(vip_count)" -eq '"$nvips"' ]'; then
		status="partial: $(vip_count) of $nvips VIPs installed"
		daemon_running n1 || status="$status, the daemon exited"
		not_ok "$tag: the VIPs were not all installed" "$status"
	else
		# The announcements follow the addresses; the adverts must keep
		# their rhythm meanwhile.
		observe 3
	fi
	kill -INT "$cap_pid" 2>/dev/null
	wait "$cap_pid" 2>/dev/null
	kill -TERM "$mon_pid" 2>/dev/null
	wait "$mon_pid" 2>/dev/null
	[ -n "${DAEMON_PID[n1]:-}" ] && stop_daemon n1 >/dev/null
	if ! wait_until 60 eval '[ "$(vip_count)" -eq 0 ]'; then
		diag "$tag: $(vip_count) VIPs left after the daemon stopped: flushed"
		ip -n "$(ns n1)" addr flush dev eth0 to 198.51.100.0/24
		ip -n "$(ns n1)" addr flush dev eth0 to 203.0.113.0/24
		ip -n "$(ns n1)" addr flush dev eth0 to 2001:db8:1::/64
	fi
	res=$(analyse "$mon" "$pcap")
	ann=$(announce_count "$pcap")
	grep -q '^[1-9][0-9]* packets dropped by kernel' "$TMP/vips.tcpdump.err" &&
		diag "$tag: $(grep 'dropped by kernel' "$TMP/vips.tcpdump.err")"
	# A partial install's figures are kept, marked: the report leaves them
	# out of the statistics and counts the repetition as a miss.
	printf '%s\t%s\t%s\t%s\t%s\n' "$nvips" "$d" "$rep" "${res// /$'\t'}" "$status" >>"$RAW"
	[ "$status" = ok ] && ok "$tag: installed/span/garps/adv_gap ms = $res ($ann announcements)"
	rm -f "$pcap" "$mon"
}

declare -A REJECTED
for nv in $SETS; do
	conf "$nv" >"$TMP/n1-$nv.conf"
	# A daemon that refuses this many addresses is a result, not a failure.
	if ! out=$("$VIPD_BUILDDIR/vipd" -t -f "$TMP/n1-$nv.conf" 2>&1); then
		reason=$(printf '%s\n' "$out" | grep -m1 'error' | sed 's/.*error: //')
		printf '%s\tvipd\trejected\t%s\n' "$nv" "$reason" >>"$RAW"
		ok "vipd rejects $nv VIPs in one instance: $reason"
		REJECTED[vipd-$nv]=1
	fi
done
diag "vips: $SETS VIPs, $REPS repetitions per daemon"
for nv in $SETS; do
	for rep in $(seq 1 "$REPS"); do
		for d in "${BENCH_DAEMONS[@]}"; do
			[ -n "${REJECTED[$d-$nv]:-}" ] && continue
			one_rep "$d" "$nv" "$rep"
		done
	done
done
bench_header "vips ($SETS VIPs)" finished >>"$RAW"

"$BENCH_DIR/report.sh" table vips "$RAW"
diag "raw results: $RAW"
done_testing
