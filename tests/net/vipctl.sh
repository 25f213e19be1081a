#!/bin/bash
# vipctl: the control socket answers status (table), status --json (checked
# field by field), metrics (every line valid Prometheus text exposition) and
# dump, tracked processes and files included; errors are clear when no daemon listens; SIGUSR1 writes the dump to
# the log; a second vipd with the same pid file refuses to start.

. "$(dirname "$0")/lib.sh"

need_daemon
is_keepalived && skip_all "vipctl talks to vipd only"
topo_create 2

VIPCTL=$VIPD_BUILDDIR/vipctl
VIP=192.0.2.100

cat >"$TMP/chk_ok.sh" <<'SH'
#!/bin/sh
exit 0
SH
chmod 755 "$TMP/chk_ok.sh"
for n in n1 n2; do
	prio=150
	[ $n = n2 ] && prio=100
	{
		conf_global
		printf 'vrrp_script chk_ok {\n\tscript "%s"\n\tinterval 1\n\tweight -20\n}\n\n' "$TMP/chk_ok.sh"
		# A process that never runs (weight 10: adds nothing while down) and a
		# file that reads 0: each is reported, neither moves the priority.
		printf 'vrrp_track_process proc_none {\n\tprocess vipt-no-such-process\n\tweight 10\n}\n\n'
		printf 'track_file tfile {\n\tfile "%s/%s.tfile"\n\tweight -5\n\tinit_file 0\n}\n\n' \
			"$TMP" "$n"
		conf_instance prio=$prio extra="	track_script {
		chk_ok
	}
	track_process {
		proc_none
	}
	track_file {
		tfile weight 0
	}"
	} >"$TMP/$n.conf"
done
check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 becomes master" wait_single_holder n1 $VIP 5
check "n2 has heard n1's adverts" wait_until 5 eval \
	'"$VIPCTL" -p "$TMP/n2.pid" status | grep -q "192.0.2.11"'

# --- the table
status=$("$VIPCTL" -p "$TMP/n1.pid" status)
rc=$?
check_eq "vipctl status exits 0" 0 "$rc"
diag "$status"
check "the table has a header" grep -q "^INSTANCE *INTERFACE *VRID *STATE *PRIO" <<<"$status"
check "web is MASTER on eth0, vrid 51, priority 150/150" \
	grep -Eq "^web +eth0 +51 +MASTER +150/150 +self +0 +$VIP/24" <<<"$status"
check "the last transition and its reason are shown" grep -q "^web: MASTER since .*: " <<<"$status"
check "the track script is shown up" grep -Eq "track script +chk_ok +up" <<<"$status"
check "the track process is shown down, none running" \
	grep -Eq "track process +proc_none +down \(0 running\)" <<<"$status"
check "the track file is shown up, reading 0" grep -Eq "track file +tfile +up \(reads 0\)" <<<"$status"
status2=$("$VIPCTL" -p "$TMP/n2.pid" status)
check "on n2 web is BACKUP with master 192.0.2.11" \
	grep -Eq "^web +eth0 +51 +BACKUP +100/100 +192\.0\.2\.11 " <<<"$status2"

# --- JSON, field by field
"$VIPCTL" -p "$TMP/n1.pid" status --json >"$TMP/n1.json"
check_eq "vipctl status --json exits 0" 0 "$?"
check "the JSON parses and every field has the documented value" python3 - "$TMP/n1.json" \
	"$TMP/n1.tfile" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert set(s) >= {"version", "instances", "checks", "interfaces"}, s.keys()
i = s["instances"][0]
expect = {"name": "web", "interface": "eth0", "vrid": 51, "version": 3, "family": "ipv4",
          "state": "MASTER", "master": "192.0.2.11", "advert_int_s": 0.1, "preempt": True,
          "vips": ["192.0.2.100/24"], "vips_installed": True}
for k, v in expect.items():
    assert i[k] == v, (k, i[k], v)
assert i["priority"] == {"base": 150, "effective": 150}, i["priority"]
assert i["transitions"] >= 2 and isinstance(i["transitions"], int)
assert i["adverts"]["sent"] >= 1 and i["adverts"]["received"] == 0, i["adverts"]
assert all(v == 0 for v in i["drops"].values()), i["drops"]
assert {"bad_ttl", "bad_checksum", "unknown_vrid", "auth_mismatch"} <= set(i["drops"])
assert i["last_transition"]["time"] > 1700000000 and i["last_transition"]["reason"]
assert i["tracks"] == [
    {"kind": "script", "name": "chk_ok", "up": True, "weight": -20},
    {"kind": "process", "name": "proc_none", "up": False, "weight": 10, "reverse": False,
     "running": 0},
    {"kind": "file", "name": "tfile", "up": True, "weight": 0, "reverse": False, "value": 0},
], i["tracks"]
c = s["checks"][0]
assert c["kind"] == "script" and c["name"] == "chk_ok" and c["up"] is True and c["runs"] >= 1
assert c["failures"] == 0 and c["last_error"] == ""
assert s["checks"][1:] == [
    {"kind": "process", "name": "proc_none", "up": False, "running": 0},
    {"kind": "file", "name": "tfile", "up": True, "value": 0, "path": sys.argv[2]},
], s["checks"][1:]
f = s["interfaces"][0]
assert f["name"] == "eth0" and f["up"] and f["carrier"] and f["ifindex"] > 0
PY
"$VIPCTL" -p "$TMP/n2.pid" status --json >"$TMP/n2.json"
check "on n2 the JSON says BACKUP, master 192.0.2.11, adverts received" python3 - "$TMP/n2.json" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))["instances"][0]
assert i["state"] == "BACKUP" and i["master"] == "192.0.2.11", i
assert i["adverts"]["received"] >= 1 and i["adverts"]["sent"] == 0, i["adverts"]
assert i["vips_installed"] is False
PY

