#!/bin/bash
# interop_v2_timers: VRRPv2 at advert_int 5 s against keepalived, where RFC
# 3768's Skew_Time ((256 - priority) / 256 s, not scaled by the interval)
# and RFC 5798's (scaled) differ by seconds. Takeover times are read from
# a capture of the segment and must be within 50 ms of RFC 3768's values,
# in both role orders:
#   vipd 100 backup, keepalived master: after kill -9 of keepalived, vipd
#   takes over after Master_Down_Interval (15.609 s, not 18.05 s); after
#   its priority-0 advert, after Skew_Time (0.609 s, not 3.05 s).
#   vipd 100 master, keepalived 50 backup: keepalived takes over after
#   0.805 s and 15.805 s (both daemons agree on the timers).
# About a minute: the election at start and each crash cost a
# Master_Down_Interval of 15 s, so the other hand-overs go by resignation
# (a backup that hears a priority-0 advert takes over at once, whatever
# the priorities).

. "$(dirname "$0")/lib.sh"

VIPT_DAEMON=vipd need_daemon
VIPT_DAEMON=keepalived need_daemon

ADVERT=5
VRID=57
VIP=192.0.2.100
TOL_MS=50

topo_create 2

declare -A RUNS

# conf NODE PRIORITY [STATE]: VRRPv2 at 5 s, the same text for both daemons.
conf() {
	local extra=
	[ -n "${3:-}" ] && extra=$'\tstate '"$3"
	conf_global version=2
	conf_instance name=web vrid=$VRID prio="$2" advert=$ADVERT vip=$VIP/24 label=eth0:0 \
		extra="$extra" | sed "/^\tstate BACKUP$/d"
}

start_as() {
	RUNS[$1]=$2
	VIPT_DAEMON=$2 check_start "$1" "$3"
}

stop_as() {
	VIPT_DAEMON=${RUNS[$1]} check_stop "$1"
}

kill9_as() {
	VIPT_DAEMON=${RUNS[$1]} kill9_daemon "$1"
}

adverts_from() {
	echo "vrrp && vrrp.virt_rtr_id == $VRID && eth.src == $(node_mac "$1")${2:+ && $2}"
}

# rfc_v2_ms skew|mdi PRIORITY: RFC 3768 6.1 at advert_int $ADVERT.
rfc_v2_ms() {
	awk -v w="$1" -v p="$2" -v i=$ADVERT 'BEGIN {
		s = (256 - p) / 256 * 1000
		printf "%.1f", w == "skew" ? s : 3 * i * 1000 + s
	}'
}

# check_near DESC MEASURED_MS RFC_MS: |measured - rfc| < TOL_MS.
check_near() {
	local d
	d=$(awk -v m="$2" -v r="$3" 'BEGIN { if (m == "") exit 1; d = m - r; printf "%.1f", d < 0 ? -d : d }') ||
		d=
	check_lt "$1: ${2:-?} ms, RFC 3768 $3 ms, off by (ms)" "$d" $TOL_MS
}

# first_after PCAP FILTER_A FILTER_B: ms from the first frame matching A to
# the first frame matching B after it.
first_after() {
	local a
	a=$(first_time "$1" "$2")
	[ -n "$a" ] || return 1
	tshark_fields "$1" "($3) && frame.time_relative >= $a" frame.time_relative |
		awk -v a="$a" 'NR == 1 { printf "%.1f\n", ($1 - a) * 1000; f = 1 } END { exit !f }'
}

LIMIT=40 # > 2 x Master_Down_Interval (15.8 s)

# counter NODE sent|received: vipd's advert counter (cheap to poll).
counter() {
	inst_status "$1" | sed -n 's/.*"adverts":{"sent":\([0-9]*\),"received":\([0-9]*\)}.*/\1 \2/p' |
		awk -v w="$2" '{ print (w == "sent") ? $1 : $2 }'
}

# counter_above NODE sent|received N: for wait_until.
counter_above() {
	[ "$(counter "$1" "$2")" -gt "$3" ]
}

# wait_counter TAG NODE sent|received WHAT: until the counter moves on.
wait_counter() {
	local was
	was=$(counter "$2" "$3")
	check "[$1] $4" wait_until 12 counter_above "$2" "$3" "${was:-0}"
}

