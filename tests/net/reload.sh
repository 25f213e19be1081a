#!/bin/bash
# reload: SIGHUP and `vipctl reload` apply a changed configuration without
# disturbing what did not change: an unchanged master stays master (no
# transition, no gratuitous ARP for its address), a VIP added to it is
# installed and announced, a new instance starts, a removed one resigns
# (priority-0 advert) and takes its address away, and a broken file is
# reported while the running configuration goes on.

. "$(dirname "$0")/lib.sh"

need_daemon
is_keepalived && skip_all "vipd's reload semantics"
topo_create 2

VIPCTL=$VIPD_BUILDDIR/vipctl
VIP=192.0.2.100
ADD=192.0.2.101
DBVIP=192.0.2.102

# json NODE PYTHON-EXPR: evaluates EXPR with `s` = vipctl status --json of NODE.
json() {
	"$VIPCTL" -p "$TMP/$1.pid" status --json |
		python3 -c "import json, sys; s = json.load(sys.stdin); print($2)"
}

inst_field() { # NODE INSTANCE FIELD
	json "$1" "[i for i in s['instances'] if i['name'] == '$2'][0]['$3']"
}

NODELAY="garp_master_delay 0"
write_conf "$TMP/n1.conf" prio=150 extra="$NODELAY"
write_conf "$TMP/n2.conf" prio=100
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 becomes master of web" wait_single_holder n1 $VIP 5
before=$(inst_field n1 web transitions)

# --- a VIP added to web, a new instance db: SIGHUP
{
	conf_global
	cat <<CONF
vrrp_instance web {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 150
	advert_int 0.1
	garp_master_delay 0
	virtual_ipaddress {
		$VIP/24 dev eth0 label eth0:0
		$ADD/24 dev eth0 label eth0:1
	}
}
CONF
	conf_instance name=db vrid=52 prio=150 vip=$DBVIP/24 label=eth0:2
} >"$TMP/n1.conf"
capture_start hup "arp or vrrp"
kill -HUP "${DAEMON_PID[n1]}"
check "after SIGHUP n1 holds the added VIP $ADD" wait_holder n1 $ADD 5
check "the new instance db becomes master on n1" wait_holder n1 $DBVIP 5
observe 0.5
capture_stop hup
pcap=$(capture_file hup)
check_eq "web is still MASTER on n1" MASTER "$(inst_field n1 web state)"
check_same "web made no transition across the reload" "$before" "$(inst_field n1 web transitions)"
check "n1 still holds $VIP" holds_only n1 $VIP
check_eq "no gratuitous ARP for the unchanged $VIP" 0 \
	"$(count_frames "$pcap" "arp && arp.src.proto_ipv4 == $VIP")"
check "gratuitous ARP for the added $ADD" \
	test "$(count_frames "$pcap" "arp && arp.src.proto_ipv4 == $ADD")" -ge 1
check "web kept advertising through the reload" \
	test "$(count_frames "$pcap" "vrrp && ip.src == 192.0.2.11 && vrrp.virt_rtr_id == 51")" -ge 4
check "the log says what the reload did" \
	grep -q "reloaded: 1 instance kept, 1 added, 0 removed" "$TMP/n1.log"

# --- db removed, $ADD removed again: vipctl reload
write_conf "$TMP/n1.conf" prio=150 extra="$NODELAY"
capture_start rm "vrrp"
out=$("$VIPCTL" -p "$TMP/n1.pid" reload 2>&1)
rc=$?
check_eq "vipctl reload succeeds" 0 "$rc"
check "vipctl reload reports the summary ($out)" grep -q "1 instance kept, 0 added, 1 removed" <<<"$out"
check "the removed instance's VIP $DBVIP is gone" wait_until 5 eval '! holds n1 '$DBVIP
check "the VIP dropped from web ($ADD) is gone" wait_until 5 eval '! holds n1 '$ADD
observe 0.3
capture_stop rm
check "db resigned with a priority-0 advert" \
	test "$(count_frames "$(capture_file rm)" "vrrp && vrrp.virt_rtr_id == 52 && vrrp.prio == 0")" -ge 1
check_eq "web is still MASTER" MASTER "$(inst_field n1 web state)"
check_same "web still made no transition" "$before" "$(inst_field n1 web transitions)"

# --- a broken file: reported, nothing changes
cp "$TMP/n1.conf" "$TMP/n1.good"
printf 'vrrp_instance web {\n\tpriority 300\n' >"$TMP/n1.conf"
out=$("$VIPCTL" -p "$TMP/n1.pid" reload 2>&1)
rc=$?
check_eq "vipctl reload of a broken file exits 1" 1 "$rc"
check "it says the running configuration is kept ($out)" grep -q "keeping the running configuration" <<<"$out"
check "the log names the bad line" grep -q "n1.conf:2:.*priority" "$TMP/n1.log"
check_eq "web is still MASTER after the failed reload" MASTER "$(inst_field n1 web state)"
check "n1 still holds $VIP" holds_only n1 $VIP
check "vipd on n1 is still running" daemon_running n1

# --- a priority change on reload moves the VIP (no restart)
cp "$TMP/n1.good" "$TMP/n1.conf"
sed -i 's/priority 150/priority 50/' "$TMP/n1.conf"
kill -HUP "${DAEMON_PID[n1]}"
check "lowering n1's priority to 50 by reload moves the VIP to n2" wait_single_holder n2 $VIP 5
check_eq "n1 advertises the new base priority" 50 "$(json n1 "s['instances'][0]['priority']['base']")"

# --- a FAULT that spans a reload still says what ended it
node_if_down n2
check "n2 enters FAULT with its eth0 down" wait_until 5 state_is n2 FAULT
check "n1 takes $VIP back" wait_single_holder n1 $VIP 5
kill -HUP "${DAEMON_PID[n2]}"
check "n2 logs its reload" wait_until 5 grep -q "reloaded: " "$TMP/n2.log"
check_eq "n2 is still in FAULT after the reload" FAULT "$(inst_state n2)"
node_if_up n2
check "n2 leaves FAULT" wait_until 5 eval '! state_is n2 FAULT'
check "leaving FAULT names the cause recorded before the reload" \
	grep -q "FAULT -> BACKUP: fault cleared: interface eth0 is up again" "$TMP/n2.log"

check_stop n1
check_stop n2
assert_no_holder $VIP
assert_no_holder $DBVIP
done_testing
