#!/bin/bash
# preempt: a returning higher-priority node takes the VIP back (preempt, the
# default); with nopreempt it stays backup; with preempt_delay 2 it waits
# about that long after start before preempting.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 2

VIP=192.0.2.100
ADVERT=0.1
MDI150=$(mdi_ms 150 $ADVERT)

write_conf "$TMP/n1.conf" prio=150 advert=$ADVERT
write_conf "$TMP/n2.conf" prio=100 advert=$ADVERT
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 5
check_stop n1
check "n2 takes over while n1 is away" wait_single_holder n2 $VIP 3

# --- preempt (default)
check_start n1 "$TMP/n1.conf"
t0=$(now_us)
check "preempt: restarted n1 takes $VIP back" wait_single_holder n1 $VIP 5
diag "preempt: n1 held $VIP again $(elapsed_ms "$t0") ms after its start (Master_Down_Interval at 150: $MDI150 ms)"
assert_single_holder $VIP n1
check_stop n1
check "n2 takes over again" wait_single_holder n2 $VIP 3

# --- nopreempt
write_conf "$TMP/n1-nopreempt.conf" prio=150 advert=$ADVERT extra=$'\tnopreempt'
capture_start nopreempt "vrrp"
check_start n1 "$TMP/n1-nopreempt.conf"
# Five Master_Down_Intervals: far more than preemption would need.
observe "$(awk -v m="$MDI150" 'BEGIN { print 5 * m / 1000 }')"
capture_stop nopreempt
check_eq "nopreempt: n1 sent no advert while n2 is master" 0 \
	"$(count_frames "$(capture_file nopreempt)" "vrrp && ip.src == 192.0.2.11")"
assert_single_holder $VIP n2
check_stop n1

# --- preempt_delay 2
write_conf "$TMP/n1-delay.conf" prio=150 advert=$ADVERT extra=$'\tpreempt_delay 2'
check_start n1 "$TMP/n1-delay.conf"
t0=$(now_us)
check "preempt_delay 2: n1 takes $VIP in the end" wait_single_holder n1 $VIP 8
delay_ms=$(elapsed_ms "$t0")
diag "preempt_delay 2: n1 preempted $delay_ms ms after its start"
check_ge "preempt_delay 2: n1 waited at least 1.5 s (ms)" "$delay_ms" 1500
check_lt "preempt_delay 2: n1 waited less than 6 s (ms)" "$delay_ms" 6000
assert_single_holder $VIP n1
check_stop n1
check_stop n2
assert_no_holder $VIP

done_testing
