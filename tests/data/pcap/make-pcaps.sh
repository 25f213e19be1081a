#!/bin/bash
# make-pcaps.sh - regenerate the captures vipdump's tests read.
#
# Real adverts: Debian's keepalived (VRRPv3) runs on two nodes A and B in
# network namespaces, each with a veth into a bridge in a third namespace;
# tcpdump on that bridge sees every advert of the segment.
#   normal.pcap       A (prio 150) master of vrid 51 (IPv4) and 52 (IPv6),
#                     B (prio 100) backup; A stops (priority 0), B takes
#                     over; A comes back and preempts B.
#   normal.pcapng     the same packets, converted with editcap.
#   normal-sll2.pcap  the same scenario seen from inside B with
#                     tcpdump -i any (Linux cooked v2 headers).
#   splitbrain.pcap   A master; the bridge ports of A and B are isolated from
#                     each other (the bridge itself still sees both), B
#                     becomes master too; isolation ends, B steps back.
#   mismatch.pcap     B alone with 192.0.2.253, then A with 192.0.2.254
#                     preempts: two routers of vrid 51 disagree.
# Hand-made ones (bad checksum, TTL, lengths, link types): craft.py.
#
# Run as root from anywhere: tests/data/pcap/make-pcaps.sh [OUTDIR]
# Everything is named viptdump*, lives in namespaces, and is deleted on exit.
set -eu
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE}
TMP=$(mktemp -d /tmp/viptdump.XXXXXX)
S=viptdumpS
PIDS=()
declare -A CAP

cleanup() {
	set +e
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	done
	for ns in viptdumpA viptdumpB $S; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() {
	printf '%s %s\n' "$(date +%T)" "$*" >&2
}

# wait_for SECONDS CMD...: poll every 0.1 s, bounded.
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	log "timed out waiting for: $*"
	return 1
}

topo_up() {
	ip netns add $S
	ip -n $S link set lo up
	ip netns exec $S sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n $S link add viptdmpBr type bridge forward_delay 0 stp_state 0 mcast_snooping 0
	ip -n $S link set viptdmpBr up
	for n in A B; do
		local ns=viptdump$n host=$([ $n = A ] && echo 11 || echo 12)
		ip netns add "$ns"
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
		ip link add viptdmp$n netns "$ns" address "02:00:5e:20:00:$host" type veth \
			peer name viptdmp${n}s netns $S
		ip -n $S link set viptdmp${n}s master viptdmpBr up
		ip -n "$ns" link set viptdmp$n up
		ip -n "$ns" addr add "192.0.2.$host/24" dev viptdmp$n
	done
}

# conf NODE PRIO VIP4 [VIP6]: keepalived configuration on stdout.
conf() {
	local n=$1 prio=$2 vip4=$3 vip6=${4:-}
	printf 'global_defs {\n\tvrrp_version 3\n\trouter_id %s\n\tscript_user root\n}\n' "$n"
	printf 'vrrp_instance v51 {\n\tstate BACKUP\n\tinterface viptdmp%s\n' "$n"
	printf '\tvirtual_router_id 51\n\tpriority %s\n\tadvert_int 1\n' "$prio"
	printf '\tvirtual_ipaddress {\n\t\t%s/24\n\t}\n}\n' "$vip4"
	[ -n "$vip6" ] || return 0
	printf 'vrrp_instance v52 {\n\tstate BACKUP\n\tinterface viptdmp%s\n' "$n"
	printf '\tvirtual_router_id 52\n\tpriority %s\n\tadvert_int 1\n' "$prio"
	printf '\tvirtual_ipaddress {\n\t\t%s/64\n\t}\n}\n' "$vip6"
}

# start NODE PRIO VIP4 [VIP6]; sets KA_<NODE> to the pid
start() {
	local n=$1
	conf "$@" >"$TMP/$n.conf"
	ip netns exec viptdump$n keepalived -n -l -D --vrrp -f "$TMP/$n.conf" \
		-p "$TMP/$n.pid" -r "$TMP/$n.vrrp.pid" >>"$TMP/$n.log" 2>&1 </dev/null &
	PIDS+=($!)
	eval "KA_$n=$!"
	log "keepalived on $n (pid $!): prio $2 $3 ${4:-}"
}

# stop NODE: SIGTERM, so keepalived resigns with priority 0 adverts.
stop() {
	local pid
	eval "pid=\$KA_$1"
	kill -TERM "$pid"
	wait_for 10 eval "! kill -0 $pid"
	wait "$pid" 2>/dev/null || true
	log "keepalived on $1 stopped"
}

holds() {
	ip -n "viptdump$1" -o addr show | grep -q " $2/"
}

# capture NAME WHERE IFACE [tcpdump args]: tcpdump writing $OUT/NAME.pcap
capture() {
	local name=$1 ns=$2 ifname=$3
	shift 3
	ip netns exec "$ns" tcpdump -n -U -i "$ifname" "$@" -w "$TMP/$name.pcap" \
		'ip proto 112 or ip6 proto 112' 2>"$TMP/$name.err" &
	PIDS+=($!)
	CAP[$name]=$!
	wait_for 10 grep -q 'listening on' "$TMP/$name.err"
}

capture_end() {
	local pid=${CAP[$1]}
	kill -INT "$pid"
	wait "$pid" 2>/dev/null || true
	cp "$TMP/$1.pcap" "$OUT/$1.pcap"
	log "$1.pcap: $(tcpdump -r "$OUT/$1.pcap" 2>/dev/null | wc -l) packets"
}

isolate() {
	bridge -n $S link set dev viptdmpAs isolated "$1"
	bridge -n $S link set dev viptdmpBs isolated "$1"
}

normal() {
	start A 150 192.0.2.254 2001:db8::254
	start B 100 192.0.2.254 2001:db8::254
	wait_for 10 holds A 192.0.2.254
	wait_for 10 holds A 2001:db8::254
	capture normal $S viptdmpBr
	capture normal-sll2 viptdumpB any -y LINUX_SLL2
	sleep 4
	stop A
	wait_for 10 holds B 192.0.2.254
	sleep 3
	start A 150 192.0.2.254 2001:db8::254
	wait_for 10 holds A 192.0.2.254
	! holds B 192.0.2.254 || wait_for 5 eval '! holds B 192.0.2.254'
	sleep 3
	capture_end normal
	capture_end normal-sll2
	editcap -F pcapng "$OUT/normal.pcap" "$OUT/normal.pcapng"
	stop A
	stop B
}

splitbrain() {
	start A 150 192.0.2.254
	start B 100 192.0.2.254
	wait_for 10 holds A 192.0.2.254
	capture splitbrain $S viptdmpBr
	sleep 3
	isolate on
	log "A and B cannot hear each other"
	wait_for 10 holds B 192.0.2.254
	sleep 5
	isolate off
	log "A and B joined again"
	wait_for 10 eval '! holds B 192.0.2.254'
	sleep 3
	capture_end splitbrain
	stop A
	stop B
}

mismatch() {
	capture mismatch $S viptdmpBr
	start B 100 192.0.2.253
	wait_for 10 holds B 192.0.2.253
	sleep 2
	start A 150 192.0.2.254
	wait_for 10 holds A 192.0.2.254
	sleep 3
	capture_end mismatch
	stop A
	stop B
}

topo_up
normal
splitbrain
mismatch
python3 "$HERE/craft.py" "$OUT"
log "done: $(ls "$OUT"/*.pcap* | wc -l) captures in $OUT"
