#!/bin/bash
# bad_packets: a stranger on the segment (the client namespace) sends
# hand-made adverts to a running cluster (n1 150 master, n2 100 backup).
# Every malformed or unacceptable one is dropped and counted under its own
# reason in `vipctl status --json`, by exactly the number sent and under no
# other reason; both daemons stay up and n1 stays the only master. A
# priority-0 advert from the stranger is valid (RFC 5798 6.4.2/6.4.3): the
# master answers it at once with an advert of its own, which re-arms the
# backup's shortened (Skew_Time) down timer, so nothing fails over.
# The same for a unicast-mode cluster (a higher priority from a source that
# is not a configured peer) and a VRRPv2 cluster with a password.

. "$(dirname "$0")/lib.sh"

need_daemon
is_keepalived && skip_all "vipd's drop counters"
command -v python3 >/dev/null || skip_all "needs python3"
topo_create 2

VIPCTL=$VIPD_BUILDDIR/vipctl
CRAFT=$VIPD_SRCDIR/tests/net/craft_advert.py
VIP=192.0.2.100
STRANGER=192.0.2.200
N=5

# counters NODE: "inst.REASON=N ... if.REASON=N ... transitions=N state=S"
# for the first instance and interface (drop reasons as in pkt_drop_name).
counters() {
	"$VIPCTL" -p "$TMP/$1.pid" status --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
i, f = s["instances"][0], s["interfaces"][0]
out = ["inst.%s=%d" % kv for kv in sorted(i["drops"].items())]
out += ["if.%s=%d" % kv for kv in sorted(f["drops"].items())]
out += ["transitions=%d" % i["transitions"], "state=%s" % i["state"]]
print(" ".join(out))'
}

# received NODE: adverts accepted by the first instance.
received() {
	"$VIPCTL" -p "$TMP/$1.pid" status --json |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["instances"][0]["adverts"]["received"])'
}

# delta BEFORE AFTER: what changed, as "key=+N" (numbers) or "key=OLD->NEW".
delta() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		n = split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= n; i++) {
			split(x[i], p, "="); split(y[i], q, "=")
			if (p[2] == q[2]) continue
			d = (p[2] ~ /^[0-9]+$/) ? "+" (q[2] - p[2]) : p[2] "->" q[2]
			out = out (out ? " " : "") p[1] "=" d
		}
		print out
	}'
}

# craft ARGS...: craft_advert.py in the client's namespace.
craft() {
	nsx c python3 "$CRAFT" --src $STRANGER "$@" >>"$TMP/craft.log" 2>&1
}

# counted NODE KEY MIN: KEY in counters NODE has reached MIN (for wait_until).
counted() {
	counters "$1" | tr ' ' '\n' | awk -F= -v k="$2" -v m="$3" '$1 == k && $2 >= m { f = 1 } END { exit !f }'
}

# drops_reach BEFORE NODE N: NODE's inst.* and if.* drop counters have grown
# by N in all since BEFORE (for wait_until).
drops_reach() {
	[ "$(delta "$1" "$(counters "$2")" | tr ' ' '\n' |
		awk -F'=+' '/^(inst|if)\./ { t += $2 } END { print t + 0 }')" -ge "$3" ]
}

# bad_case TAG KEY CRAFT-ARGS...: N packets from the stranger; on n1 and n2
# exactly KEY (inst.REASON or if.REASON) grows by N and nothing else moves.
bad_case() {
	local tag=$1 key=$2 b1 b2 node before
	shift 2
	b1=$(counters n1)
	b2=$(counters n2)
	check "[$tag] $N crafted packets sent" craft --count $N "$@"
	for node in n1 n2; do
		before=$b1
		[ $node = n2 ] && before=$b2
		wait_until 3 counted $node "$key" \
			"$(($(echo "$before" | tr ' ' '\n' | awk -F= -v k="$key" '$1 == k { print $2 }') + N))"
	done
	# Anything counted twice or under a second reason would show up now.
	observe 0.2
	check_eq "[$tag] n1 counts exactly $N under $key, nothing else" "$key=+$N" "$(delta "$b1" "$(counters n1)")"
	check_eq "[$tag] n2 counts exactly $N under $key, nothing else" "$key=+$N" "$(delta "$b2" "$(counters n2)")"
	check "[$tag] both daemons still run" eval 'daemon_running n1 && daemon_running n2'
	assert_single_holder $VIP "$MASTER"
}

