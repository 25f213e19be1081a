#!/bin/bash
# steering: what an operator does to a running pair, n1 (priority 150) and
# n2 (100), both with preempt, advert_int 0.1, each tracking a script that
# fails while a file exists (weight -60).
#
# 1. switchover on the master: n2 takes the VIP and keeps it although n1
#    has the higher priority; when n2 crashes n1 takes over all the same.
# 2. switchover on the backup: n2 takes the VIP from n1 and keeps it;
#    switchover on n1 takes it back.
# 3. switchover with nobody to take over: exits non-zero, n1 stays master.
# 4. maintenance: n1 hands over and stays BACKUP across a restart and a
#    reload, even with n2 gone; status, JSON and metrics show it; off
#    makes n1 master again.
# 5. explain names the tracker that lowered the priority.
# 6. events: a reader follows a flap storm in order; a reader that does
#    not read is told it lost events, and the adverts keep their rhythm.

. "$(dirname "$0")/lib.sh"

need_daemon
if is_keepalived; then
	echo "1..0 # SKIP switchover, maintenance, explain and events are vipd's own"
	exit 0
fi
topo_create 2

VIP=192.0.2.100
ADVERT=0.1
VIPCTL=$VIPD_BUILDDIR/vipctl

vipctl_on() {
	local node=$1
	shift
	"$VIPCTL" -p "$TMP/$node.pid" "$@"
}

# node_conf NODE PRIORITY [CHECK_INTERVAL]
node_conf() {
	{
		conf_global extra=$'\tscript_user root'
		printf 'vrrp_script chk {\n\tscript "/usr/bin/test ! -e %s/%s.fail"\n' "$TMP" "$1"
		printf '\tinterval %s\n\tfall 1\n\trise 1\n\tweight -60\n}\n\n' "${3:-0.1}"
		conf_instance prio="$2" advert=$ADVERT extra=$'\ttrack_script {\n\t\tchk\n\t}'
	} >"$TMP/$1.conf"
}

json_field() { # NODE FIELD: a top-level string or boolean of instance web
	inst_status "$1" | sed -n "s/.*\"$2\":\\(\"[a-z]*\"\\|true\\|false\\).*/\\1/p" | tr -d '"'
}

node_conf n1 150
node_conf n2 100
check_start n1 "$TMP/n1.conf"
check "n1 becomes the only holder" wait_single_holder n1 $VIP 5
check_start n2 "$TMP/n2.conf"
check "n2 is BACKUP" wait_until 3 state_is n2 BACKUP

# --- 1. switchover on the master
out=$(vipctl_on n1 switchover 2>&1)
rc=$?
diag "$out"
check_eq "[switchover on master] vipctl exits 0" 0 "$rc"
check "[switchover on master] n2 holds $VIP alone" wait_single_holder n2 $VIP 3
check_eq "[switchover on master] n1 is BACKUP" BACKUP "$(inst_state n1)"
check_eq "[switchover on master] JSON says done" done "$(json_field n1 switchover)"
observe 1
assert_single_holder $VIP n2
check_eq "[switchover on master] n1 (150) has not preempted n2 (100)" BACKUP "$(inst_state n1)"
check "[switchover on master] explain says preemption is held off" \
	eval 'vipctl_on n1 explain web | grep -q "held off by a switchover away from this node"'
t0=$(now_us)
kill9_daemon n2 # its VIP stays behind, as after any crash
check "[switchover on master] n1 takes over when n2 crashes" wait_until 3 state_is n1 MASTER
diag "[switchover on master] n2 crashed -> n1 MASTER: $(elapsed_ms "$t0") ms"
check "[switchover on master] n1 holds $VIP" wait_holder n1 $VIP 2
check_start n2 "$TMP/n2.conf"
check "n2 is BACKUP again" wait_until 3 state_is n2 BACKUP

# --- 2. switchover on the backup, and back
out=$(vipctl_on n2 switchover web 2>&1)
rc=$?
diag "$out"
check_eq "[switchover on backup] vipctl exits 0" 0 "$rc"
check "[switchover on backup] n2 holds $VIP alone" wait_single_holder n2 $VIP 3
check_eq "[switchover on backup] n2 advertises 254" 254 "$(inst_prio n2)"
observe 1
assert_single_holder $VIP n2
check_eq "[switchover on backup] n1 stays BACKUP" BACKUP "$(inst_state n1)"
out=$(vipctl_on n1 switchover 2>&1)
rc=$?
diag "$out"
check_eq "[switchover back] vipctl on n1 exits 0" 0 "$rc"
check "[switchover back] n1 holds $VIP alone" wait_single_holder n1 $VIP 3
check "[switchover back] n2 no longer holds its priority up" wait_until 2 prio_is n2 100

# --- 3. nobody to take over
check_stop n2
out=$(vipctl_on n1 switchover 2>&1)
rc=$?
diag "$out"
check_eq "[switchover alone] vipctl exits 1" 1 "$rc"
check "[switchover alone] it says nobody took over" grep -q "nobody took over" <<<"$out"
check "[switchover alone] n1 is master again" wait_single_holder n1 $VIP 2
check_start n2 "$TMP/n2.conf"
check "n2 is BACKUP again" wait_until 3 state_is n2 BACKUP

# --- 4. maintenance across a restart and a reload
out=$(vipctl_on n1 maintenance on 2>&1)
check_eq "[maintenance] vipctl maintenance on exits 0" 0 "$?"
diag "$out"
check "[maintenance] n2 takes the VIP" wait_single_holder n2 $VIP 3
check_eq "[maintenance] JSON says maintenance" true "$(json_field n1 maintenance)"
check "[maintenance] status says so" eval 'vipctl_on n1 status | grep -q "web: BACKUP (maintenance)"'
check "[maintenance] metrics say so" \
	eval 'vipctl_on n1 metrics | grep -q "^vipd_instance_maintenance{.*} 1$"'
