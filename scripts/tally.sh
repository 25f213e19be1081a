# scripts/tally.sh - the counting behind scripts/check.sh (sourced, bash).
#
# Every result comes from the run that just happened: tally_suite reads the
# per-test .trs files that automake's test driver writes (one
# ":test-result:" line per TAP check), test by test, for exactly the tests
# the run was asked to run, and check.sh removes them (and test-suite.log)
# before each run. A test without a .trs did not run (its program did not
# build, or make stopped before it) and counts as failed. Text inside a
# test's own output is never read as a count.
#
# A skipped check is counted as skipped. Unless it is an expected skip (its
# reason matches the pattern given to tally_suite, e.g. the checks that a
# sanitizer build cannot measure) it also counts as failed: a run that was
# meant to cover it did not. TALLY_ALLOW_SKIP=1 (check.sh --allow-skip)
# lets such skips pass, for a partial run, and the final line says so.
#
# State: TALLY_PASSED, TALLY_FAILED, TALLY_SKIPPED, TALLY_BAD_SKIPS and
# TALLY_PROBLEMS (one line per thing that went wrong, printed before the
# final line).

tally_init() {
	TALLY_PASSED=0
	TALLY_FAILED=0
	TALLY_SKIPPED=0
	TALLY_BAD_SKIPS=0
	TALLY_PROBLEMS=()
	TALLY_ALLOW_SKIP=${TALLY_ALLOW_SKIP:-0}
}

# tally_problem TEXT: one failure, with its reason.
tally_problem() {
	TALLY_FAILED=$((TALLY_FAILED + 1))
	TALLY_PROBLEMS+=("$1")
}

# tally_reset_results BUILDDIR [TEST...]: removes what a previous run left
# (the summary, every .trs and the log next to it, and the logs of TEST...),
# so that nothing stale is read.
tally_reset_results() {
	local dir=$1 trs t
	shift
	rm -f "$dir/test-suite.log"
	while IFS= read -r trs; do
		rm -f "$trs" "${trs%.trs}.log"
	done < <(find "$dir" -name '*.trs' -type f 2>/dev/null)
	for t; do
		rm -f "$dir/$t.log" "$dir/$t.trs"
	done
}

# _tally_skip_reasons LOG: the reason of each skip directive in a TAP log,
# one a line ("1..0 # SKIP why" or "ok N - desc # SKIP why").
_tally_skip_reasons() {
	[ -f "$1" ] || return 0
	sed -n -E -e 's/^1\.\.0[[:space:]]*#[[:space:]]*[Ss][Kk][Ii][Pp][^[:space:]]*[[:space:]]*//p' \
		-e 's/^ok([[:space:]].*)?#[[:space:]]*[Ss][Kk][Ii][Pp][^[:space:]]*[[:space:]]*//p' "$1"
}

