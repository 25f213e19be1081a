#!/bin/bash
# native_checks: vrrp_script blocks that name http_get or tcp_connect run
# inside vipd, without a process per run.
#
# 1. A real nginx on each node; n1 (150) and n2 (100) track it with weight
#    -60, fall 2, rise 2. Stopping nginx on n1 moves the VIP to n2. The
#    time from the stop to n2 holding the VIP alone is measured for the
#    native http_get at interval 0.1 and, beside it, for a curl script at
#    interval 1 and 0.1. n2's check goes over IPv6 (http://[::1]/).
# 2. While native checks run, the daemon creates no process: strace counts
#    its fork/clone calls over a series of runs (and does count them for
#    the curl script, so the count can tell).
# 3. A server that accepts and never answers: the http_get times out (its
#    reason is logged), tcp_connect to the same port stays up, and n1's
#    adverts keep their rhythm meanwhile (largest gap reported).
# 4. A bad http_get line is refused with file:line.

for _t in nginx curl strace python3; do
	if ! command -v "$_t" >/dev/null 2>&1; then
		echo "1..0 # SKIP needs $_t"
		exit 0
	fi
done

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_nginx.sh"

need_daemon
if is_keepalived; then
	echo "1..0 # SKIP http_get and tcp_connect in vrrp_script are vipd's own"
	exit 0
fi
topo_create 2

VIP=192.0.2.100
ADVERT=0.1
SILENT_PORT=8081

