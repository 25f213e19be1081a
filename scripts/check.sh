#!/usr/bin/env bash
# scripts/check.sh - the test command.
#
# On a Debian 12 machine as root: installs what is missing, builds vipd with
# warnings as errors, runs every test (unit tests and the network-namespace
# tests), builds again with AddressSanitizer and UndefinedBehaviorSanitizer
# and runs the unit tests and the main namespace tests under them, fuzzes
# the packet decoder and the parser, and ends with one line:
#   N passed, N failed, N skipped
# It exits non-zero when anything failed, did not build, did not run, or was
# skipped (a skipped check counts as failed too, except the few that a
# sanitizer build cannot measure).
#
# Options: --no-install (never call apt-get), --unit (unit tests only, no
#          fuzzing), --no-asan (skip the sanitizer build), --allow-skip (a
#          partial run: skipped checks, e.g. without root or without a
#          tool, do not fail the run; the final line says so).
# FUZZ_SECONDS sets how long each fuzz target runs (default 20).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
builddir="$top/build/check"
asandir="$top/build/asan"
jobs=$(nproc 2>/dev/null || echo 2)
install=1 unit_only=0 asan=1
TALLY_ALLOW_SKIP=0

# shellcheck source=scripts/tally.sh
. "$top/scripts/tally.sh"

for arg in "$@"; do
	case "$arg" in
	--no-install) install=0 ;;
	--unit) unit_only=1 ;;
	--no-asan) asan=0 ;;
	--allow-skip) TALLY_ALLOW_SKIP=1 ;;
	-h|--help) sed -n '2,18p' "$0"; exit 0 ;;
	*) echo "check.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
	esac
done
tally_init

build_pkgs="build-essential autoconf automake libtool pkg-config libnl-3-dev libnl-route-3-dev libpcap-dev libcmocka-dev"
test_pkgs="iproute2 iptables tcpdump tshark keepalived nginx-light iputils-ping arping curl procps psmisc groff-base python3 jq clang xxd strace"
test_pkgs="$test_pkgs debhelper dpkg-dev lintian prometheus frr"

asan_net_tests="tests/net/failover.sh tests/net/reload.sh tests/net/vmac.sh tests/net/bad_packets.sh"
asan_net_tests="$asan_net_tests tests/net/track_nginx.sh tests/net/sync_group.sh tests/net/vipctl.sh"
asan_net_tests="$asan_net_tests tests/net/privs.sh tests/net/storms.sh tests/net/notify.sh"
asan_net_tests="$asan_net_tests tests/net/many_vips.sh tests/net/stale_vips.sh tests/net/guard.sh"
asan_net_tests="$asan_net_tests tests/net/native_checks.sh tests/net/steering.sh"
asan_net_tests="$asan_net_tests tests/net/track_process.sh tests/net/track_file.sh tests/net/virtual_routes.sh tests/net/notify_fifo.sh tests/net/auth_ah.sh"
asan_net_tests="$asan_net_tests tests/net/advert_path.sh"

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

if [ $install -eq 1 ]; then
	install_missing || tally_problem "packages: some are missing and could not be installed"
fi

step "autoreconf"
(cd "$top" && autoreconf -fi) || tally_problem "autoreconf failed"

step "build (warnings are errors)"
mkdir -p "$builddir"
if ! (cd "$builddir" && "$top/configure" -q --enable-werror && make -j"$jobs"); then
	tally_problem "build: configure or make failed (warnings are errors)"
fi

step "tests"
if [ $unit_only -eq 1 ]; then
	tests=$(cd "$builddir" && make -s print-unit-tests)
else
	tests=$(cd "$builddir" && make -s print-tests)
fi
tally_make_check "tests" "$builddir" "" $tests

if [ $asan -eq 1 ]; then
	step "sanitizer build (address, undefined): unit tests and the main namespace tests"
	mkdir -p "$asandir"
	san="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	if (cd "$asandir" && "$top/configure" -q --enable-werror CFLAGS="$san" LDFLAGS="-fsanitize=address,undefined" &&
		make -j"$jobs"); then
		# The unit tests, and the namespace tests that exercise the most daemon code.
		# A few checks cannot be measured here and say so with a skip whose reason
		# starts "not for sanitizer builds" (RSS bounds: ASan's quarantine keeps
		# freed memory; timing bounds: everything runs several times slower).
		asan_tests="$(cd "$asandir" && make -s print-unit-tests) $asan_net_tests"
		[ $unit_only -eq 1 ] && asan_tests=$(cd "$asandir" && make -s print-unit-tests)
		tally_make_check "sanitizer tests" "$asandir" '^not for sanitizer builds' $asan_tests
	else
		tally_problem "sanitizer build: configure or make failed"
	fi
fi

if [ $unit_only -eq 0 ]; then
	step "fuzzing (packet decoding, configuration parsing), ${FUZZ_SECONDS:-20} s each"
	mkdir -p "$top/build"
	bash "$top/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}" >"$top/build/fuzz.out" 2>&1
	fuzz_rc=$?
	cat "$top/build/fuzz.out"
	tally_tap_stream "fuzzing" "$fuzz_rc" "$top/build/fuzz.out"
fi

for log in "$builddir/test-suite.log" "$asandir/test-suite.log"; do
	[ -f "$log" ] && grep -q '^# \(FAIL\|ERROR\|XPASS\): *[1-9]' "$log" && {
		step "failures in $log"
		cat "$log"
	}
done

tally_final
