#!/usr/bin/env bash
# tests/check/bench_report.sh - the benchmark report's targets on made-up
# raw results: a target reads "met" only on a complete measurement that
# meets it; a missing figure, a failed or partial repetition, a rejected
# configuration, a run that flapped, a daemon that died and a takeover
# sooner than the protocol bound never do. And bench/run.sh leaves the
# committed page alone when it cannot measure (not root, a missing tool).
# TAP output.
set -u
export LC_ALL=C

src=${VIPD_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
report=$src/bench/report.sh
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

tmp=$(mktemp -d /tmp/vipt-report.XXXXXX) || {
	echo "Bail out! mktemp failed"
	exit 1
}
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

# row TARGET-PREFIX: the targets table row of the report of $tmp/out.
row() {
	"$report" doc "$tmp/out" | grep -F "| $1" | head -n 1
}

# expect DESC TARGET-PREFIX RESULT-PREFIX: the row's result column starts
# with RESULT-PREFIX (and says nothing else when that is "met").
expect() {
	local r res
	r=$(row "$2")
	res=$(awk -F' \\| ' '{ print $2 }' <<<"$r")
	if [ -n "$r" ] && [ "${res#"$3"}" != "$res" ]; then
		ok "$1 [$res]"
	else
		not_ok "$1" "expected a result starting '$3' in the row of '$2', got:"$'\n'"${r:-no such row}"
	fi
}

# fixture KIND LINES...: $tmp/out/KIND.tsv with LINES (tab-separated
# fields written with |).
fixture() {
	local kind=$1
	shift
	mkdir -p "$tmp/out"
	printf '%s\n' "$@" | tr '|' '\t' >"$tmp/out/$kind.tsv"
}

reset() {
	rm -rf "$tmp/out"
	mkdir -p "$tmp/out"
}

FT="failover within 2 ms of the protocol bound"
FK="failover never slower than keepalived"

# ------------------------------------------------------------ failover
# case advert daemon rep bound adv garp reply sig status
good_fo=("crash|0.1|vipd|1|360.9|361.2|361.5|365.0|-|-|ok" "crash|0.1|keepalived|1|360.9|361.4|361.9|366.0|-|-|ok"
	"crash|0.1|vipd|2|360.9|361.3|361.6|364.0|-|-|ok" "crash|0.1|keepalived|2|360.9|361.5|362.0|367.0|-|-|ok")

reset
fixture failover "${good_fo[@]}"
expect "complete failover figures within the bound: met" "$FT" "met"
expect "and never slower than keepalived: met" "$FK" "met"

reset
fixture failover "${good_fo[@]}" "crash|0.1|vipd|3|360.9|-|-|-|-|-|failed: n2 never took the VIP"
expect "a failed vipd repetition: missed" "$FT" "missed"
expect "also against keepalived: missed" "$FK" "missed"
grep -q '1 of 3 repetitions failed' <<<"$(row "$FT")" && ok "the failed repetition is counted (1 of 3)" ||
	not_ok "the failed repetition is counted (1 of 3)" "$(row "$FT")"
grep -q 'n=2, 1 failed' <<<"$("$report" table failover "$tmp/out/failover.tsv")" &&
	ok "the failover table says n=2, 1 failed" || not_ok "the failover table says n=2, 1 failed" \
	"$("$report" table failover "$tmp/out/failover.tsv")"

reset
fixture failover "${good_fo[@]}" "crash|0.1|vipd|3|360.9|300.0|300.5|305.0|-|-|ok"
expect "a takeover 61 ms before Master_Down_Interval: missed" "$FT" "missed"
grep -q 'before the bound (RFC 5798 violation)' <<<"$(row "$FT")" && ok "and flagged as a protocol violation" ||
	not_ok "and flagged as a protocol violation" "$(row "$FT")"

reset
fixture failover "${good_fo[@]}" "crash|0.1|vipd|3|360.9|-428.9|-428.3|18.2|-|-|ok"
expect "n2 advertising before the event (a flap): missed" "$FT" "missed"
grep -q 'before the event in a repetition' <<<"$(row "$FT")" && ok "and flagged as a takeover before the event" ||
	not_ok "and flagged as a takeover before the event" "$(row "$FT")"
expect "and no win against keepalived either" "$FK" "missed"

reset
fixture failover "crash|0.1|vipd|1|360.9|361.2|361.5|365.0|-|-|ok" "crash|0.1|keepalived|1|360.9|-|-|-|-|-|failed: n2 never took the VIP"
expect "no keepalived figure to compare with: not measured" "$FK" "not measured"
expect "vipd's own target still met" "$FT" "met"

reset
fixture failover "crash|0.1|vipd|1|360.9|-|-|-|-|-|failed: no failover in the capture"
expect "no vipd figure at all: missed (it failed)" "$FT" "missed"

reset
expect "no failover results: not measured" "failover targets" "not measured"

# ------------------------------------------------------------ scale
# n advert daemon cpu_m cpu_b rss_m rss_b anon_m anon_b stayed badv med p99 max count status
sv="255|0.01|vipd|20.00|10.00|3200|3400|700|800|yes|0|10.000|0.400|2.000|3000|ok"
sk="255|0.01|keepalived|80.00|22.00|3700|3600|1800|1700|yes|0|10.000|2.000|6.000|3000|ok"

reset
fixture scale "$sv" "$sk"
expect "complete scale figures: advert rhythm met" "advert p99" "met"
expect "complete scale figures: CPU met" "CPU at 255" "met"
expect "complete scale figures: RSS met" "RSS not above" "met"

reset
fixture scale "255|0.01|vipd|20.00|10.00|3200|3400|700|800|yes|0|-|-|-|0|ok" "$sk"
expect "no adverts captured (p99 '-'): not measured" "advert p99" "not measured"

reset
fixture scale "255|0.01|vipd|20.00|10.00|||||yes|0|10.000|0.400|2.000|3000|ok" "$sk"
expect "an empty RSS: not measured" "RSS not above" "not measured"

reset
fixture scale "255|0.01|vipd|20.00|10.00|3200|3400|700|800|no|14|10.000|0.400|2.000|3000|ok" "$sk"
expect "a run that flapped: advert rhythm missed" "advert p99" "missed"
expect "a run that flapped: CPU missed" "CPU at 255" "missed"

reset
fixture scale "255|0.01|vipd|-|-|-|-|-|-|no|0|10.000|0.400|2.000|3000|died: n1's daemon (pid 42) during the window" "$sk"
expect "a daemon that died: CPU missed" "CPU at 255" "missed"
expect "a daemon that died: RSS missed" "RSS not above" "missed"

reset
fixture scale "255|0.01|vipd|0.00|-3.00|3200|3400|700|800|yes|0|10.000|0.400|2.000|3000|ok" "$sk"
expect "a CPU share of 0 or below: not measured" "CPU at 255" "not measured"

reset
fixture scale "255|0.01|vipd|20.00|10.00|3200|3400|700|800|yes|0|10.000|0.400|2.000|3000" "255|0.01|keepalived|80.00|22.00|3700|3600|1800|1700|yes|0|10.000|2.000|6.000|3000"
expect "rows without a status column (older runs) still count" "CPU at 255" "met"

# ------------------------------------------------------------ VIPs
reset
fixture vips "1000|vipd|rejected|too many addresses in one instance" "1000|keepalived|1|80.0|70.0|90.0|100.0|ok"
expect "a rejected configuration: missed" "1000 VIPs" "missed"
grep -q 'rejects 1000 VIPs' <<<"$(row "1000 VIPs")" && ok "and says it was rejected" ||
	not_ok "and says it was rejected" "$(row "1000 VIPs")"

reset
fixture vips "1000|vipd|1|30.0|25.0|40.0|100.0|ok" "1000|vipd|2|12.0|10.0|40.0|100.0|partial: 412 of 1000 VIPs installed"
expect "a partial install: missed" "1000 VIPs" "missed"
grep -q 'n=1, 1 partial' <<<"$("$report" table vips "$tmp/out/vips.tsv")" &&
	ok "the VIP table leaves the partial figures out (n=1, 1 partial)" ||
	not_ok "the VIP table leaves the partial figures out" "$("$report" table vips "$tmp/out/vips.tsv")"

reset
fixture vips "1000|vipd|1|30.0|25.0|40.0|100.0|ok" "1000|vipd|2|32.0|25.0|40.0|100.0|ok"
expect "complete installs under 50 ms: met" "1000 VIPs" "met"

reset
fixture vips "1000|vipd|1|-|-|-|-|ok"
expect "no figure: not measured" "1000 VIPs" "not measured"

reset
fixture vips "500|vipd|1|10.0|9.0|20.0|100.0|ok"
expect "no 1000-VIP run: not measured" "1000 VIPs" "not measured"

# ------------------------------------------------------------ run.sh
page=$tmp/page.md
echo "committed page" >"$page"
chmod 666 "$page"
if [ "$(id -u)" = 0 ]; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups bash "$src/bench/run.sh" --quick "$page" 2>&1)
	rc=$?
