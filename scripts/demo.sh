#!/usr/bin/env bash
# scripts/demo.sh - two web servers sharing one address, live, in network
# namespaces on this machine.
#
# On a Debian machine as root: installs what is missing (build packages,
# iproute2, iptables, nginx-light, curl), builds vipd out of tree in build/demo, then
# starts a client and two nodes, test1 and test2, on one Ethernet bridge,
# the nodes also on a private second bridge (eth1, 198.51.100.0/24).
# Each node runs nginx serving its own name and vipd sharing 192.0.2.100
# (test1 priority 150, test2 100, nginx checked with curl, weight -60,
# eth1 an advert path to the other node). The demo then walks through
# election, nginx failure, preemption, interface failure and recovery, and
# VRRP blocked on eth0 while the adverts still arrive over eth1, checking
# at each step who answers http://192.0.2.100/ from the client.
#
# Usage: scripts/demo.sh [--keep] [--ci] [--no-install] [--builddir DIR]
#        scripts/demo.sh --clean
#
#   --keep          leave the cluster running at the end and print how to use it
#   --clean         remove a cluster left by --keep or by an interrupted run
#   --ci            no pauses; exit 1 unless every step saw what it expected
#   --no-install    never call apt-get
#   --builddir DIR  use the vipd and vipctl already built in DIR
#
# Everything it creates is named viptdemo* (namespaces viptdemo-br,
# viptdemo-test1, viptdemo-test2, viptdemo-client; state in /run/viptdemo)
# and uses documentation addresses (192.0.2.0/24) only. The variable
# VIPTDEMO_PREFIX (default viptdemo, must start with "vipt") changes the
# names, so a test can run beside a kept demo.
set -uo pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
PFX=${VIPTDEMO_PREFIX:-viptdemo}
RUN=/run/$PFX
VIP=192.0.2.100
NODES=(test1 test2)
declare -A ADDR=([test1]=192.0.2.11 [test2]=192.0.2.12 [client]=192.0.2.200)
# The private link: eth1, an advert path to the other node.
declare -A ADDR1=([test1]=198.51.100.11 [test2]=198.51.100.12)
declare -A PEER=([test1]=test2 [test2]=test1)
declare -A PRIO=([test1]=150 [test2]=100)
STEP_TIMEOUT_S=20

