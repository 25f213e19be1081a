#!/bin/bash
# track_file: the number in a file moves the priority (value times
# weight) the moment the file is written, through inotify; with weight 0 a
# non-zero value is a FAULT. init_file creates the file at start. The file
# is also replaced by rename, as configuration tools do.

. "$(dirname "$0")/lib.sh"

need_daemon
if is_keepalived; then
	echo "1..0 # SKIP vipd's own test"
	exit 0
fi
topo_create 2

VIP=192.0.2.100
ADVERT=0.1

# node_conf NODE PRIORITY WEIGHT
node_conf() {
	{
		conf_global
		printf 'track_file prio {\n\tfile "%s/%s.prio"\n\tweight %s\n\tinit_file 0\n}\n\n' \
			"$TMP" "$1" "$3"
		conf_instance prio="$2" advert=$ADVERT extra=$'\ttrack_file {\n\t\tprio\n\t}'
	} >"$TMP/$1-w$3.conf"
}

# set_value NODE VALUE [rename]
set_value() {
	if [ "${3:-}" = rename ]; then
		echo "$2" >"$TMP/$1.prio.new" && mv "$TMP/$1.prio.new" "$TMP/$1.prio"
	else
		echo "$2" >"$TMP/$1.prio"
	fi
}

rm -f "$TMP/n1.prio" "$TMP/n2.prio"
node_conf n1 150 -10
node_conf n2 100 -10
check_start n1 "$TMP/n1-w-10.conf"
check_start n2 "$TMP/n2-w-10.conf"
check_eq "[weight -10] init_file created n1's file with 0" 0 "$(cat "$TMP/n1.prio" 2>/dev/null)"
check "[weight -10] n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 5

t0=$(now_us)
set_value n1 6
check "[weight -10] writing 6 makes n1's priority 150 - 60" wait_until 2 prio_is n1 90
check "[weight -10] vipctl: the value is a metric" eval \
	'vipctl_metrics n1 | grep -qx "vipd_check_file_value{check=\"prio\"} 6"'
check "[weight -10] vipctl: a weighted file that faults nothing is up" check_up_is n1 file prio 1
diag "[weight -10] file written -> priority 90 in vipctl: $(elapsed_ms "$t0") ms"
check "[weight -10] n2 takes over $VIP" wait_single_holder n2 $VIP 6
check "[weight -10] n1's log gives the cause" \
	grep -q 'web: priority 150 -> 90: track_file prio reads 6' "$TMP/n1.log"
set_value n1 -2 rename
check "[weight -10] a file renamed into place with -2 gives 150 + 20" wait_until 2 prio_is n1 170
check "[weight -10] n1 preempts" wait_single_holder n1 $VIP 6
rm -f "$TMP/n1.prio"
check "[weight -10] a removed file reads as 0" wait_until 2 prio_is n1 150
check_stop n1
check_stop n2

node_conf n1 150 0
node_conf n2 100 0
set_value n1 0
check_start n1 "$TMP/n1-w0.conf"
check_start n2 "$TMP/n2-w0.conf"
check "[weight 0] n1 becomes the only holder" wait_single_holder n1 $VIP 5
check "[weight 0] vipctl: vipd_check_up of prio is 1" check_up_is n1 file prio 1
check "[weight 0] vipctl --json: web's track file prio is up" track_is n1 web file prio true
t0=$(now_us)
set_value n1 1
check "[weight 0] a non-zero value puts n1 in FAULT" wait_until 2 state_is n1 FAULT
check "[weight 0] vipctl: vipd_check_up of prio is 0" check_up_is n1 file prio 0
check "[weight 0] vipctl --json: web's track file prio is down" track_is n1 web file prio false
check "[weight 0] vipctl status: web's track file prio is down, reading 1" \
	eval '"$VIPD_BUILDDIR/vipctl" -p "$TMP/n1.pid" status | grep -Eq "track file +prio +down \(reads 1\)"'
check "[weight 0] n2 takes over $VIP" wait_single_holder n2 $VIP 6
diag "[weight 0] file written -> n2 sole holder: $(elapsed_ms "$t0") ms"
set_value n1 0
check "[weight 0] back to 0: n1 leaves FAULT and preempts" wait_single_holder n1 $VIP 6
check_stop n1
check_stop n2
assert_no_holder $VIP

done_testing
