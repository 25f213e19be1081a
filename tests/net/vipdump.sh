#!/bin/bash
# vipdump: the advert monitor, offline and live.
#
# Offline, every committed capture (tests/data/pcap: keepalived's real
# adverts made by make-pcaps.sh, and hand-made defects from craft.py) gives
# exactly the lines, alarms and exit codes expected, keepalived's adverts
# decode field for field as tshark decodes them, and every libpcap failure
# is a clear message with exit code 3.
#
# Live, on a two-node keepalived cluster: --check says OK (0) while one
# master advertises, CRITICAL (2) while the nodes cannot hear each other and
# both advertise (the client's port still sees both), OK again once joined,
# CRITICAL when nobody advertises; vipdump runs as nobody once the capture
# is open; --summary reports changes and a final table on SIGTERM.

VIPT_DAEMON=keepalived
. "$(dirname "$0")/lib.sh"

VIPDUMP=$VIPD_BUILDDIR/vipdump
PCAPS=$VIPD_SRCDIR/tests/data/pcap
export TZ=UTC

if [ ! -x "$VIPDUMP" ]; then
	echo "Bail out! vipdump not found at $VIPDUMP (build it, or set VIPD_BUILDDIR)"
	exit 1
fi
need_daemon

# vd ARGS...: vipdump's stdout; its exit status in $TMP/rc, stderr in $TMP/err
vd() {
	"$VIPDUMP" "$@" 2>"$TMP/err"
	echo $? >"$TMP/rc"
}

rc() {
	cat "$TMP/rc"
}

# check_run DESC EXPECTED_RC EXPECTED_STDOUT ARGS...
check_run() {
	local desc=$1 want_rc=$2 want=$3 out
	shift 3
	out=$(vd "$@")
	if [ "$(rc)" = "$want_rc" ] && [ "$out" = "$want" ]; then
		ok "$desc [exit $want_rc]"
		return 0
	fi
	not_ok "$desc" "vipdump $* exited $(rc) (want $want_rc)"$'\n'"$(diff <(echo "$want") <(echo "$out"))"$'\n'"$(cat "$TMP/err")"
	return 1
}

# ------------------------------------------------------------ offline

check_run "crafted.pcap: each advert with its defect tags, malformed ones with their reason" 0 \
"22:13:20.000000 192.0.2.21 > 224.0.0.18 VRRPv3 vrid 60 prio 200 int 1.00s addrs 192.0.2.60
22:13:20.250000 192.0.2.21 > 224.0.0.18 VRRPv3 vrid 60 prio 200 int 1.00s addrs 192.0.2.60 [bad_checksum]
22:13:20.500000 192.0.2.21 > 224.0.0.18 VRRPv3 vrid 60 prio 200 int 1.00s addrs 192.0.2.60 [bad_ttl 64]
22:13:20.750000 192.0.2.21 > 224.0.0.18 VRRPv3 vrid 60 prio 200 int 1.00s addrs 192.0.2.60
22:13:21.000000 192.0.2.21 > 224.0.0.18 VRRPv3 vrid 60 prio 200 int 1.00s addrs 192.0.2.60 [bad_length]
22:13:21.250000 192.0.2.21 > 224.0.0.18 VRRP vrid 60 malformed: too_short (shorter than the 8-byte VRRP header)
22:13:21.500000 192.0.2.21 > 224.0.0.18 VRRP vrid 60 malformed: bad_version (VRRP version is neither 2 nor 3, or version 2 over IPv6)
22:13:21.750000 fe80::21 > ff02::12 VRRPv3 vrid 60 prio 200 int 1.00s addrs 2001:db8::60
22:13:22.250000 192.0.2.22 > 224.0.0.18 VRRPv2 vrid 61 prio 100 int 1.00s auth pass addrs 192.0.2.61
22:13:22.500000 192.0.2.23 > 224.0.0.18 VRRPv2 vrid 61 prio 90 int 1.00s auth pass addrs 192.0.2.61 [auth_mismatch]
22:13:22.750000 192.0.2.25 > 224.0.0.18 VRRPv3 vrid 62 prio 100 int 1.00s addrs 192.0.2.62
22:13:23.000000 192.0.2.26 > 224.0.0.18 VRRPv3 vrid 62 prio 90 int 2.00s addrs 192.0.2.62 [interval_mismatch]
22:13:23.250000 192.0.2.21 > 224.0.0.18 VRRPv3 vrid 60 prio 200 int 1.00s addrs 192.0.2.60" \
	-r "$PCAPS/crafted.pcap"

