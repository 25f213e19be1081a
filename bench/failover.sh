#!/bin/bash
# bench/failover.sh - failover time of vipd and keepalived, side by side.
#
# Two hosts (n1 priority 150, the master; n2 priority 100, the backup) and a
# client on one bridge; VIP 192.0.2.100, VRRPv3. For each case and advert
# interval, N repetitions alternate between vipd and keepalived on the same
# topology; each repetition starts both daemons afresh, waits for n1 to hold
# the VIP, lets the client ping the VIP every 10 ms, then breaks n1:
#
#   crash        kill -9 of the master (keepalived: its VRRP child and its
#                parent)
#   graceful     SIGTERM to the master: it resigns with a priority-0 advert
#   carrier      the master's bridge port goes down (a pulled cable)
#   track_weight a vrrp_script of weight -100 fails: n1's priority drops to
#                50, below n2's
#   track_fault  a vrrp_script of weight 0 fails: n1 goes to FAULT (and
#                resigns with a priority-0 advert)
#   kill_daemon  kill -9 of the process doing the VRRP work only (vipd: the
#                daemon, whose guard resigns for it; keepalived: its VRRP
#                child, which its parent restarts)
#   partition_heal
#                n2 drops VRRP input (its namespace's INPUT chain) and becomes
#                a second master; once that is settled, the client pings
#                every 10 ms and the filter goes
#   nginx_proc   n1 runs nginx, tracked by vrrp_track_process (weight -100);
#                nginx is killed (SIGKILL)
#   nginx_script the same nginx tracked by a vrrp_script at interval 1
#                (weight -100, fall 1) that checks its process
#
# For the nginx cases both daemons start in the host's network namespace
# and net_namespace moves them into their node (the kernel's process events
# reach only the initial namespace), and det is the time from the kill(2)
# to n1's first advert with the lowered priority.
#
# Everything is measured on the wire, from a capture on the client's port
# (tcpdump -U --immediate-mode; read back with tshark), from the event:
#   crash, carrier, track_weight: n1's last advert at priority 150
#   graceful, track_fault:        n1's priority-0 advert
#   kill_daemon:                      the kill(2)
# to n2's first advert (adv), n2's first gratuitous ARP for the VIP (garp)
# and the first echo reply the client gets from n2 (reply). The protocol
# bound is n2's Master_Down_Interval (3 x interval + (256 - 100) / 256 x
# interval) for the first group and its Skew_Time for the second and for
# kill_daemon (the goal: no slower than a clean stop). For graceful and
# kill_daemon, sig is the time from the kill(2) to the priority-0 advert.
# For partition_heal the figures are different: lost is the time without
# echo replies after the heal (lost pings x 10 ms; bound: one 100 ms ping)
# and garp the time from the heal to n1's next gratuitous ARP.
#
# Usage: bench/failover.sh [-n REPS] [--quick] [--cases "crash ..."]
#                          [--adverts "1 0.1 0.01"]
# Raw results: $BENCH_OUT/failover.tsv; the table is printed at the end.

BENCH_REPS=10
BENCH_CASES="crash graceful carrier track_weight track_fault kill_daemon partition_heal"
BENCH_ADVERTS="1 0.1 0.01"
quick=${BENCH_QUICK:-0}
while [ $# -gt 0 ]; do
	case $1 in
	-n) BENCH_REPS=$2; shift ;;
	--quick) quick=1 ;;
	--cases) BENCH_CASES=$2; shift ;;
	--adverts) BENCH_ADVERTS=$2; shift ;;
	*) echo "usage: $0 [-n REPS] [--quick] [--cases LIST] [--adverts LIST]" >&2; exit 2 ;;
	esac
	shift
done
if [ "$quick" = 1 ]; then
	BENCH_REPS=3
	BENCH_CASES="crash graceful carrier"
	BENCH_ADVERTS="0.1 0.01"
fi

. "$(dirname "$0")/lib.sh"

bench_need_tools
topo_create 2
client_setup

VIP=192.0.2.100
N1_IP=$(node_ip n1)
N2_IP=$(node_ip n2)
N1_MAC=$(node_mac n1)
N2_MAC=$(node_mac n2)
RAW=$BENCH_OUT/failover.tsv
bench_header failover started >"$RAW"
printf '# case\tadvert_s\tdaemon\trep\tbound_ms\tadv_ms\tgarp_ms\treply_ms\tsig_ms\tdet_ms\tstatus\n' >>"$RAW"
NGINX=$(command -v nginx || true)
NGINX_DIR=$TMP/nginx
NGINX_PID=

