#!/bin/bash
# prometheus: Prometheus scrapes vipd without root and sees a split brain.
#
# Two nodes run vipd with --status-group (a group number, so nothing is
# added to the host's group database) and, as nobody in that group,
# "vipctl metrics --listen" on their eth0 address. A real Prometheus in
# the client's namespace, also as nobody, scrapes both every 0.5 s and
# evaluates contrib/prometheus/vipd-alerts.yml (VipdSplitBrain's "for"
# shortened from 30 s to 1 s to keep the test short). The VRRP instance
# runs on eth1; blocking n2's eth1 port partitions the pair while the
# scrapes go on over eth0: both nodes become master, VipdSplitBrain
# fires, and clears once the partition heals.

. "$(dirname "$0")/lib.sh"
need_daemon

command -v prometheus >/dev/null || {
	echo "1..0 # SKIP needs prometheus (apt-get install prometheus)"
	trap - EXIT
	exit 0
}
command -v curl >/dev/null || bail "needs curl"
command -v setpriv >/dev/null || bail "needs setpriv (util-linux)"

GID=64917        # the status group: a number no user needs to exist for
NOBODY=65534
PROM=192.0.2.200:9090
VIP=198.51.100.100

topo_create 2 eth1

# vipd with --status-group, tracked by lib.sh like start_daemon's.
start_vipd() {
	local node=$1 conf=$2 pid
	ip netns exec "$(ns "$node")" "$VIPD_BUILDDIR/vipd" -n -l -f "$conf" -p "$TMP/$node.pid" \
		--status-group "$GID" >>"$TMP/$node.log" 2>&1 </dev/null &
	pid=$!
	DAEMON_PID[$node]=$pid
	wait_until 10 test -S "$TMP/$node.sock" && _is_alive "$pid"
}

for node in n1 n2; do
	prio=$([ $node = n1 ] && echo 150 || echo 100)
	write_conf "$TMP/$node.conf" prio=$prio iface=eth1 vip=$VIP/24 label= advert=0.1
	if start_vipd $node "$TMP/$node.conf"; then
		ok "vipd starts on $node with --status-group $GID"
	else
		bail "vipd starts on $node with --status-group $GID"
	fi
done
check "n1 becomes master" wait_until 10 state_is n1 MASTER
check "n2 is backup" wait_until 10 state_is n2 BACKUP

sock=$TMP/n1.sock
check_eq "the control socket is 0660 root:$GID" "660 0 $GID" "$(stat -c '%a %u %g' "$sock")"
as_member() { setpriv --reuid=$NOBODY --regid=$NOBODY --groups=$GID "$@"; }
as_stranger() { setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups "$@"; }
check "a member of the group reads the metrics" \
	eval "as_member '$VIPD_BUILDDIR/vipctl' -S '$sock' metrics | grep -q '^vipd_instance_state{'"
check "a member of the group reads status --json" \
	eval "as_member '$VIPD_BUILDDIR/vipctl' -S '$sock' status --json | grep -q '\"state\":\"MASTER\"'"
out=$(as_member "$VIPD_BUILDDIR/vipctl" -S "$sock" reload 2>&1)
rc=$?
check_eq "a member of the group may not reload (exit 1)" 1 "$rc"
check "... and is told why" grep -q "'reload' needs root" <<<"$out"
out=$(as_stranger "$VIPD_BUILDDIR/vipctl" -S "$sock" metrics 2>&1)
rc=$?
check_eq "a user outside the group cannot connect (exit 3)" 3 "$rc"
check "... permission denied" grep -q "permission denied" <<<"$out"

# The exporters, unprivileged, on each node's eth0 address.
for node in n1 n2; do
	ip netns exec "$(ns "$node")" setpriv --reuid=$NOBODY --regid=$NOBODY --groups=$GID \
		"$VIPD_BUILDDIR/vipctl" -p "$TMP/$node.pid" metrics --listen "$(node_ip $node):9650" \
		>"$TMP/$node-exporter.log" 2>&1 </dev/null &
	register_pid $!
	exporters="${exporters:-} $!"
