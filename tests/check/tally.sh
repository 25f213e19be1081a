#!/usr/bin/env bash
# tests/check/tally.sh - tests for the test command's counting
# (scripts/tally.sh, used by scripts/check.sh).
#
# Builds a small automake project with the same TAP driver, runs `make
# check` in it through tally_make_check, exactly as check.sh does, and
# asserts the final line and the exit status for: a passing run, a failing
# unit test, a unit test that no longer compiles (in a build directory whose
# previous run passed), a real namespace test run without a tool it needs,
# the same test run without root, an expected and an unexpected skip, a
# failing test whose output looks like an automake summary, and the fuzzer
# script without its compiler. TAP output.
set -u
export LC_ALL=C
# Not the enclosing `make check`'s flags and variables (TESTS=...).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

src=${VIPD_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export VIPD_SRCDIR=$src
n=0 failures=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failures=$((failures + 1))
	echo "not ok $n - $1"
	[ -z "${2:-}" ] || sed 's/^/# /' <<<"$2"
}

tmp=$(mktemp -d /tmp/vipt-tally.XXXXXX) || {
	echo "Bail out! mktemp failed"
	exit 1
}
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

driver=$src/build-aux/tap-driver.sh
if [ ! -f "$driver" ]; then
	echo "Bail out! $driver missing (run autoreconf -fi in $src)"
	exit 1
fi

# ------------------------------------------------------------ the fixture

proj=$tmp/proj
mkdir -p "$proj/build-aux" "$proj/t" "$proj/build"
cp "$driver" "$proj/build-aux/"
cat >"$proj/configure.ac" <<'EOF'
AC_INIT([tally-fixture], [1])
AC_CONFIG_AUX_DIR([build-aux])
AM_INIT_AUTOMAKE([foreign subdir-objects -Wno-portability])
AC_PROG_CC
AC_REQUIRE_AUX_FILE([tap-driver.sh])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
EOF
cat >"$proj/Makefile.am" <<'EOF'
check_PROGRAMS = t/good t/bad
t_good_SOURCES = t/good.c
t_bad_SOURCES = t/bad.c
TESTS = t/good t/bad t/no_tool.sh t/non_root.sh t/asan_skip.sh t/looks_like_summary.sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = VIPD_SRCDIR='$(VIPD_SRCDIR)'; export VIPD_SRCDIR;
EOF
cat >"$proj/t/good.c" <<'EOF'
#include <stdio.h>
int main(void)
{
	puts("1..2\nok 1 - one\nok 2 - two");
	return 0;
}
EOF
cat >"$proj/t/bad.c" <<'EOF'
#include <stdio.h>
int main(void)
{
	puts("1..2\nok 1 - one\nnot ok 2 - two");
	return 1;
}
EOF
# A real namespace test, with every command on PATH but tshark.
cat >"$proj/t/no_tool.sh" <<'EOF'
#!/bin/sh
exec env PATH="$NO_TSHARK_PATH" bash "$VIPD_SRCDIR/tests/net/garp.sh"
EOF
# A real namespace test, as nobody.
cat >"$proj/t/non_root.sh" <<'EOF'
#!/bin/sh
if [ "$(id -u)" = 0 ]; then
	exec setpriv --reuid=65534 --regid=65534 --clear-groups bash "$VIPD_SRCDIR/tests/net/garp.sh"
fi
exec bash "$VIPD_SRCDIR/tests/net/garp.sh"
EOF
cat >"$proj/t/asan_skip.sh" <<'EOF'
#!/bin/sh
echo "ok 1 - measured"
echo "ok 2 - RSS bounded # SKIP not for sanitizer builds: ASan keeps freed memory"
echo "1..2"
EOF
# A failing test that prints lines an automake summary would have.
cat >"$proj/t/looks_like_summary.sh" <<'EOF'
#!/bin/sh
echo "# PASS: election: test1 answers"
echo "# FAIL: 7"
echo "not ok 1 - election"
echo "1..1"
exit 1
EOF
chmod 755 "$proj"/t/*.sh "$proj" "$proj/t"

# A PATH where everything is found but tshark (resp. clang).
mkpath() {
	local dir=$1 hide=$2 d f
	mkdir -p "$dir"
	IFS=: read -r -a dirs <<<"$PATH"
	for d in "${dirs[@]}"; do
		[ -d "$d" ] || continue
		for f in "$d"/*; do
			[ -x "$f" ] && [ ! -e "$dir/${f##*/}" ] || continue
			case ${f##*/} in "$hide" | "$hide"-*) continue ;; esac
			ln -s "$f" "$dir/${f##*/}"
		done
	done
	chmod 755 "$dir"
}
mkpath "$tmp/no-tshark" tshark
mkpath "$tmp/no-clang" clang
export NO_TSHARK_PATH=$tmp/no-tshark

if ! (cd "$proj" && autoreconf -fi && cd build && ../configure -q) >"$tmp/setup.log" 2>&1; then
	echo "Bail out! the fixture project does not configure: $(tail -n 5 "$tmp/setup.log")"
	exit 1
fi