# nginx_start: one nginx process (master_process off) in n1's namespace.
nginx_start() {
	mkdir -p "$NGINX_DIR/www" || return 1
	printf 'daemon off;\nmaster_process off;\npid %s/nginx.pid;\nerror_log %s/error.log warn;\n' \
		"$NGINX_DIR" "$NGINX_DIR" >"$NGINX_DIR/nginx.conf"
	printf 'events {\n\tworker_connections 16;\n}\nhttp {\n\taccess_log off;\n' \
		>>"$NGINX_DIR/nginx.conf"
	printf '\tserver {\n\t\tlisten 127.0.0.1:8080;\n\t\troot %s/www;\n\t}\n}\n' \
		"$NGINX_DIR" >>"$NGINX_DIR/nginx.conf"
	ip netns exec "$(ns n1)" "$NGINX" -e "$NGINX_DIR/error.log" -p "$NGINX_DIR" \
		-c "$NGINX_DIR/nginx.conf" >/dev/null 2>&1 </dev/null &
	NGINX_PID=$!
	register_pid "$NGINX_PID"
	wait_until 5 test -s "$NGINX_DIR/nginx.pid"
}

nginx_kill() {
	[ -n "$NGINX_PID" ] || return 0
	kill -KILL "$NGINX_PID" 2>/dev/null
	wait "$NGINX_PID" 2>/dev/null
	NGINX_PID=
}

# failed_rep CASE ADVERT DAEMON REP WHY: a repetition that measured nothing
# is a row too ("failed: WHY"), so that the report counts it rather than
# working from fewer repetitions as if all had gone well.
failed_rep() {
	printf '%s\t%s\t%s\t%s\t%s\t-\t-\t-\t-\t-\tfailed: %s\n' "$1" "$2" "$3" "$4" \
		"$(bound_ms "$1" "$2")" "$5" >>"$RAW"
}

# n1conf CASE ADVERT / n2conf ADVERT: the same text for both daemons.
n1conf() {
	local weight= extra=
	case $1 in
	track_weight) weight=-100 ;;
	track_fault) weight=0 ;;
	esac
	# At the top level, where keepalived reads it.
	case $1 in
	nginx_*) printf 'net_namespace %s\n\n' "$(ns n1)" ;;
	esac
	conf_global extra=$'\tscript_user root'
	if [ "$1" = nginx_proc ]; then
		printf 'vrrp_track_process nginx {\n\tprocess %s -e %s/error.log -p %s -c %s/nginx.conf\n' \
			"$NGINX" "$NGINX_DIR" "$NGINX_DIR" "$NGINX_DIR"
		printf '\tweight -100\n}\n\n'
		extra=$'\ttrack_process {\n\t\tnginx\n\t}'
	elif [ "$1" = nginx_script ]; then
		printf 'vrrp_script chk_nginx {\n\tscript "/usr/bin/test -d /proc/%s"\n' "$NGINX_PID"
		printf '\tinterval 1\n\tfall 1\n\trise 1\n\tweight -100\n}\n\n'
		extra=$'\ttrack_script {\n\t\tchk_nginx\n\t}'
	fi
	if [ -n "$weight" ]; then
		printf 'vrrp_script chk {\n\tscript "/usr/bin/test ! -e %s"\n' "$TMP/fail"
		printf '\tinterval 1\n\tfall 1\n\trise 1\n\tweight %s\n}\n\n' "$weight"
		extra=$'\ttrack_script {\n\t\tchk\n\t}'
	fi
	conf_instance prio=150 advert="$2" vip=$VIP/24 extra="$extra"
}

n2conf() {
	case $2 in
	nginx_*) printf 'net_namespace %s\n\n' "$(ns n2)" ;;
	esac
	conf_global
	conf_instance prio=100 advert="$1" vip=$VIP/24
}

# bound_ms CASE ADVERT: the protocol's time for n2 to take over.
bound_ms() {
	case $1 in
	graceful | track_fault | kill_daemon) skew_ms 100 "$2" ;;
	partition_heal) echo 100 ;;
	*) mdi_ms 100 "$2" ;;
	esac
}

