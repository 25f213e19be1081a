#!/bin/bash
# track_script_timeout: a vrrp_script that hangs (sleep 30) with timeout
# 0.5 s is killed at its timeout, with its whole process group (no sleep
# left in the namespace, no zombie), and each hang counts as a failure
# (vipctl's failures counter). The master's adverts keep their rhythm while
# its scripts hang: chk_soft (weight -10) hangs for 3 s and n1 stays master
# at 140; chk_hard (weight -60) hangs and the VIP moves to n2. Stopping vipd
# during a hang leaves no sleep behind either.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 2

VIP=192.0.2.100
ADVERT=0.1
RHYTHM_LIMIT_MS=$(awk -v a=$ADVERT 'BEGIN { print 2 * a * 1000 }')

# hang.sh NAME: hangs while $TMP/hang.NAME exists, else succeeds at once.
cat >"$TMP/hang.sh" <<EOF
#!/bin/sh
if [ -e "$TMP/hang.\$1" ]; then
	sleep 30
fi
exit 0
EOF
chmod 755 "$TMP/hang.sh"

script_def() {
	printf 'vrrp_script chk_%s {\n\tscript "%s %s"\n' "$1" "$TMP/hang.sh" "$1"
	printf '\tinterval 0.3\n\ttimeout 0.5\n\tweight %s\n}\n\n' "$2"
}

{
	conf_global extra=$'\tscript_user root'
	script_def soft -10
	script_def hard -60
	conf_instance prio=150 advert=$ADVERT extra=$'\ttrack_script {\n\t\tchk_soft\n\t\tchk_hard\n\t}'
} >"$TMP/n1.conf"
write_conf "$TMP/n2.conf" prio=100 advert=$ADVERT

# ns_procs NODE: "PID STAT COMMAND" for each process in NODE's namespace.
ns_procs() {
	local pids
	pids=$(ip netns pids "$(ns "$1")" | paste -sd, -)
	[ -n "$pids" ] || return 0
	ps -o pid=,stat=,comm= -p "$pids"
}

sleeps_in() {
	ns_procs "$1" | awk '$3 == "sleep"' | wc -l
}

zombies_in() {
	ns_procs "$1" | awk '$2 ~ /^Z/' | wc -l
}

no_sleep_in() {
	[ "$(sleeps_in "$1")" -eq 0 ]
}

# n1_rhythm DESC PCAP: n1's advert inter-arrival (median, max) in PCAP.
n1_rhythm() {
	local stats
	stats=$(interarrival_stats "$2" "vrrp && ip.src == 192.0.2.11 && vrrp.prio > 0")
	diag "$1: n1's adverts: median/max inter-arrival ${stats:-none} (ms, count)"
	check_lt "$1: n1's adverts keep their rhythm (max gap < 2 x advert_int)" \
		"$(echo "$stats" | awk '{ print $2 }')" "$RHYTHM_LIMIT_MS"
}

check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 5
check_eq "no script failure yet on n1" 0 "$(check_counter n1 chk_soft failures)"

# --- chk_soft hangs for 3 s: killed at each timeout, n1 stays master at 140
capture_start soft "vrrp"
check "[soft hang] the capture sees n1's rhythm first" wait_until 5 adverts_seen soft 192.0.2.11 3
touch "$TMP/hang.soft"
check "[soft hang] n1 drops to 150 - 10" wait_until 3 prio_is n1 140
max_sleeps=0
for _i in $(seq 1 30); do
	s=$(sleeps_in n1)
	[ "$s" -gt "$max_sleeps" ] && max_sleeps=$s
	sleep 0.1
done
check_eq "[soft hang] never more than one hung sleep at a time in n1's namespace" 1 "$max_sleeps"
failures=$(check_counter n1 chk_soft failures)
check_ge "[soft hang] each hang counted as a failure (3 s at interval 0.3, timeout 0.5)" "$failures" 3
check "[soft hang] vipctl shows the timeout as the last error" \
	eval "vipctl_json n1 | grep -qF '\"name\":\"chk_soft\",\"up\":false' && vipctl_json n1 | grep -qF 'no answer within its timeout of 0.50 s, killed'"
runtime=$(vipctl_json n1 | grep -o '"name":"chk_soft",[^}]*"last_runtime_s":[0-9.]*' | sed 's/.*://')
diag "[soft hang] the killed script's last runtime: ${runtime:-?} s (timeout 0.5 s)"
check_ge "[soft hang] the script ran for its timeout" "${runtime:-}" 0.45
check_lt "[soft hang] and was killed soon after it" "${runtime:-}" 1.5
check_eq "[soft hang] n1 is still MASTER" MASTER "$(inst_state n1)"
assert_single_holder $VIP n1
rm -f "$TMP/hang.soft"
check "[soft hang over] n1 is back to 150" wait_until 3 prio_is n1 150
capture_stop soft
n1_rhythm "[soft hang]" "$(capture_file soft)"
check "[soft hang over] no sleep left in n1's namespace" wait_until 2 no_sleep_in n1
check_eq "[soft hang over] no zombie in n1's namespace" 0 "$(zombies_in n1)"

# --- chk_hard hangs: 150 - 60 = 90 < 100, the VIP moves
capture_start hard "vrrp"
check "[hard hang] the capture sees n1's rhythm first" wait_until 5 adverts_seen hard 192.0.2.11 3
before=$(check_counter n1 chk_hard failures)
t0=$(now_us)
touch "$TMP/hang.hard"
check "[hard hang] n2 becomes the only holder" wait_single_holder n2 $VIP 6
ms=$(elapsed_ms "$t0")
diag "[hard hang] DETECT-TO-FAILOVER: $ms ms (interval 0.3 s + timeout 0.5 s + Master_Down_Interval $(mdi_ms 100 $ADVERT) ms at most ~1.2 s)"
check_lt "[hard hang] failover within 0.3 + 0.5 s + 2 x Master_Down_Interval (ms)" "$ms" \
	"$(failover_bound_ms 800 100 $ADVERT)"
check "[hard hang] n1's effective priority is 90" wait_until 2 prio_is n1 90
check_ge "[hard hang] the hang counted as a failure" "$(check_counter n1 chk_hard failures)" $((before + 1))
observe 0.5
capture_stop hard
n1_rhythm "[hard hang, until n1 hands over]" "$(capture_file hard)"
assert_single_holder $VIP n2
t0=$(now_us)
rm -f "$TMP/hang.hard"
check "[hard hang over] n1 preempts and holds $VIP again" wait_single_holder n1 $VIP 6
diag "[hard hang over] RECOVERY: $(elapsed_ms "$t0") ms"
check "[hard hang over] no sleep left in n1's namespace" wait_until 2 no_sleep_in n1
check_eq "[hard hang over] no zombie in n1's namespace" 0 "$(zombies_in n1)"
check "n1's log tells why the script failed" \
	grep -qF 'vrrp_script chk_hard failed: no answer within its timeout of 0.50 s, killed' "$TMP/n1.log"

# --- vipd stops while a script hangs: the script goes with it
touch "$TMP/hang.soft"
check "[stop during a hang] a hung sleep runs in n1's namespace" \
	wait_until 3 eval '[ "$(sleeps_in n1)" -ge 1 ]'
check_stop n1
check "[stop during a hang] no sleep left in n1's namespace" wait_until 2 no_sleep_in n1
check_eq "[stop during a hang] nothing at all left in n1's namespace" "" "$(ns_procs n1)"
rm -f "$TMP/hang.soft"
check_stop n2
assert_no_holder $VIP

done_testing