# ================================================= VRRPv3, multicast
MASTER=n1
write_conf "$TMP/n1.conf" prio=150 advert=0.1
write_conf "$TMP/n2.conf" prio=100 advert=0.1
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 (150) becomes the only holder" wait_single_holder n1 $VIP 5
check "n2 is BACKUP" wait_until 3 state_is n2 BACKUP
observe 0.3

bad_case "TTL 1" inst.bad_ttl --kind ttl1
bad_case "bad checksum" inst.bad_checksum --kind bad_checksum
bad_case "truncated to 6 bytes" inst.too_short --kind truncated
bad_case "version 4" inst.bad_version --kind bad_version
bad_case "type 2" inst.bad_type --kind bad_type
bad_case "count 2, one address" inst.bad_length --kind count_mismatch
bad_case "interval 0" inst.zero_interval --kind zero_interval
bad_case "1400 bytes of junk after the header" inst.bad_length --kind oversized
bad_case "VRID 52 (nobody's)" if.unknown_vrid --kind valid --vrid 52 --prio 200
bad_case "a VRRPv2 advert to a v3 instance" inst.version_mismatch \
	--kind valid --version 2 --interval 100 --prio 200
# A packet larger than any VRRP message (5000 bytes, reassembled from IP
# fragments) must be counted like any other drop, not only logged.
b1=$(counters n1)
b2=$(counters n2)
check "[jumbo] $N crafted 5000-byte packets sent" craft --count $N --kind jumbo
for node in n1 n2; do
	before=$b1
	[ $node = n2 ] && before=$b2
	wait_until 3 drops_reach "$before" $node $N
done
# Anything counted twice would show up now.
observe 0.2
for node in n1 n2; do
	before=$b1
	[ $node = n2 ] && before=$b2
	d=$(delta "$before" "$(counters $node)")
	diag "[jumbo] $node counters that moved: '${d}'"
	check_eq "[jumbo] $node counts $N drops in all" $N \
		"$(echo "$d" | tr ' ' '\n' | awk -F'=+' '/^(inst|if)\./ { t += $2 } END { print t + 0 }')"
done
diag "[jumbo] n1 log lines about it: $(grep -c 'Message too long' "$TMP/n1.log"), the first:"
diag "$(grep -m1 'Message too long' "$TMP/n1.log")"
check "[jumbo] both daemons still run" eval 'daemon_running n1 && daemon_running n2'
assert_single_holder $VIP n1

# --- priority 0 from a stranger: valid, handled as RFC 5798 6.4.2/6.4.3 say
PRIO0=10
b1=$(counters n1)
b2=$(counters n2)
r1=$(received n1)
r2=$(received n2)
capture_start prio0 vrrp
observe 0.3
check "[priority 0] $PRIO0 resignations sent by the stranger, 150 ms apart" \
	craft --count $PRIO0 --gap-ms 150 --kind valid --prio 0