check_run "crafted.pcap --check: WARNING for damaged adverts, mismatches and malformed packets" 1 \
	"VRRP WARNING - vrid 60: 1 advert with bad length; vrid 60: 1 advert with bad checksum; vrid 60: 1 advert with TTL not 255; vrid 61: authentication differs between routers; vrid 62: advert intervals differ between routers (192.0.2.25 1.00s, 192.0.2.26 2.00s); 2 malformed VRRP packets; 4 VRIDs, vrid 60 master 192.0.2.21 prio 200 int 1.00s, vrid 60/IPv6 master fe80::21 prio 200 int 1.00s, vrid 61 master 192.0.2.22 prio 100 int 1.00s, vrid 62 master 192.0.2.25 prio 100 int 1.00s | vrids=4 adverts=11 malformed=2" \
	-r "$PCAPS/crafted.pcap" --check 60

check_run "crafted.pcap -v 61,62 -c 3: VRID filter and count" 0 \
"22:13:22.250000 192.0.2.22 > 224.0.0.18 VRRPv2 vrid 61 prio 100 int 1.00s auth pass addrs 192.0.2.61
22:13:22.500000 192.0.2.23 > 224.0.0.18 VRRPv2 vrid 61 prio 90 int 1.00s auth pass addrs 192.0.2.61 [auth_mismatch]
22:13:22.750000 192.0.2.25 > 224.0.0.18 VRRPv3 vrid 62 prio 100 int 1.00s addrs 192.0.2.62" \
	-r "$PCAPS/crafted.pcap" -v 61,62 -c 3

ADV60="22:13:20.000000 192.0.2.21 > 224.0.0.18 VRRPv3 vrid 60 prio 200 int 1.00s addrs 192.0.2.60"
check_run "crafted-raw.pcap: raw IP link type" 0 "$ADV60" -r "$PCAPS/crafted-raw.pcap"
check_run "crafted-sll.pcap: Linux cooked (v1) link type" 0 "$ADV60" -r "$PCAPS/crafted-sll.pcap"

check_run "silent.pcap --check: a VRID quiet for 3 x interval + skew is CRITICAL" 2 \
	"VRRP CRITICAL - vrid 70: silent for 4.5s, last master 192.0.2.21; 2 VRIDs, vrid 70 master 192.0.2.21 prio 200 int 1.00s, vrid 71 master 192.0.2.21 prio 200 int 1.00s | vrids=2 adverts=4 malformed=0" \
	-r "$PCAPS/silent.pcap" --check 60

check_run "normal.pcap --check: keepalived cluster with resign and preemption is OK" 0 \
	"VRRP OK - 2 VRIDs, vrid 51 master 192.0.2.11 prio 150 int 1.00s, vrid 52/IPv6 master fe80::5eff:fe20:11 prio 150 int 1.00s | vrids=2 adverts=30 malformed=0" \
	-r "$PCAPS/normal.pcap" --check 60

# vipdump's "src > dst VRRPvN vrid V prio P int I addrs A" and tshark's
# fields, both as src|version|vrid|prio|interval_cs|addrs
vipdump_fields() {
	awk '{ sub(/VRRPv/, "", $5); iv = $11; sub(/s$/, "", iv)
		printf "%s|%s|%s|%s|%d|%s\n", $2, $5, $7, $9, iv * 100 + 0.5, $13 }'
}

tshark_vrrp() {
	tshark_fields "$1" vrrp ip.src ipv6.src vrrp.version vrrp.virt_rtr_id vrrp.prio \
		vrrp.short_adver_int vrrp.ip_addr vrrp.ipv6_addr |
		awk -F'|' '{ printf "%s%s|%s|%s|%s|%s|%s%s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
}

for f in normal splitbrain mismatch; do
	want=$(tshark_vrrp "$PCAPS/$f.pcap")
	got=$(vd -r "$PCAPS/$f.pcap" | vipdump_fields)
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		ok "$f.pcap: keepalived's $(echo "$want" | wc -l) adverts decode as tshark decodes them"
	else
		not_ok "$f.pcap: keepalived's adverts decode as tshark decodes them" \
			"$(diff <(echo "$want") <(echo "$got"))"
	fi
done

check_eq "normal.pcapng: the same lines as normal.pcap" \
	"$(vd -r "$PCAPS/normal.pcap" | md5sum)" "$(vd -r "$PCAPS/normal.pcapng" | md5sum)"
