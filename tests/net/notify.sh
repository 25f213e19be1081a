#!/bin/bash
# notify: notify_master / notify_backup / notify_stop and the generic notify
# script run on each transition with keepalived's arguments (notify gets
# INSTANCE NAME STATE PRIORITY), in order; a transition's scripts wait for
# the previous transition's (a slow notify_master still ends before
# notify_stop starts); a notify_master that takes 30 s does not hold up the
# adverts (no failover happens meanwhile), and is killed so that notify_stop
# can run when the daemon stops.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 2

VIP=192.0.2.100
ADVERT=0.1

# notify.sh NODE WHAT [ARGS...]: one line per call in $TMP/notify.NODE.
# Specific scripts and the generic one run as separate processes, so their
# relative order is not defined: each stream is checked on its own.
cat >"$TMP/notify.sh" <<EOF
#!/bin/sh
node=\$1
shift
echo "\$*" >>"$TMP/notify.\$node"
EOF
chmod 755 "$TMP/notify.sh"

notify_conf() {
	local node=$1 prio=$2 master_script=${3:-"$TMP/notify.sh $1 master"}
	{
		conf_global extra=$'\tscript_user root'
		conf_instance prio="$prio" advert=$ADVERT extra="$(
			printf '\tnotify_master "%s"\n' "$master_script"
			printf '\tnotify_backup "%s"\n' "$TMP/notify.sh $node backup"
			printf '\tnotify_fault "%s"\n' "$TMP/notify.sh $node fault"
			printf '\tnotify_stop "%s"\n' "$TMP/notify.sh $node stop"
			printf '\tnotify "%s"' "$TMP/notify.sh $node notify"
		)"
	} >"$TMP/$node.conf"
}

# stream NODE specific|generic: that node's lines of one kind, ' / '-joined.
stream() {
	local f=$TMP/notify.$1
	[ -f "$f" ] || return 0
	if [ "$2" = generic ]; then
		grep '^notify ' "$f" | sed 's/^notify //'
	else
		grep -v '^notify ' "$f"
	fi | paste -sd/ | sed 's|/| / |g'
}

lines_in() {
	[ -f "$TMP/notify.$1" ] && [ "$(wc -l <"$TMP/notify.$1")" -ge "$2" ]
}

notify_conf n1 150
notify_conf n2 100
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 becomes the only holder" wait_single_holder n1 $VIP 5
check_stop n1
check "n2 takes over" wait_single_holder n2 $VIP 3
check_stop n2
assert_no_holder $VIP

# Scripts run asynchronously: wait (bounded) for all six lines per node.
check "n1's scripts ran six times" wait_until 5 lines_in n1 6
check "n2's scripts ran six times" wait_until 5 lines_in n2 6
check_eq "n1: notify_backup, notify_master, notify_stop in order" \
	"backup / master / stop" "$(stream n1 specific)"
check_eq "n1: notify gets INSTANCE web STATE 150 for each transition" \
	"INSTANCE web BACKUP 150 / INSTANCE web MASTER 150 / INSTANCE web STOP 150" "$(stream n1 generic)"
check_eq "n2: notify_backup, notify_master, notify_stop in order" \
	"backup / master / stop" "$(stream n2 specific)"
check_eq "n2: notify gets INSTANCE web STATE 100 for each transition" \
	"INSTANCE web BACKUP 100 / INSTANCE web MASTER 100 / INSTANCE web STOP 100" "$(stream n2 generic)"

# --- a notify_master that takes 1 s, and a stop right after it started:
# notify_stop must not overtake it (a script that starts a service on MASTER
# and stops it on STOP would leave it running on a stopped node).
if is_keepalived; then
	diag "skipping notify order: vipd's guarantee, keepalived runs them unordered"
else
	cat >"$TMP/sleepy.sh" <<EOF
#!/bin/sh
sleep 1
exec "$TMP/notify.sh" "\$@"
EOF
	chmod 755 "$TMP/sleepy.sh"
	rm -f "$TMP/notify.n1" "$TMP/notify.n2"
	notify_conf n1 150 "$TMP/sleepy.sh n1 master"
	check_start n1 "$TMP/n1.conf"
	check "n1 alone becomes master" wait_until 5 holds_only n1 $VIP
	t_stop=$(now_us)
	check_stop n1
	diag "n1 took $(elapsed_ms "$t_stop") ms to stop"
	assert_no_holder $VIP
	check "n1's scripts ran six times" wait_until 5 lines_in n1 6
	check_eq "n1: the slow notify_master ends before notify_stop starts" \
		"backup / master / stop" "$(stream n1 specific)"
	check_eq "n1: notify STOP runs after MASTER's scripts" \
		"INSTANCE web BACKUP 150 / INSTANCE web MASTER 150 / INSTANCE web STOP 150" \
		"$(stream n1 generic)"
	check "n1 logged that STOP waited for MASTER's scripts" \
		grep -qF "notify for web: STOP waits for the scripts of MASTER" "$TMP/n1.log"
fi

# --- a notify_master that sleeps 30 s
cat >"$TMP/slow.sh" <<EOF
#!/bin/sh
echo \$\$ >"$TMP/slow.pid"
exec sleep 30
EOF
chmod 755 "$TMP/slow.sh"
rm -f "$TMP/notify.n1" "$TMP/notify.n2"
notify_conf n1 150 "$TMP/slow.sh"
notify_conf n2 100
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 becomes master and starts its slow notify_master" \
	wait_until 5 eval 'holds_only n1 $VIP && test -s "$TMP/slow.pid"'
register_pid "$(cat "$TMP/slow.pid" 2>/dev/null)"
capture_start slow "vrrp"
t_master=$(now_us)
# Twenty advert intervals while the script sleeps.
observe 2
capture_stop slow
check "the slow notify_master is still running" test -d "/proc/$(cat "$TMP/slow.pid")"
pcap=$(capture_file slow)
read -r median max count < <(interarrival_stats "$pcap" "vrrp && ip.src == 192.0.2.11")
diag "n1 adverts during the slow script: median gap ${median:-?} ms, max ${max:-?} ms over ${count:-0} gaps ($(elapsed_ms "$t_master") ms observed)"
check_ge "n1 kept advertising (>= 15 gaps in 2 s)" "${count:-0}" 15
check_lt "n1's longest advert gap stays under n2's Master_Down_Interval" "${max:-}" "$(mdi_ms 100 $ADVERT)"
check_eq "no failover: n2 sent no advert" 0 "$(count_frames "$pcap" "vrrp && ip.src == 192.0.2.12 && vrrp.prio > 0")"
assert_single_holder $VIP n1
t_stop=$(now_us)
check_stop n1
diag "n1 took $(elapsed_ms "$t_stop") ms to stop"
if ! is_keepalived; then
	check "n1: the hung notify_master was killed so that notify_stop could run" \
		grep -qF "notify_master for web: still running 2000 ms after the instance stopped; killed so that notify_stop can run" "$TMP/n1.log"
	check "n1: notify_stop ran after the hung notify_master" wait_until 2 lines_in n1 5
	check_eq "n1: notify_backup, then notify_stop (notify_master never wrote)" \
		"backup / stop" "$(stream n1 specific)"
	check_eq "n1: notify got BACKUP, MASTER, STOP" \
		"INSTANCE web BACKUP 150 / INSTANCE web MASTER 150 / INSTANCE web STOP 150" \
		"$(stream n1 generic)"
fi
check_stop n2
assert_no_holder $VIP

done_testing
