# lib_nginx.sh - a real nginx per node for the namespace tests (sourced
# after lib.sh). Everything nginx writes lives under $TMP/nginx-NODE; it
# runs as one process (master_process off), so stopping it by PID leaves no
# worker behind.

NGINX=$(command -v nginx)
CURL=$(command -v curl)
declare -A NGINX_PID

# nginx_conf NODE: the config and the page ("served by NODE"); nginx listens
# on port 80 of every IPv4 and IPv6 address of the node.
nginx_conf() {
	local d=$TMP/nginx-$1 t
	mkdir -p "$d/www" || return 1
	echo "served by $1" >"$d/www/index.html"
	{
		printf 'daemon off;\nmaster_process off;\npid %s/nginx.pid;\n' "$d"
		printf 'error_log %s/error.log warn;\n' "$d"
		printf 'events {\n\tworker_connections 64;\n}\n'
		printf 'http {\n\taccess_log %s/access.log;\n\tdefault_type text/html;\n' "$d"
		for t in client_body proxy fastcgi uwsgi scgi; do
			# a module left out of this build has no such directive
			if "$NGINX" -V 2>&1 | grep -q -- "--without-http_${t}_module"; then
				continue
			fi
			printf '\t%s_temp_path %s/%s;\n' "$t" "$d" "$t"
		done
		printf '\tserver {\n\t\tlisten 0.0.0.0:80;\n\t\tlisten [::]:80 ipv6only=on;\n\t\troot %s/www;\n\t}\n}\n' "$d"
	} >"$d/nginx.conf"
}

local_page() {
	nsx "$1" "$CURL" -fsS --max-time 1 http://127.0.0.1/
}

# nginx_start NODE: runs nginx in NODE's namespace (ip netns exec execs it,
# so $! is nginx itself); a TAP check that it serves within 5 s. Changes
# state: never inside check or $(...).
nginx_start() {
	local node=$1 d=$TMP/nginx-$1
	ip netns exec "$(ns "$node")" "$NGINX" -e "$d/error.log" -p "$d" -c "$d/nginx.conf" \
		>>"$d/stderr.log" 2>&1 </dev/null &
	NGINX_PID[$node]=$!
	register_pid "$!"
	if wait_until 5 local_page "$node"; then
		ok "nginx serves on $node (pid ${NGINX_PID[$node]})"
		return 0
	fi
	not_ok "nginx serves on $node" "$(cat "$d/stderr.log" "$d/error.log" 2>/dev/null)"
	return 1
}

# nginx_stop NODE: SIGTERM (nginx's fast shutdown) to the PID we started; a
# TAP check that it is gone and nothing answers on port 80 any more.
nginx_stop() {
	local node=$1 pid=${NGINX_PID[$1]:-}
	if [ -z "$pid" ]; then
		not_ok "nginx on $node stops" "not running"
		return 1
	fi
	kill -TERM "$pid" 2>/dev/null
	wait_until 5 eval '! _is_alive '"$pid" || kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "NGINX_PID[$node]"
	if local_page "$node" >/dev/null 2>&1; then
		not_ok "nginx on $node stops" "something still answers on 127.0.0.1:80"
		return 1
	fi
	ok "nginx on $node stops"
}