keep=0 clean_only=0 ci=0 install=1 builddir='' builddir_given=0
while [ $# -gt 0 ]; do
	case $1 in
	--keep) keep=1 ;;
	--clean) clean_only=1 ;;
	--ci) ci=1 ;;
	--no-install) install=0 ;;
	--builddir)
		[ $# -ge 2 ] || { echo "demo.sh: --builddir needs a directory" >&2; exit 2; }
		builddir=$2 builddir_given=1
		shift
		;;
	-h | --help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "demo.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

case $PFX in
vipt*) ;;
*) echo "demo.sh: VIPTDEMO_PREFIX must start with vipt" >&2; exit 2 ;;
esac
# Interface names are at most 15 characters: "$PFX-br0" and "$PFX-t1" must fit.
if [ ${#PFX} -gt 11 ]; then
	echo "demo.sh: VIPTDEMO_PREFIX is longer than 11 characters" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: run as root (it creates network namespaces)" >&2
	exit 1
fi

# ------------------------------------------------------------ output

if [ -t 1 ] && [ $ci -eq 0 ]; then
	B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' D=$'\e[2m' N=$'\e[0m'
else
	B='' G='' R='' D='' N=''
fi

heading() {
	printf '\n%s==== %s ====%s\n' "$B" "$*" "$N"
}

say() {
	printf '%s\n' "$*"
}

# shown LABEL CMD...: print "LABEL$ CMD" (what a person would type), then run it.
shown() {
	local label=$1
	shift
	printf '%s%s$ %s%s\n' "$D" "$label" "$*" "$N"
}

pause() {
	if [ $ci -eq 0 ] && [ -t 0 ]; then
		read -r -p "${D}Press Enter to continue...${N}" _ || true
	fi
}

now_ms() {
	local t=$EPOCHREALTIME
	echo $((10#${t%.*} * 1000 + 10#${t#*.} / 1000))
}

# ------------------------------------------------------------ clean-up

ns() {
	echo "$PFX-$1"
}

# A PID from our state files is ours only while it still runs vipd or nginx:
# after a long --keep the number may belong to someone else.
is_ours() {
	local comm
	comm=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
	[ "$comm" = vipd ] || [ "$comm" = nginx ]
}

alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${st%% *}" != Z ]
}

# stop_pid PID: SIGTERM, up to 5 s, then SIGKILL.
stop_pid() {
	local pid=$1 _
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 50); do
		alive "$pid" || break
		sleep 0.1
	done
	alive "$pid" && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# Everything this demo (or an earlier, interrupted or kept one) started:
# the PIDs it recorded, then anything still running inside its namespaces,
# then the namespaces themselves.
clean_all() {
	local pid node n
	if [ -f "$RUN/pids" ]; then
		while read -r pid _; do
			[ -n "$pid" ] && is_ours "$pid" && stop_pid "$pid"
		done <"$RUN/pids"
	fi
	for node in "${NODES[@]}" client br; do
		n=$(ns "$node")
		ip netns list 2>/dev/null | grep -q "^$n\( \|$\)" || continue
		for pid in $(ip netns pids "$n" 2>/dev/null); do
			stop_pid "$pid"
		done
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$RUN"
}

finished=0
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	if [ $keep -eq 1 ] && [ $finished -eq 1 ]; then
		exit "$rc"
	fi
	if [ $clean_only -eq 0 ]; then
		say ""
		say "Cleaning up: stopping vipd and nginx, removing the namespaces."
	fi
	clean_all
	exit "$rc"
}

if [ $clean_only -eq 1 ]; then
	clean_all
	say "demo.sh: removed $PFX-* namespaces, their processes and $RUN."
	exit 0
fi

# ------------------------------------------------------------ install, build

pkg_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}

install_missing() {
	local missing=() p
	for p in build-essential autoconf automake libtool pkg-config \
		libnl-3-dev libnl-route-3-dev libpcap-dev iproute2 iptables curl; do
		pkg_installed "$p" || missing+=("$p")
	done
	# Any nginx flavour will do; nginx-light is the smallest.
	command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
	[ ${#missing[@]} -eq 0 ] && return 0
	heading "Installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
	if [ $builddir_given -eq 1 ]; then
		[ -x "$builddir/vipd" ] && [ -x "$builddir/vipctl" ] && return 0
		echo "demo.sh: no vipd and vipctl in $builddir" >&2
		return 1
	fi
	if [ -f "$top/config.status" ]; then
		# Configured in the source tree: an out-of-tree build is refused there.
		builddir=$top
	else
		builddir=$top/build/demo
	fi
	heading "Building vipd in ${builddir#"$top"/}"
	if [ ! -x "$top/configure" ]; then
		(cd "$top" && autoreconf -fi) || return 1
	fi
	mkdir -p "$builddir" || return 1
	if [ ! -f "$builddir/Makefile" ]; then
		(cd "$builddir" && "$top/configure" -q) || return 1
	fi
	make -C "$builddir" -s -j"$(nproc)" vipd vipctl >/dev/null
}

for tool in ip iptables curl nginx; do
	if [ $install -eq 0 ] && ! command -v $tool >/dev/null 2>&1; then
		echo "demo.sh: $tool is missing (run without --no-install to install it)" >&2
		exit 1
	fi
done
if [ $install -eq 1 ]; then
	install_missing || { echo "demo.sh: installing packages failed" >&2; exit 1; }
fi
build || { echo "demo.sh: build failed" >&2; exit 1; }
builddir=$(cd "$builddir" && pwd)
VIPD=$builddir/vipd
VIPCTL=$builddir/vipctl
CURL=$(command -v curl)
NGINX=$(command -v nginx)

# ------------------------------------------------------------ topology

trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ip netns list 2>/dev/null | grep -q "^$PFX-" || [ -d "$RUN" ]; then
	say "Removing what an earlier demo left behind."
fi
clean_all
mkdir -p "$RUN" && chmod 755 "$RUN" || exit 1
: >"$RUN/pids"

# attach NODE SHORT: NODE's eth0, its peer a port of the bridge.
attach() {
	local node=$1 port=$PFX-$2 n
	n=$(ns "$node")
	ip netns add "$n" &&
		ip -n "$n" link set lo up &&
		ip link add name eth0 netns "$n" type veth peer name "$port" netns "$(ns br)" &&
		ip -n "$(ns br)" link set "$port" master "$PFX-br0" up &&
		ip -n "$n" link set eth0 up &&
		ip -n "$n" addr add "${ADDR[$node]}/24" dev eth0
}

# attach1 NODE SHORT: NODE's eth1 on the private bridge.
attach1() {
	local node=$1 port=$PFX-$2p n
	n=$(ns "$node")
	ip link add name eth1 netns "$n" type veth peer name "$port" netns "$(ns br)" &&
		ip -n "$(ns br)" link set "$port" master "$PFX-br1" up &&
		ip -n "$n" link set eth1 up &&
		ip -n "$n" addr add "${ADDR1[$node]}/24" dev eth1
}

make_topology() {
	ip netns add "$(ns br)" &&
		ip netns exec "$(ns br)" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 &&
		ip -n "$(ns br)" link add "$PFX-br0" type bridge forward_delay 0 stp_state 0 &&
		ip -n "$(ns br)" link set "$PFX-br0" up &&
		ip -n "$(ns br)" link add "$PFX-br1" type bridge forward_delay 0 stp_state 0 &&
		ip -n "$(ns br)" link set "$PFX-br1" up &&
		attach test1 t1 && attach test2 t2 && attach client cl &&
		attach1 test1 t1 && attach1 test2 t2
}

# ------------------------------------------------------------ nginx

nginx_conf() {
	local node=$1 d=$RUN/$1/nginx t
	mkdir -p "$d/www" || return 1
	echo "$node" >"$d/www/index.html"
	{
		printf 'daemon off;\nmaster_process off;\npid %s/nginx.pid;\n' "$d"
		printf 'error_log %s/error.log warn;\nevents {\n\tworker_connections 64;\n}\n' "$d"
		printf 'http {\n\taccess_log off;\n\tdefault_type text/plain;\n'
		for t in client_body proxy fastcgi uwsgi scgi; do
			# A module left out of this nginx has no such directive.
			"$NGINX" -V 2>&1 | grep -q -- "--without-http_${t}_module" && continue
			printf '\t%s_temp_path %s/%s;\n' "$t" "$d" "$t"
		done
		printf '\tserver {\n\t\tlisten 80;\n\t\troot %s/www;\n\t}\n}\n' "$d"
	} >"$d/nginx.conf"
}

local_page() {
	ip netns exec "$(ns "$1")" "$CURL" -fsS --max-time 1 http://127.0.0.1/ 2>/dev/null
}

# nginx_start NODE: one nginx process (master_process off), so its PID is
# the whole server.
nginx_start() {
	local node=$1 d=$RUN/$1/nginx _
	ip netns exec "$(ns "$node")" "$NGINX" -e "$d/error.log" -p "$d" -c "$d/nginx.conf" \
		>>"$d/stderr.log" 2>&1 </dev/null &
	echo "$!" >"$RUN/$node/nginx.started"
	echo "$! nginx-$node" >>"$RUN/pids"
	for _ in $(seq 1 50); do
		[ "$(local_page "$node")" = "$node" ] && return 0
		sleep 0.1
	done
	echo "demo.sh: nginx on $node does not answer:" >&2
	cat "$d/stderr.log" "$d/error.log" >&2 2>/dev/null
	return 1
}

nginx_stop() {
	local f=$RUN/$1/nginx.started
	[ -f "$f" ] && stop_pid "$(cat "$f")"
	rm -f "$f"
}

# ------------------------------------------------------------ vipd

# The configuration of conf/vipd.conf, with the node's name and priority, a
# check every second, so the demo does not keep you waiting, and its
# advert_path over eth1 enabled.
vipd_conf() {
	local node=$1
	cat <<EOF
global_defs {
	router_id $node
	enable_script_security
}

vrrp_script chk_nginx {
	script "$CURL -fsS -o /dev/null --max-time 1 http://127.0.0.1/"
	interval 1
	timeout 2
	fall 2
	rise 2
	weight -60
}

vrrp_instance VI_WEB {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority ${PRIO[$node]}
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass s3cret51
	}
	virtual_ipaddress {
		$VIP/24 dev eth0 label eth0:0
	}
	track_interface {
		eth0
	}
	track_script {
		chk_nginx
	}
	advert_path {
		eth1 ${ADDR1[${PEER[$node]}]}
	}
}
EOF
}

vipctl() {
	"$VIPCTL" -p "$RUN/$1/vipd.pid" "${@:2}"
}

vipd_start() {
	local node=$1 _
	vipd_conf "$node" >"$RUN/$node/vipd.conf"
	ip netns exec "$(ns "$node")" "$VIPD" -n -l -f "$RUN/$node/vipd.conf" \
		-p "$RUN/$node/vipd.pid" >>"$RUN/$node/vipd.log" 2>&1 </dev/null &
	echo "$! vipd-$node" >>"$RUN/pids"
	for _ in $(seq 1 50); do
		vipctl "$node" status >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "demo.sh: vipd on $node does not answer; its log:" >&2
	cat "$RUN/$node/vipd.log" >&2
	return 1
}

# state NODE: the instance's state from the JSON status ("" when no answer).
state() {
	vipctl "$1" status --json 2>/dev/null |
		sed -n 's/^[^[]*\[{[^{]*"state":"\([A-Z]*\)".*/\1/p'
}

client_page() {
	ip netns exec "$(ns client)" "$CURL" -sS --max-time 1 "http://$VIP/" 2>&1
}

# ------------------------------------------------------------ steps

passed=0 failed=0

show_cluster() {
	local node
	for node in "${NODES[@]}"; do
		shown "$node" "vipctl -p $RUN/$node/vipd.pid status"
		vipctl "$node" status | sed 's/^/    /'
	done
	shown client "curl http://$VIP/"
	client_page | sed 's/^/    /'
}

# expect MASTER ANSWER: the master is MASTER, the other node is BACKUP or
# FAULT, only the master holds the VIP, and the client gets ANSWER.
expect() {
	local master=$1 answer=$2 node s
	for node in "${NODES[@]}"; do
		s=$(state "$node")
		if [ "$node" = "$master" ]; then
			[ "$s" = MASTER ] || return 1
		else
			[ "$s" = BACKUP ] || [ "$s" = FAULT ] || return 1
		fi
	done
	[ "$(client_page)" = "$answer" ]
}

# step DESC MASTER ANSWER [READY]: wait (bounded) for expect, then show the
# cluster; READY 0 fails the step at once (what had to happen first did not).
step() {
	local desc=$1 master=$2 answer=$3 ready=${4:-1} start ms node
	start=$(now_ms)
	if [ "$ready" != 1 ]; then
		show_cluster
		failed=$((failed + 1))
		say "${R}FAIL: $desc: what the step needs did not happen within $STEP_TIMEOUT_S s${N}"
		return 1
	fi
	say "Waiting (at most $STEP_TIMEOUT_S s) until $master is master and the client gets \"$answer\"..."
	while ! expect "$master" "$answer"; do
		if [ $(($(now_ms) - start)) -ge $((STEP_TIMEOUT_S * 1000)) ]; then
			ms=$(($(now_ms) - start))
			show_cluster
			failed=$((failed + 1))
			say "${R}FAIL: $desc: not seen within $STEP_TIMEOUT_S s${N}"
			for node in "${NODES[@]}"; do
				say "---- last lines of $node's vipd log"
				tail -n 15 "$RUN/$node/vipd.log"
			done
			return 1
		fi
		sleep 0.1
	done
	ms=$(($(now_ms) - start))
	show_cluster
	passed=$((passed + 1))
	say "${G}PASS: $desc ($((ms / 1000)).$(printf '%03d' $((ms % 1000))) s)${N}"
}

# ------------------------------------------------------------ the demo

t0=$(now_ms)
heading "Setting up: a client and two web servers on one Ethernet"
make_topology || { echo "demo.sh: cannot build the topology" >&2; exit 1; }
for node in "${NODES[@]}"; do
	mkdir -p "$RUN/$node" && nginx_conf "$node" && nginx_start "$node" || exit 1
done
say "  bridge   $PFX-br0 in namespace $(ns br)"
for node in "${NODES[@]}" client; do
	say "  $(printf '%-8s' "$node") namespace $(ns "$node"), eth0 ${ADDR[$node]}/24"
done
say "  nginx on test1 and test2 answers with the node's name; the virtual address is $VIP."
say ""
say "vipd's configuration on test1 (test2: router_id test2, priority 100):"
vipd_conf test1 | sed 's/^/    /'
say ""
say "'$D<node>\$ CMD$N' below means: ip netns exec $(ns "<node>") CMD."
pause

heading "(1) Election: test1 (priority 150) becomes master"
say "Starting vipd on test1 and test2; both start in BACKUP and wait for adverts."
for node in "${NODES[@]}"; do
	vipd_start "$node" || exit 1
done
step "election: test1 is master, the client is answered by test1" test1 test1
pause

heading "(2) nginx stops on test1: its check fails, 150 - 60 = 90 < 100, test2 takes over"
shown test1 "kill \$(cat $RUN/test1/nginx/nginx.pid)"
nginx_stop test1
step "nginx down on test1: test2 is master, the client is answered by test2" test2 test2
pause

heading "(3) nginx starts again on test1: back to 150, test1 preempts"
shown test1 "nginx -p $RUN/test1/nginx -c $RUN/test1/nginx/nginx.conf"
nginx_start test1 || exit 1
step "nginx back on test1: test1 is master again (preempt)" test1 test1
pause

heading "(4) test1's public interface goes down: test1 is in FAULT, test2 takes over"
shown host "ip -n $(ns test1) link set eth0 down"
ip -n "$(ns test1)" link set eth0 down
step "eth0 down on test1: test2 is master, the client is answered by test2" test2 test2
pause

heading "(5) test1's interface comes back: test1 is master again"
shown host "ip -n $(ns test1) link set eth0 up"
ip -n "$(ns test1)" link set eth0 up
step "eth0 up on test1: test1 is master again" test1 test1
pause

heading "(6) VRRP blocked on eth0 (a filtering switch): the adverts still arrive over eth1"
say "Without a second path, test2 would hear nothing, take the address too, and"
say "both nodes would answer. With advert_path it hears test1 over eth1, warns,"
say "and stays backup."
shown test2 "iptables -A INPUT -i eth0 -p 112 -j DROP"
ip netns exec "$(ns test2)" iptables -w 5 -A INPUT -i eth0 -p 112 -j DROP
say "Waiting (at most $STEP_TIMEOUT_S s) until test2 reports eth0 silent..."
silent=0
for _ in $(seq 1 $((STEP_TIMEOUT_S * 10))); do
	if vipctl test2 status 2>/dev/null | grep -q "advert path eth0 .*silent for"; then
		silent=1
		break
	fi
	sleep 0.1
done
[ $silent -eq 1 ] && grep "arrive only via" "$RUN/test2/vipd.log" | tail -n 1
step "VRRP blocked on eth0: test1 is still the only master, test2 hears it over eth1" \
	test1 test1 "$silent"
ip netns exec "$(ns test2)" iptables -w 5 -D INPUT -i eth0 -p 112 -j DROP

total_ms=$(($(now_ms) - t0))
heading "Summary"
say "$passed of $((passed + failed)) steps saw what they expected ($((total_ms / 1000)) s)."
finished=1
if [ $keep -eq 1 ]; then
	cat <<EOF

The cluster is still running. Try:
  ip netns exec $(ns test1) $VIPCTL -p $RUN/test1/vipd.pid status
  ip netns exec $(ns test2) $VIPCTL -p $RUN/test2/vipd.pid status --json
  ip netns exec $(ns client) curl http://$VIP/
  kill \$(cat $RUN/test1/nginx/nginx.pid)    # stop test1's nginx
  ip -n $(ns test1) link set eth0 down    # or take its interface down
  tail -f $RUN/test1/vipd.log    # vipd's log on test1
When done:
  $top/scripts/demo.sh --clean
EOF
fi
[ $failed -eq 0 ]
