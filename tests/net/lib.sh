# lib.sh - harness for vipd namespace tests (sourced by tests/net/*.sh).
#
# Builds a small Ethernet in network namespaces (N nodes + a client, each with
# one veth into a bridge that lives in a namespace of its own), runs real
# daemons on it, captures the wire with tcpdump and reads it back with tshark.
# Output is TAP, so automake's tap-driver.sh counts every check.
#
# Nothing outside the namespaces is touched: every veth is created directly in
# its target namespace. Every name starts with vipt$RUNID so several tests can
# run at once. cleanup() runs on every exit path (trap EXIT INT TERM).
#
# Environment:
#   VIPT_DAEMON     vipd (default) or keepalived: which daemon start_daemon runs
#   VIPD_BUILDDIR   where vipd was built (make check exports it; defaults to
#                   the source tree, i.e. an in-tree build)
#   VIPD_SRCDIR     the source tree (defaults to this file's ../..)
#   VIPT_KEEP=1     keep the temp dir (logs, captures) after the run
#
# Conventions: node names are n1..nN and c (the client); `ns NODE` gives the
# namespace name. Functions that change harness state (start_daemon,
# capture_start, topo_create, ...) must not be run inside $(...) or check.

set -u
export LC_ALL=C

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit 0
fi
for _vipt_tool in ip bridge tcpdump tshark ping awk; do
	if ! command -v "$_vipt_tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP needs $_vipt_tool"
		exit 0
	fi
done
unset _vipt_tool

VIPD_SRCDIR=${VIPD_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VIPD_BUILDDIR=${VIPD_BUILDDIR:-$VIPD_SRCDIR}
VIPT_DAEMON=${VIPT_DAEMON:-vipd}
export VIPD_SRCDIR VIPD_BUILDDIR VIPT_DAEMON

# ---------------------------------------------------------------- TAP

TAP_COUNT=0
TAP_FAILED=0
TAP_PLANNED=
TAP_SKIP_ALL=

diag() {
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

# plan N: optional; the "1..N" line is printed at exit with the number of
# checks actually run, and a mismatch with N is reported as a failure.
plan() {
	TAP_PLANNED=$1
}

ok() {
	TAP_COUNT=$((TAP_COUNT + 1))
	printf 'ok %d - %s\n' "$TAP_COUNT" "$1"
}

# not_ok DESC [DETAILS]: details (multi-line) go out as diagnostics.
not_ok() {
	TAP_COUNT=$((TAP_COUNT + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$TAP_COUNT" "$1"
	if [ -n "${2:-}" ]; then
		diag "$2"
	fi
}

# check DESC CMD...: runs CMD (in a subshell), ok when it exits 0; on
# failure the command, its exit status and its output are printed.
check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$desc"
		return 0
	fi
	not_ok "$desc" "command: $* (exit $rc)${out:+$'\n'$out}"
	return 1
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1 [$3]"
		return 0
	fi
	not_ok "$1" "expected: '$2'"$'\n'"     got: '$3'"
	return 1
}

# check_same DESC EXPECTED ACTUAL: like check_eq, for values read from the
# daemon (JSON fields, counters): two empty strings are not a match, they
# are two missing values.
check_same() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then
		ok "$1 [$3]"
		return 0
	fi
	local why=
	[ -n "$2" ] || why=$'\n''(the expected value is missing: nothing to compare)'
	not_ok "$1" "expected: '$2'"$'\n'"     got: '$3'$why"
	return 1
}

# skip_check DESC REASON: a check that is deliberately not run here; it is
# counted as skipped (scripts/check.sh fails a run on skips it does not
# expect; it expects those whose REASON starts "not for sanitizer builds"
# in its sanitizer run).
skip_check() {
	TAP_COUNT=$((TAP_COUNT + 1))
	printf 'ok %d - %s # SKIP %s\n' "$TAP_COUNT" "$1" "$2"
}

# skip_all REASON: the whole script cannot run here (a missing tool, a
# feature the daemon under test lacks): "1..0 # SKIP REASON", cleanup, exit.
skip_all() {
	TAP_SKIP_ALL=$1
	exit 0
}

# check_lt DESC VALUE LIMIT / check_ge DESC VALUE LIMIT (numbers, may be
# fractional)
check_lt() {
	if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v != "" && v + 0 < l + 0) }'; then
		ok "$1 [$2 < $3]"
		return 0
	fi
	not_ok "$1" "expected '$2' < $3"
	return 1
}

check_ge() {
	if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v != "" && v + 0 >= l + 0) }'; then
		ok "$1 [$2 >= $3]"
		return 0
	fi
	not_ok "$1" "expected '$2' >= $3"
	return 1
}

# bail MSG: give up on the script (cleanup still runs).
bail() {
	not_ok "$1" "${2:-}"
	exit 1
}