# --- metrics in the text exposition format
"$VIPCTL" -p "$TMP/n1.pid" metrics >"$TMP/metrics.txt"
check_eq "vipctl metrics exits 0" 0 "$?"
check "every metrics line is a HELP, a TYPE or a valid sample" python3 - "$TMP/metrics.txt" <<'PY'
import re, sys
sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.e+-]+$')
typed, seen = {}, set()
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip("\n")
    if line.startswith("# HELP "):
        continue
    if line.startswith("# TYPE "):
        _, _, name, kind = line.split(" ")
        assert kind in ("gauge", "counter"), line
        assert name not in typed, "TYPE twice: " + name
        typed[name] = kind
        continue
    assert sample.match(line), "line %d: %r" % (n, line)
    name = line.split("{")[0].split(" ")[0]
    assert name in typed, "sample before its TYPE: " + name
    if typed[name] == "counter":
        assert name.endswith("_total"), name
    seen.add(name)
for want in ("vipd_instance_state", "vipd_instance_priority", "vipd_adverts_sent_total",
             "vipd_advert_drops_total", "vipd_transitions_total", "vipd_check_up",
             "vipd_check_last_runtime_seconds"):
    assert want in seen, want
PY
check "vipd_instance_state of web is 2 (master)" \
	grep -q '^vipd_instance_state{instance="web",interface="eth0",vrid="51"} 2$' "$TMP/metrics.txt"
check "vipd_check_up of chk_ok is 1" grep -q '^vipd_check_up{check="chk_ok",kind="script"} 1$' "$TMP/metrics.txt"
check "vipd_check_up of proc_none is 0" \
	grep -q '^vipd_check_up{check="proc_none",kind="process"} 0$' "$TMP/metrics.txt"
check "vipd_check_processes of proc_none is 0" \
	grep -q '^vipd_check_processes{check="proc_none"} 0$' "$TMP/metrics.txt"
check "vipd_check_up of tfile is 1" grep -q '^vipd_check_up{check="tfile",kind="file"} 1$' "$TMP/metrics.txt"

# --- the file reads 1: with weight 0 it is down, everywhere it is reported
echo 1 >"$TMP/n1.tfile"
check "[tfile reads 1] web is in FAULT" wait_until 3 state_is n1 FAULT
check "[tfile reads 1] status shows the file down" eval \
	'"$VIPCTL" -p "$TMP/n1.pid" status | grep -Eq "track file +tfile +down \(reads 1\)"'
check "[tfile reads 1] the JSON shows it down with its value" eval \
	'"$VIPCTL" -p "$TMP/n1.pid" status --json |
	 grep -q "{\"kind\":\"file\",\"name\":\"tfile\",\"up\":false,\"weight\":0,\"reverse\":false,\"value\":1}"'
"$VIPCTL" -p "$TMP/n1.pid" metrics >"$TMP/metrics1.txt"
check "[tfile reads 1] vipd_check_up of tfile is 0" \
	grep -q '^vipd_check_up{check="tfile",kind="file"} 0$' "$TMP/metrics1.txt"
check "[tfile reads 1] vipd_check_file_value of tfile is 1" \
	grep -q '^vipd_check_file_value{check="tfile"} 1$' "$TMP/metrics1.txt"
echo 0 >"$TMP/n1.tfile"
check "[tfile reads 0] n1 is the only holder again" wait_single_holder n1 $VIP 6

# --- dump, SIGUSR1
check "vipctl dump shows timers and interfaces" eval \
	'"$VIPCTL" -p "$TMP/n1.pid" dump | grep -q "advert timer in .*interface eth0: index" ||
	 "$VIPCTL" -p "$TMP/n1.pid" dump | grep -q "^interface eth0: index"'
kill -USR1 "${DAEMON_PID[n1]}"
check "SIGUSR1 writes the dump to the log" wait_until 5 grep -q "dump: instance web: vrid 51" "$TMP/n1.log"

# --- errors
out=$("$VIPCTL" -S "$TMP/nowhere.sock" status 2>&1)
rc=$?
check_eq "vipctl with no daemon exits 3" 3 "$rc"
check "and says vipd is not running ($out)" grep -q "vipd is not running" <<<"$out"
out=$("$VIPCTL" -p "$TMP/n1.pid" frobnicate 2>&1)
check_eq "an unknown command exits 2" 2 "$?"
out=$(ip netns exec "$(ns n1)" "$VIPD_BUILDDIR/vipd" -n -l -f "$TMP/n1.conf" -p "$TMP/n1.pid" 2>&1)
rc=$?
check_eq "a second vipd on the same pid file exits 1" 1 "$rc"
check "and says another vipd is running" grep -q "another vipd is already running (pid $(daemon_pid n1)" <<<"$out"
check "the first vipd still answers" "$VIPCTL" -p "$TMP/n1.pid" status

check_stop n1
check_stop n2
check "the control socket is removed on exit" test ! -e "$TMP/n1.sock"
done_testing
