#!/bin/bash
# privs: once up, vipd keeps only the capabilities it needs (net_admin,
# net_raw, and setuid/setgid/kill to run scripts as script_user); with
# scripts running as root it keeps root's and says why; a script_user that
# does not exist stops it from starting rather than running scripts as
# root; the control socket refuses other users.

. "$(dirname "$0")/lib.sh"

need_daemon
is_keepalived && skip_all "vipd's privilege handling"
command -v setpriv >/dev/null || skip_all "needs setpriv"
topo_create 2

VIPCTL=$VIPD_BUILDDIR/vipctl
# CAP_KILL 5, CAP_SETGID 6, CAP_SETUID 7, CAP_NET_ADMIN 12, CAP_NET_RAW 13
WANT=00000000000030e0

caps_of() { # PID FIELD: CapEff, CapPrm or CapBnd as 16 hex digits
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# conf USER: one instance tracking /bin/true as USER (global script_user)
conf() {
	{
		conf_global extra="	script_user $1"
		printf 'vrrp_script chk {\n\tscript /bin/true\n\tinterval 0.5\n}\n\n'
		conf_instance prio=150 extra="	track_script {
		chk
	}"
	} >"$TMP/n1.conf"
}

conf nobody
check_start n1 "$TMP/n1.conf"
check "n1 becomes master" wait_holder n1 192.0.2.100 5
pid=$(daemon_pid n1)
guard=${DAEMON_PID[n1]}
check "the log names the capabilities kept" wait_until 5 grep -q \
	"running with capabilities cap_net_admin,cap_net_raw,cap_setuid,cap_setgid,cap_kill" "$TMP/n1.log"
check_eq "effective capabilities: net_admin, net_raw, setuid, setgid, kill" $WANT "$(caps_of "$pid" CapEff)"
check_eq "permitted capabilities: the same" $WANT "$(caps_of "$pid" CapPrm)"
check_eq "bounding set: the same (no way back)" $WANT "$(caps_of "$pid" CapBnd)"
# The guard needs only what it takes to resign and remove addresses; its
# bounding set stays, so that the daemon it starts again gets its own.
check "the guard is another process" test "$guard" != "$pid"
check_eq "the guard's effective capabilities: net_admin, net_raw" 0000000000003000 "$(caps_of "$guard" CapEff)"
check_eq "the guard's permitted capabilities: the same" 0000000000003000 "$(caps_of "$guard" CapPrm)"
check "the track script runs as nobody and passes" wait_until 5 eval \
	'"$VIPCTL" -p "$TMP/n1.pid" status --json | grep -q "\"runs\":[1-9]"'
check "a SIGHUP reload works with reduced capabilities" eval \
	'kill -HUP '"$pid"' && wait_until 5 grep -q "reloaded: 1 instance kept" "$TMP/n1.log"'
# A failover both ways with reduced capabilities: n1 removes the VIP for a
# higher-priority n2, and adds and announces it again when n2 stops.
write_conf "$TMP/n2.conf" prio=200
check_start n2 "$TMP/n2.conf"
check "with reduced capabilities n1 gives the VIP up to n2 (priority 200)" \
	wait_single_holder n2 192.0.2.100 5
check_eq "n1 is BACKUP" BACKUP "$(inst_state n1)"
check_stop n2
check "with reduced capabilities n1 takes the VIP back when n2 stops" \
	wait_single_holder n1 192.0.2.100 5
check_eq "n1 is MASTER" MASTER "$(inst_state n1)"
check_eq "the client reaches the VIP at n1's MAC" "$(node_mac n1)" "$(client_arp_mac 192.0.2.100)"
check_eq "n1 logged no failure to change an address" 0 "$(grep -c -i 'cannot\|failed' "$TMP/n1.log")"
check_eq "the capabilities did not change on the way" $WANT "$(caps_of "$pid" CapEff)"
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$VIPCTL" -p "$TMP/n1.pid" status 2>&1)
rc=$?
check_eq "vipctl as nobody cannot reach the control socket (exit 3)" 3 "$rc"
check "and says it needs root ($out)" grep -q "permission denied" <<<"$out"
check_stop n1
check "the VIP is removed at stop, with reduced capabilities" eval '! holds n1 192.0.2.100'

conf root
check_start n1 "$TMP/n1.conf"
pid=$(daemon_pid n1)
check "with scripts as root, vipd says it keeps its capabilities" wait_until 5 grep -q \
	"scripts run as root, so vipd keeps root's capabilities" "$TMP/n1.log"
eff=$(caps_of "$pid" CapEff)
check "and keeps them (CapEff $eff has every bit of $WANT and more)" \
	eval '[ -n "$eff" ] && [ $((0x$eff & 0x$WANT)) -eq $((0x$WANT)) ] && [ $((0x$eff & ~0x$WANT)) -ne 0 ]' 
check_stop n1

conf vipt-no-such-user
out=$(ip netns exec "$(ns n1)" "$VIPD_BUILDDIR/vipd" -n -l -f "$TMP/n1.conf" -p "$TMP/n1x.pid" 2>&1)
rc=$?
check_eq "a script_user that does not exist: vipd refuses to start (exit 1)" 1 "$rc"
check "and names the user ($out)" grep -q "script_user vipt-no-such-user does not exist" <<<"$out"
check "nothing was installed" eval '! holds n1 192.0.2.100'
done_testing
