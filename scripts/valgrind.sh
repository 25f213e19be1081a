#!/bin/bash
# scripts/valgrind.sh - vipd under valgrind through a minute of real life.
#
# Two nodes in network namespaces (tests/net/lib.sh): n1 runs vipd under
#   valgrind --leak-check=full --error-exitcode=99
#            --errors-for-leak-kinds=definite,indirect
# (priority 150, a track script, notify scripts; --no-guard, so that valgrind
# watches the daemon itself), n2 runs vipd as usual
# (priority 200). For SECONDS (default 60) it goes round: n2 stopped
# (n1 takes over) and started (n1 yields), n2 killed with SIGKILL, SIGHUP
# reloads that add and remove a VIP, link flaps of n1, the track script
# failing (FAULT) and recovering, vipctl status and metrics. Then n1 gets
# SIGTERM, and the script reports valgrind's exit status, the "definitely
# lost" and "indirectly lost" bytes and the invalid accesses, as TAP checks
# and a summary. Exits non-zero on any error.
#
# Needs root, valgrind, and vipd built with -g (the default CFLAGS):
#   VIPD_BUILDDIR=/path/to/build scripts/valgrind.sh [SECONDS]
# VIPD_BUILDDIR defaults to build/check (scripts/check.sh), else the tree.
# VIPT_KEEP=1 keeps the valgrind log.

top=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${VIPD_BUILDDIR:-}" ]; then
	VIPD_BUILDDIR=$top
	[ -x "$top/build/check/vipd" ] && VIPD_BUILDDIR=$top/build/check
fi
export VIPD_BUILDDIR VIPD_SRCDIR=$top VIPT_DAEMON=vipd
SECONDS_TOTAL=${1:-60}
case $SECONDS_TOTAL in
'' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
if [ "$SECONDS_TOTAL" -gt 600 ]; then
	echo "$0: at most 600 seconds" >&2
	exit 2
fi
if ! command -v valgrind >/dev/null; then
	echo "Bail out! valgrind is not installed (apt-get install valgrind)"
	exit 1
fi

. "$top/tests/net/lib.sh"

need_daemon
topo_create 2

VIP=192.0.2.100
VIP2=192.0.2.101
VGLOG=$TMP/valgrind.log
VIPCTL=$VIPD_BUILDDIR/vipctl

# chk.sh fails while $TMP/fail exists; notify.sh keeps a line per call.
printf '#!/bin/sh\n[ ! -e "%s/fail" ]\n' "$TMP" >"$TMP/chk.sh"
printf '#!/bin/sh\necho "$*" >>"%s/notify.log"\n' "$TMP" >"$TMP/notify.sh"
chmod 755 "$TMP/chk.sh" "$TMP/notify.sh"

# n1_conf FILE [extra VIP]: n1 with the track script, notify scripts and
# optionally a second VIP.
n1_conf() {
	local extra_vip=
	[ -n "${2:-}" ] && extra_vip=$'\n\t\t'"$2/24 dev eth0 label eth0:1"
	cat >"$1" <<EOF
$(conf_global extra=$'\tscript_user root')
vrrp_script chk {
	script "$TMP/chk.sh"
	interval 0.5
	timeout 1
	fall 1
	rise 1
}

vrrp_instance web {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 150
	advert_int 0.1
	track_script {
		chk
	}
	notify "$TMP/notify.sh"
	virtual_ipaddress {
		$VIP/24 dev eth0 label eth0:0$extra_vip
	}
}
EOF
}

n1_conf "$TMP/n1-a.conf"
n1_conf "$TMP/n1-b.conf" $VIP2
cp "$TMP/n1-a.conf" "$TMP/n1.conf"
write_conf "$TMP/n2.conf" prio=200 advert=0.1

# start_valgrind NODE CONF: like start_daemon, with vipd under valgrind (the
# process keeps its pid, so stop_daemon and the pid file work as usual).
start_valgrind() {
	local node=$1 log=$TMP/$1.log pid
	rm -f "$TMP/$node.pid"
	echo "==== $(date +%T.%N) start vipd under valgrind on $node" >>"$log"
	ip netns exec "$(ns "$node")" valgrind --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		--child-silent-after-fork=yes --num-callers=30 --log-file="$VGLOG" \
		"$VIPD_BUILDDIR/vipd" --no-guard -n -l -D -f "$2" -p "$TMP/$node.pid" >>"$log" 2>&1 </dev/null &
	pid=$!
	DAEMON_PID[$node]=$pid
	wait_until 30 test -s "$TMP/$node.pid"
	daemon_running "$node"
}

# (not inside check: start_valgrind records the pid in the harness' state)
if start_valgrind n1 "$TMP/n1.conf"; then
	ok "vipd starts under valgrind on n1"
else
	bail "vipd starts under valgrind on n1" "$(cat "$VGLOG" "$TMP/n1.log" 2>/dev/null)"