else
	out=$(bash "$src/bench/run.sh" --quick "$page" 2>&1)
	rc=$?
fi
if [ $rc -ne 0 ] && [ "$(cat "$page")" = "committed page" ]; then
	ok "run.sh without root exits $rc and leaves the page alone ($out)"
else
	not_ok "run.sh without root exits non-zero and leaves the page alone" "exit $rc: $out"$'\n'"$(head -n 5 "$page")"
fi

if [ "$(id -u)" = 0 ]; then
	# Every command on PATH but tshark: the benchmarks skip (tests/net/lib.sh).
	nots=$tmp/no-tshark
	mkdir -p "$nots"
	IFS=: read -r -a dirs <<<"$PATH"
	for d in "${dirs[@]}"; do
		for f in "$d"/*; do
			[ -x "$f" ] && [ ! -e "$nots/${f##*/}" ] && [ "${f##*/}" != tshark ] && ln -s "$f" "$nots/${f##*/}"
		done
	done
	out=$(env PATH="$nots" BENCH_OUT="$tmp/bench" bash "$src/bench/run.sh" --quick "$page" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && [ "$(cat "$page")" = "committed page" ] && grep -q 'skipped: needs tshark' <<<"$out"; then
		ok "run.sh without tshark exits $rc, says so and leaves the page alone"
	else
		not_ok "run.sh without tshark exits non-zero, says so and leaves the page alone" \
			"exit $rc: $out"$'\n'"$(head -n 5 "$page")"
	fi
	if [ -s "$tmp/bench/performance.md" ] && grep -q 'not measured' "$tmp/bench/performance.md"; then
		ok "its report goes to BENCH_OUT, every target 'not measured'"
	else
		not_ok "its report goes to BENCH_OUT, every target 'not measured'" "$(ls -l "$tmp/bench")"
	fi
else
	echo "ok $((n + 1)) - run.sh without tshark # SKIP needs root" && n=$((n + 1))
fi

echo "1..$n"
[ $failures -eq 0 ]