# resign_takeover TAG FROM TO PRIORITY_OF_TO: FROM stops (priority-0
# advert), TO takes over after its Skew_Time, read from a capture.
resign_takeover() {
	local tag=$1 from=$2 to=$3 prio=$4 pcap gap
	capture_start "$tag" "ip proto 112"
	stop_as "$from"
	check "[$tag] after ${RUNS[$from]}'s priority-0 advert, ${RUNS[$to]} on $to holds $VIP" \
		wait_holder "$to" $VIP 10
	capture_stop "$tag"
	pcap=$(capture_file "$tag")
	check_eq "[$tag] ${RUNS[$from]} sent one priority-0 advert" 1 \
		"$(count_frames "$pcap" "$(adverts_from "$from" "vrrp.prio == 0")")"
	gap=$(first_after "$pcap" "$(adverts_from "$from" "vrrp.prio == 0")" "$(adverts_from "$to")")
	diag "[$tag] RESIGN: ${RUNS[$from]}'s priority-0 advert -> ${RUNS[$to]}'s first advert: ${gap:-?} ms (RFC 3768 Skew_Time at $prio: $(rfc_v2_ms skew "$prio") ms; scaled as in RFC 5798: $(skew_ms "$prio" $ADVERT) ms)"
	check_near "[$tag] ${RUNS[$to]} took over after Skew_Time" "${gap:-}" "$(rfc_v2_ms skew "$prio")"
}

# crash_takeover TAG FROM TO PRIORITY_OF_TO: kill -9 of FROM, TO takes over
# after its Master_Down_Interval from FROM's last advert.
crash_takeover() {
	local tag=$1 from=$2 to=$3 prio=$4 pcap gap
	capture_start "$tag" "ip proto 112"
	if [ "${RUNS[$from]}" = vipd ]; then
		wait_counter "$tag" "$from" sent "vipd's adverts are on the capture"
	else
		wait_counter "$tag" "$to" received "keepalived's adverts are on the capture"
	fi
	kill9_as "$from"
	check "[$tag] after kill -9 of ${RUNS[$from]}, ${RUNS[$to]} on $to holds $VIP" \
		wait_holder "$to" $VIP $LIMIT
	capture_stop "$tag"
	pcap=$(capture_file "$tag")
	check_eq "[$tag] ${RUNS[$to]} sent no advert while ${RUNS[$from]} was master" 0 \
		"$(count_frames "$pcap" "$(adverts_from "$to") && frame.time_relative < $(last_time "$pcap" "$(adverts_from "$from")")")"
	gap=$(capture_gap_ms "$pcap" "$(adverts_from "$from")" "$(adverts_from "$to")")
	diag "[$tag] CRASH: ${RUNS[$from]}'s last advert -> ${RUNS[$to]}'s first advert: ${gap:-?} ms (RFC 3768 Master_Down_Interval at $prio: $(rfc_v2_ms mdi "$prio") ms; scaled: $(mdi_ms "$prio" $ADVERT) ms)"
	check_near "[$tag] ${RUNS[$to]} took over after Master_Down_Interval" "${gap:-}" \
		"$(rfc_v2_ms mdi "$prio")"
	ip -n "$(ns "$from")" addr del $VIP/24 dev eth0 2>/dev/null # what the crash left
}

conf n1 150 >"$TMP/ka150.conf"
conf n1 50 >"$TMP/ka50.conf"
conf n2 100 >"$TMP/vipd.conf"

diag "==== keepalived 150 on n1, vipd 100 on n2, advert_int $ADVERT: the election at start"
start_as n1 keepalived "$TMP/ka150.conf"
start_as n2 vipd "$TMP/vipd.conf"
check "keepalived 150 on n1 becomes the only holder of $VIP" wait_single_holder n1 $VIP $LIMIT
wait_counter start n2 received "vipd on n2 hears keepalived"
check_eq "vipd on n2 is BACKUP" BACKUP "$(inst_state n2)"

diag "==== vipd backup: keepalived 150 crashes"
crash_takeover A-crash n1 n2 100

diag "==== vipd master, keepalived 50 backup: vipd stops"
start_as n1 keepalived "$TMP/ka50.conf"
wait_counter B-term n2 sent "vipd advertises to keepalived 50, started on n1"
check_eq "[B-term] vipd on n2 is still MASTER" MASTER "$(inst_state n2)"
resign_takeover B-term n2 n1 50

diag "==== vipd backup (keepalived 50 master, not yet preempted): keepalived stops"
start_as n2 vipd "$TMP/vipd.conf"
wait_counter A-term n2 received "vipd on n2 hears keepalived"
check_eq "[A-term] vipd on n2 is BACKUP" BACKUP "$(inst_state n2)"
resign_takeover A-term n1 n2 100

diag "==== vipd master, keepalived 50 backup: vipd crashes"
start_as n1 keepalived "$TMP/ka50.conf"
wait_counter B-crash n2 sent "vipd advertises to keepalived 50, started on n1"
crash_takeover B-crash n2 n1 50
stop_as n1

check_eq "vipd logged no dropped advert" "" "$(grep -E 'dropped advert|differ from our' "$TMP/n2.log")"
check_eq "keepalived logged no interval complaint" "" \
	"$(grep -iE 'interval mismatch|interval updated|changing advert interval' "$TMP/n1.log")"

done_testing
