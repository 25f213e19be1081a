#!/bin/bash
# sync_group: two instances in one vrrp_sync_group, web (VIP 192.0.2.100 on
# eth0) and db (VIP 198.51.100.100 on eth1, a second network). A failure
# only one of them tracks moves both VIPs to the other node: first a
# weight-0 vrrp_script tracked by web alone, then eth1 (db's interface)
# going down. Recovery brings both back (preempt). Last, a track_file in
# the group block itself: its weight does not apply in a group, so a
# non-zero value puts every member in FAULT.

. "$(dirname "$0")/lib.sh"

need_daemon
topo_create 2 eth1

VIP=192.0.2.100
VIP2=198.51.100.100
ADVERT=0.1

# health.sh NODE: fails while $TMP/fail.NODE exists.
cat >"$TMP/health.sh" <<EOF
#!/bin/sh
[ ! -e "$TMP/fail.\$1" ]
EOF
chmod 755 "$TMP/health.sh"

# gnotify.sh NODE ARGS...: the group's notify script logs its arguments.
cat >"$TMP/gnotify.sh" <<EOF
#!/bin/sh
node=\$1
shift
echo "\$*" >>"$TMP/group.\$node"
EOF
chmod 755 "$TMP/gnotify.sh"

# node_conf NODE PRIORITY
node_conf() {
	{
		conf_global extra=$'\tscript_user root'
		printf 'vrrp_script chk_web {\n\tscript "%s %s"\n' "$TMP/health.sh" "$1"
		printf '\tinterval 0.2\n\ttimeout 1\n\tweight 0\n}\n\n'
		printf 'track_file gfile {\n\tfile "%s/%s.gfile"\n\tweight -10\n\tinit_file 0\n}\n\n' \
			"$TMP" "$1"
		printf 'vrrp_sync_group G {\n\tgroup {\n\t\tweb\n\t\tdb\n\t}\n\tnotify "%s %s"\n' "$TMP/gnotify.sh" "$1"
		printf '\ttrack_file {\n\t\tgfile\n\t}\n}\n\n'
		conf_instance name=web vrid=51 prio="$2" advert=$ADVERT vip=$VIP/24 \
			extra=$'\ttrack_script {\n\t\tchk_web\n\t}'
		conf_instance name=db vrid=52 prio="$2" advert=$ADVERT iface=eth1 \
			vip=$VIP2/24 label=eth1:0
	} >"$TMP/$1.conf"
}

both_on() {
	holds_only "$1" $VIP && holds_only "$1" $VIP2
}

# states NODE: "web-state db-state"
states() {
	echo "$(inst_state "$1" web) $(inst_state "$1" db)"
}

states_are() {
	[ "$(states "$1")" = "$2" ]
}

# moved DESC NODE DETECT_MS: both VIPs end up on NODE alone; logs the time
# since $t0 and bounds it (failover_bound_ms; DETECT_MS is what the cause
# takes to be noticed).
moved() {
	local ms
	if check "$1: both VIPs move to $2" wait_until 6 both_on "$2"; then
		ms=$(elapsed_ms "$t0")
		diag "$1: DETECT-TO-FAILOVER of both VIPs: $ms ms"
		check_lt "$1: failover within ${3} ms + 2 x Master_Down_Interval (ms)" "$ms" \
			"$(failover_bound_ms "$3" 100 $ADVERT)"
	fi
}

node_conf n1 150
node_conf n2 100
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 (priority 150) holds both VIPs alone" wait_until 5 both_on n1
check_eq "n1: web and db are MASTER" "MASTER MASTER" "$(states n1)"
check_eq "n2: web and db are BACKUP" "BACKUP BACKUP" "$(states n2)"
check "the group's notify ran on n1 with GROUP G MASTER" \
	wait_until 3 grep -qx "GROUP G MASTER 0" "$TMP/group.n1"
check "the group's notify ran on n2 with GROUP G BACKUP" \
	wait_until 3 grep -qx "GROUP G BACKUP 0" "$TMP/group.n2"

