#!/usr/bin/env bash
# scripts/check.sh - the test command.
#
# On a Debian 12 machine as root: installs what is missing, builds vipd with
# warnings as errors, runs every test (unit tests and the network-namespace
# tests), builds again with AddressSanitizer and UndefinedBehaviorSanitizer
# and runs the unit tests and the main namespace tests under them, fuzzes
# the packet decoder and the parser, and ends with one line:
#   N passed, N failed
#
# Options: --no-install (never call apt-get), --unit (unit tests only, no
#          fuzzing), --no-asan (skip the sanitizer build).
# FUZZ_SECONDS sets how long each fuzz target runs (default 20).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
builddir="$top/build/check"
asandir="$top/build/asan"
jobs=$(nproc 2>/dev/null || echo 2)
install=1 unit_only=0 asan=1

for arg in "$@"; do
	case "$arg" in
	--no-install) install=0 ;;
	--unit) unit_only=1 ;;
	--no-asan) asan=0 ;;
	-h|--help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "check.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
	esac
done

build_pkgs="build-essential autoconf automake libtool pkg-config libnl-3-dev libnl-route-3-dev libpcap-dev libcmocka-dev"
test_pkgs="iproute2 tcpdump tshark keepalived nginx-light iputils-ping arping curl procps psmisc groff-base python3 jq clang xxd"

asan_net_tests="tests/net/failover.sh tests/net/reload.sh tests/net/vmac.sh tests/net/bad_packets.sh"
asan_net_tests="$asan_net_tests tests/net/track_nginx.sh tests/net/sync_group.sh tests/net/vipctl.sh"
asan_net_tests="$asan_net_tests tests/net/privs.sh tests/net/storms.sh tests/net/notify.sh"
asan_net_tests="$asan_net_tests tests/net/many_vips.sh tests/net/stale_vips.sh tests/net/guard.sh"

step() { printf '\n==> %s\n' "$*"; }

install_missing() {
	local missing=() p
	for p in $build_pkgs $test_pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "check.sh: missing packages: ${missing[*]} (run as root, or install them)" >&2
		return 1
	fi
	step "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# tshark asks whether non-root users may capture; answer once, non-interactively.
	echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
	apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Sum the automake test-suite summaries of the given logs.
passed=0 failed=0
count_results() {
	local log=$1 pass fail xpass error
	[ -f "$log" ] || { failed=$((failed + 1)); return; }
	pass=$(awk '/^# PASS:/ {print $3}' "$log")
	fail=$(awk '/^# FAIL:/ {print $3}' "$log")
	xpass=$(awk '/^# XPASS:/ {print $3}' "$log")
	error=$(awk '/^# ERROR:/ {print $3}' "$log")
	passed=$((passed + ${pass:-0}))
	failed=$((failed + ${fail:-0} + ${xpass:-0} + ${error:-0}))
}

status=0
if [ $install -eq 1 ]; then
	install_missing || status=1
fi

step "autoreconf"
(cd "$top" && autoreconf -fi) || status=1

step "build (warnings are errors)"
mkdir -p "$builddir"
(cd "$builddir" && "$top/configure" -q --enable-werror && make -j"$jobs") || status=1

step "tests"
tests_arg=()
if [ $unit_only -eq 1 ]; then
	tests_arg=(TESTS="$(cd "$builddir" && make -s print-unit-tests)")
fi
(cd "$builddir" && make -j1 check "${tests_arg[@]}") | tee "$builddir/check.out"
count_results "$builddir/test-suite.log"

if [ $asan -eq 1 ]; then
	step "sanitizer build (address, undefined): unit tests and the main namespace tests"
	mkdir -p "$asandir"
	san="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	if (cd "$asandir" && "$top/configure" -q --enable-werror CFLAGS="$san" LDFLAGS="-fsanitize=address,undefined" &&
		make -j"$jobs"); then
		# The unit tests, and the namespace tests that exercise the most daemon code
		# (storms.sh skips its RSS bounds here: ASan's quarantine keeps freed memory).
		asan_tests="$(cd "$asandir" && make -s print-unit-tests) $asan_net_tests"
		[ $unit_only -eq 1 ] && asan_tests=$(cd "$asandir" && make -s print-unit-tests)
		(cd "$asandir" && make -j1 check TESTS="$asan_tests") | tee "$asandir/check.out"
		count_results "$asandir/test-suite.log"
	else
		failed=$((failed + 1))
	fi
fi

if [ $unit_only -eq 0 ]; then
	step "fuzzing (packet decoding, configuration parsing), ${FUZZ_SECONDS:-20} s each"
	while read -r verdict rest; do
		echo "$verdict $rest"
		case $verdict in
		ok) passed=$((passed + 1)) ;;
		*) failed=$((failed + 1)) ;;
		esac
	done < <(bash "$top/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}" 2>&1 | grep -E '^(ok|not ok) ')
fi

for log in "$builddir/test-suite.log" "$asandir/test-suite.log"; do
	[ -f "$log" ] && grep -q '^# \(FAIL\|ERROR\|XPASS\): *[1-9]' "$log" && {
		step "failures in $log"
		cat "$log"
	}
done

[ $status -ne 0 ] && failed=$((failed + 1))
echo
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