check_eq "normal-sll2.pcap (tcpdump -i any in a node): the same adverts as on the bridge" \
	"$(vd -r "$PCAPS/normal.pcap" | cut -d' ' -f2-)" \
	"$(vd -r "$PCAPS/normal-sll2.pcap" | cut -d' ' -f2-)"

check_run "splitbrain.pcap --check: two masters while cut off, healed after: CRITICAL" 2 \
	"VRRP CRITICAL - vrid 51: split brain, 192.0.2.11 prio 150 and 192.0.2.12 prio 100 both master; 1 VRID, vrid 51 master 192.0.2.11 prio 150 int 1.00s | vrids=1 adverts=20 malformed=0" \
	-r "$PCAPS/splitbrain.pcap" --check 60
check_run "splitbrain.pcap --check 5: the first 5 s, before the cut, are OK" 0 \
	"VRRP OK - 1 VRID, vrid 51 master 192.0.2.11 prio 150 int 1.00s | vrids=1 adverts=5 malformed=0" \
	-r "$PCAPS/splitbrain.pcap" --check 5
check_run "splitbrain.pcap --summary: the alarm when both kept advertising, and the table" 0 \
"02:04:37.527582 vrid 51: new, master 192.0.2.11 prio 150 int 1.00s addrs 192.0.2.254
02:04:44.533589 vrid 51: alarm split_brain: 192.0.2.11 prio 150 and 192.0.2.12 prio 100 both master
VRID         MASTER                     PRIO    INT    RATE    LAST  ADVERTS  OTHERS(prio,last)        ALARMS
vrid 51      192.0.2.11                  150  1.00s  1.67/s    0.0s       20  192.0.2.12(100,2.4s)     split_brain
1 VRID, 20 adverts, 0 malformed, status CRITICAL" \
	-r "$PCAPS/splitbrain.pcap" --summary

check_run "mismatch.pcap --check: routers disagreeing on the address list: WARNING" 1 \
	"VRRP WARNING - vrid 51: address lists differ between routers (192.0.2.12 192.0.2.253, 192.0.2.11 192.0.2.254); 1 VRID, vrid 51 master 192.0.2.11 prio 150 int 1.00s | vrids=1 adverts=9 malformed=0" \
	-r "$PCAPS/mismatch.pcap" --check 60

# Every mode's --json output is one JSON object per line.
json_ok() {
	python3 -c 'import json, sys
n = 0
for line in sys.stdin:
    json.loads(line); n += 1
sys.exit(0 if n else 1)'
}
for mode in "" --summary "--check 60"; do
	# shellcheck disable=SC2086
	check "crafted.pcap --json $mode: every line is a JSON object" \
		eval "'$VIPDUMP' -r '$PCAPS/crafted.pcap' --json $mode | json_ok"
done
check_eq "splitbrain.pcap --check --json: status and code" "CRITICAL 2" \
	"$(vd -r "$PCAPS/splitbrain.pcap" --check 60 --json |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["code"])')"

# ------------------------------------------------------------ errors

check_err() {
	local desc=$1 want_err=$2
	shift 2
	vd "$@" >"$TMP/out"
	if [ "$(rc)" = 3 ] && grep -qF -- "$want_err" "$TMP/err" "$TMP/out"; then
		ok "$desc [exit 3]"
	else
		not_ok "$desc" "exit $(rc); stdout: $(cat "$TMP/out"); stderr: $(cat "$TMP/err")"
	fi
}

check_err "a missing file is named" "/nonexistent.pcap: cannot read" -r /nonexistent.pcap
check_err "a missing interface is named" "viptnosuch0: cannot capture" -i viptnosuch0
check_err "--check on a missing interface: UNKNOWN line" "VRRP UNKNOWN - viptnosuch0: cannot capture" \
	-i viptnosuch0 --check 1
head -c 200 "$PCAPS/normal.pcap" >"$TMP/truncated.pcap"
check_err "a truncated capture file is an error naming it" "$TMP/truncated.pcap: read failed" \
	-r "$TMP/truncated.pcap"
printf 'not a capture file at all\n' >"$TMP/garbage.pcap"
check_err "a file that is not a capture is named" "$TMP/garbage.pcap: cannot read" -r "$TMP/garbage.pcap"
check_err "bad VRID" "VRID must be 1..255" -r "$PCAPS/normal.pcap" -v 256
check_err "-i and -r together" "exactly one of" -r "$PCAPS/normal.pcap" -i lo

# ------------------------------------------------------------ live