# analyse PCAP CASE SIG_EPOCH KILL_EPOCH: "adv garp reply sig det" in ms ("-"
# when absent).
analyse() {
	local mode=last
	case $2 in
	graceful | track_fault) mode=prio0 ;;
	kill_daemon) mode=kill ;;
	partition_heal)
		analyse_heal "$1" "$3"
		return
		;;
	esac
	tshark -r "$1" -Y "vrrp || arp || icmp.type == 0" -T fields -E separator='|' \
		-e frame.time_epoch -e eth.src -e ip.src -e vrrp.prio -e arp.src.proto_ipv4 \
		-e icmp.type 2>/dev/null |
		awk -F'|' -v n1="$N1_IP" -v n2="$N2_IP" -v mac="$N2_MAC" -v vip="$VIP" \
			-v mode="$mode" -v sig="$3" -v det="$4" '
		function ms(t) { return t == "" ? "-" : sprintf("%.2f", (t - t0) * 1000) }
		$4 != "" && $3 == n1 && $4 == 50 && low == "" { low = $1 }
		$4 != "" && $3 == n1 && $4 == 150 && new == "" { last = $1 }
		$4 != "" && $3 == n1 && $4 == 0 && p0 == "" { p0 = $1 }
		$4 != "" && $3 == n2 && new == "" { new = $1 }
		$5 == vip && $2 == mac && garp == "" { garp = $1 }
		$6 == 0 && $2 == mac && reply == "" { reply = $1 }
		END {
			t0 = (mode == "prio0") ? p0 : (mode == "kill") ? sig : last
			if (t0 == "" || new == "") { print "- - - -"; exit 1 }
			s = "-"
			if (mode == "prio0" && sig != "")
				s = sprintf("%.2f", (t0 - sig) * 1000)
			else if (mode == "kill" && p0 != "")
				s = sprintf("%.2f", (p0 - sig) * 1000)
			d = (low != "" && det != "") ? sprintf("%.2f", (low - det) * 1000) : "-"
			print ms(new), ms(garp), ms(reply), s, d
		}'
}

# analyse_heal PCAP HEAL_EPOCH: "- garp lost -": n1's first gratuitous ARP
# after the heal, and the echo requests after it left without a reply x 10 ms.
analyse_heal() {
	tshark -r "$1" -Y "arp || icmp" -T fields -E separator='|' \
		-e frame.time_epoch -e eth.src -e arp.src.proto_ipv4 -e icmp.type -e icmp.seq \
		2>/dev/null |
		awk -F'|' -v mac="$N1_MAC" -v vip="$VIP" -v heal="$2" '
		$1 < heal { next }
		$3 == vip && $2 == mac && garp == "" { garp = $1 }
		$4 == 8 { req[$5] = 1 }
		$4 == 0 { rep[$5] = 1 }
		END {
			n = 0; lost = 0
			for (q in req) { n++; if (!(q in rep)) lost++ }
			if (n == 0) { print "- - - -"; exit 1 }
			g = garp == "" ? "-" : sprintf("%.2f", (garp - heal) * 1000)
			print "-", g, sprintf("%.0f", lost * 10), "-"
		}'
}

# heal_rep ADVERT TAG: the partition and its heal, on two running daemons;
# sets sig to the heal's time. Returns 1 when n2 never became master.
heal_rep() {
	local a=$1
	nsx n2 iptables -w -A INPUT -p 112 -j DROP || return 1
	if ! wait_holder n2 $VIP "$(awk -v a="$a" 'BEGIN { print 4 * a + 5 }')"; then
		nsx n2 iptables -w -D INPUT -p 112 -j DROP
		return 1
	fi
	# Two of n2's adverts (and the answers to them) before the heal.
	observe "$(awk -v a="$a" 'BEGIN { print 2 * a + 0.5 }')"
	client_ping_start $VIP
	observe 0.3
	sig=$EPOCHREALTIME
	nsx n2 iptables -w -D INPUT -p 112 -j DROP
	wait_single_holder n1 $VIP 5
	# The client's neighbour entry must hold up for a while.
	observe 1.5
}

stop_if_running() {
	[ -n "${DAEMON_PID[$1]:-}" ] || return 0
	stop_daemon "$1" >/dev/null
}

