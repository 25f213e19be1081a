#!/bin/bash
# heartbeat: the classic heartbeat pair, converted by "vipctl
# import-heartbeat", survives the three failures of that setup.
#
# The fixture is the heartbeat documentation's test1/test2 setup with the
# addresses mapped into the test ranges (10.6.0.187 -> 192.0.2.187 on eth0,
# 10.6.100.x -> 198.51.100.x on eth1, the ping node 198.51.100.1 on eth1)
# and heartbeat's timers scaled down (keepalive 500ms, deadtime 5) to keep
# the test short. Each node has its own ha.d with a heartbeat-style
# resource.d/nginx that runs nginx in its namespace. After conversion:
#   1. heartbeat link down (both eth1 cables pulled): the ping node is lost
#      on both sides (priorities 90 and 40) and the adverts still go over
#      eth0: test1 keeps the address, no split brain;
#   1b. the other way round, the split brain of the original setup: VRRP
#      dropped on the public link while both nodes are up; the converted
#      advert_path carries the adverts over eth1 and test2 stays backup;
#   2. public interface down on test1: FAULT, test2 takes the address and
#      starts nginx, test1 stops its nginx;
#   3. recovery: test1's eth0 up again, auto_failback on (preempt): test1
#      takes the address back and serves, test2 stops nginx.

for _t in nginx curl; do
	if ! command -v "$_t" >/dev/null 2>&1; then
		echo "1..0 # SKIP needs $_t"
		exit 0
	fi
done

. "$(dirname "$0")/lib.sh"
need_daemon

VIP=192.0.2.187
NGINX=$(command -v nginx)

topo_create 2 eth1
# The heartbeat link's addresses (each node's only one there, as in the
# original setup: adverts over it leave from the address ha.cf names), and
# the ping node on it.
ip -n "$(ns n1)" addr flush dev eth1 || bail "eth1 of test1"
ip -n "$(ns n2)" addr flush dev eth1 || bail "eth1 of test2"
ip -n "$(ns n1)" addr add 198.51.100.188/24 dev eth1 || bail "eth1 address of test1"
ip -n "$(ns n2)" addr add 198.51.100.189/24 dev eth1 || bail "eth1 address of test2"
_ns_add "$(ns gw)" || bail "namespace of the ping node"
_attach gw eth1 "${P}br1" 02:00:5e:11:00:01 &&
	ip -n "$(ns gw)" addr add 198.51.100.1/24 dev eth1 || bail "the ping node"

# ha_dir NODE HOST PEER_ETH1: /etc/ha.d of one node.
ha_dir() {
	local node=$1 host=$2 peer=$3 d=$TMP/ha.d-$2 w=$TMP/nginx-$2 t
	mkdir -p "$d/resource.d" "$w/www"
	cat >"$d/ha.cf" <<-CF
		# ha.cf
		debugfile /var/log/ha-debug
		logfile /var/log/ha-log
		logfacility local0
		keepalive 500ms
		deadtime 5
		warntime 2
		initdead 10
		udpport 694
		ucast eth1 $peer
		auto_failback on
		node test1
		node test2
		ping 198.51.100.1
		respawn hacluster /usr/lib/heartbeat/ipfail
	CF
	printf '# haresources\ntest1 %s/24/eth0:0 nginx\n' "$VIP" >"$d/haresources"
	printf '# authkeys\nauth 3\n3 md5 Hello!\n' >"$d/authkeys"
	chmod 600 "$d/authkeys"
	echo "served by $host" >"$w/www/index.html"
	{
		printf 'daemon on;\nmaster_process off;\npid %s/nginx.pid;\n' "$w"
		printf 'error_log %s/error.log warn;\nevents {\n\tworker_connections 64;\n}\n' "$w"
		printf 'http {\n\taccess_log off;\n\tdefault_type text/html;\n'
		for t in client_body proxy fastcgi uwsgi scgi; do
			"$NGINX" -V 2>&1 | grep -q -- "--without-http_${t}_module" && continue
			printf '\t%s_temp_path %s/%s;\n' "$t" "$w" "$t"
		done
		printf '\tserver {\n\t\tlisten 0.0.0.0:80;\n\t\troot %s/www;\n\t}\n}\n' "$w"
	} >"$w/nginx.conf"
	# A heartbeat resource script: start, stop, status.
	cat >"$d/resource.d/nginx" <<-SH
		#!/bin/sh
		pidf=$w/nginx.pid
		case "\$1" in
		start) $NGINX -e $w/error.log -p $w -c $w/nginx.conf ;;
		stop)
			[ -s "\$pidf" ] || exit 0
			pid=\$(cat "\$pidf")
			kill "\$pid" 2>/dev/null
			for i in \$(seq 50); do kill -0 "\$pid" 2>/dev/null || exit 0; sleep 0.1; done
			kill -9 "\$pid" 2>/dev/null ;;
		status) [ -s "\$pidf" ] && kill -0 "\$(cat "\$pidf")" 2>/dev/null ;;
		esac
	SH
	chmod 755 "$d/resource.d/nginx"
}
ha_dir n1 test1 198.51.100.189
ha_dir n2 test2 198.51.100.188

