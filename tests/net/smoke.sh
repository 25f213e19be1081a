#!/bin/bash
# smoke: the test topology itself. Nodes and client reach each other over
# IPv4 and IPv6 on eth0 and over eth1, the link helpers cut and restore
# traffic, captures see the frames, and cleanup leaves nothing behind on
# every exit path (normal end, failure while building, SIGTERM, a script
# that dies).

. "$(dirname "$0")/lib.sh"

LIB=$VIPD_SRCDIR/tests/net/lib.sh

topo_create 3 eth1

for src in n1 n2 n3; do
	for dst in n1 n2 n3; do
		[ "$src" = "$dst" ] && continue
		check "$src pings $dst ($(node_ip "$dst"))" \
			nsx "$src" ping -n -c1 -W2 -q "$(node_ip "$dst")"
	done
	check "$src pings the client 192.0.2.200" nsx "$src" ping -n -c1 -W2 -q 192.0.2.200
done
check "n1 pings n2 over IPv6 ($(node_ip6 n2))" nsx n1 ping -n -c1 -W2 -q "$(node_ip6 n2)"
check "client pings n3 over IPv6 ($(node_ip6 n3))" nsx c ping -n -c1 -W2 -q "$(node_ip6 n3)"
check "n1 pings n2 over eth1 (198.51.100.12)" nsx n1 ping -n -c1 -W2 -q 198.51.100.12
check "eth1 is a separate segment: client cannot reach 198.51.100.11" \
	eval '! nsx c ping -n -c1 -W1 -q 198.51.100.11'

check_eq "client's ARP entry for n2 is n2's MAC" "$(node_mac n2)" "$(client_arp_mac "$(node_ip n2)")"
check "n1 has a link-local IPv6 address ready (not tentative)" \
	eval "ip -n $(ns n1) -6 -o addr show dev eth0 scope link | grep -v tentative | grep -q fe80"

# Capture on the bridge sees traffic between two other ports.
capture_start icmp "icmp"
check "ping n1 -> n2 while capturing" nsx n1 ping -n -c3 -i 0.2 -W2 -q "$(node_ip n2)"
capture_stop icmp
check_eq "bridge capture holds 3 echo requests n1 -> n2" 3 \
	"$(count_frames "$(capture_file icmp)" "icmp.type == 8 && ip.src == 192.0.2.11")"
# A capture that cannot be read, or a filter tshark rejects, is an error,
# never "0 frames": a check that something was not sent must fail then.
out=$(count_frames "$TMP/no-such.pcap" "icmp" 2>&1)
check "count_frames of a missing capture fails, printing no count" \
	eval '! count_frames "$TMP/no-such.pcap" icmp 2>/dev/null && [ -z "$(count_frames "$TMP/no-such.pcap" icmp 2>/dev/null)" ]'
diag "$out"
out=$(count_frames "$(capture_file icmp)" "icmp.type ==" 2>&1)
check "count_frames with a filter tshark rejects fails, printing no count" \
	eval '! count_frames "$(capture_file icmp)" "icmp.type ==" 2>/dev/null && [ -z "$(count_frames "$(capture_file icmp)" "icmp.type ==" 2>/dev/null)" ]'
diag "$out"
check "last_time with no matching frame fails" eval '! last_time "$(capture_file icmp)" "icmp.type == 42"'
check_eq "count_frames with no matching frame is 0" 0 "$(count_frames "$(capture_file icmp)" "icmp.type == 42")"
gap=$(capture_gap_ms "$(capture_file icmp)" "icmp.type == 8" "icmp.type == 0 && ip.src == 192.0.2.12")
check_lt "capture_gap_ms: last echo request -> reply after it (${gap} ms)" "${gap:-999}" 100
read -r median max count < <(interarrival_stats "$(capture_file icmp)" "icmp.type == 8")
diag "echo requests: median gap ${median} ms, max ${max} ms over ${count} gaps"
check_lt "interarrival_stats: median gap of ping -i 0.2 is about 200 ms" \
	"$(awk -v m="${median:-0}" 'BEGIN { print (m > 150 && m < 300) ? 0 : 1 }')" 1

# Link helpers.
link_cut n1
check "link_cut n1: n1's eth0 loses carrier" \
	wait_until 3 eval "ip -n $(ns n1) link show eth0 | grep -q NO-CARRIER"