# run_tally [VAR=VALUE...] -- EXPECTED_SKIP_RE TEST...: check.sh's counting
# of one `make check` of TEST... in the fixture; sets LINE (the final line),
# RC and OUT.
run_tally() {
	local envs=()
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	OUT=$(env "${envs[@]}" bash -c '
		. "$1/scripts/tally.sh"
		tally_init
		re=$3
		shift 3
		tally_make_check fixture "$0" "$re" "$@" >/dev/null
		tally_final' "$proj/build" "$src" unused "$@" 2>&1)
	RC=$?
	LINE=$(tail -n 1 <<<"$OUT")
}

# expect DESC LINE RC: the final line and whether the exit status is 0.
expect() {
	local want_rc=$3 rc_ok=1
	if [ "$want_rc" = 0 ]; then
		[ "$RC" -eq 0 ] || rc_ok=0
	else
		[ "$RC" -ne 0 ] || rc_ok=0
	fi
	if [ "$LINE" = "$2" ] && [ $rc_ok = 1 ]; then
		ok "$1 [$LINE, exit $RC]"
	else
		not_ok "$1" "expected: '$2', exit ${want_rc/1/non-zero}"$'\n'"     got: '$LINE', exit $RC"$'\n'"$OUT"
	fi
}

# expect_problem DESC TEXT: a line naming what went wrong.
expect_problem() {
	if grep -qF -- "$2" <<<"$OUT"; then
		ok "$1"
	else
		not_ok "$1" "no line with '$2' in:"$'\n'"$OUT"
	fi
}

# ------------------------------------------------------------ the cases

run_tally TALLY_ALLOW_SKIP=0 -- "" t/good
expect "a passing unit test passes" "2 passed, 0 failed, 0 skipped" 0

run_tally TALLY_ALLOW_SKIP=0 -- "" t/good t/bad
# (tap-driver counts the non-zero exit status as one more failure.)
expect "a failing unit test fails the run" "3 passed, 2 failed, 0 skipped" 1
expect_problem "and is named" "fixture: t/bad: 2 failed"

# The previous run left logs and a passing t/good.trs; now t/good.c does
# not compile.
cp "$proj/t/good.c" "$tmp/good.c"
echo 'int main(void) { return syntax error; }' >"$proj/t/good.c"
run_tally TALLY_ALLOW_SKIP=0 -- "" t/good
expect "a unit test that does not compile fails the run" "0 passed, 1 failed, 0 skipped" 1
expect_problem "and is named as not run" "fixture: t/good did not run"
if [ ! -e "$proj/build/test-suite.log" ] && [ ! -e "$proj/build/t/good.trs" ]; then
	ok "the previous run's results are gone"
else
	not_ok "the previous run's results are gone" "$(ls -l "$proj/build" "$proj/build/t")"
fi
# Nothing else runs either: make stops at the build of the test programs.
run_tally TALLY_ALLOW_SKIP=0 -- "" t/asan_skip.sh
expect "nor does anything else" "0 passed, 1 failed, 0 skipped" 1
cp "$tmp/good.c" "$proj/t/good.c"

run_tally TALLY_ALLOW_SKIP=0 -- "" t/no_tool.sh
expect "a namespace test without tshark fails the run" "0 passed, 1 failed, 1 skipped" 1
expect_problem "and says why" "t/no_tool.sh: skipped: needs tshark"

run_tally TALLY_ALLOW_SKIP=1 -- "" t/no_tool.sh
expect "--allow-skip lets it pass, and says so" \
	"0 passed, 0 failed, 1 skipped (partial run: 1 skips allowed by --allow-skip)" 0

run_tally TALLY_ALLOW_SKIP=0 -- "" t/non_root.sh
expect "a namespace test without root fails the run" "0 passed, 1 failed, 1 skipped" 1
expect_problem "and says why" "t/non_root.sh: skipped: needs root"

run_tally TALLY_ALLOW_SKIP=0 -- '^not for sanitizer builds' t/asan_skip.sh
expect "a skip the run expects is counted, not failed" "1 passed, 0 failed, 1 skipped" 0

run_tally TALLY_ALLOW_SKIP=0 -- "" t/asan_skip.sh
expect "the same skip where the run covers it fails" "1 passed, 1 failed, 1 skipped" 1

run_tally TALLY_ALLOW_SKIP=0 -- "" t/looks_like_summary.sh
expect "a failing test's own '# PASS:' lines are not counts" "0 passed, 2 failed, 0 skipped" 1

OUT=$(env PATH="$tmp/no-clang" CLANG=clang bash -c '
	. "$1/scripts/tally.sh"
	tally_init
	bash "$1/scripts/fuzz.sh" 1 >"$2/fuzz.out" 2>&1
	tally_tap_stream fuzzing $? "$2/fuzz.out"
	tally_final' unused "$src" "$tmp" 2>&1)
RC=$?
LINE=$(tail -n 1 <<<"$OUT")
expect "fuzzing without clang fails the run" "0 passed, 1 failed, 0 skipped" 1
expect_problem "and says why" "clang not found"

echo "1..$n"
[ $failures -eq 0 ]
