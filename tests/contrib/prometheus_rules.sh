#!/bin/bash
# prometheus_rules: contrib/prometheus/vipd-alerts.yml passes promtool's
# check and its unit tests, the unit tests can fail (a rule broken on
# purpose makes them fail), and the rules use only metrics that vipd
# exposes (src/ctl.c, the exporter's vipd_up) or that are announced for
# features being added (vipd_advert_path_up, vipd_restarts_total). TAP.

set -u
src=${VIPD_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
dir=$src/contrib/prometheus
n=0 failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -n "${2:-}" ] && sed 's/^/# /' <<<"$2"
}

check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc" "$out"
	fi
}

if ! command -v promtool >/dev/null; then
	echo "1..0 # SKIP needs promtool (apt-get install prometheus)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check "promtool check rules vipd-alerts.yml" promtool check rules "$dir/vipd-alerts.yml"
check "promtool test rules vipd-alerts.test.yml" \
	eval "cd '$dir' && promtool test rules vipd-alerts.test.yml"

# Every alert has a unit test that shows it firing and one where it does not.
for alert in $(awk '/- alert:/ { print $3 }' "$dir/vipd-alerts.yml"); do
	fires=$(awk -v a="$alert" '$1 == "alertname:" && $2 == a { want = 1; next }
		want && /exp_alerts: \[\]/ { want = 0; next }
		want && /exp_alerts:/ { print "yes"; exit }' "$dir/vipd-alerts.test.yml")
	silent=$(awk -v a="$alert" '$1 == "alertname:" && $2 == a { want = 1; next }
		want && /exp_alerts: \[\]/ { print "yes"; exit }
		want && /exp_alerts:/ { want = 0 }' "$dir/vipd-alerts.test.yml")
	if [ "$fires" = yes ] && [ "$silent" = yes ]; then
		ok "$alert: tested firing and not firing"
	else
		not_ok "$alert: tested firing and not firing" "firing: ${fires:-no}, not firing: ${silent:-no}"
	fi
done

# The tests catch a broken rule: a split brain needing three masters.
sed 's/(vipd_instance_state == 2) > 1/(vipd_instance_state == 2) > 2/' \
	"$dir/vipd-alerts.yml" >"$tmp/vipd-alerts.yml"
cp "$dir/vipd-alerts.test.yml" "$tmp/"
if ! cmp -s "$dir/vipd-alerts.yml" "$tmp/vipd-alerts.yml" &&
	! (cd "$tmp" && promtool test rules vipd-alerts.test.yml >/dev/null 2>&1); then
	ok "a broken VipdSplitBrain rule fails the unit tests"
else
	not_ok "a broken VipdSplitBrain rule fails the unit tests"
fi

# Metric names: those of "vipctl metrics", the exporter's, the announced.
known=$(grep -oh '"vipd_[a-z_]*"' "$src/src/ctl.c" "$src/src/exporter.c" | tr -d '"' | sort -u)
known="$known vipd_up vipd_advert_path_up vipd_restarts_total"
used=$(grep -E '^\s+expr:' "$dir/vipd-alerts.yml" | grep -o 'vipd_[a-z_]*' | sort -u)
unknown=
for m in $used; do
	grep -qw "$m" <<<"$known" || unknown="$unknown $m"
done
if [ -z "$unknown" ]; then
	ok "the rules use only metrics vipd exposes or has announced ($(echo $used | wc -w) names)"
else
	not_ok "the rules use only metrics vipd exposes or has announced" "unknown:$unknown"
fi

echo "1..$n"
[ $failed -eq 0 ]