# done_testing: the normal end of a script (cleanup prints the plan).
done_testing() {
	exit 0
}

# ---------------------------------------------------------------- time

# now_us: wall clock in microseconds (only for measuring durations of a
# test, never compared across machines).
now_us() {
	local t=$EPOCHREALTIME
	echo $((10#${t%.*} * 1000000 + 10#${t#*.}))
}

# elapsed_ms START_US
elapsed_ms() {
	echo $((($(now_us) - $1) / 1000))
}

# wait_until TIMEOUT_S CMD...: polls CMD every 50 ms until it succeeds
# (returns 0) or the deadline passes (returns 1). Bounded in time.
wait_until() {
	local timeout_s=$1 deadline
	shift
	deadline=$(($(now_us) + $(awk -v t="$timeout_s" 'BEGIN { printf "%d", t * 1000000 }')))
	while :; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		if [ "$(now_us)" -ge "$deadline" ]; then
			return 1
		fi
		sleep 0.05
	done
}

# observe SECONDS: a window in which something must NOT happen (no advert
# from a backup, no failover). Never used to wait for something to happen:
# that is wait_until's job.
observe() {
	sleep "$1"
}

# mdi_ms PRIORITY ADVERT_INT_S: RFC 5798 Master_Down_Interval in ms
# (3 x interval + skew, skew = (256 - priority) x interval / 256). VRRPv2
# (RFC 3768) does not scale the skew: the same only at 1 s (see
# interop_v2_timers.sh).
mdi_ms() {
	awk -v p="$1" -v i="$2" 'BEGIN { printf "%.1f", (3 * i + (256 - p) * i / 256) * 1000 }'
}

# failover_bound_ms DETECT_MS PRIORITY ADVERT_INT_S: the longest a takeover
# may take, timed by polling from the event that causes it: DETECT_MS for
# the daemon to notice (from the configuration, e.g. fall x interval +
# timeout of a check; 0 for a link or a stopped master), then the backup's
# Master_Down_Interval, and one Master_Down_Interval more for the polling
# and a loaded machine. A takeover that needs a second down timer, or a
# detection slower than its configuration allows, crosses it.
failover_bound_ms() {
	awk -v d="$1" -v m="$(mdi_ms "$2" "$3")" 'BEGIN { printf "%d", d + 2 * m }'
}

# skew_ms PRIORITY ADVERT_INT_S
skew_ms() {
	awk -v p="$1" -v i="$2" 'BEGIN { printf "%.1f", (256 - p) * i / 256 * 1000 }'
}

# ---------------------------------------------------------------- run state

TMP=$(mktemp -d /tmp/vipt.XXXXXX) || {
	echo "Bail out! mktemp failed"
	exit 1
}
chmod 755 "$TMP"

NS_LIST=()            # every namespace we created, in creation order
NODES=()              # n1..nN
declare -A DAEMON_PID # node -> daemon pid (parent for keepalived)
declare -A CAPTURE_PID
declare -A CAPTURE_FILE
EXTRA_PIDS_FILE=$TMP/extra.pids # pids to kill at cleanup (e.g. scripts)
: >"$EXTRA_PIDS_FILE"

# Claim a run id: the bridge namespace's creation is the atomic claim, so
# two concurrent tests never share names.
_claim_runid() {
	local try id
	id=$(($$ % 10000))
	for try in $(seq 1 50); do
		RUNID=$(printf '%04d' "$id")
		P=vipt$RUNID
		if ip netns add "${P}br" 2>/dev/null; then
			NS_LIST+=("${P}br")
			return 0
		fi
		id=$(((id + 1) % 10000))
	done
	return 1
}

_is_alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${st%% *}" != Z ]
}

# _terminate PID: TERM, wait up to 5 s, then KILL; reaps our children.
_terminate() {
	local pid=$1
	_is_alive "$pid" || {
		wait "$pid" 2>/dev/null
		return 0
	}
	kill -TERM "$pid" 2>/dev/null
	if ! wait_until 5 eval '! _is_alive '"$pid"; then
		diag "pid $pid ignored SIGTERM for 5 s: SIGKILL"
		kill -KILL "$pid" 2>/dev/null
		wait_until 2 eval '! _is_alive '"$pid"
	fi
	wait "$pid" 2>/dev/null
	return 0
}

_dump_logs() {
	local f
	for f in "$TMP"/*.log; do
		[ -f "$f" ] || continue
		diag "---- last lines of $(basename "$f")"
		diag "$(tail -n 40 "$f")"
	done
}

cleanup() {
	local rc=$? node name pid ns
	trap - EXIT INT TERM
	set +e
	if [ "$rc" -ne 0 ] && [ "$TAP_FAILED" -eq 0 ]; then
		not_ok "script ran to completion" "exited with status $rc before finishing"
	fi
	for name in "${!CAPTURE_PID[@]}"; do
		pid=${CAPTURE_PID[$name]}
		kill -INT "$pid" 2>/dev/null
		_terminate "$pid"
	done
	for node in "${!DAEMON_PID[@]}"; do
		_stop_pids "$node" TERM >/dev/null
	done
	while read -r pid; do
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	done <"$EXTRA_PIDS_FILE"
	for ns in "${NS_LIST[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$TAP_PLANNED" ] && [ "$TAP_PLANNED" != "$TAP_COUNT" ]; then
		not_ok "planned $TAP_PLANNED checks" "ran $TAP_COUNT"
	fi
	if [ "$TAP_FAILED" -ne 0 ]; then
		_dump_logs
	fi
	if [ "${VIPT_KEEP:-0}" = 1 ]; then
		diag "kept $TMP"
	else
		rm -rf "$TMP"
	fi
	if [ "$TAP_COUNT" -eq 0 ] && [ -n "$TAP_SKIP_ALL" ] && [ "$rc" -eq 0 ]; then
		echo "1..0 # SKIP $TAP_SKIP_ALL"
		exit 0
	fi
	if [ "$TAP_COUNT" -eq 0 ]; then
		echo "not ok 1 - no check ran"
		TAP_COUNT=1
		TAP_FAILED=1
	fi
	echo "1..$TAP_COUNT"
	[ "$rc" -ne 0 ] && exit "$rc"
	[ "$TAP_FAILED" -eq 0 ] && exit 0
	exit 1
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

_claim_runid || {
	echo "Bail out! no free vipt run id"
	exit 1
}

# ---------------------------------------------------------------- topology

BR_NS=${P}br

ns() {
	case $1 in
	br) echo "$BR_NS" ;;
	*) echo "${P}$1" ;;
	esac
}

nsx() {
	local node=$1
	shift
	ip netns exec "$(ns "$node")" "$@"
}

_ns_add() {
	ip netns add "$1" || return 1
	NS_LIST+=("$1")
	ip -n "$1" link set lo up || return 1
	# Addresses are usable at once (no DAD), link-local included.
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 >/dev/null || return 1
}

# port_of NODE [IF]: the bridge-side end of NODE's IF (default eth0):
# vipt$RUNID<node>a for eth0, ...b for eth1.
port_of() {
	case ${2:-eth0} in
	eth0) echo "${P}${1}a" ;;
	eth1) echo "${P}${1}b" ;;
	*) echo "${P}${1}x" ;;
	esac
}

# _attach NODE IF BRIDGE MAC: veth IF created directly in the node's
# namespace, its peer directly in the bridge namespace as a port of BRIDGE.
_attach() {
	local node=$1 ifname=$2 bridge=$3 mac=$4 port
	port=$(port_of "$node" "$ifname")
	ip link add name "$ifname" netns "$(ns "$node")" address "$mac" type veth \
		peer name "$port" netns "$BR_NS" || return 1
	ip -n "$BR_NS" link set "$port" master "$bridge" up || return 1
	ip -n "$(ns "$node")" link set "$ifname" up
}

_bridge_add() {
	ip -n "$BR_NS" link add "$1" type bridge forward_delay 0 stp_state 0 \
		mcast_snooping 0 || return 1
	ip -n "$BR_NS" link set "$1" up
}

# topo_create N [eth1]: nodes n1..nN with eth0 192.0.2.(10+i)/24 and
# 2001:db8::(10+i)/64, client c with 192.0.2.200/24 and 2001:db8::200/64,
# all on bridge vipt$RUNID"br0"; with eth1 also a second bridge where node i
# has eth1 198.51.100.(10+i)/24. Dies (bail) on any error.
topo_create() {
	local n=$1 with_eth1=${2:-} i node ns_name
	# The bridge namespace needs no IPv6 (no MLD/RS noise in captures).
	ip netns exec "$BR_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null ||
		bail "topology: sysctl in $BR_NS"
	ip -n "$BR_NS" link set lo up || bail "topology: lo up in $BR_NS"
	_bridge_add "${P}br0" || bail "topology: bridge ${P}br0"
	if [ "$with_eth1" = eth1 ]; then
		_bridge_add "${P}br1" || bail "topology: bridge ${P}br1"
	fi
	for i in $(seq 1 "$n"); do
		node=n$i
		ns_name=$(ns "$node")
		if [ -n "${VIPT_TOPO_FAIL_AT:-}" ] && [ "$VIPT_TOPO_FAIL_AT" = "$node" ]; then
			bail "topology: failure injected at $node (VIPT_TOPO_FAIL_AT)"
		fi
		_ns_add "$ns_name" || bail "topology: namespace $ns_name"
		NODES+=("$node")
		_attach "$node" eth0 "${P}br0" "$(printf '02:00:5e:10:00:%02x' $((10 + i)))" ||
			bail "topology: eth0 of $node"
		ip -n "$ns_name" addr add "192.0.2.$((10 + i))/24" dev eth0 &&
			ip -n "$ns_name" addr add "2001:db8::$((10 + i))/64" dev eth0 nodad ||
			bail "topology: addresses of $node"
		if [ "$with_eth1" = eth1 ]; then
			_attach "$node" eth1 "${P}br1" "$(printf '02:00:5e:11:00:%02x' $((10 + i)))" &&
				ip -n "$ns_name" addr add "198.51.100.$((10 + i))/24" dev eth1 ||
				bail "topology: eth1 of $node"
		fi
	done
	ns_name=$(ns c)
	_ns_add "$ns_name" || bail "topology: namespace $ns_name"
	_attach c eth0 "${P}br0" 02:00:5e:10:00:c8 || bail "topology: eth0 of client"
	ip -n "$ns_name" addr add 192.0.2.200/24 dev eth0 &&
		ip -n "$ns_name" addr add 2001:db8::200/64 dev eth0 nodad ||
		bail "topology: addresses of client"
	diag "topology: ${NODES[*]} + client c on bridge ${P}br0 (namespace prefix $P)"
}

node_ip() {
	echo "192.0.2.$((10 + ${1#n}))"
}

node_ip6() {
	echo "2001:db8::$((10 + ${1#n}))"
}

# node_mac NODE [IF]
node_mac() {
	ip -n "$(ns "$1")" -o link show dev "${2:-eth0}" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "link/ether") print $(i + 1) }'
}

# link_cut NODE [IF] / link_heal: the bridge-side end goes down, so the node
# sees its carrier go away (like a pulled cable).
link_cut() {
	ip -n "$BR_NS" link set "$(port_of "$1" "${2:-eth0}")" down
}

link_heal() {
	ip -n "$BR_NS" link set "$(port_of "$1" "${2:-eth0}")" up
}

# port_block NODE [IF] / port_unblock: the bridge stops forwarding to and
# from the node's port while every link stays up (a silent partition).
port_block() {
	bridge -n "$BR_NS" link set dev "$(port_of "$1" "${2:-eth0}")" state 0
}

port_unblock() {
	bridge -n "$BR_NS" link set dev "$(port_of "$1" "${2:-eth0}")" state 3
}

# node_if_down NODE [IF] / node_if_up: the node's own interface.
node_if_down() {
	ip -n "$(ns "$1")" link set "${2:-eth0}" down
}

node_if_up() {
	ip -n "$(ns "$1")" link set "${2:-eth0}" up
}

# ---------------------------------------------------------------- VIPs

# vip_holders VIP: the nodes that have VIP configured, space separated.
vip_holders() {
	local vip=${1%%/*} node out=()
	for node in "${NODES[@]}"; do
		if ip -n "$(ns "$node")" -o addr show |
			awk -v vip="$vip" '{ split($4, a, "/"); if (a[1] == vip) f = 1 } END { exit !f }'; then
			out+=("$node")
		fi
	done
	echo "${out[*]}"
}

holds() {
	local h
	for h in $(vip_holders "$2"); do
		[ "$h" = "$1" ] && return 0
	done
	return 1
}

# holds_only NODE VIP: NODE holds VIP and nobody else does.
holds_only() {
	[ "$(vip_holders "$2")" = "$1" ]
}

# wait_holder NODE VIP TIMEOUT_S: until NODE holds VIP (others may too).
wait_holder() {
	wait_until "$3" holds "$1" "$2"
}

# wait_single_holder NODE VIP TIMEOUT_S: until NODE is the only holder.
wait_single_holder() {
	wait_until "$3" holds_only "$1" "$2"
}

# assert_single_holder VIP [NODE]: TAP check that exactly one node (NODE if
# given) holds VIP.
assert_single_holder() {
	local h
	h=$(vip_holders "$1")
	if [ -n "$h" ] && [ "${h// /}" = "$h" ] && { [ -z "${2:-}" ] || [ "$h" = "$2" ]; }; then
		ok "exactly one node holds $1 [$h]"
		return 0
	fi
	not_ok "exactly one node${2:+ ($2)} holds $1" "holders: '${h}'"
	return 1
}

# assert_no_holder VIP
assert_no_holder() {
	check_eq "no node holds $1" "" "$(vip_holders "$1")"
}

# vip_label NODE VIP: the label of VIP's address on NODE ("" when none).
vip_label() {
	# "... inet 192.0.2.100/24 scope global secondary eth0:0\   valid_lft ...":
	# the label is the last word before the backslash.
	ip -n "$(ns "$1")" -o -4 addr show |
		awk -v vip="${2%%/*}" '{
			split($4, a, "/")
			if (a[1] != vip) next
			for (i = 5; i <= NF; i++) if ($i ~ /\\$/) { sub(/\\$/, "", $i); print $i; exit }
		}'
}

# client_ping VIP: one ping from the client, 1 s timeout.
client_ping() {
	nsx c ping -n -c1 -W1 -q "$1" >/dev/null 2>&1
}

# client_arp_mac VIP: pings VIP from the client and prints the MAC of the
# client's neighbour entry for it.
client_arp_mac() {
	nsx c ping -n -c1 -W1 -q "$1" >/dev/null 2>&1
	ip -n "$(ns c)" neigh show to "$1" dev eth0 |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

# ---------------------------------------------------------------- daemons

daemon_bin() {
	case $VIPT_DAEMON in
	vipd) echo "$VIPD_BUILDDIR/vipd" ;;
	keepalived) command -v keepalived || echo /usr/sbin/keepalived ;;
	*) echo "unknown-daemon-$VIPT_DAEMON" ;;
	esac
}

# need_daemon: call early in scripts that run daemons; a missing binary is a
# loud failure (Bail out!), never a pass or a skip.
need_daemon() {
	local bin
	bin=$(daemon_bin)
	if [ ! -x "$bin" ]; then
		echo "Bail out! $VIPT_DAEMON not found at $bin (build it, or set VIPD_BUILDDIR / VIPT_DAEMON)"
		exit 1
	fi
	diag "daemon: $VIPT_DAEMON ($bin)"
}

# asan_build: the daemon under test was built with AddressSanitizer (the
# runtime's entry point is linked in, dynamically with gcc, statically with
# clang).
asan_build() {
	{ nm -D "$(daemon_bin)"; nm "$(daemon_bin)"; } 2>/dev/null | grep -q '__asan_init'
}

is_keepalived() {
	[ "$VIPT_DAEMON" = keepalived ]
}

# conf_global [vrrp_version=3] [extra=RAW-LINES]: prints global_defs.
conf_global() {
	local version=3 extra= kv
	for kv; do
		case $kv in
		version=*) version=${kv#*=} ;;
		extra=*) extra=${kv#*=} ;;
		*) bail "conf_global: unknown argument $kv" ;;
		esac
	done
	[ -z "$extra" ] || extra=$extra$'\n'
	printf 'global_defs {\n\tvrrp_version %s\n%s}\n\n' "$version" "$extra"
}

# conf_instance [name=web] [vrid=51] [prio=100] [advert=0.1]
#   [vip=192.0.2.100/24] [label=eth0:0] [iface=eth0] [extra=RAW-LINES]
conf_instance() {
	local name=web vrid=51 prio=100 advert=0.1 vip=192.0.2.100/24 label=eth0:0
	local iface=eth0 extra= kv vipline
	for kv; do
		case $kv in
		name=*) name=${kv#*=} ;;
		vrid=*) vrid=${kv#*=} ;;
		prio=*) prio=${kv#*=} ;;
		advert=*) advert=${kv#*=} ;;
		vip=*) vip=${kv#*=} ;;
		label=*) label=${kv#*=} ;;
		iface=*) iface=${kv#*=} ;;
		extra=*) extra=${kv#*=} ;;
		*) bail "conf_instance: unknown argument $kv" ;;
		esac
	done
	vipline="$vip dev $iface${label:+ label $label}"
	[ -z "$extra" ] || extra=$extra$'\n'
	cat <<EOF
vrrp_instance $name {
	state BACKUP
	interface $iface
	virtual_router_id $vrid
	priority $prio
	advert_int $advert
	virtual_ipaddress {
		$vipline
	}
$extra}

EOF
}

# write_conf FILE [conf_instance args...]: global_defs (VRRPv3) + one
# instance.
write_conf() {
	local file=$1
	shift
	{
		conf_global
		conf_instance "$@"
	} >"$file"
}

_daemon_child_pids() {
	local f=$TMP/$1.vrrp.pid
	if is_keepalived && [ -s "$f" ]; then
		cat "$f"
	fi
}

# start_daemon NODE CONF: runs the daemon in NODE's namespace, in the
# foreground with its log on $TMP/NODE.log; returns once it is running
# (pid file written), 1 if it died or never got there. With START_IN_HOST=1
# it starts in the host's namespace and CONF's net_namespace moves it.
start_daemon() {
	local node=$1 conf=$2 bin pid log=$TMP/$1.log
	local -a launch=(ip netns exec "$(ns "$node")")
	[ "${START_IN_HOST:-0}" != 1 ] || launch=()
	bin=$(daemon_bin)
	[ -x "$bin" ] || bail "start_daemon: $bin missing"
	if [ -n "${DAEMON_PID[$node]:-}" ]; then
		bail "start_daemon: $node already runs pid ${DAEMON_PID[$node]}"
	fi
	rm -f "$TMP/$node.pid" "$TMP/$node.vrrp.pid"
	echo "==== $(date +%T.%N) start $VIPT_DAEMON on $node with $conf" >>"$log"
	if is_keepalived; then
		"${launch[@]}" "$bin" -n -l -D -G --vrrp -f "$conf" \
			-p "$TMP/$node.pid" -r "$TMP/$node.vrrp.pid" >>"$log" 2>&1 </dev/null &
	else
		"${launch[@]}" "$bin" -n -l -D -f "$conf" \
			-p "$TMP/$node.pid" >>"$log" 2>&1 </dev/null &
	fi
	pid=$!
	DAEMON_PID[$node]=$pid
	if is_keepalived; then
		wait_until 10 test -s "$TMP/$node.vrrp.pid"
	else
		wait_until 10 test -s "$TMP/$node.pid"
	fi
	if ! _is_alive "$pid"; then
		wait "$pid"
		diag "$VIPT_DAEMON on $node exited at start with status $?"
		diag "$(tail -n 20 "$log")"
		unset "DAEMON_PID[$node]"
		return 1
	fi
	return 0
}

# _stop_pids NODE SIGNAL: signals the daemon, waits (bounded), KILLs
# whatever is left; sets STOP_RC to the exit status.
_stop_pids() {
	local node=$1 sig=$2 pid=${DAEMON_PID[$1]} child
	child=$(_daemon_child_pids "$node")
	kill -"$sig" "$pid" 2>/dev/null
	if ! wait_until 10 eval '! _is_alive '"$pid"; then
		diag "$node: daemon pid $pid still alive 10 s after SIG$sig: SIGKILL"
		kill -KILL "$pid" 2>/dev/null
		wait_until 2 eval '! _is_alive '"$pid"
	fi
	wait "$pid" 2>/dev/null
	STOP_RC=$?
	if [ -n "$child" ] && _is_alive "$child"; then
		diag "$node: keepalived vrrp child $child outlived its parent: SIGKILL"
		kill -KILL "$child" 2>/dev/null
	fi
	unset "DAEMON_PID[$node]"
	echo "==== $(date +%T.%N) stopped by SIG$sig, exit status $STOP_RC" >>"$TMP/$node.log"
}

# daemon_pid NODE: the process doing the VRRP work. vipd runs as a guard
# (DAEMON_PID, the process started) and its child, the daemon proper, whose
# pid is in the pid file; keepalived's is its VRRP child.
daemon_pid() {
	local f=$TMP/$1.pid
	is_keepalived && f=$TMP/$1.vrrp.pid
	if [ -s "$f" ]; then
		cat "$f"
	else
		echo "${DAEMON_PID[$1]:-}"
	fi
}

daemon_running() {
	[ -n "${DAEMON_PID[$1]:-}" ] && _is_alive "${DAEMON_PID[$1]}"
}

# stop_daemon NODE [SIGNAL]: default TERM. Returns 0 when the daemon was
# still running and, for TERM/INT, exited with status 0; otherwise prints
# why and returns 1. Not for use inside check/$(...): it changes state.
stop_daemon() {
	local node=$1 sig=${2:-TERM}
	if [ -z "${DAEMON_PID[$node]:-}" ]; then
		diag "stop_daemon: no daemon on $node"
		return 1
	fi
	if ! daemon_running "$node"; then
		_stop_pids "$node" "$sig"
		diag "stop_daemon: daemon on $node had already exited (status $STOP_RC)"
		return 1
	fi
	_stop_pids "$node" "$sig"
	case $sig in
	TERM | INT)
		if [ "$STOP_RC" != 0 ]; then
			diag "$node: daemon exited with status $STOP_RC after SIG$sig"
			return 1
		fi
		;;
	esac
	return 0
}

# stop_all_daemons: TERM to each; returns 1 if any exited badly.
stop_all_daemons() {
	local node rc=0
	for node in "${!DAEMON_PID[@]}"; do
		stop_daemon "$node" || rc=1
	done
	return $rc
}

# check_start NODE CONF / check_stop NODE [SIGNAL]: start_daemon and
# stop_daemon as TAP checks.
check_start() {
	if start_daemon "$1" "$2"; then
		ok "$VIPT_DAEMON starts on $1 ($(basename "$2"))"
		return 0
	fi
	not_ok "$VIPT_DAEMON starts on $1 ($(basename "$2"))" "see $1.log"
	return 1
}

check_stop() {
	if stop_daemon "$1" "${2:-TERM}"; then
		ok "$VIPT_DAEMON on $1 exits cleanly on SIG${2:-TERM}"
		return 0
	fi
	not_ok "$VIPT_DAEMON on $1 exits cleanly on SIG${2:-TERM}" "exit status ${STOP_RC:-?}"
	return 1
}

# kill9_daemon NODE: a crash of the whole node's daemon, as a host crash
# looks to its peers. keepalived's VRRP work is done by a child process that
# its parent would restart (or stop gracefully): freeze the parent, kill the
# child, then the parent. vipd's guard would resign for its daemon, and the
# daemon for a dead guard: freeze the daemon, kill the guard, then it.
kill9_daemon() {
	local node=$1 pid=${DAEMON_PID[$1]} child
	child=$(_daemon_child_pids "$node")
	if [ -n "$child" ]; then
		kill -STOP "$pid"
		kill -KILL "$child"
	fi
	if ! is_keepalived && [ -s "$TMP/$node.pid" ]; then
		child=$(cat "$TMP/$node.pid")
		if [ "$child" != "$pid" ] && kill -STOP "$child" 2>/dev/null; then
			{
				kill -KILL "$pid"
				wait "$pid"
			} 2>/dev/null
			kill -KILL "$child"
			wait_until 2 eval '! _is_alive '"$child"
		fi
	fi
	# SIGKILL cannot be caught, so waiting for it is bounded; waiting at
	# once also keeps bash from reporting the killed job on stderr.
	{
		kill -KILL "$pid"
		wait "$pid"
	} 2>/dev/null
	unset "DAEMON_PID[$node]"
	echo "==== $(date +%T.%N) killed by SIGKILL" >>"$TMP/$node.log"
}

# register_pid PID: killed (SIGKILL) at cleanup, e.g. a script's sleep.
register_pid() {
	echo "$1" >>"$EXTRA_PIDS_FILE"
}

# ---------------------------------------------------------------- captures

# capture_start NAME FILTER [NODE [IF]]: tcpdump on the bridge (default, sees
# every frame of the segment) or on NODE's IF, writing $TMP/NAME.pcap;
# returns once tcpdump is listening. A capture that does not start ends the
# script (bail): every check read from it would count nothing.
capture_start() {
	local name=$1 filter=$2 node=${3:-br} ifname=${4:-} pid
	if [ -z "$ifname" ]; then
		ifname=eth0
		[ "$node" = br ] && ifname=${P}br0
	fi
	CAPTURE_FILE[$name]=$TMP/$name.pcap
	ip netns exec "$(ns "$node")" tcpdump -n -U --immediate-mode -Z root -s 256 -i "$ifname" \
		-w "${CAPTURE_FILE[$name]}" $filter >/dev/null 2>"$TMP/$name.tcpdump.err" </dev/null &
	pid=$!
	CAPTURE_PID[$name]=$pid
	if ! wait_until 10 grep -q 'listening on' "$TMP/$name.tcpdump.err"; then
		bail "capture $name starts (tcpdump -i $ifname $filter)" "$(cat "$TMP/$name.tcpdump.err")"
	fi
}

# capture_stop NAME: stops tcpdump (it flushes on SIGINT); the file stays.
capture_stop() {
	local pid=${CAPTURE_PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill -INT "$pid" 2>/dev/null
	if ! wait_until 5 eval '! _is_alive '"$pid"; then
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	unset "CAPTURE_PID[$1]"
}

capture_file() {
	echo "${CAPTURE_FILE[$1]}"
}

# tshark_fields PCAP DISPLAY-FILTER FIELD...: one line per matching frame,
# fields separated by '|' (empty when absent). Returns 1, printing nothing
# on stdout and the reason on stderr, when the file is missing or tshark
# fails (unreadable capture, bad filter): never "no frame".
tshark_fields() {
	local pcap=$1 filter=$2 args=() f out rc err=$TMP/tshark.$BASHPID.err
	shift 2
	for f; do
		args+=(-e "$f")
	done
	if [ ! -s "$pcap" ]; then
		echo "# tshark_fields: no capture file '$pcap'" >&2
		return 1
	fi
	out=$(tshark -r "$pcap" -Y "$filter" -T fields -E separator='|' "${args[@]}" 2>"$err")
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "# tshark -r $pcap -Y '$filter' failed (exit $rc): $(grep -v '^Running as user' "$err" | head -n 3)" >&2
		rm -f "$err"
		return 1
	fi
	rm -f "$err"
	[ -z "$out" ] || printf '%s\n' "$out"
}

# vrrp_adverts PCAP [FILTER]: "time_s|src|prio" for each VRRP advert (time
# relative to the first frame of the capture).
vrrp_adverts() {
	tshark_fields "$1" "vrrp${2:+ && ($2)}" frame.time_relative ip.src vrrp.prio
}

# count_frames PCAP FILTER: the number of matching frames; nothing and
# status 1 when the capture cannot be read, so that a check comparing it
# with 0 fails.
count_frames() {
	local out
	out=$(tshark_fields "$1" "$2" frame.number) || return 1
	if [ -z "$out" ]; then
		echo 0
	else
		wc -l <<<"$out"
	fi
}

# adverts_seen NAME SRC MIN: the running capture NAME holds at least MIN
# VRRP adverts from SRC (for wait_until: tcpdump -U writes each frame out).
adverts_seen() {
	[ "$(count_frames "$(capture_file "$1")" "vrrp && ip.src == $2")" -ge "$3" ]
}

# first_time PCAP FILTER / last_time PCAP FILTER: frame.time_relative (s);
# nothing and status 1 when no frame matches or the capture cannot be read.
first_time() {
	local out
	out=$(tshark_fields "$1" "$2" frame.time_relative) && [ -n "$out" ] || return 1
	head -n 1 <<<"$out"
}

last_time() {
	local out
	out=$(tshark_fields "$1" "$2" frame.time_relative) && [ -n "$out" ] || return 1
	tail -n 1 <<<"$out"
}

# capture_gap_ms PCAP FILTER_A FILTER_B: ms from the last frame matching A
# to the first frame matching B after it ("" when either is missing).
capture_gap_ms() {
	local a
	a=$(last_time "$1" "$2")
	[ -n "$a" ] || return 1
	tshark_fields "$1" "($3) && frame.time_relative >= $a" frame.time_relative |
		awk -v a="$a" 'NR == 1 { printf "%.1f\n", ($1 - a) * 1000; f = 1 } END { exit !f }'
}

# interarrival_stats PCAP FILTER: "median_ms max_ms count" of the gaps
# between consecutive matching frames.
interarrival_stats() {
	tshark_fields "$1" "$2" frame.time_relative |
		awk 'NR > 1 { g[n++] = ($1 - p) * 1000 } { p = $1 }
		END {
			if (n == 0) exit 1
			for (i = 0; i < n; i++) for (j = i + 1; j < n; j++)
				if (g[j] < g[i]) { t = g[i]; g[i] = g[j]; g[j] = t }
			printf "%.1f %.1f %d\n", g[int(n / 2)], g[n - 1], n
		}'
}

# ---------------------------------------------------------------- vipctl

# vipctl_json NODE: vipd's `vipctl status --json` (one line) for NODE.
vipctl_json() {
	"$VIPD_BUILDDIR/vipctl" -p "$TMP/$1.pid" status --json
}

# inst_status NODE [INSTANCE]: that instance's JSON object (default web),
# cut out of the status line without needing jq.
inst_status() {
	vipctl_json "$1" | sed 's/{"name":"/\n&/g' |
		grep -m1 "^{\"name\":\"${2:-web}\",\"interface\":"
}

# inst_state NODE [INSTANCE]: MASTER, BACKUP, FAULT or INIT.
inst_state() {
	inst_status "$@" | sed -n 's/.*"state":"\([A-Z]*\)".*/\1/p'
}

# inst_prio NODE [INSTANCE]: the effective (tracked) priority.
inst_prio() {
	inst_status "$@" | sed -n 's/.*"priority":{"base":[0-9]*,"effective":\([0-9]*\)}.*/\1/p'
}

# state_is NODE STATE [INSTANCE] / prio_is NODE PRIORITY [INSTANCE]: for
# wait_until.
state_is() {
	[ "$(inst_state "$1" "${3:-web}")" = "$2" ]
}

prio_is() {
	[ "$(inst_prio "$1" "${3:-web}")" = "$2" ]
}

# vipctl_metrics NODE: vipd's `vipctl metrics` for NODE.
vipctl_metrics() {
	"$VIPD_BUILDDIR/vipctl" -p "$TMP/$1.pid" metrics
}

# check_up_is NODE KIND NAME 0|1: vipd_check_up of that check, for wait_until.
check_up_is() {
	vipctl_metrics "$1" | grep -qx "vipd_check_up{check=\"$3\",kind=\"$2\"} $4"
}

# track_is NODE INSTANCE KIND NAME true|false: that entry of the instance's
# "tracks" in the status JSON is up (true) or down (false).
track_is() {
	inst_status "$1" "$2" | grep -q "{\"kind\":\"$3\",\"name\":\"$4\",\"up\":$5,"
}

# check_counter NODE CHECK runs|failures: a vrrp_script's or gateway's count.
check_counter() {
	vipctl_json "$1" |
		grep -o "{\"kind\":\"[a-z]*\",\"name\":\"$2\",\"up\":[a-z]*,\"runs\":[0-9]*,\"failures\":[0-9]*" |
		sed -n "s/.*\"$3\":\([0-9]*\).*/\1/p" | head -n 1
}