# --- web's script fails: web is in FAULT, db follows
t0=$(now_us)
touch "$TMP/fail.n1"
moved "[web's script fails]" n2 400
check "[web's script fails] n1: web and db both in FAULT" wait_until 2 states_are n1 "FAULT FAULT"
check_eq "[web's script fails] n2: web and db are MASTER" "MASTER MASTER" "$(states n2)"
check "[web's script fails] n1's log: db follows the group into FAULT" \
	grep -q 'db: [A-Z]* -> FAULT: fault: sync group G has a member in FAULT' "$TMP/n1.log"
check "[web's script fails] the client reaches $VIP" client_ping $VIP
check "[web's script fails] group notify on n1: GROUP G FAULT" \
	wait_until 3 grep -qx "GROUP G FAULT 0" "$TMP/group.n1"
check "[web's script fails] group notify on n2: GROUP G MASTER" \
	wait_until 3 grep -qx "GROUP G MASTER 0" "$TMP/group.n2"
observe 0.5
check "[web's script fails] both VIPs stay on n2 alone" both_on n2
t0=$(now_us)
rm -f "$TMP/fail.n1"
moved "[web's script recovers]" n1 400
check "[web's script recovers] n1: web and db are MASTER" wait_until 2 states_are n1 "MASTER MASTER"
check "[web's script recovers] n2: web and db are BACKUP" wait_until 2 states_are n2 "BACKUP BACKUP"
observe 0.5
check "[web's script recovers] both VIPs stay on n1 alone" both_on n1

# --- db's interface goes down: db is in FAULT, web follows
t0=$(now_us)
node_if_down n1 eth1
moved "[eth1 down]" n2 0
check "[eth1 down] n1: web and db both in FAULT" wait_until 2 states_are n1 "FAULT FAULT"
check "[eth1 down] n1's log: web follows the group into FAULT" \
	grep -q 'web: [A-Z]* -> FAULT: fault: sync group G has a member in FAULT' "$TMP/n1.log"
observe 0.5
check "[eth1 down] both VIPs stay on n2 alone" both_on n2
t0=$(now_us)
node_if_up n1 eth1
moved "[eth1 up]" n1 0
check "[eth1 up] n1: web and db are MASTER" wait_until 2 states_are n1 "MASTER MASTER"
check "[eth1 up] n1's log: db's own fault was resolved" \
	grep -qF 'db: FAULT -> BACKUP: fault cleared: interface eth1 is up again' "$TMP/n1.log"
check "[eth1 up] n1's log: web's fault came from the group" \
	grep -qF 'web: FAULT -> BACKUP: fault cleared: sync group G has no member in FAULT any more' "$TMP/n1.log"
observe 0.5
check "[eth1 up] both VIPs stay on n1 alone" both_on n1

# --- the group's own track_file reads 1: the whole group is in FAULT
check_eq "[group track_file] init_file created n1's file with 0" 0 \
	"$(cat "$TMP/n1.gfile" 2>/dev/null)"
t0=$(now_us)
echo 1 >"$TMP/n1.gfile"
moved "[group track_file reads 1]" n2 0
check "[group track_file reads 1] n1: web and db both in FAULT" \
	wait_until 2 states_are n1 "FAULT FAULT"
check "[group track_file reads 1] n1's log: web's own fault is the file" \
	grep -q 'web: [A-Z]* -> FAULT: .*track_file gfile' "$TMP/n1.log"
check_eq "[group track_file reads 1] the weight (-10) did not apply: web keeps 150" 150 \
	"$(inst_prio n1 web)"
check "[group track_file reads 1] vipctl --json: web's track file gfile is down" \
	track_is n1 web file gfile false
check "[group track_file reads 1] vipctl --json: db's track file gfile is down" \
	track_is n1 db file gfile false
check "[group track_file reads 1] vipctl: vipd_check_up of gfile is 0" \
	check_up_is n1 file gfile 0
t0=$(now_us)
echo 0 >"$TMP/n1.gfile"
moved "[group track_file reads 0]" n1 0
check "[group track_file reads 0] n1: web and db are MASTER" \
	wait_until 2 states_are n1 "MASTER MASTER"
check_stop n1
check_stop n2
assert_no_holder $VIP
assert_no_holder $VIP2

done_testing