fi
check "n1 becomes master while n2 is not running" wait_single_holder n1 $VIP 15
check_start n2 "$TMP/n2.conf"
check "n2 (200) takes over" wait_single_holder n2 $VIP 10

rounds=0 failures=0
# step DESC CMD...: one step of a round; a failure is counted and logged,
# the scenario goes on (the point is valgrind's verdict).
step() {
	local desc=$1
	shift
	if ! "$@" >/dev/null 2>&1; then
		failures=$((failures + 1))
		diag "round $rounds: step failed: $desc"
	fi
}

reload_n1() { # CONF
	cp "$1" "$TMP/n1.conf"
	kill -HUP "${DAEMON_PID[n1]}"
}

start=$(now_us)
deadline_ms=$((SECONDS_TOTAL * 1000))
while [ "$(elapsed_ms "$start")" -lt "$deadline_ms" ] && [ $rounds -lt 100 ]; do
	rounds=$((rounds + 1))
	daemon_running n1 || bail "vipd under valgrind died in round $rounds"
	# graceful failover to n1 and back
	step "n2 stops" stop_daemon n2
	step "n1 takes over after n2's resignation" wait_holder n1 $VIP 10
	step "vipctl status" "$VIPCTL" -p "$TMP/n1.pid" status --json
	step "vipctl metrics" "$VIPCTL" -p "$TMP/n1.pid" metrics
	# reload: a VIP added, then removed
	reload_n1 "$TMP/n1-b.conf"
	step "the reload adds $VIP2" wait_holder n1 $VIP2 10
	# link flaps of the master
	for _ in 1 2 3; do
		link_cut n1
		sleep 0.3
		link_heal n1
		sleep 0.3
	done
	step "n1 is master again after the flaps" wait_holder n1 $VIP 10
	reload_n1 "$TMP/n1-a.conf"
	step "the reload removes $VIP2" wait_until 10 eval '! holds n1 $VIP2'
	# the track script fails: FAULT, then recovers
	touch "$TMP/fail"
	step "n1 enters FAULT" wait_until 10 state_is n1 FAULT
	rm -f "$TMP/fail"
	step "n1 leaves FAULT" wait_holder n1 $VIP 10
	# n2 back (n1 yields), then crashes (n1 takes over), then back again
	step "n2 starts" start_daemon n2 "$TMP/n2.conf"
	step "n1 yields to n2" wait_single_holder n2 $VIP 10
	kill9_daemon n2
	step "n1 takes over from the crashed n2" wait_holder n1 $VIP 10
	step "n2 restarts" start_daemon n2 "$TMP/n2.conf"
	step "n1 yields to the restarted n2" wait_single_holder n2 $VIP 10
done
diag "$rounds rounds in $(elapsed_ms "$start") ms, $failures step(s) slower or otherwise off (see above)"
check "vipd under valgrind survived $rounds rounds" daemon_running n1
check_ge "at least one full round ran" $rounds 1
check_eq "n1 ran notify scripts" yes "$([ -s "$TMP/notify.log" ] && echo yes)"

# SIGTERM, then valgrind's verdict
stop_daemon n1 TERM
rc=$STOP_RC
stop_daemon n2 TERM
lost() { # KIND: bytes from the LEAK SUMMARY line "KIND lost: N bytes in M blocks"
	awk -v k="$1 lost:" '
		index($0, k) { s = substr($0, index($0, k) + length(k)); gsub(/,/, "", s); split(s, a, " "); print a[1]; f = 1 }
		END { if (!f) print 0 }' "$VGLOG" | tail -n 1
}
definite=$(lost definitely)
indirect=$(lost indirectly)
invalid=$(grep -cE 'Invalid (read|write|free)|Mismatched free|uninitialised|Syscall param|Source and destination overlap' "$VGLOG")
errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$VGLOG" | tail -n 1)

diag "---- valgrind summary (vipd on n1, $rounds rounds)"
diag "exit status:      $rc"
diag "definitely lost:  $definite bytes"
diag "indirectly lost:  $indirect bytes"
diag "invalid accesses: $invalid"
diag "error summary:    ${errors:-?} errors"
diag "$(grep -E 'LEAK SUMMARY|lost:|reachable:|ERROR SUMMARY|FILE DESCRIPTORS' "$VGLOG")"
check_eq "vipd exits 0 under valgrind on SIGTERM (99: valgrind found errors)" 0 "$rc"
check_eq "definitely lost bytes" 0 "$definite"
check_eq "indirectly lost bytes" 0 "$indirect"
check_eq "invalid accesses or uses of uninitialised memory" 0 "$invalid"
check_eq "valgrind's error summary" 0 "${errors:-?}"
if [ "$TAP_FAILED" -ne 0 ]; then
	diag "---- valgrind log"
	diag "$(cat "$VGLOG")"
fi

done_testing