done
exporter_n1=${exporters# }
exporter_n1=${exporter_n1%% *}
check "the exporter on n1 answers GET /metrics" \
	wait_until 10 eval "nsx c curl -fsS http://192.0.2.11:9650/metrics | grep -q '^vipd_up 1$'"
check "the exporter runs as nobody (uid $NOBODY)" \
	eval "awk '/^Uid:/ { exit \$2 != $NOBODY }' /proc/$exporter_n1/status"
out=$("$VIPD_BUILDDIR/vipctl" -S "$sock" metrics --listen 192.0.2.11 2>&1)
rc=$?
check_eq "--listen without a port is refused (exit 2)" 2 "$rc"
check "... saying what it expects" grep -q "expected ADDR:PORT" <<<"$out"
ip netns exec "$(ns n1)" setpriv --reuid=$NOBODY --regid=$NOBODY --groups=$GID \
	"$VIPD_BUILDDIR/vipctl" -S "$sock" metrics --listen "[2001:db8::11]:9651" \
	>"$TMP/n1-exporter6.log" 2>&1 </dev/null &
register_pid $!
exporters="$exporters $!"
check "an exporter on [2001:db8::11]:9651 answers over IPv6" \
	wait_until 10 eval "nsx c curl -fsS 'http://[2001:db8::11]:9651/metrics' | grep -q '^vipd_up 1$'"
check "the exporter answers 404 elsewhere" \
	eval "[ \$(nsx c curl -s -o /dev/null -w '%{http_code}' http://192.0.2.11:9650/nope) = 404 ]"

# Prometheus, as nobody, in the client's namespace.
mkdir -p "$TMP/prom/data"
sed 's/^\(        for: \)30s$/\1XX/' "$VIPD_SRCDIR/contrib/prometheus/vipd-alerts.yml" |
	awk '/alert: VipdSplitBrain/ { sb = 1 } /for: XX/ { if (sb) { sub("XX", "1s"); sb = 0 } else sub("XX", "30s") } { print }' \
	>"$TMP/prom/vipd-alerts.yml"
check "the rules copy differs only in VipdSplitBrain's for" \
	eval "[ \$(diff '$VIPD_SRCDIR/contrib/prometheus/vipd-alerts.yml' '$TMP/prom/vipd-alerts.yml' | grep -c '^[<>]') = 2 ]"
cat >"$TMP/prom/prometheus.yml" <<CONF
global:
  scrape_interval: 500ms
  scrape_timeout: 400ms
  evaluation_interval: 500ms
rule_files:
  - $TMP/prom/vipd-alerts.yml
scrape_configs:
  - job_name: vipd
    static_configs:
      - targets: ['192.0.2.11:9650', '192.0.2.12:9650']
CONF
chown -R $NOBODY:$NOBODY "$TMP/prom"
chmod 755 "$TMP"
ip netns exec "$(ns c)" setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
	prometheus --config.file="$TMP/prom/prometheus.yml" --storage.tsdb.path="$TMP/prom/data" \
	--web.listen-address=$PROM >"$TMP/prometheus.log" 2>&1 </dev/null &
register_pid $!
prom_pid=$!

# query EXPR: the instant query's result array, compact JSON.
query() {
	nsx c curl -fsS --max-time 2 "http://$PROM/api/v1/query" --data-urlencode "query=$1" |
		jq -c '.data.result'
}
# firing ALERTNAME: how many series of the alert are firing.
firing() {
	query "ALERTS{alertname=\"$1\",alertstate=\"firing\"}" | jq 'length'
}

check "Prometheus is ready" wait_until 30 nsx c curl -fsS "http://$PROM/-/ready"
check "Prometheus scrapes both exporters (up == 1)" \
	wait_until 20 eval "[ \"\$(query 'sum(up{job=\"vipd\"})' | jq -r '.[0].value[1]')\" = 2 ]"
check "Prometheus sees one master for VRID 51" \
	wait_until 10 eval "[ \"\$(query 'count by (vrid) (vipd_instance_state == 2)' | jq -r '.[0].value[1]')\" = 1 ]"
observe 2
check_eq "no split brain while healthy" 0 "$(firing VipdSplitBrain)"
check_eq "no 'no master' while healthy" 0 "$(firing VipdNoMaster)"

# Partition eth1, where the adverts go; eth0 (the scrapes) stays.
port_block n2 eth1
t0=$(now_us)
check "n2 becomes master too" wait_until 10 state_is n2 MASTER
check "VipdSplitBrain fires" wait_until 20 eval '[ "$(firing VipdSplitBrain)" = 1 ]'
diag "VipdSplitBrain firing $(elapsed_ms "$t0") ms after the partition"
check_eq "... for VRID 51, severity critical" '"51" "critical"' \
	"$(query 'ALERTS{alertname="VipdSplitBrain",alertstate="firing"}' | jq -r '.[0].metric | "\"\(.vrid)\" \"\(.severity)\""')"

port_unblock n2 eth1
t0=$(now_us)
check "the partition heals: n2 backup again" wait_until 10 state_is n2 BACKUP
check "VipdSplitBrain clears" wait_until 20 eval '[ "$(firing VipdSplitBrain)" = 0 ]'
diag "VipdSplitBrain cleared $(elapsed_ms "$t0") ms after the partition healed"
check_eq "no 'no master' throughout" 0 "$(firing VipdNoMaster)"

for pid in $prom_pid $exporters; do
	kill -TERM "$pid" 2>/dev/null
	wait_until 10 eval "! _is_alive $pid"
	wait "$pid" 2>/dev/null
done
check_stop n1
check_stop n2
done_testing
