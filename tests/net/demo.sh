#!/bin/bash
# demo: scripts/demo.sh --ci runs its six steps (election, nginx failure,
# preemption, interface down, interface up, VRRP blocked on eth0 with the
# adverts carried over eth1) and every one sees the answer it expects; each step becomes one TAP check, and the demo leaves nothing
# behind.

set -u
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit 0
fi
for tool in ip iptables nginx curl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP needs $tool"
		exit 0
	fi
done

VIPD_SRCDIR=${VIPD_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
VIPD_BUILDDIR=${VIPD_BUILDDIR:-$VIPD_SRCDIR}
# Names of our own, so a demo kept running by someone, or another run of this
# test, is left alone (ten characters, as "viptdemoci": interface names such
# as PREFIX-br1 must fit in 15).
export VIPTDEMO_PREFIX=viptd$(printf '%05d' $(($$ % 100000)))
out=$(mktemp /tmp/vipt-demo.XXXXXX) || exit 1
trap 'rm -f "$out"' EXIT

count=0 failed=0
ok() {
	count=$((count + 1))
	echo "ok $count - $1"
}
not_ok() {
	count=$((count + 1))
	failed=$((failed + 1))
	echo "not ok $count - $1"
}

"$VIPD_SRCDIR/scripts/demo.sh" --ci --no-install --builddir "$VIPD_BUILDDIR" >"$out" 2>&1 </dev/null
rc=$?

steps=0
while IFS= read -r line; do
	case $line in
	"PASS: "*) ok "${line#PASS: }"; steps=$((steps + 1)) ;;
	"FAIL: "*) not_ok "${line#FAIL: }"; steps=$((steps + 1)) ;;
	esac
done <"$out"
[ "$steps" -eq 6 ] && ok "all six steps ran" || not_ok "all six steps ran (saw $steps)"
[ "$rc" -eq 0 ] && ok "demo.sh --ci exits 0" || not_ok "demo.sh --ci exits 0 (exit $rc)"
if ip netns list | grep -q "^$VIPTDEMO_PREFIX-" || [ -e "/run/$VIPTDEMO_PREFIX" ]; then
	not_ok "the demo removed its namespaces and /run/$VIPTDEMO_PREFIX"
else
	ok "the demo removed its namespaces and /run/$VIPTDEMO_PREFIX"
fi
if [ "$failed" -ne 0 ]; then
	sed 's/^/# /' "$out"
fi
echo "1..$count"
[ "$failed" -eq 0 ]