# tally_suite LABEL BUILDDIR MAKE_STATUS EXPECTED_SKIP_RE TEST...: adds the
# results of one `make check` run of TEST... in BUILDDIR (which exited with
# MAKE_STATUS). EXPECTED_SKIP_RE (extended regex, "" for none) matches the
# skip reasons this run expects.
tally_suite() {
	local label=$1 dir=$2 make_rc=$3 expect_re=$4 t trs res n_skip n_exp reason
	local failed_before=$TALLY_FAILED pass fail skip
	shift 4
	if [ $# -eq 0 ]; then
		tally_problem "$label: no test list (the build did not configure?)"
		return
	fi
	for t; do
		trs=$dir/$t.trs
		if [ ! -f "$trs" ]; then
			tally_problem "$label: $t did not run (no $t.trs: not built, or make stopped before it)"
			continue
		fi
		pass=0 fail=0 skip=0
		while read -r _ res; do
			case $res in
			PASS | XFAIL) pass=$((pass + 1)) ;;
			SKIP) skip=$((skip + 1)) ;;
			*) fail=$((fail + 1)) ;;
			esac
		done < <(grep '^:test-result:' "$trs")
		if [ $((pass + fail + skip)) -eq 0 ]; then
			tally_problem "$label: $t reported no result"
			continue
		fi
		TALLY_PASSED=$((TALLY_PASSED + pass))
		TALLY_FAILED=$((TALLY_FAILED + fail))
		[ $fail -eq 0 ] || TALLY_PROBLEMS+=("$label: $t: $fail failed (see $dir/$t.log)")
		[ $skip -gt 0 ] || continue
		TALLY_SKIPPED=$((TALLY_SKIPPED + skip))
		n_skip=0 n_exp=0
		while IFS= read -r reason; do
			n_skip=$((n_skip + 1))
			if [ -n "$expect_re" ] && [[ $reason =~ $expect_re ]]; then
				n_exp=$((n_exp + 1))
			else
				TALLY_PROBLEMS+=("$label: $t: skipped: ${reason:-no reason given}")
			fi
		done < <(_tally_skip_reasons "$dir/$t.log")
		[ $n_skip -ge $skip ] || TALLY_PROBLEMS+=("$label: $t: $((skip - n_skip)) skipped without a reason")
		[ $n_exp -le $skip ] || n_exp=$skip
		TALLY_BAD_SKIPS=$((TALLY_BAD_SKIPS + skip - n_exp))
		if [ "$TALLY_ALLOW_SKIP" != 1 ]; then
			TALLY_FAILED=$((TALLY_FAILED + skip - n_exp))
		fi
	done
	if [ "$make_rc" -ne 0 ] && [ "$TALLY_FAILED" -eq "$failed_before" ]; then
		tally_problem "$label: make check exited with status $make_rc"
	fi
}

# tally_tap_stream LABEL STATUS FILE: a plain TAP-ish output ("ok ..." /
# "not ok ..." lines, e.g. scripts/fuzz.sh) from a command that exited
# with STATUS and was expected to print at least one result.
tally_tap_stream() {
	local label=$1 rc=$2 file=$3 verdict n=0 failed_before=$TALLY_FAILED
	while read -r verdict _; do
		case $verdict in
		ok) TALLY_PASSED=$((TALLY_PASSED + 1)) n=$((n + 1)) ;;
		not) TALLY_FAILED=$((TALLY_FAILED + 1)) n=$((n + 1)) ;;
		esac
	done < <(grep -E '^(ok|not ok) ' "$file")
	[ $TALLY_FAILED -eq $failed_before ] || TALLY_PROBLEMS+=("$label: $(grep -c '^not ok ' "$file") failed")
	if [ "$rc" -ne 0 ] && [ $TALLY_FAILED -eq $failed_before ]; then
		tally_problem "$label: exited with status $rc: $(grep -v -E '^(ok|not ok) ' "$file" | tail -n 1)"
	elif [ $n -eq 0 ] && [ $TALLY_FAILED -eq $failed_before ]; then
		tally_problem "$label: printed no result"
	fi
}

# tally_final: prints the problems, then the final line
#   N passed, N failed, N skipped [(...)]
# and returns non-zero when anything failed.
tally_final() {
	local p note=
	if [ ${#TALLY_PROBLEMS[@]} -gt 0 ]; then
		echo
		for p in "${TALLY_PROBLEMS[@]}"; do
			echo "check.sh: $p"
		done
	fi
	if [ "$TALLY_ALLOW_SKIP" = 1 ]; then
		note=" (partial run: $TALLY_BAD_SKIPS skips allowed by --allow-skip)"
	fi
	echo
	echo "$TALLY_PASSED passed, $TALLY_FAILED failed, $TALLY_SKIPPED skipped$note"
	[ "$TALLY_FAILED" -eq 0 ]
}

# tally_make_check LABEL BUILDDIR EXPECTED_SKIP_RE TEST...: one `make check`
# of TEST... in BUILDDIR, from a clean slate, then tally_suite. Its output
# is shown and kept in BUILDDIR/check.out.
tally_make_check() {
	local label=$1 dir=$2 expect_re=$3 rc
	shift 3
	tally_reset_results "$dir" "$@"
	(cd "$dir" && make -j1 check TESTS="$*") 2>&1 | tee "$dir/check.out"
	rc=${PIPESTATUS[0]}
	tally_suite "$label" "$dir" "$rc" "$expect_re" "$@"
}
