#!/bin/bash
# virtual_routes: routes and rules follow the master. n1 (150) and n2
# (100) carry the same virtual_routes (a route via the client, a direct
# route, a blackhole, a default route in table 100) and a virtual_rules
# entry sending 203.0.113.0/25 to table 100. They exist only on the
# master; when n1 resigns they leave n1 and appear on n2; a reload of n2
# that drops one route and adds another applies just the difference; n1
# back and preempting takes them over again.

. "$(dirname "$0")/lib.sh"

need_daemon
if is_keepalived; then
	echo "1..0 # SKIP vipd's own test"
	exit 0
fi
topo_create 2

VIP=192.0.2.100
GW=192.0.2.200 # the client, reachable from both nodes

# routes_conf NODE PRIORITY [ROUTE-LINE...]
routes_conf() {
	local node=$1 prio=$2 extra line
	shift 2
	extra=$'\tvirtual_routes {\n'
	for line; do
		extra+=$'\t\t'"$line"$'\n'
	done
	extra+=$'\t}\n\tvirtual_rules {\n\t\tfrom 203.0.113.0/25 table 100 preference 1000\n\t}'
	{
		conf_global
		conf_instance prio="$prio" advert=0.1 extra="$extra"
	} >"$TMP/$node.conf"
}

ROUTES=("198.51.100.0/24 via $GW" "198.51.100.0/25 dev eth0 metric 5"
	"blackhole 203.0.113.128/25" "0.0.0.0/0 gw $GW table 100")

# has_routes NODE: every route and the rule are on NODE.
has_routes() {
	local ns_name
	ns_name=$(ns "$1")
	ip -n "$ns_name" route show 198.51.100.0/24 | grep -q "via $GW dev eth0" &&
		ip -n "$ns_name" route show 198.51.100.0/25 | grep -q "dev eth0.*metric 5" &&
		ip -n "$ns_name" route show type blackhole | grep -q "203.0.113.128/25" &&
		ip -n "$ns_name" route show table 100 | grep -q "default via $GW" &&
		ip -n "$ns_name" rule show | grep -q "^1000:.*from 203.0.113.0/25 lookup 100"
}

# has_none NODE: none of them is.
has_none() {
	local ns_name
	ns_name=$(ns "$1")
	! ip -n "$ns_name" route show 198.51.100.0/24 | grep -q via &&
		! ip -n "$ns_name" route show type blackhole | grep -q 203.0.113 &&
		[ -z "$(ip -n "$ns_name" route show table 100 2>/dev/null)" ] &&
		! ip -n "$ns_name" rule show | grep -q "lookup 100"
}

routes_conf n1 150 "${ROUTES[@]}"
routes_conf n2 100 "${ROUTES[@]}"
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 is the only holder of $VIP" wait_single_holder n1 $VIP 5
check "the master n1 has the routes and the rule" wait_until 2 has_routes n1
check "the backup n2 has none of them" has_none n2

t0=$(now_us)
check_stop n1
check "n2 takes over $VIP" wait_single_holder n2 $VIP 5
check "n2, now master, has the routes and the rule" wait_until 2 has_routes n2
diag "n1 resigned -> routes on n2: $(elapsed_ms "$t0") ms"
check "n1, stopped, removed them" has_none n1

# Reload n2: drop the blackhole, add 10.0.0.0/8 via the client in table 101.
routes_conf n2 100 "198.51.100.0/24 via $GW" "198.51.100.0/25 dev eth0 metric 5" \
	"0.0.0.0/0 gw $GW table 100" "10.0.0.0/8 via $GW table 101"
kill -HUP "${DAEMON_PID[n2]}"
check "after a reload n2 has the new route" \
	wait_until 3 eval "ip -n $(ns n2) route show table 101 | grep -q '10.0.0.0/8 via $GW'"
check "... and no longer the dropped blackhole" \
	eval "! ip -n $(ns n2) route show type blackhole | grep -q 203.0.113"
check "... and still the routes it kept" \
	eval "ip -n $(ns n2) route show 198.51.100.0/24 | grep -q 'via $GW'"
check "the reload kept n2 the master" wait_single_holder n2 $VIP 2

check_start n1 "$TMP/n1.conf"
check "n1 preempts" wait_single_holder n1 $VIP 5
check "n1 has the routes again" wait_until 2 has_routes n1
check "n2, back to BACKUP, removed its routes, the reloaded ones too" \
	wait_until 2 eval "has_none n2 && [ -z \"\$(ip -n $(ns n2) route show table 101)\" ]"
check_stop n1
check_stop n2
check "no routes are left behind on n1" has_none n1

done_testing
