#!/bin/bash
# track_interface: the master's own interface going down (ip link set eth0
# down in its namespace) or losing its carrier (its bridge port cut) hands
# the VIP to the backup; when it comes back the master returns with preempt
# and stays backup with nopreempt. A tracked second interface (eth1) going
# down moves the VIP through its weight (-60: priority 150 -> 90) or, with
# no weight, through FAULT. A sampler watches the VIP all along: both nodes
# may hold it only for the instant of a handover, never once settled.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 2 eth1

VIP=192.0.2.100
ADVERT=0.1
# Longest tolerated overlap of two holders during a handover: the new
# master's first advert makes the old one let go at once, but the sampler
# (one sample every 20 ms plus two `ip` runs, far slower on a loaded
# machine) can only bound it from above. Shorter than the settled windows
# (0.5 s), so a split brain that lasts cannot pass.
OVERLAP_LIMIT_MS=$(awk -v a=$ADVERT 'BEGIN { print 4.5 * a * 1000 }')

# --- the sampler: "TIME_MS HOLDERS" every ~20 ms, bounded in count.
SAMPLES=$TMP/holders.samples
SAMPLER_T0=$(now_us)
(
	for _i in $(seq 1 6000); do
		printf '%s %s\n' "$(($(now_us) / 1000))" "$(vip_holders $VIP | tr ' ' ,)"
		sleep 0.02
	done
) >"$SAMPLES" 2>/dev/null &
SAMPLER_PID=$!
register_pid $SAMPLER_PID

# settled NODE: TAP check that NODE is the only holder for 0.5 s, seen in
# at least 5 samples (the sampler takes one every 20 ms or so).
settled() {
	local bad t0 n
	t0=$(($(now_us) / 1000))
	observe 0.5
	n=$(awk -v t0="$t0" '$1 >= t0' "$SAMPLES" | wc -l)
	bad=$(awk -v t0="$t0" -v n="$1" '$1 >= t0 && $2 != n' "$SAMPLES" | head -n 3)
	if [ "$n" -ge 5 ] && [ -z "$bad" ]; then
		ok "$2: $1 alone holds $VIP for 0.5 s [$n samples]"
	else
		not_ok "$2: $1 alone holds $VIP for 0.5 s" "$n samples (5 or more needed); others: '$bad'"
	fi
}

# failover DESC NODE: waits for NODE to become the only holder, logs the
# time since $t0.
failover() {
	local ms
	if check "$1: $2 becomes the only holder of $VIP" wait_single_holder "$2" $VIP 6; then
		ms=$(elapsed_ms "$t0")
		diag "$1: DETECT-TO-FAILOVER $ms ms (to $2; Master_Down_Interval at 100: $(mdi_ms 100 $ADVERT) ms, at 150: $(mdi_ms 150 $ADVERT) ms)"
		check_lt "$1: failover within 2 x Master_Down_Interval (ms)" "$ms" \
			"$(failover_bound_ms 0 100 $ADVERT)"
	fi
}

# node_conf FILE PRIORITY [RAW-LINES]
node_conf() {
	write_conf "$1" prio="$2" advert=$ADVERT extra="${3:-}"
}

track_eth1_w=$'\ttrack_interface {\n\t\teth1 weight -60\n\t}'
track_eth1_fault=$'\ttrack_interface {\n\t\teth1\n\t}'

# --- preempt: eth0 down inside n1, then n1's bridge port cut, then eth1
node_conf "$TMP/n1.conf" 150 "$track_eth1_w"
node_conf "$TMP/n2.conf" 100 "$track_eth1_w"
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 5
settled n1 "start"

t0=$(now_us)
node_if_down n1
failover "[eth0 down]" n2
check "[eth0 down] n1 is in FAULT" wait_until 2 state_is n1 FAULT
check_eq "[eth0 down] n2 is MASTER" MASTER "$(inst_state n2)"
check "[eth0 down] the client reaches $VIP" client_ping $VIP
settled n2 "[eth0 down]"
t0=$(now_us)
node_if_up n1
failover "[eth0 up, preempt]" n1
check "[eth0 up, preempt] n2 is BACKUP" wait_until 2 state_is n2 BACKUP
check "[eth0 up, preempt] n1's log names the fault that was resolved" \
	grep -qF 'web: FAULT -> BACKUP: fault cleared: interface eth0 is up again' "$TMP/n1.log"
settled n1 "[eth0 up, preempt]"

