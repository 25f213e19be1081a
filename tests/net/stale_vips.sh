#!/bin/bash
# stale_vips: VIPs of our configuration found on the interface when an
# instance starts were left by a run that did not stop cleanly; they are
# removed before the election, found with one address dump for all the
# starting instances. At start-up that is every instance; on a reload only
# the added ones: a kept master's VIPs are its own and stay.

. "$(dirname "$0")/lib.sh"

need_daemon
is_keepalived && skip_all "vipd's start-up clean-up"
topo_create 1

VIPCTL=$VIPD_BUILDDIR/vipctl
N1=$(ns n1)

transitions() { # NODE INSTANCE
	"$VIPCTL" -p "$TMP/$1.pid" status --json | python3 -c "import json, sys
print([i for i in json.load(sys.stdin)['instances'] if i['name'] == '$2'][0]['transitions'])"
}

# conf NAME...: instances a (VRID 51) and b (52), each with an IPv4 VIP and
# an excluded IPv6 one.
conf() {
	local name
	conf_global
	for name; do
		case $name in
		a) conf_instance name=a vrid=51 prio=150 vip=192.0.2.100/24 label= \
			extra=$'\tvirtual_ipaddress_excluded {\n\t\t2001:db8::100/64 dev eth0\n\t}' ;;
		b) conf_instance name=b vrid=52 prio=150 vip=192.0.2.101/24 label= \
			extra=$'\tvirtual_ipaddress_excluded {\n\t\t2001:db8::101/64 dev eth0\n\t}' ;;
		esac
	done
}

# logged_before FILE FIRST SECOND: a line matching FIRST comes before one matching SECOND.
logged_before() {
	awk -v a="$2" -v b="$3" '$0 ~ a && !x { x = NR } $0 ~ b && !y { y = NR }
		END { exit !(x && y && x < y) }' "$1"
}

ip -n "$N1" addr add 192.0.2.100/24 dev eth0
ip -n "$N1" addr add 2001:db8::100/64 dev eth0 nodad
conf a >"$TMP/n1.conf"
check_start n1 "$TMP/n1.conf"
check "a becomes master" wait_until 5 state_is n1 MASTER a
check "the left-over 192.0.2.100 is reported" \
	grep -q "a: VIP 192.0.2.100/24 was already present on eth0" "$TMP/n1.log"
check "the left-over excluded 2001:db8::100 is reported" \
	grep -q "a: VIP 2001:db8::100/64 was already present on eth0" "$TMP/n1.log"
check "they are removed before the election" \
	logged_before "$TMP/n1.log" "already present" "BACKUP -> MASTER"
check "no removal failed" eval '! grep -q "cannot remove stale VIP" "$TMP/n1.log"'
check "a holds 192.0.2.100 again as master" holds n1 192.0.2.100

# --- reload: a kept (master, its VIPs are its own), b added over left-overs
ta=$(transitions n1 a)
ip -n "$N1" addr add 192.0.2.101/24 dev eth0
ip -n "$N1" addr add 2001:db8::101/64 dev eth0 nodad
conf a b >"$TMP/n1.conf"
kill -HUP "${DAEMON_PID[n1]}"
check "the reload is logged" wait_until 5 grep -q "1 instance kept, 1 added" "$TMP/n1.log"
check "b's left-over 192.0.2.101 is reported" \
	grep -q "b: VIP 192.0.2.101/24 was already present on eth0" "$TMP/n1.log"
check "b's left-over 2001:db8::101 is reported" \
	grep -q "b: VIP 2001:db8::101/64 was already present on eth0" "$TMP/n1.log"
check_eq "a's VIPs are not taken for left-overs on the reload" 2 \
	"$(grep -c "a: VIP .* was already present" "$TMP/n1.log")"
check_same "a made no transition across the reload" "$ta" "$(transitions n1 a)"
check "b becomes master" wait_until 5 state_is n1 MASTER b
check "n1 holds 192.0.2.100 and 192.0.2.101" eval 'holds n1 192.0.2.100 && holds n1 192.0.2.101'

check_stop n1
done_testing