observe 0.3
capture_stop prio0
pcap=$(capture_file prio0)
check_eq "[priority 0] n1 counts nothing as dropped, stays MASTER" "" "$(delta "$b1" "$(counters n1)")"
check_eq "[priority 0] n2 counts nothing as dropped, stays BACKUP" "" "$(delta "$b2" "$(counters n2)")"
check_ge "[priority 0] n1 accepted the $PRIO0 adverts" "$(($(received n1) - r1))" "$PRIO0"
check_ge "[priority 0] n2 accepted the $PRIO0 adverts" "$(($(received n2) - r2))" "$PRIO0"
# The master's answer: an advert at once instead of at its next tick (a
# random 0..100 ms away without the rule).
gaps=$(vrrp_adverts "$pcap" | awk -F'|' -v s=$STRANGER -v m=192.0.2.11 '
	$2 == s && $3 == 0 { t = $1; next }
	$2 == m && t != "" { printf "%.1f\n", ($1 - t) * 1000; t = "" }')
diag "[priority 0] stranger's priority-0 advert -> n1's next advert (ms): $(echo "$gaps" | paste -sd' ')"
check_eq "[priority 0] n1 answered every one" $PRIO0 "$(echo "$gaps" | grep -c .)"
check_lt "[priority 0] n1 answered each at once (slowest answer, ms)" \
	"$(echo "$gaps" | sort -n | tail -n 1)" 50
check_eq "[priority 0] n2 sent no advert (its Skew_Time timer was re-armed each time)" 0 \
	"$(count_frames "$pcap" "vrrp && ip.src == 192.0.2.12")"
assert_single_holder $VIP n1

check_stop n1
check_stop n2
assert_no_holder $VIP

# ================================================= VRRPv3, unicast peers
unicast_extra() { # NODE PEER
	printf '\tunicast_src_ip %s\n\tunicast_peer {\n\t\t%s\n\t}' "$(node_ip "$1")" "$(node_ip "$2")"
}
write_conf "$TMP/n1-uc.conf" prio=150 advert=0.1 extra="$(unicast_extra n1 n2)"
write_conf "$TMP/n2-uc.conf" prio=100 advert=0.1 extra="$(unicast_extra n2 n1)"
check_start n1 "$TMP/n1-uc.conf"
check_start n2 "$TMP/n2-uc.conf"
check "[unicast] n1 (150) becomes the only holder" wait_single_holder n1 $VIP 5
check "[unicast] n2 is BACKUP" wait_until 3 state_is n2 BACKUP
observe 0.3
b1=$(counters n1)
b2=$(counters n2)
check "[unicast] $N priority-200 adverts from the stranger to n1" \
	craft --count $N --kind valid --prio 200 --dst "$(node_ip n1)"
check "[unicast] $N priority-200 adverts from the stranger to n2" \
	craft --count $N --kind valid --prio 200 --dst "$(node_ip n2)"
wait_until 3 counted n2 inst.not_peer $N
observe 0.3
check_eq "[unicast] n1 counts exactly $N as not_peer, stays MASTER" "inst.not_peer=+$N" \
	"$(delta "$b1" "$(counters n1)")"
check_eq "[unicast] n2 counts exactly $N as not_peer, stays BACKUP" "inst.not_peer=+$N" \
	"$(delta "$b2" "$(counters n2)")"
assert_single_holder $VIP n1
check_stop n1
check_stop n2

# ================================================= VRRPv2, password
v2_conf() { # FILE PRIO
	{
		conf_global version=2
		conf_instance prio="$2" advert=1 \
			extra=$'\tauthentication {\n\t\tauth_type PASS\n\t\tauth_pass secret\n\t}'
	} >"$1"
}
v2_conf "$TMP/n1-v2.conf" 150
v2_conf "$TMP/n2-v2.conf" 100
check_start n1 "$TMP/n1-v2.conf"
check_start n2 "$TMP/n2-v2.conf"
check "[v2] n1 (150) becomes the only holder" wait_single_holder n1 $VIP 8
check "[v2] n2 is BACKUP" wait_until 3 state_is n2 BACKUP
bad_case "v2 wrong password" inst.auth_mismatch \
	--kind valid --version 2 --interval 100 --prio 200 --auth PASS:wrong
bad_case "v2 no authentication" inst.auth_mismatch \
	--kind valid --version 2 --interval 100 --prio 200 --auth none
bad_case "v2 auth type 2 (IP AH)" inst.bad_auth_type \
	--kind valid --version 2 --interval 100 --prio 200 --auth AH
bad_case "v2 interval 2 s instead of 1 s" inst.interval_mismatch \
	--kind valid --version 2 --interval 200 --prio 200 --auth PASS:secret
bad_case "a VRRPv3 advert to a v2 instance" inst.version_mismatch --kind valid --prio 200
# The right password is accepted: a priority-200 stranger takes mastership
# from n1 (it is a valid, higher-priority master as far as VRRP can tell).
check "[v2] the right password is accepted" \
	craft --count 1 --kind valid --version 2 --interval 100 --prio 200 --auth PASS:secret
check "[v2] ... and n1 yields to the priority-200 advert" wait_until 2 state_is n1 BACKUP
check "[v2] n1 takes back over when the stranger falls silent" wait_single_holder n1 $VIP 8
check_stop n1
check_stop n2
assert_no_holder $VIP

done_testing
