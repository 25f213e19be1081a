#!/bin/bash
# owner: an address owner (priority 255) keeps the VIPs that were already
# addresses of its interface when it started (vipd.conf(5)): they are not
# removed as stale at start, nor by a reload, a fault, the guard after a
# crash, or at shutdown. VIPs it added itself come and go as usual. Control: the same address under a priority
# 254 instance is removed as stale.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 1

OWN=192.0.2.100
ADDED=192.0.2.101

# conf PRIORITY
conf() {
	conf_global
	cat <<EOF
vrrp_instance web {
	interface eth0
	virtual_router_id 51
	priority $1
	advert_int 0.1
	virtual_ipaddress {
		$OWN/24 dev eth0
		$ADDED/24 dev eth0
	}
}
EOF
}

conf 255 >"$TMP/owner.conf"
conf 254 >"$TMP/other.conf"
ip -n "$(ns n1)" addr add $OWN/24 dev eth0 || bail "cannot add $OWN"

check_start n1 "$TMP/owner.conf"
check "the owner becomes MASTER" wait_until 5 state_is n1 MASTER
check "it holds $ADDED" wait_holder n1 $ADDED 5
check "it still holds $OWN, the interface's own address" holds n1 $OWN
check "it says it keeps $OWN as the host's own" \
	grep -q "web: VIP $OWN/24 is already an address of eth0 and the instance owns it (priority 255): keeping it" "$TMP/n1.log"
check_eq "nothing was removed as stale" "" "$(grep 'removing it before the election' "$TMP/n1.log")"

# A reload that drops $OWN from the list: not a VIP any more, but still the
# host's address.
sed "/$OWN\/24/d" "$TMP/owner.conf" >"$TMP/owner-less.conf"
cp "$TMP/owner.conf" "$TMP/owner-full.conf"
cp "$TMP/owner-less.conf" "$TMP/owner.conf"
kill -HUP "${DAEMON_PID[n1]}"
check "reloaded without $OWN in its list" wait_until 5 grep -q "reloaded: 1 instance kept" "$TMP/n1.log"
check "after the reload, $OWN stays and $ADDED too" eval 'holds n1 $OWN && holds n1 $ADDED'
cp "$TMP/owner-full.conf" "$TMP/owner.conf"
kill -HUP "${DAEMON_PID[n1]}"
check "reloaded with $OWN back" wait_until 5 eval '[ "$(grep -c "reloaded: 1 instance kept" "$TMP/n1.log")" = 2 ]'

link_cut n1
check "carrier lost: FAULT" wait_until 5 state_is n1 FAULT
check "in FAULT, $ADDED is removed" wait_until 5 eval '! holds n1 $ADDED'
check "in FAULT, $OWN stays" holds n1 $OWN
link_heal n1
check "carrier back: MASTER again with $ADDED" wait_until 5 eval 'state_is n1 MASTER && holds n1 $ADDED'

# A crash of the daemon: its guard cleans up what the state record lists.
kill -KILL "$(daemon_pid n1)"
check "after kill -9 of the daemon, the guard removed one VIP" \
	wait_until 5 grep -q "guard: web: sent a priority-0 advert, removed 1 VIP$" "$TMP/n1.log"
check "$OWN stayed through the crash" holds n1 $OWN
check "the new daemon is MASTER with $ADDED" wait_until 10 eval 'state_is n1 MASTER && holds n1 $ADDED'

check_stop n1
check "after shutdown, $OWN stays" holds n1 $OWN
check "after shutdown, $ADDED is gone" eval '! holds n1 $ADDED'

mv "$TMP/n1.log" "$TMP/owner.log"
check_start n1 "$TMP/other.conf"
check "control: priority 254 removes the same $OWN as stale" \
	grep -q "web: VIP $OWN/24 was already present on eth0 .*removing it" "$TMP/n1.log"
check_stop n1
check "control: after its shutdown $OWN is gone" eval '! holds n1 $OWN'

done_testing