# one_rep CASE ADVERT DAEMON REP: one measured failover; appends to $RAW.
one_rep() {
	local c=$1 a=$2 d=$3 rep=$4 tag pcap sig= kill_at= res bound elect_s victim host=0
	tag="$d $c advert_int $a rep $rep"
	export VIPT_DAEMON=$d
	rm -f "$TMP/fail"
	case $c in
	nginx_*)
		host=1
		[ -n "$NGINX" ] || {
			not_ok "$tag: nginx is not installed"
			failed_rep "$c" "$a" "$d" "$rep" "nginx is not installed"
			return 1
		}
		nginx_start || {
			not_ok "$tag: nginx did not start"
			failed_rep "$c" "$a" "$d" "$rep" "nginx did not start"
			return 1
		}
		;;
	esac
	n1conf "$c" "$a" >"$TMP/n1.conf"
	n2conf "$a" "$c" >"$TMP/n2.conf"
	ip -n "$(ns c)" neigh flush dev eth0
	elect_s=$(awk -v a="$a" 'BEGIN { print 4 * a + 5 }')
	if ! START_IN_HOST=$host start_daemon n1 "$TMP/n1.conf" ||
		! START_IN_HOST=$host start_daemon n2 "$TMP/n2.conf" ||
		! wait_single_holder n1 $VIP "$elect_s"; then
		not_ok "$tag: n1 did not become the only master"
		failed_rep "$c" "$a" "$d" "$rep" "n1 did not become the only master"
		_rep_cleanup
		return 1
	fi
	if [ "$c" = partition_heal ]; then
		capture_start rep "ip proto 112 or arp or icmp" c || bail "tcpdump did not start"
		if ! heal_rep "$a"; then
			not_ok "$tag: n2 never became a second master"
			failed_rep "$c" "$a" "$d" "$rep" "n2 never became a second master"
			_rep_cleanup
			return 1
		fi
		client_ping_stop
		capture_stop rep
		finish_rep "$c" "$a" "$d" "$rep" "$tag" "$sig"
		return
	fi
	client_ping_start $VIP
	capture_start rep "ip proto 112 or arp or icmp" c || bail "tcpdump did not start"
	# Let the capture see n1's rhythm (and the client's replies) first.
	observe "$(awk -v a="$a" 'BEGIN { print (a + 0.3 > 0.5) ? a + 0.3 : 0.5 }')"
	victim=$(daemon_pid n1)
	sig=$EPOCHREALTIME
	case $c in
	crash) kill9_daemon n1 ;;
	graceful) stop_daemon n1 >/dev/null ;;
	carrier) link_cut n1 ;;
	track_*) touch "$TMP/fail" ;;
	kill_daemon) kill -KILL "$victim" ;;
	nginx_*)
		kill_at=$EPOCHREALTIME
		nginx_kill
		;;
	esac
	# Only a signal is an event the wire can be timed against.
	case $c in
	graceful | kill_daemon) ;;
	*) sig= ;;
	esac
	if ! wait_holder n2 $VIP "$(awk -v a="$a" 'BEGIN { print 4 * a + 5 }')"; then
		# keepalived's parent restarts its VRRP child, which may take the
		# VIP it left before the backup's Master_Down_Interval is over.
		not_ok "$tag: n2 never took $VIP (holders: $(vip_holders $VIP))"
		failed_rep "$c" "$a" "$d" "$rep" "n2 never took the VIP"
		_rep_cleanup
		return 1
	fi
	# The GARP follows the takeover at once, the client's next ping 10 ms
	# later at most.
	observe 0.3
	client_ping_stop
	capture_stop rep
	finish_rep "$c" "$a" "$d" "$rep" "$tag" "$sig"
}

# finish_rep CASE ADVERT DAEMON REP TAG SIG: analyse the capture, record.
finish_rep() {
	local c=$1 a=$2 d=$3 rep=$4 tag=$5 sig=$6 pcap res bound fig
	pcap=$(capture_file rep)
	res=$(analyse "$pcap" "$c" "$sig" "$kill_at")
	bound=$(bound_ms "$c" "$a")
	_rep_cleanup
	if [ "$(cut -d' ' -f$([ "$c" = partition_heal ] && echo 3 || echo 1) <<<"$res")" = - ]; then
		not_ok "$tag: no failover found in the capture"
		failed_rep "$c" "$a" "$d" "$rep" "no failover in the capture"
		VIPT_KEEP=1
		cp "$pcap" "$TMP/failed-$d-$c-$a-$rep.pcap"
		return 1
	fi
	# Five figures whatever the case (partition_heal has four), then "ok".
	read -r -a fig <<<"$res"
	while [ ${#fig[@]} -lt 5 ]; do
		fig+=(-)
	done
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\tok\n' "$c" "$a" "$d" "$rep" "$bound" \
		"${fig[@]:0:5}" >>"$RAW"
	if [ "$c" = partition_heal ]; then
		ok "$tag: garp/lost ms = $(cut -d' ' -f2-3 <<<"$res") (bound $bound)"
	else
		ok "$tag: adv/garp/reply/sig ms = $res (bound $bound)"
	fi
}

# _rep_cleanup: both daemons stopped, the link healed, no VIP anywhere (a
# crashed daemon leaves its VIP behind).
_rep_cleanup() {
	client_ping_stop
	capture_stop rep
	link_heal n1
	nsx n2 iptables -w -D INPUT -p 112 -j DROP 2>/dev/null
	stop_if_running n1
	stop_if_running n2
	ip -n "$(ns n1)" addr del $VIP/24 dev eth0 2>/dev/null
	ip -n "$(ns n2)" addr del $VIP/24 dev eth0 2>/dev/null
	rm -f "$TMP/fail"
	nginx_kill
}

diag "failover: cases '$BENCH_CASES', advert_int '$BENCH_ADVERTS', $BENCH_REPS repetitions per daemon"
for a in $BENCH_ADVERTS; do
	for c in $BENCH_CASES; do
		for rep in $(seq 1 "$BENCH_REPS"); do
			for d in "${BENCH_DAEMONS[@]}"; do
				one_rep "$c" "$a" "$d" "$rep"
			done
		done
	done
done
bench_header failover finished >>"$RAW"

"$BENCH_DIR/report.sh" table failover "$RAW"
diag "raw results: $RAW"
done_testing