t0=$(now_us)
link_cut n1
failover "[carrier cut]" n2
check "[carrier cut] n1 is in FAULT" wait_until 2 state_is n1 FAULT
check_eq "[carrier cut] n1's vipctl shows eth0 without carrier" 1 \
	"$(vipctl_json n1 | grep -c '{"name":"eth0","ifindex":[0-9]*,"up":true,"carrier":false')"
check_eq "[carrier cut] the client's ARP entry for $VIP is n2's MAC" "$(node_mac n2)" "$(client_arp_mac $VIP)"
settled n2 "[carrier cut]"
t0=$(now_us)
link_heal n1
failover "[carrier back, preempt]" n1
check_eq "[carrier back, preempt] the client's ARP entry for $VIP is n1's MAC" "$(node_mac n1)" "$(client_arp_mac $VIP)"
settled n1 "[carrier back, preempt]"

t0=$(now_us)
node_if_down n1 eth1
failover "[eth1 down, weight -60]" n2
check "[eth1 down, weight -60] n1's effective priority is 90" wait_until 2 prio_is n1 90
check_eq "[eth1 down, weight -60] n1 is BACKUP, not FAULT" BACKUP "$(inst_state n1)"
check_eq "[eth1 down, weight -60] n2's priority is untouched" 100 "$(inst_prio n2)"
settled n2 "[eth1 down, weight -60]"
t0=$(now_us)
node_if_up n1 eth1
failover "[eth1 up, weight -60]" n1
check "[eth1 up, weight -60] n1's effective priority is 150 again" wait_until 2 prio_is n1 150
settled n1 "[eth1 up, weight -60]"
check_stop n1
check_stop n2
assert_no_holder $VIP

# --- eth1 tracked without a weight: down is a FAULT
node_conf "$TMP/n1-fault.conf" 150 "$track_eth1_fault"
node_conf "$TMP/n2-fault.conf" 100 "$track_eth1_fault"
check_start n1 "$TMP/n1-fault.conf"
check_start n2 "$TMP/n2-fault.conf"
check "[eth1 FAULT] n1 becomes the only holder" wait_single_holder n1 $VIP 5
t0=$(now_us)
node_if_down n1 eth1
failover "[eth1 down, no weight]" n2
check "[eth1 down, no weight] n1 is in FAULT" wait_until 2 state_is n1 FAULT
settled n2 "[eth1 down, no weight]"
t0=$(now_us)
node_if_up n1 eth1
failover "[eth1 up, no weight]" n1
check "[eth1 up, no weight] n1's log names the fault that was resolved" \
	grep -qF 'web: FAULT -> BACKUP: fault cleared: tracked interface eth1 is up again' "$TMP/n1.log"
settled n1 "[eth1 up, no weight]"
check_stop n1
check_stop n2
assert_no_holder $VIP

# --- nopreempt: after its eth0 comes back n1 stays backup
node_conf "$TMP/n1-nopreempt.conf" 150 $'\tnopreempt'
node_conf "$TMP/n2-nopreempt.conf" 100
check_start n1 "$TMP/n1-nopreempt.conf"
check_start n2 "$TMP/n2-nopreempt.conf"
check "[nopreempt] n1 becomes the only holder" wait_single_holder n1 $VIP 5
t0=$(now_us)
node_if_down n1
failover "[nopreempt, eth0 down]" n2
settled n2 "[nopreempt, eth0 down]"
node_if_up n1
check "[nopreempt, eth0 up] n1 leaves FAULT for BACKUP" wait_until 3 state_is n1 BACKUP
observe 1
settled n2 "[nopreempt, eth0 up]"
check_eq "[nopreempt, eth0 up] n1 is still BACKUP" BACKUP "$(inst_state n1)"
check_stop n1
check_stop n2
assert_no_holder $VIP

# --- the whole run: how long did two nodes hold the VIP at once?
kill -TERM $SAMPLER_PID 2>/dev/null
wait $SAMPLER_PID 2>/dev/null
overlap=$(awk '
	$2 ~ /,/ { if (!s) s = $1; next }
	s { d = $1 - s; if (d > m) m = d; s = 0 }
	END { print m + 0 }' "$SAMPLES")
nsamples=$(wc -l <"$SAMPLES")
diag "longest time both nodes held $VIP: about $overlap ms ($nsamples samples over $(($(elapsed_ms "$SAMPLER_T0") / 1000)) s)"
# One sample per 100 ms at least, or the overlap was not watched.
check_ge "the holders were sampled throughout" "$nsamples" $(($(elapsed_ms "$SAMPLER_T0") / 100))
check_lt "two nodes never hold $VIP beyond a handover" "$overlap" "$OVERLAP_LIMIT_MS"

done_testing