for pair in n1:test1 n2:test2; do
	node=${pair%:*} host=${pair#*:}
	check "import-heartbeat converts $host's ha.d" \
		eval "'$VIPD_BUILDDIR/vipctl' import-heartbeat '$TMP/ha.d-$host' --node $host >'$TMP/$node.conf'"
	check "vipd -t accepts the converted configuration of $host" \
		"$VIPD_BUILDDIR/vipd" -t -f "$TMP/$node.conf"
done
diag "$(grep -E '^\s*(priority|advert_int|virtual_router_id|nopreempt|#? ?advert_path|address|weight)' "$TMP/n1.conf")"

nginx_alive() {
	[ -s "$TMP/nginx-$1/nginx.pid" ] && kill -0 "$(cat "$TMP/nginx-$1/nginx.pid")" 2>/dev/null
}
served_by() {
	[ "$(nsx c curl -fsS --max-time 1 "http://$VIP/" 2>/dev/null)" = "served by $1" ]
}

check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "test1 takes the address" wait_single_holder n1 $VIP 15
check_eq "with its label eth0:0" eth0:0 "$(vip_label n1 $VIP)"
check "test1 started nginx (notify_master)" wait_until 10 nginx_alive test1
check "the client gets test1's page" wait_until 10 served_by test1
check "test2 runs no nginx" eval '! nginx_alive test2'

# 1. The heartbeat link (eth1) down on both sides.
link_cut n1 eth1
link_cut n2 eth1
check "heartbeat link down: test1 loses the ping node (priority 150 - 60)" \
	wait_until 15 prio_is n1 90 ha1
check "... and so does test2 (100 - 60)" wait_until 15 prio_is n2 40 ha1
observe 3
assert_single_holder $VIP n1
check "... test1 still serves" served_by test1
check "... test2 still runs no nginx" eval '! nginx_alive test2'
link_heal n1 eth1
link_heal n2 eth1
check "heartbeat link back: priorities 150 again" wait_until 15 prio_is n1 150 ha1

# 1b. The old split brain: adverts lost on the public link (a filter drops
# VRRP there) while both nodes are up. The converted advert_path carries
# them over the heartbeat link, so test2 stays backup.
check "VRRP dropped on test2's eth0" nsx n2 iptables -w 5 -A INPUT -i eth0 -p 112 -j DROP
observe 5
assert_single_holder $VIP n1
check "... test2 is still BACKUP" state_is n2 BACKUP ha1
check "... test2 still runs no nginx" eval '! nginx_alive test2'
check "VRRP allowed again on test2's eth0" nsx n2 iptables -w 5 -D INPUT -i eth0 -p 112 -j DROP

# 2. The public interface down on test1.
t0=$(now_us)
node_if_down n1 eth0
check "public interface down: test2 takes the address" wait_single_holder n2 $VIP 15
diag "failover after eth0 down: $(elapsed_ms "$t0") ms"
check "test1 is FAULT" wait_until 5 state_is n1 FAULT ha1
check "test2 started nginx" wait_until 10 nginx_alive test2
check "test1 stopped nginx (notify_fault)" wait_until 10 eval '! nginx_alive test1'
check "the client gets test2's page" wait_until 10 served_by test2

# 3. Recovery: auto_failback on.
t0=$(now_us)
node_if_up n1 eth0
check "recovery: test1 takes the address back" wait_single_holder n1 $VIP 20
diag "failback after eth0 up: $(elapsed_ms "$t0") ms"
check "test1 started nginx again" wait_until 10 nginx_alive test1
check "test2 stopped nginx (notify_backup)" wait_until 10 eval '! nginx_alive test2'
check "the client gets test1's page again" wait_until 10 served_by test1

check_stop n1
check_stop n2
check "notify_stop stopped every nginx" eval '! nginx_alive test1 && ! nginx_alive test2'
rm -f /run/vipd/heartbeat-test1-ha1.active /run/vipd/heartbeat-test2-ha1.active
done_testing
