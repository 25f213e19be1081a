#!/bin/bash
# many_vips: an instance with thousands of VIPs. The kernel needs seconds
# for thousands of IPv6 addresses on one interface, so a new master puts
# them in step by step and keeps advertising meanwhile: the backup must not
# take over during the install. Each step's addresses are announced as
# soon as they are in, so the first ones move before the last are added.
# A master stopped in the middle of its install removes exactly what it had
# put in; a reload in the middle of it lets the install go on in steps.
#
# n1 (priority 150) and n2 (100) share one instance: 192.0.2.100 and
# N6 addresses from 2001:db8:1::/64 (virtual_ipaddress_excluded),
# advert_int 0.1 (n2's Master_Down_Interval: 360.9 ms).

. "$(dirname "$0")/lib.sh"

need_daemon
is_keepalived && skip_all "the stepped install is vipd's"
topo_create 2

N6=3000
NVIPS=$((N6 + 1))
ADVERT=0.1
MDI100=$(mdi_ms 100 $ADVERT)
N1_IP=$(node_ip n1)
N2_IP=$(node_ip n2)

# conf PRIORITY
conf() {
	local i
	conf_global extra=$'\tvrrp_garp_master_repeat 1\n\tvrrp_garp_master_delay 0'
	cat <<EOF
vrrp_instance web {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $1
	advert_int $ADVERT
	garp_master_repeat 1
	garp_master_delay 0
	virtual_ipaddress {
		192.0.2.100/24 dev eth0
	}
	virtual_ipaddress_excluded {
EOF
	for i in $(seq 1 $N6); do
		printf '\t\t2001:db8:1::%x/64 dev eth0\n' "$i"
	done
	printf '\t}\n}\n'
}

# vip_count NODE: VIPs on NODE now.
vip_count() {
	ip -n "$(ns "$1")" -o addr show dev eth0 |
		awk '$4 ~ /^(192\.0\.2\.100\/|2001:db8:1::)/ { n++ } END { print n + 0 }'
}

count_is() {
	[ "$(vip_count "$1")" -eq "$2" ]
}

# na_time PCAP ADDR: when n1 first announced ADDR (unsolicited NA).
na_time() {
	first_time "$1" "eth.src == $(node_mac n1) && icmpv6.type == 136 && icmpv6.nd.na.target_address == $2"
}

conf 150 >"$TMP/n1.conf"
conf 100 >"$TMP/n2.conf"

# --- n2 alone: becomes master and installs everything.
check_start n2 "$TMP/n2.conf"
check "n2 alone installs all $NVIPS VIPs" wait_until 60 count_is n2 $NVIPS

# --- n1 preempts: n2 must not come back while n1 installs.
capture_start preempt "vrrp or icmp6"
check_start n1 "$TMP/n1.conf"
check "n1 installs all $NVIPS VIPs" wait_until 60 count_is n1 $NVIPS
check "n2 gives every VIP up" wait_until 30 count_is n2 0
observe 1
capture_stop preempt
pcap=$(capture_file preempt)

line=$(grep -m1 "installed $NVIPS VIPs in" "$TMP/n1.log")
diag "n1: ${line#*: }"
steps=$(printf '%s\n' "$line" | sed -n 's/.*(\([0-9]*\) steps).*/\1/p')
check_ge "n1 installed in more than one step" "${steps:-0}" 2

t1=$(first_time "$pcap" "vrrp && ip.src == $N1_IP")
read -r med max cnt <<<"$(tshark_fields "$pcap" "vrrp && ip.src == $N1_IP && frame.time_relative >= ${t1:-none}" frame.time_relative |
	awk 'NR > 1 { g = ($1 - p) * 1000; if (g > m) m = g; s[n++] = g } { p = $1 }
		END { if (n) printf "%.1f %.1f %d\n", s[int(n / 2)], m, n; else print "- 999999 0" }')"
diag "n1's adverts from its first: median gap $med ms, max $max ms, $cnt gaps (n2 takes over after $MDI100 ms)"
check_lt "n1's longest advert gap during the install stays below n2's Master_Down_Interval (ms)" \
	"${max%.*}" "${MDI100%.*}"
check_eq "n2 sent no advert after n1's first but its priority-0 one" 0 \
	"$(count_frames "$pcap" "vrrp && ip.src == $N2_IP && vrrp.prio != 0 && frame.time_relative > ${t1:-none} + 0.05")"
check_eq "n2 became master once only" 1 "$(grep -c -- '-> MASTER' "$TMP/n2.log")"
check_eq "n1 became master once only" 1 "$(grep -c -- '-> MASTER' "$TMP/n1.log")"

first_na=$(na_time "$pcap" 2001:db8:1::1)
last_na=$(na_time "$pcap" "2001:db8:1::$(printf '%x' $N6)")
diag "n1 announced 2001:db8:1::1 at ${first_na:-never} s, the last VIP at ${last_na:-never} s"
check "the first VIPs were announced well before the last one was in" \
	awk -v a="${first_na:-9999}" -v b="${last_na:-0}" 'BEGIN { exit !(a + 0.3 < b) }'

# --- n1 stopped in the middle of the install: what went in comes out.
check_stop n1
check "n2 takes over and installs all $NVIPS VIPs" wait_until 60 count_is n2 $NVIPS
check "n1 is left with no VIP" count_is n1 0
check_start n1 "$TMP/n1.conf"
check "n1 preempts and starts installing" wait_until 30 eval '[ "$(vip_count n1)" -gt 0 ]'
partial=$(vip_count n1)
check_stop n1
diag "n1 was stopped with $partial of $NVIPS VIPs in"
check_lt "n1 was stopped before its install was complete" "$partial" $NVIPS
check "n1 is left with no VIP" count_is n1 0
check_eq "n1 logged no failure to remove a VIP" 0 "$(grep -c 'cannot remove' "$TMP/n1.log")"
# n2 installs right after removing the same 3001 addresses as n1 preempted
# it. An install that soon after the removal has taken 30-55 s on a 2-core
# machine (2-3 s otherwise), not yet explained (doc/reliability.md), so
# this wait is longer than the others.
check "n2 holds all $NVIPS VIPs again" wait_until 150 count_is n2 $NVIPS

# --- a reload in the middle of the install: the install goes on in steps.
capture_start reload "vrrp"
check_start n1 "$TMP/n1.conf"
check "n1 preempts and starts installing again" wait_until 30 eval '[ "$(vip_count n1)" -gt 0 ]'
diag "n1 has $(vip_count n1) of $NVIPS VIPs at SIGHUP"
kill -HUP "${DAEMON_PID[n1]}"
check "after the reload n1 installs all $NVIPS VIPs" wait_until 60 count_is n1 $NVIPS
check "n2 gives every VIP up again" wait_until 30 count_is n2 0
capture_stop reload
pcap=$(capture_file reload)
t1=$(first_time "$pcap" "vrrp && ip.src == $N1_IP")
max=$(tshark_fields "$pcap" "vrrp && ip.src == $N1_IP && frame.time_relative >= ${t1:-none}" frame.time_relative |
	awk 'NR > 1 { g = ($1 - p) * 1000; if (g > m) m = g } { p = $1 } END { printf "%.1f\n", (NR > 1 ? m : 999999) }')
diag "n1's longest advert gap across the reload: $max ms"
if asan_build; then
	# Reading and checking a 3001-address configuration alone takes longer
	# than a Master_Down_Interval under the sanitizers (0.7 s; under 20 ms in a
	# normal build), so the backup may step in: the timing is not the build's.
	skip_check "n1 kept advertising through the reload" \
		"not for sanitizer builds: the reload itself outlasts 361 ms there"
	skip_check "n2 sent no advert after n1's first but its priority-0 one" \
		"not for sanitizer builds: the reload itself outlasts 361 ms there"
else
	check_lt "n1 kept advertising through the reload (longest gap, ms)" "${max%.*}" "${MDI100%.*}"
	check_eq "n2 sent no advert after n1's first but its priority-0 one" 0 \
		"$(count_frames "$pcap" "vrrp && ip.src == $N2_IP && vrrp.prio != 0 && frame.time_relative > ${t1:-none} + 0.05")"
fi
check_eq "the reload kept the instance" 1 "$(grep -c 'reloaded: 1 instance kept' "$TMP/n1.log")"
check_stop n1
check "n1 is left with no VIP" count_is n1 0
check "n2 holds all $NVIPS VIPs again" wait_until 60 count_is n2 $NVIPS

check_stop n2
check "n2 is left with no VIP" wait_until 30 count_is n2 0
done_testing