topo_create 2
VIP=192.0.2.254
write_conf "$TMP/n1.conf" prio=150 advert=0.1 vip=$VIP/24
write_conf "$TMP/n2.conf" prio=100 advert=0.1 vip=$VIP/24
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 becomes the only master" wait_single_holder n1 $VIP 10

out=$(nsx c "$VIPDUMP" --check 3 -i eth0 2>&1)
check_eq "live --check 3 on the client: one master, exit 0" \
	"0 VRRP OK - 1 VRID, vrid 51 master 192.0.2.11 prio 150 int 0.10s" \
	"$? ${out%% | *}"

out=$(nsx c "$VIPDUMP" -i eth0 -c 3 -Z root 2>&1)
check_eq "live -c 3: three advert lines from n1" 3 \
	"$(echo "$out" | grep -c '192.0.2.11 > 224.0.0.18 VRRPv3 vrid 51 prio 150 int 0.10s addrs 192.0.2.254$')"

# Drops root once the capture is open.
# (ip netns exec execs vipdump: $! is vipdump's pid)
ip netns exec "$(ns c)" "$VIPDUMP" -i eth0 >/dev/null 2>&1 &
vd_pid=$!
register_pid $vd_pid
uid_of() {
	awk '/^Uid:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}
wait_until 5 eval '[ "$(uid_of '$vd_pid')" = "$(id -u nobody)" ]'
check_eq "vipdump runs as nobody after opening the capture" "$(id -u nobody)" "$(uid_of $vd_pid)"
check_eq "...with its group, no supplementary groups and no capabilities" \
	"$(id -g nobody) groups 0 CapEff 0000000000000000" \
	"$(awk '/^Gid:/ { g = $2 } /^Groups:/ { n = NF - 1 } /^CapEff:/ { c = $2 }
		END { print g, "groups", n, "CapEff", c }' /proc/$vd_pid/status)"
kill -TERM $vd_pid
wait $vd_pid 2>/dev/null

# A partition: the bridge stops forwarding between n1's and n2's ports, the
# client's port still hears both.
bridge -n "$BR_NS" link set dev "$(port_of n1)" isolated on
bridge -n "$BR_NS" link set dev "$(port_of n2)" isolated on
check "n2 becomes master too while cut off from n1" wait_holder n2 $VIP 5
out=$(nsx c "$VIPDUMP" --check 3 -i any 2>&1)
rc=$?
check_eq "live --check 3 -i any during the partition: CRITICAL, exit 2" \
	"2 VRRP CRITICAL - vrid 51: split brain, 192.0.2.11 prio 150 and 192.0.2.12 prio 100 both master" \
	"$rc ${out%%; *}"

# --summary piped: change lines, and the final table on SIGTERM
ip netns exec "$(ns c)" "$VIPDUMP" --summary -i eth0 >"$TMP/summary.out" 2>&1 &
vd_pid=$!
register_pid $vd_pid
wait_until 5 grep -q "split_brain" "$TMP/summary.out"
bridge -n "$BR_NS" link set dev "$(port_of n1)" isolated off
bridge -n "$BR_NS" link set dev "$(port_of n2)" isolated off
check "n1 is the only master again once joined" wait_single_holder n1 $VIP 5
wait_until 5 grep -q "cleared split_brain" "$TMP/summary.out"
kill -TERM $vd_pid
wait $vd_pid
check_eq "--summary exits 0 on SIGTERM" 0 $?
check "--summary: split brain raised, then cleared, then the final table" \
	awk '/vrid 51: alarm split_brain: 192.0.2.11 prio 150 and 192.0.2.12 prio 100 both master/ { a = NR }
	     /vrid 51: cleared split_brain/ && a { c = NR }
	     /^vrid 51 +192.0.2.11 +150 +0.10s/ && c { t = NR }
	     END { exit !(a && c && t) }' "$TMP/summary.out"

out=$(nsx c "$VIPDUMP" --check 3 -i eth0 2>&1)
check_eq "live --check 3 after joining: OK again, exit 0" \
	"0 VRRP OK - 1 VRID, vrid 51 master 192.0.2.11 prio 150 int 0.10s" "$? ${out%% | *}"

check_stop n1
check_stop n2
out=$(nsx c "$VIPDUMP" --check 1 -i eth0 2>&1)
check_eq "live --check 1 with no daemon: CRITICAL, no adverts, exit 2" \
	"2 VRRP CRITICAL - no VRRP adverts in 1s on eth0 | vrids=0 adverts=0 malformed=0" "$? $out"

done_testing