client_served_by() {
	[ "$(nsx c "$CURL" -fsS --max-time 1 "http://$VIP/" 2>/dev/null)" = "served by $1" ]
}

# chk_block KIND INTERVAL URL: the vrrp_script chk_nginx block, native
# (http_get URL) or a curl script fetching URL.
chk_block() {
	printf 'vrrp_script chk_nginx {\n'
	if [ "$1" = native ]; then
		printf '\thttp_get %s\n' "$3"
	else
		printf '\tscript "%s -fsS --max-time 1 -o /dev/null %s"\n' "$CURL" "$3"
	fi
	printf '\tinterval %s\n\ttimeout 0.5\n\tfall 2\n\trise 2\n\tweight -60\n}\n\n' "$2"
}

# node_conf NODE PRIORITY KIND INTERVAL: n1 fetches over IPv4, n2 over IPv6.
node_conf() {
	local url=http://127.0.0.1/
	[ "$1" = n2 ] && url=http://[::1]/
	{
		conf_global extra=$'\tscript_user root'
		chk_block "$3" "$4" "$url"
		conf_instance prio="$2" advert=$ADVERT extra=$'\ttrack_script {\n\t\tchk_nginx\n\t}'
	} >"$TMP/$1-$3-$4.conf"
}

# forks_during NODE SECONDS: the number of fork/vfork/clone calls the
# daemon on NODE (the daemon proper, not its guard) makes over SECONDS
# (strace attached meanwhile).
forks_during() {
	local out=$TMP/strace-$1.out
	timeout "$2" strace -f -qq -e trace=fork,vfork,clone,clone3 -o "$out" \
		-p "$(daemon_pid "$1")" 2>/dev/null
	grep -cE '(^|[^a-z])(v?fork|clone3?)\(' "$out"
}

for node in n1 n2; do
	nginx_conf "$node" || bail "nginx config for $node"
	nginx_start "$node"
done
check "nginx answers over IPv6 on n2" nsx n2 "$CURL" -fsS --max-time 1 -o /dev/null 'http://[::1]/'

declare -A FAILOVER_MS
for run in native:0.1 curl:1 curl:0.1; do
	kind=${run%%:*}
	ival=${run#*:}
	tag="[$kind interval $ival]"
	node_conf n1 150 "$kind" "$ival"
	node_conf n2 100 "$kind" "$ival"
	check_start n1 "$TMP/n1-$kind-$ival.conf"
	check_start n2 "$TMP/n2-$kind-$ival.conf"
	check "$tag n1 (priority 150) becomes the only holder" wait_single_holder n1 $VIP 5
	check "$tag the client's request to $VIP is answered by n1" \
		wait_until 3 client_served_by n1
	check "$tag n2's check (over IPv6) is up: n2 keeps priority 100" \
		wait_until 3 prio_is n2 100
	check_ge "$tag n2's check has run" "$(check_counter n2 chk_nginx runs)" 1
	check_eq "$tag n2's check never failed" 0 "$(check_counter n2 chk_nginx failures)"

	if [ "$kind" = native ]; then
		runs0=$(check_counter n1 chk_nginx runs)
		forks=$(forks_during n1 2)
		runs1=$(check_counter n1 chk_nginx runs)
		diag "$tag over 2 s: $((runs1 - runs0)) check runs, $forks fork/clone calls by vipd"
		check_ge "$tag the check ran meanwhile" "$((runs1 - runs0))" 5
		check_eq "$tag vipd created no process for them" 0 "$forks"
		check_eq "$tag vipd has no child process" "" \
			"$(cat /proc/"$(daemon_pid n1)"/task/*/children 2>/dev/null | tr -d ' ')"
	elif [ "$ival" = 0.1 ]; then
		forks=$(forks_during n1 2)
		diag "$tag over 2 s: $forks fork/clone calls by vipd"
		check_ge "$tag the count sees the script's processes" "$forks" 5
	fi

	t0=$(now_us)
	nginx_stop n1
	check "$tag n2 takes over $VIP" wait_single_holder n2 $VIP 8
	ms=$(elapsed_ms "$t0")
	FAILOVER_MS[$run]=$ms
	diag "$tag DETECT-TO-FAILOVER: nginx stopped on n1 -> n2 sole holder: $ms ms (fall 2, Master_Down_Interval $(mdi_ms 100 $ADVERT) ms)"
	check "$tag n1's priority is 150 - 60" wait_until 2 prio_is n1 90
	check "$tag the client's request to $VIP is answered by n2" \
		wait_until 3 client_served_by n2
	if [ "$kind" = native ]; then
		check "$tag n1's log says why the check failed" \
			grep -qE 'vrrp_script chk_nginx: up -> down: cannot connect to 127\.0\.0\.1: Connection refused' "$TMP/n1.log"
		check_lt "$tag failover within 2 s" "$ms" 2000
	fi
	nginx_start n1
	check "$tag n1 takes the VIP back once nginx is up" wait_single_holder n1 $VIP 8
	check_stop n1
	check_stop n2
	assert_no_holder $VIP
done
diag "SUMMARY detect-to-failover (ms): native http_get 0.1 s: ${FAILOVER_MS[native:0.1]}, curl script 1 s: ${FAILOVER_MS[curl:1]}, curl script 0.1 s: ${FAILOVER_MS[curl:0.1]}"
check_lt "the native check at 0.1 s fails over sooner than the curl script at 1 s" \
	"${FAILOVER_MS[native:0.1]}" "${FAILOVER_MS[curl:1]}"

# --- a server that accepts and never answers
cat >"$TMP/silent.py" <<'EOF'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(64)
s.settimeout(1)
held = []
end = time.time() + 120
while time.time() < end:
    try:
        held.append(s.accept()[0])
    except socket.timeout:
        pass
EOF
ip netns exec "$(ns n1)" python3 "$TMP/silent.py" "$SILENT_PORT" </dev/null >/dev/null 2>&1 &
register_pid "$!"
disown "$!"
check "a silent server listens on n1:$SILENT_PORT" wait_until 5 \
	nsx n1 python3 -c "import socket; socket.create_connection(('127.0.0.1', $SILENT_PORT), 1)"

{
	conf_global
	printf 'vrrp_script chk_silent {\n\thttp_get http://127.0.0.1:%s/\n' "$SILENT_PORT"
	printf '\tinterval 0.1\n\ttimeout 0.5\n\tfall 2\n\tweight -10\n}\n\n'
	printf 'vrrp_script chk_port {\n\ttcp_connect 127.0.0.1:%s\n' "$SILENT_PORT"
	printf '\tinterval 0.1\n\ttimeout 0.5\n\tfall 1\n\tweight -20\n}\n\n'
	conf_instance prio=150 advert=$ADVERT \
		extra=$'\ttrack_script {\n\t\tchk_silent\n\t\tchk_port\n\t}'
} >"$TMP/n1-silent.conf"
capture_start silent "vrrp"
check_start n1 "$TMP/n1-silent.conf"
check "[silent] n1 is MASTER" wait_until 5 state_is n1 MASTER
check "[silent] the http_get times out twice: priority 150 - 10" wait_until 4 prio_is n1 140
check "[silent] the timeout is logged as the reason" \
	grep -qF 'vrrp_script chk_silent: up -> down: no answer within its timeout of 0.50 s' "$TMP/n1.log"
observe 3
check_eq "[silent] tcp_connect to the same port stays up (no -20)" 140 "$(inst_prio n1)"
check_ge "[silent] the http_get kept failing" "$(check_counter n1 chk_silent failures)" 5
check_eq "[silent] tcp_connect never failed" 0 "$(check_counter n1 chk_port failures)"
check_stop n1
capture_stop silent
read -r med max cnt < <(interarrival_stats "$(capture_file silent)" \
	"vrrp && ip.src == $(node_ip n1) && vrrp.prio != 0")
diag "[silent] n1's adverts during the timeouts: $cnt gaps, median $med ms, max $max ms (advert_int $ADVERT s, check timeout 500 ms)"
check_ge "[silent] adverts were captured" "${cnt:-0}" 20
check_lt "[silent] no advert gap near the check's 500 ms timeout" "${max%.*}" 300

# --- configuration errors name file and line
printf 'vrrp_script bad {\n\thttp_get http://localhost/\n}\n' >"$TMP/bad.conf"
conf_instance extra=$'\ttrack_script {\n\t\tbad\n\t}' >>"$TMP/bad.conf"
out=$("$(daemon_bin)" -t -f "$TMP/bad.conf" 2>&1)
check "a URL with a name is refused at file:line" \
	grep -q "bad.conf:2:.*http_get: 'localhost' is not an IPv4 address (names are not resolved" <<<"$out"

for node in n1 n2; do
	nginx_stop "$node"
done
done_testing