check "link_cut n1: n2 cannot reach n1" eval "! nsx n2 ping -n -c1 -W1 -q 192.0.2.11"
link_heal n1
check "link_heal n1: n2 reaches n1 again" wait_until 5 nsx n2 ping -n -c1 -W1 -q 192.0.2.11

port_block n2
check "port_block n2: n2's eth0 keeps its carrier" \
	eval "ip -n $(ns n2) link show eth0 | grep -q LOWER_UP"
check "port_block n2: n1 cannot reach n2" eval "! nsx n1 ping -n -c1 -W1 -q 192.0.2.12"
port_unblock n2
check "port_unblock n2: n1 reaches n2 again" wait_until 5 nsx n1 ping -n -c1 -W1 -q 192.0.2.12

node_if_down n3
check "node_if_down n3: client cannot reach n3" eval "! nsx c ping -n -c1 -W1 -q 192.0.2.13"
node_if_up n3
check "node_if_up n3: client reaches n3 again" wait_until 5 nsx c ping -n -c1 -W1 -q 192.0.2.13

check "nothing of this run was created in the root namespace" \
	eval "! ip -o link show | grep -q '$P'"

# Cleanup on each exit path, checked from inner runs of the harness (each a
# separate bash with its own run id).
inner() {
	local name=$1 code=$2
	bash -c '. "$1"; '"$code" inner "$LIB" >"$TMP/$name.tap" 2>&1
}

inner_gone() {
	local name=$1 prefix pid
	prefix=$(cat "$TMP/$name.prefix" 2>/dev/null)
	[ -n "$prefix" ] || {
		echo "inner run wrote no prefix"
		return 1
	}
	if ip netns list | grep -q "^${prefix}"; then
		echo "namespaces left: $(ip netns list | grep "^${prefix}")"
		return 1
	fi
	for pid in $(cat "$TMP/$name.pids" 2>/dev/null); do
		if [ -d "/proc/$pid" ]; then
			echo "process $pid left: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
			return 1
		fi
	done
	return 0
}

inner normal 'echo "$P" >'"$TMP/normal.prefix"'; topo_create 2;
	capture_start all ""; echo "${CAPTURE_PID[all]}" >'"$TMP/normal.pids"';
	ok "inner"; done_testing'
check_eq "inner run: normal end exits 0" 0 "$?"
check "inner run: normal end removes its namespaces and tcpdump" inner_gone normal
check_eq "inner run: normal end prints its plan last" "1..1" "$(tail -n 1 "$TMP/normal.tap")"

VIPT_TOPO_FAIL_AT=n2 inner failing 'echo "$P" >'"$TMP/failing.prefix"'; topo_create 3; ok "not reached"'
check_eq "inner run: failure inside topo_create exits 1" 1 "$?"
check "inner run: failure inside topo_create removes the namespaces made so far" inner_gone failing
check "inner run: failure inside topo_create is a visible TAP failure" \
	grep -q '^not ok 1 - topology: failure injected at n2' "$TMP/failing.tap"

inner died 'echo "$P" >'"$TMP/died.prefix"'; topo_create 1; ok "before"; echo "$no_such_variable"; ok "not reached"'
check "inner run: a script dying on an unset variable exits non-zero" test $? -ne 0
check "inner run: a dying script is a visible TAP failure" \
	grep -q '^not ok 2 - script ran to completion' "$TMP/died.tap"
check "inner run: a dying script removes its namespaces" inner_gone died

# SIGTERM while waiting: bash runs the trap when `wait` is interrupted.
bash -c '. "$1"; echo "$P" >'"$TMP/term.prefix"'; topo_create 2;
	capture_start all ""; echo "${CAPTURE_PID[all]}" >'"$TMP/term.pids"';
	ok "ready"; sleep 60 & register_pid $!; touch '"$TMP/term.ready"'; wait $!' inner "$LIB" >"$TMP/term.tap" 2>&1 &
term_pid=$!
if wait_until 20 test -e "$TMP/term.ready"; then
	kill -TERM "$term_pid"
fi
wait_until 15 eval '! _is_alive '"$term_pid"
wait "$term_pid"
check_eq "inner run: SIGTERM exits 143" 143 "$?"
check "inner run: SIGTERM removes namespaces and tcpdump" inner_gone term
check "inner run: SIGTERM is a visible TAP failure" \
	grep -q '^not ok 2 - script ran to completion' "$TMP/term.tap"

done_testing
