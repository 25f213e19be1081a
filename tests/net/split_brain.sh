#!/bin/bash
# split_brain: a backup that stops hearing the master (VRRP input dropped in
# its namespace; the client still reaches both) becomes a second master and
# sends gratuitous ARPs. The rightful master hears its lower-priority adverts
# and re-announces the VIP (garp_lower_prio_repeat), so the client comes back
# to it during the partition, and when the partition heals and the backup
# steps down the client loses at most one 100 ms ping. At advert_int 0.1
# and 1; then a partition that cuts both ways, healed with the help of
# higher_prio_send_advert.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 2

VIP=192.0.2.100
# The backup's delayed burst (garp_master_delay) would move the client
# again; keep it out of the observation.
instance_extra=$'\tgarp_master_repeat 3\n\tgarp_master_delay 30'

vrrp_drop() {
	nsx n2 iptables -w -"$1" INPUT -p 112 -j DROP
}

# client_neigh_mac VIP: the client's neighbour entry, without sending anything.
client_neigh_mac() {
	ip -n "$(ns c)" neigh show to "$1" dev eth0 |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

neigh_is() {
	[ "$(client_neigh_mac "$1")" = "$2" ]
}

split_heal() {
	local advert=$1 tag="advert_int $1" mdi n1mac n2mac pings sent got lost pcap garps
	mdi=$(mdi_ms 100 "$advert")
	n1mac=$(node_mac n1)
	n2mac=$(node_mac n2)
	write_conf "$TMP/n1-$advert.conf" prio=150 advert="$advert" extra="$instance_extra"
	write_conf "$TMP/n2-$advert.conf" prio=100 advert="$advert" extra="$instance_extra"
	check_start n1 "$TMP/n1-$advert.conf"
	check_start n2 "$TMP/n2-$advert.conf"
	check "[$tag] n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 10
	check_eq "[$tag] the client's neighbour entry for $VIP is n1's MAC" "$n1mac" "$(client_arp_mac $VIP)"

	capture_start "split-$advert" "vrrp or arp"
	check "[$tag] n2 drops VRRP input" vrrp_drop A
	check "[$tag] n2 becomes a second master (Master_Down_Interval $mdi ms)" \
		wait_holder n2 $VIP "$(awk -v m="$mdi" 'BEGIN { print m / 1000 + 5 }')"
	check "[$tag] n2 announced the VIP with its MAC" wait_until 5 eval \
		'[ "$(count_frames "$(capture_file split-'"$advert"')" "arp.src.proto_ipv4 == $VIP && eth.src == $n2mac")" -ge 1 ]'
	# n1 answers each lower-priority advert with its own gratuitous ARPs.
	check "[$tag] during the partition the client is back on n1" \
		wait_until "$(awk -v a="$advert" 'BEGIN { print 3 * a + 2 }')" neigh_is $VIP "$n1mac"
	check "[$tag] n1 re-announced the VIP after n2's takeover" wait_until 5 eval \
		'[ "$(count_frames "$(capture_file split-'"$advert"')" "arp.src.proto_ipv4 == $VIP && eth.src == $n1mac")" -ge 1 ]'
	check "[$tag] n1 logs why" grep -q 're-announced its VIPs to a lower-priority master' "$TMP/n1.log"
	check "[$tag] n1 is still MASTER" state_is n1 MASTER
	check "[$tag] n2 is MASTER too (it hears nothing)" state_is n2 MASTER

	# Heal with a ping every 100 ms running across it.
	pings=$TMP/ping-$advert.out
	nsx c ping -n -i 0.1 -c 30 -W 1 $VIP >"$pings" 2>&1 &
	register_pid $!
	local ping_pid=$!
	observe 0.5
	check "[$tag] n2 hears VRRP again" vrrp_drop D
	check "[$tag] n2 steps down after the heal" wait_single_holder n1 $VIP 5
	wait "$ping_pid"
	capture_stop "split-$advert"
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$pings")
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$pings")
	lost=$((${sent:-0} - ${got:-0}))
	diag "[$tag] PARTITION HEAL: $lost of ${sent:-?} pings at 100 ms lost"
	check_eq "[$tag] all 30 pings were sent" 30 "${sent:-}"
	check_lt "[$tag] the client loses at most one ping after the heal" "$lost" 2
	check_eq "[$tag] the client's neighbour entry for $VIP is n1's MAC" "$n1mac" "$(client_neigh_mac $VIP)"
	check "[$tag] n2 is BACKUP" state_is n2 BACKUP
	# Rate limit: at most one burst (3 GARPs) per half interval of n2's adverts.
	pcap=$(capture_file "split-$advert")
	garps=$(count_frames "$pcap" "arp.src.proto_ipv4 == $VIP && arp.dst.proto_ipv4 == $VIP && eth.src == $n1mac")
	adverts=$(count_frames "$pcap" "vrrp && ip.src == 192.0.2.12")
	diag "[$tag] n1 sent $garps gratuitous ARPs while n2 sent $adverts adverts"
	check "[$tag] n1's re-announcements are bounded by n2's adverts" \
		test "$garps" -le $((3 * (adverts + 1)))
	check_stop n1
	check_stop n2
}

# A partition that cuts both ways: n1 hears nothing either, so during it the
# client stays with n2's announcements. At the heal, if n2 hears n1 first
# and gives way before n1 hears it, n1 never hears a lesser master; with
# higher_prio_send_advert n2 sends one advert as it gives way, and n1
# re-announces.
both_heal() {
	local advert=$1 tag="advert_int $1, both ways, higher_prio_send_advert" n1mac n2mac
	local pings sent got lost ping_pid
	n1mac=$(node_mac n1)
	n2mac=$(node_mac n2)
	write_conf "$TMP/n1-both-$advert.conf" prio=150 advert="$advert" extra="$instance_extra"
	write_conf "$TMP/n2-both-$advert.conf" prio=100 advert="$advert" \
		extra="$instance_extra"$'\n\thigher_prio_send_advert'
	check_start n1 "$TMP/n1-both-$advert.conf"
	check_start n2 "$TMP/n2-both-$advert.conf"
	check "[$tag] n1 becomes the only holder" wait_single_holder n1 $VIP 10
	check "[$tag] VRRP is dropped both ways (in n2's namespace)" eval \
		'vrrp_drop A && nsx n2 iptables -w -A OUTPUT -p 112 -j DROP'
	check "[$tag] n2 becomes a second master" wait_holder n2 $VIP 10
	check "[$tag] the client follows n2's announcements" wait_until 5 neigh_is $VIP "$n2mac"
	pings=$TMP/ping-both-$advert.out
	nsx c ping -n -i 0.1 -c 30 -W 1 $VIP >"$pings" 2>&1 &
	ping_pid=$!
	register_pid $ping_pid
	observe 0.5
	# Both ways at once: iptables-restore replaces the rules in one go.
	check "[$tag] the partition heals" eval \
		'printf "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n" |
			nsx n2 iptables-restore -w'
	check "[$tag] n2 steps down" wait_single_holder n1 $VIP 5
	wait "$ping_pid"
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$pings")
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$pings")
	lost=$((${sent:-0} - ${got:-0}))
	diag "[$tag] PARTITION HEAL: $lost of ${sent:-?} pings at 100 ms lost"
	check_lt "[$tag] the client loses at most one ping after the heal" "$lost" 2
	check_eq "[$tag] the client's neighbour entry for $VIP is n1's MAC" "$n1mac" "$(client_neigh_mac $VIP)"
	check_stop n1
	check_stop n2
}

split_heal 1
split_heal 0.1
both_heal 1
both_heal 0.1

done_testing