check "[maintenance] the state file names the instance" grep -qx web "$TMP/n1.maintenance"
check_stop n1
check_start n1 "$TMP/n1.conf"
check "[maintenance] after a restart n1 is BACKUP" wait_until 3 state_is n1 BACKUP
check_eq "[maintenance] after a restart it is still in maintenance" true \
	"$(json_field n1 maintenance)"
vipctl_on n1 reload >/dev/null
check_eq "[maintenance] after a reload it is still in maintenance" true \
	"$(json_field n1 maintenance)"
check_stop n2
observe 1.5
check_eq "[maintenance] with n2 gone n1 still does not become master" BACKUP "$(inst_state n1)"
assert_no_holder $VIP
t0=$(now_us)
vipctl_on n1 maintenance off >/dev/null
check "[maintenance] off: n1 becomes master" wait_single_holder n1 $VIP 3
diag "[maintenance] off -> n1 sole holder: $(elapsed_ms "$t0") ms"
check "[maintenance] the state file is gone" test ! -e "$TMP/n1.maintenance"
check_start n2 "$TMP/n2.conf"
check "n2 is BACKUP again" wait_until 3 state_is n2 BACKUP

# --- 5. explain
touch "$TMP/n1.fail"
check "[explain] n1's check fails: priority 90" wait_until 3 prio_is n1 90
check "[explain] n2 takes over" wait_single_holder n2 $VIP 3
vipctl_on n1 explain web >"$TMP/explain.txt" 2>&1
diag "$(cat "$TMP/explain.txt")"
check "[explain] names configured and effective priority" \
	grep -q "priority: configured 150, effective 90" "$TMP/explain.txt"
check "[explain] names the tracker that lowered it" \
	grep -q "vrrp_script chk: down, weight -60: -60" "$TMP/explain.txt"
check "[explain] names the master" grep -q "master: $(node_ip n2), priority 100" "$TMP/explain.txt"
check "[explain] says what would bring n1 back" \
	grep -q "if vrrp_script chk came up, the priority would be 150, above the master's 100: this node would preempt" "$TMP/explain.txt"
check "[explain] an unknown instance is an error" eval '! vipctl_on n1 explain nosuch 2>/dev/null'
rm -f "$TMP/n1.fail"
check "n1 is master again" wait_single_holder n1 $VIP 3
check_stop n1
check_stop n2

# --- 6. events during a flap storm
node_conf n1 150 0.02
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "[events] n1 is the only holder" wait_single_holder n1 $VIP 5
vipctl_on n1 events >"$TMP/events.txt" 2>"$TMP/events.err" &
reader=$!
register_pid "$reader"
cat >"$TMP/stuck.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
s.connect(sys.argv[1])
s.sendall(b"events\n")
time.sleep(float(sys.argv[2]))  # a reader that does not keep up
s.settimeout(1)
out = b""
try:
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
except socket.timeout:
    pass
sys.stdout.write(out.decode())
EOF
python3 "$TMP/stuck.py" "$TMP/n1.sock" 15 >"$TMP/stuck.txt" 2>&1 &
stuck=$!
register_pid "$stuck"
check "[events] both readers are connected" wait_until 3 \
	eval 'vipctl_on n1 metrics | grep -q "^vipd_event_readers 2$"'
capture_start storm "vrrp"
for i in $(seq 1 300); do # a flap storm: 300 flips of the check, 30 ms apart
	if [ $((i % 2)) = 1 ]; then touch "$TMP/n1.fail"; else rm -f "$TMP/n1.fail"; fi
	sleep 0.03
done
rm -f "$TMP/n1.fail"
check "[events] the storm settles: n1 at 150" wait_until 3 prio_is n1 150
capture_stop storm
wait "$stuck"
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
n=$(grep -c ' tracker vrrp_script chk ' "$TMP/events.txt")
diag "[events] the reader got $(wc -l <"$TMP/events.txt") lines, $n tracker changes"
check_ge "[events] the reader saw the storm's tracker changes" "$n" 20
check "[events] sequence numbers rise by one, nothing lost" \
	eval "awk '{ if (NR > 1 && \$2 != p + 1) exit 1; p = \$2 }' '$TMP/events.txt'"
check "[events] priority changes are there" grep -q ' priority web 150 -> 90: vrrp_script chk is down' "$TMP/events.txt"
check "[events] the reader was never told it lost events" eval '! grep -q "^lost" "$TMP/events.txt"'
check "[events] the stuck reader was told it lost events" grep -q '^lost [0-9]* events' "$TMP/stuck.txt"
check "[events] the stuck reader resumed in order after the gap" \
	eval "sed -n '/^lost/,\$p' '$TMP/stuck.txt' | awk 'NR > 2 && \$2 != p + 1 { exit 1 } NR > 1 { p = \$2 }'"
check_ge "[events] the daemon counted the lost events" \
	"$(vipctl_on n1 metrics | sed -n 's/^vipd_events_lost_total //p')" 1
read -r med max cnt < <(interarrival_stats "$(capture_file storm)" \
	"vrrp && ip.src == $(node_ip n1) && vrrp.prio != 0")
diag "[events] n1's adverts during the storm: $cnt gaps, median $med ms, max $max ms"
check_lt "[events] the adverts kept their rhythm (max gap)" "${max%.*}" 250
check_stop n1
check_stop n2
done_testing
