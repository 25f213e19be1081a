#!/bin/bash
# vrid_index: a received advert reaches the instance of its interface,
# family and VRID, and no other, after the instances are rebuilt (a reload
# that removes one, adds one and reorders the rest) and after the interface
# is deleted and made again (new index, new sockets). n1 (priority 150) is
# master of a (VRID 51, IPv4), b (52, IPv4) and c (51, IPv6: the same VRID
# in the other family); n2 (100) backs them up. Every instance of n2 must
# keep hearing its master (received adverts grow, no transition to MASTER),
# and n1's adverts for a VRID n2 no longer runs are counted as unknown_vrid
# on the interface.

. "$(dirname "$0")/lib.sh"

need_daemon
is_keepalived && skip_all "vipd's counters"
command -v python3 >/dev/null || skip_all "needs python3"
topo_create 2

VIPCTL=$VIPD_BUILDDIR/vipctl

# json NODE PYTHON-EXPR: evaluates EXPR with `s` = vipctl status --json of NODE.
json() {
	"$VIPCTL" -p "$TMP/$1.pid" status --json |
		python3 -c "import json, sys; s = json.load(sys.stdin); print($2)"
}

inst() { # NODE INSTANCE PYTHON-SUFFIX
	json "$1" "[i for i in s['instances'] if i['name'] == '$2'][0]$3"
}

received() { inst "$1" "$2" "['adverts']['received']"; }
transitions() { inst "$1" "$2" "['transitions']"; }
unknown_vrid() { json "$1" "s['interfaces'][0]['drops']['unknown_vrid']"; }

# grows NODE INSTANCE BEFORE: its received adverts pass BEFORE within 3 s.
grows() {
	wait_until 3 eval '[ "$(received '"$1 $2"')" -gt '"$3"' ]'
}

# conf PRIO NAME...: the named instances of this test, in that order.
conf() {
	local prio=$1 name
	shift
	conf_global
	for name; do
		case $name in
		a) conf_instance name=a vrid=51 prio="$prio" vip=192.0.2.100/24 label= ;;
		b) conf_instance name=b vrid=52 prio="$prio" vip=192.0.2.101/24 label= ;;
		c) conf_instance name=c vrid=51 prio="$prio" vip=2001:db8::100/64 label= ;;
		d) conf_instance name=d vrid=53 prio="$prio" vip=192.0.2.103/24 label= ;;
		esac
	done
}

# all_backup NODE INSTANCE...: every one of them is BACKUP on NODE.
all_backup() {
	local node=$1 name
	shift
	for name; do
		state_is "$node" BACKUP "$name" || return 1
	done
}

conf 150 a b c >"$TMP/n1.conf"
conf 100 a b c >"$TMP/n2.conf"
check_start n1 "$TMP/n1.conf"
check "n1 is master of a, b and c" wait_until 10 eval \
	'state_is n1 MASTER a && state_is n1 MASTER b && state_is n1 MASTER c'
check_start n2 "$TMP/n2.conf"
check "n2 backs up a, b and c" wait_until 10 all_backup n2 a b c
for name in a b c; do
	before=$(received n2 $name)
	check "n2's $name hears n1's adverts" grows n2 $name "$before"
done
check_eq "n2 counts no advert as unknown_vrid" 0 "$(unknown_vrid n2)"

# --- reload: a removed, d added, the rest in another order
tb=$(transitions n2 b)
tc=$(transitions n2 c)
conf 100 c d b >"$TMP/n2.conf"
kill -HUP "${DAEMON_PID[n2]}"
check "the reload is logged" wait_until 5 grep -q "1 added, 1 removed" "$TMP/n2.log"
check "d (VRID 53, only on n2) becomes master on n2" wait_until 5 state_is n2 MASTER d
for name in b c; do
	before=$(received n2 $name)
	check "after the reload n2's $name still hears n1" grows n2 $name "$before"
done
check_same "b made no transition across the reload" "$tb" "$(transitions n2 b)"
check_same "c made no transition across the reload" "$tc" "$(transitions n2 c)"
u=$(unknown_vrid n2)
check "n1's adverts for a (no longer on n2) count as unknown_vrid" \
	wait_until 3 eval '[ "$(unknown_vrid n2)" -gt '"$u"' ]'

# --- the interface goes away and comes back with a new index
ns2=$(ns n2)
ifindex() { ip -n "$ns2" -o link show dev eth0 | cut -d: -f1; }
old_index=$(ifindex)
ip -n "$ns2" link del eth0
check "without eth0 n2's b and c are in FAULT" wait_until 5 eval \
	'state_is n2 FAULT b && state_is n2 FAULT c'
_attach n2 eth0 "${P}br0" 02:00:5e:10:00:0c &&
	ip -n "$ns2" addr add 192.0.2.12/24 dev eth0 &&
	ip -n "$ns2" addr add 2001:db8::12/64 dev eth0 nodad
check "eth0 on n2 has a new index ($old_index before)" test "$(ifindex)" != "$old_index"
check "n2's b and c back up n1 again" wait_until 10 all_backup n2 b c
for name in b c; do
	before=$(received n2 $name)
	check "with the new eth0 n2's $name hears n1" grows n2 $name "$before"
done
u=$(unknown_vrid n2)
check "adverts for a still count as unknown_vrid" \
	wait_until 3 eval '[ "$(unknown_vrid n2)" -gt '"$u"' ]'
check "n1 is still master of b and c" eval 'state_is n1 MASTER b && state_is n1 MASTER c'

check_stop n2
check_stop n1
done_testing
