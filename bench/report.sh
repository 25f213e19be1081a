#!/bin/bash
# bench/report.sh - turns the benchmarks' raw results into Markdown.
#
#   report.sh table failover|scale|vips RAW.tsv   one table, on stdout
#   report.sh doc OUTDIR [COMMAND...]              doc/performance.md, on
#                                                  stdout, from OUTDIR's
#                                                  *.tsv and machine.txt
#
# Statistics: median, p95 (nearest rank: with 10 samples it is the
# maximum) and maximum over the repetitions; ratios compare medians (and
# p95s where said). A "-" is a figure that could not be measured; failed
# (failover) and partial (VIPs) repetitions are counted apart and their
# figures left out. Every target reads "met", "missed" or "not measured
# (why)".

set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)

# Shared awk: sorting (mawk has no asort) and order statistics.
AWK_STATS='
function sortn(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
}
# st(list): "n med p95 max" of a space-separated list of numbers; sets
# S_N, S_MED, S_P95, S_MAX ("-" when empty).
function st(list,    a, n, r) {
	n = split(list, a, " ")
	S_N = n
	if (n == 0) { S_MED = S_P95 = S_MAX = "-"; return }
	for (r = 1; r <= n; r++) a[r] += 0
	sortn(a, n)
	S_MED = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	r = int(0.95 * n); if (r < 0.95 * n) r++
	S_P95 = a[r]
	S_MAX = a[n]
}
function f(v, d) { return v == "-" || v == "" ? "-" : sprintf("%." d "f", v) }
# isnum(x): x is a number (not "-", "", "rejected", a reason...); pos(x):
# and above 0.
function isnum(x) { return x ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
function pos(x) { return isnum(x) && x + 0 > 0 }
# add(list, item): "; "-separated; verdict(missed, unmeasured, counts) and
# detail(missed, unmeasured, all): the result and figures of a target.
function add(l, x) { return l == "" ? x : l "; " x }
function verdict(m, u, c) { return m != "" ? "missed (" c ")" : u != "" ? "not measured (" u ")" : "met (" c ")" }
function detail(m, u, a) {
	if (m == "" && u == "") return a
	if (u == "") return "missed: " m
	if (m == "") return "not measured: " u
	return "missed: " m "; not measured: " u
}
# sh(x): x, or "-" when there is no figure.
function sh(x) { return x == "" ? "-" : x }
function ratio(x, y) { return (x == "-" || y == "-" || y + 0 == 0) ? "-" : sprintf("%.2f", x / y) }
'

table_failover() {
	awk -F'\t' "$AWK_STATS"'
	/^#/ { next }
	{
		k = $1 "|" $2
		if (!(k in seen)) { seen[k] = 1; order[++ng] = k; bound[k] = $5 }
		if ($11 != "" && $11 != "ok") { nfail[k "|" $3]++; next }
		split("adv garp reply sig det", m, " ")
		for (i = 1; i <= 5; i++)
			if ($(5 + i) != "-" && $(5 + i) != "")
				v[k "|" $3 "|" m[i]] = v[k "|" $3 "|" m[i]] " " $(5 + i)
	}
	END {
		print "| case | advert_int (s) | bound (ms) | figure | vipd median / p95 / max (ms) | keepalived median / p95 / max (ms) | vipd/keepalived median | vipd/keepalived p95 | vipd median - bound (ms) | vipd median/bound | keepalived median/bound |"
		print "|---|---|---|---|---|---|---|---|---|---|---|"
		split("adv garp reply sig det", m, " ")
		for (g = 1; g <= ng; g++) {
			k = order[g]; split(k, kk, "|")
			for (i = 1; i <= 5; i++) {
				if (m[i] == "sig" && kk[1] != "graceful" && kk[1] != "kill_daemon") continue
				if (m[i] == "det" && kk[1] !~ /^nginx_/) continue
				st(v[k "|vipd|" m[i]]); vn = S_N; vm = S_MED; vp = S_P95; vx = S_MAX
				st(v[k "|keepalived|" m[i]]); kn = S_N; km = S_MED; kp = S_P95; kx = S_MAX
				vf = nfail[k "|vipd"] + 0; kf = nfail[k "|keepalived"] + 0
				if (vn + kn + vf + kf == 0) continue
				b = (m[i] == "sig" || m[i] == "det") ? "-" : bound[k]
				if (kk[1] == "partition_heal" && m[i] == "garp") b = "-"
				fig = (kk[1] == "partition_heal" && m[i] == "reply") ? "lost" : m[i]
				printf "| %s | %s | %s | %s | %s / %s / %s (n=%d%s) | %s / %s / %s (n=%d%s) | %s | %s | %s | %s | %s |\n",
					kk[1], kk[2], f(b, 1), fig,
					f(vm, 1), f(vp, 1), f(vx, 1), vn, vf ? sprintf(", %d failed", vf) : "",
					f(km, 1), f(kp, 1), f(kx, 1), kn, kf ? sprintf(", %d failed", kf) : "",
					ratio(vm, km), ratio(vp, kp),
					(b == "-" || vm == "-") ? "-" : sprintf("%+.1f", vm - b),
					ratio(vm, b), ratio(km, b)
			}
		}
	}' "$1"
}

table_scale() {
	awk -F'\t' "$AWK_STATS"'
	/^#/ { next }
	{
		k = $1 "|" $2
		if (!(k in seen)) { seen[k] = 1; order[++ng] = k }
		for (i = 4; i <= NF; i++) r[k "|" $3 "|" i] = $i
	}
	END {
		print "| instances | advert_int (s) | daemon | CPU master (% of a core) | CPU backup (%) | RSS master (KiB) | RSS backup (KiB) | RssAnon master (KiB) | RssAnon backup (KiB) | VIPs stayed put | backup adverts | inter-arrival median (ms) | p99 deviation (ms) | max deviation (ms) | adverts seen | run |"
		print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
		for (g = 1; g <= ng; g++) {
			k = order[g]; split(k, kk, "|")
			for (d = 1; d <= 2; d++) {
				dn = (d == 1) ? "vipd" : "keepalived"
				if (!((k "|" dn "|4") in r)) continue
				printf "| %s | %s | %s |", kk[1], kk[2], dn
				for (i = 4; i <= 16; i++) printf " %s |", r[k "|" dn "|" i]
				printf "\n"
			}
			if ((k "|vipd|4") in r && (k "|keepalived|4") in r)
				printf "| %s | %s | vipd/keepalived | %s | %s | %s | %s | %s | %s | | | | %s | %s | | |\n", kk[1], kk[2],
					ratio(r[k "|vipd|4"], r[k "|keepalived|4"]), ratio(r[k "|vipd|5"], r[k "|keepalived|5"]),
					ratio(r[k "|vipd|6"], r[k "|keepalived|6"]), ratio(r[k "|vipd|7"], r[k "|keepalived|7"]),
					ratio(r[k "|vipd|8"], r[k "|keepalived|8"]), ratio(r[k "|vipd|9"], r[k "|keepalived|9"]),
					ratio(r[k "|vipd|13"], r[k "|keepalived|13"]), ratio(r[k "|vipd|14"], r[k "|keepalived|14"])
		}
	}' "$1"
}

table_vips() {
	awk -F'\t' "$AWK_STATS"'
	/^#/ { next }
	{
		k = $1
		if (!(k in seen)) { seen[k] = 1; order[++ng] = k }
		if ($3 == "rejected") { rej[k "|" $2] = $4; next }
		if ($8 != "" && $8 != "ok") { bad[k "|" $2]++; next }
		split("installed span garps adv_gap", m, " ")
		for (i = 1; i <= 4; i++)
			if ($(3 + i) != "-" && $(3 + i) != "")
				v[k "|" $2 "|" m[i]] = v[k "|" $2 "|" m[i]] " " $(3 + i)
	}
	END {
		print "| VIPs | figure | vipd median / p95 / max (ms) | keepalived median / p95 / max (ms) | vipd/keepalived median |"
		print "|---|---|---|---|---|"
		split("installed span garps adv_gap", m, " ")
		for (g = 1; g <= ng; g++) {
			k = order[g]
			for (i = 1; i <= 4; i++) {
				st(v[k "|vipd|" m[i]]); vn = S_N; vm = S_MED; vp = S_P95; vx = S_MAX
				st(v[k "|keepalived|" m[i]]); kn = S_N; km = S_MED; kp = S_P95; kx = S_MAX
				vb = bad[k "|vipd"] ? sprintf(", %d partial", bad[k "|vipd"]) : ""
				kb = bad[k "|keepalived"] ? sprintf(", %d partial", bad[k "|keepalived"]) : ""
				vs = ((k "|vipd") in rej) ? "rejected: " rej[k "|vipd"] : sprintf("%s / %s / %s (n=%d%s)", f(vm, 1), f(vp, 1), f(vx, 1), vn, vb)
				ks = ((k "|keepalived") in rej) ? "rejected: " rej[k "|keepalived"] : sprintf("%s / %s / %s (n=%d%s)", f(km, 1), f(kp, 1), f(kx, 1), kn, kb)
				printf "| %s | %s | %s | %s | %s |\n", k, m[i], vs, ks, ratio(vm, km)
			}
		}
	}' "$1"
}

table_checks() {
	awk -F'\t' '
	/^#/ { next }
	{ n++; row[n] = $0 }
	END {
		print "| checks | how | daemon | interval (s) | daemon CPU % | scripts CPU % | total CPU % | nginx CPU % | runs | CPU ms per run | forks/s |"
		print "|---|---|---|---|---|---|---|---|---|---|---|"
		for (i = 1; i <= n; i++) {
			split(row[i], c, "\t")
			how = c[1] == "native" ? "native http_get" : "curl script"
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				c[3], how, c[2], c[4], c[6], c[7], c[8], c[9], c[10], c[11], c[12]
		}
	}' "$1"
}

# targets OUTDIR: each target of the project, from the raw results
# (measured, never asserted): "met", "missed" or "not measured (why)". A
# missing figure, a failed or partial repetition, a run that flapped or a
# daemon that died is never met; a takeover sooner than the protocol bound
# is a miss (RFC 5798 violation), not a win.
targets() {
	local out=$1
	echo "| target | result | figures |"
	echo "|---|---|---|"
	if [ -f "$out/failover.tsv" ]; then
		awk -F'\t' "$AWK_STATS"'
		/^#/ { next }
		{
			k = $1 " at " $2 " s"
			if (!(k in seen)) { seen[k] = 1; order[++ng] = k; bound[k] = $5 }
			nrep[k "|" $3]++
			if ($11 != "" && $11 != "ok") { nfail[k "|" $3]++; why[k "|" $3] = $11; next }
			for (i = 6; i <= 8; i++) if (isnum($i)) v[k "|" $3 "|" i] = v[k "|" $3 "|" i] " " $i
			if (isnum($6) && (!((k "|" $3) in lo) || $6 + 0 < lo[k "|" $3])) lo[k "|" $3] = $6 + 0
		}
		END {
			split("adv garp reply", name, " ")
			for (g = 1; g <= ng; g++) {
				k = order[g]
				st(v[k "|vipd|6"])
				if (nrep[k "|vipd"] == 0) continue
				# partition_heal has no takeover to time (adv is "-" by design):
				# it counts in the comparison with keepalived only (garp, lost).
				heal = (k ~ /^partition_heal /)
				if (heal) { n1_skip++ } else {
				n1++
				if (nfail[k "|vipd"] > 0) {
					miss1 = add(miss1, sprintf("%s: %d of %d repetitions failed (%s)", k, nfail[k "|vipd"], nrep[k "|vipd"], why[k "|vipd"]))
				} else if (S_N == 0) {
					nm1 = add(nm1, k ": no figure")
				} else if (lo[k "|vipd"] < 0) {
					miss1 = add(miss1, sprintf("%s: n2 advertised %.1f ms before the event in a repetition (it had taken over already: a flap, not this failover)", k, -lo[k "|vipd"]))
				} else if (lo[k "|vipd"] < bound[k] - 1) {
					miss1 = add(miss1, sprintf("%s: takeover %.1f ms before the bound (RFC 5798 violation)", k, bound[k] - lo[k "|vipd"]))
				} else if (S_MED - bound[k] > 2) {
					miss1 = add(miss1, sprintf("%s: %+.1f ms", k, S_MED - bound[k]))
				} else met1++
				}
				for (i = 6; i <= 8; i++) {
					if (heal && i == 6) continue
					st(v[k "|vipd|" i]); vp = S_P95; vn = S_N
					st(v[k "|keepalived|" i]); kp = S_P95; kn = S_N
					n2++
					if (nfail[k "|vipd"] > 0) { miss2 = add(miss2, sprintf("%s %s: vipd failed %d of %d", k, name[i - 5], nfail[k "|vipd"], nrep[k "|vipd"])); continue }
					# Faster than keepalived by breaking the protocol is no win.
					if (vn > 0 && ((k "|vipd") in lo) && lo[k "|vipd"] < bound[k] - 1) { miss2 = add(miss2, sprintf("%s %s: vipd took over before %s", k, name[i - 5], lo[k "|vipd"] < 0 ? "the event" : "the bound")); continue }
					if (vn == 0 || kn == 0) { nm2 = add(nm2, sprintf("%s %s: no %s figure", k, name[i - 5], vn == 0 ? "vipd" : "keepalived")); continue }
					if (vp <= kp) { met2++; continue }
					miss2 = add(miss2, sprintf("%s %s %+.1f ms", k, name[i - 5], vp - kp))
					if (vp - kp > 1) big2++
				}
			}
			if (n1 == 0) {
				print "| failover within 2 ms of the protocol bound at the median (adv), never before it | not measured (no vipd repetition) | |"
				print "| failover never slower than keepalived at p95 (adv, garp, reply) | not measured (no vipd repetition) | |"
				exit
			}
			printf "| failover within 2 ms of the protocol bound at the median (adv), never before it | %s | %s |\n",
				verdict(miss1, nm1, sprintf("%d of %d cases", met1, n1)), detail(miss1, nm1, "every case")
			printf "| failover never slower than keepalived at p95 (adv, garp, reply) | %s | %s |\n",
				verdict(miss2, nm2, sprintf("%d of %d figures; %d slower by more than 1 ms", met2, n2, big2)),
				detail(miss2, nm2, "every figure")
		}' "$out/failover.tsv"
	else
		echo "| failover targets | not measured (no failover results) | |"
	fi
	if [ -f "$out/scale.tsv" ]; then
		awk -F'\t' "$AWK_STATS"'
		/^#/ { next }
		$1 == 255 && $2 == 0.01 { for (i = 4; i <= 16; i++) r[$3 "|" i] = $i; have[$3] = 1 }
		# bad(d): why the run of daemon d at 255 x 0.01 s cannot count, as a
		# result ("" when it can): no run or no capture is "not measured", a
		# daemon that died or a run that flapped is "missed".
		function bad(d,    s) {
			if (!have[d]) return "not measured (" d ": no run)"
			s = r[d "|16"]
			if (s ~ /^unmeasured/) return "not measured (" d ": " s ")"
			if (s != "" && s != "ok") return "missed (" d ": " s ")"
			if (r[d "|10"] != "yes" || !isnum(r[d "|11"]) || r[d "|11"] != 0)
				return sprintf("missed (%s flapped: VIPs stayed put: %s, backup adverts: %s)", d, r[d "|10"], r[d "|11"])
			return ""
		}
		# against(d): the same for the daemon compared with: its failure makes
		# the comparison impossible; it does not make vipd miss.
		function against(d,    b) {
			b = bad(d)
			if (b == "") return ""
			sub(/^(missed|not measured) \(/, "", b)
			return "not measured (" b
		}
		END {
			vb = bad("vipd"); kb = against("keepalived")
			p = r["vipd|13"]
			res = vb != "" ? vb : !isnum(p) ? "not measured (no adverts captured)" : (p < 1) ? "met" : "missed"
			printf "| advert p99 deviation < 1 ms at 0.01 s with 255 instances | %s | p99 %s ms, max %s ms (keepalived: %s, %s) |\n",
				res, sh(r["vipd|13"]), sh(r["vipd|14"]), sh(r["keepalived|13"]), sh(r["keepalived|14"])
			# A live daemon at 255 x 0.01 s uses some CPU: 0 or less (a dead
			# process) is no measurement.
			res = vb != "" ? vb : kb != "" ? kb : \
				(!pos(r["vipd|4"]) || !pos(r["vipd|5"]) || !pos(r["keepalived|4"]) || !pos(r["keepalived|5"])) ? \
				"not measured (a CPU figure is missing or not above 0)" : \
				(r["vipd|4"] <= r["keepalived|4"] / 2 && r["vipd|5"] <= r["keepalived|5"] / 2) ? "met" : "missed"
			printf "| CPU at 255 x 0.01 s at most half of keepalived'"'"'s | %s | master %s%% vs %s%%, backup %s%% vs %s%% of a core |\n",
				res, sh(r["vipd|4"]), sh(r["keepalived|4"]), sh(r["vipd|5"]), sh(r["keepalived|5"])
			res = vb != "" ? vb : kb != "" ? kb : \
				(!pos(r["vipd|6"]) || !pos(r["vipd|7"]) || !pos(r["keepalived|6"]) || !pos(r["keepalived|7"])) ? \
				"not measured (a memory figure is missing)" : \
				(r["vipd|6"] <= r["keepalived|6"] && r["vipd|7"] <= r["keepalived|7"]) ? "met" : "missed"
			printf "| RSS not above keepalived'"'"'s (255 x 0.01 s) | %s | VmRSS master %s vs %s KiB, backup %s vs %s KiB; RssAnon master %s vs %s KiB, backup %s vs %s KiB |\n",
				res, sh(r["vipd|6"]), sh(r["keepalived|6"]), sh(r["vipd|7"]), sh(r["keepalived|7"]),
				sh(r["vipd|8"]), sh(r["keepalived|8"]), sh(r["vipd|9"]), sh(r["keepalived|9"])
		}' "$out/scale.tsv"
	else
		echo "| instance-scale targets (advert rhythm, CPU, RSS) | not measured (no scale results) | |"
	fi
	if [ -f "$out/vips.tsv" ]; then
		awk -F'\t' "$AWK_STATS"'
		/^#/ { next }
		$1 != 1000 { next }
		$3 == "rejected" { rej[$2] = $4; next }
		{ n[$2]++ }
		$8 != "" && $8 != "ok" { bad[$2]++; why[$2] = $8; next }
		isnum($4) { v[$2] = v[$2] " " $4 }
		END {
			st(v["keepalived"]); km = S_MED
			st(v["vipd"]); vm = S_MED; vn = S_N
			if ("vipd" in rej) res = "missed (vipd rejects 1000 VIPs in one instance: " rej["vipd"] ")"
			else if (bad["vipd"] > 0) res = sprintf("missed (%d of %d repetitions: %s)", bad["vipd"], n["vipd"], why["vipd"])
			else if (vn == 0) res = "not measured (no vipd repetition with a figure)"
			else res = vm < 50 ? "met" : "missed"
			printf "| 1000 VIPs installed in < 50 ms | %s | median %s ms over %d (keepalived %s ms) |\n",
				res, f(vm, 1), vn, f(km, 1)
		}' "$out/vips.tsv"
	else
		echo "| 1000 VIPs installed in < 50 ms | not measured (no VIP results) | |"
	fi
}

# notes RAW: the comment lines of a raw file (start, end, load), as a list.
notes() {
	sed -n 's/^# \(.* started .*\)$/- \1/p; s/^# \(.* finished .*\)$/- \1/p' "$1"
}

doc() {
	local out=$1 f
	shift
	cat <<EOF
# vipd performance

Generated by \`make bench\` (bench/run.sh and bench/report.sh); do not edit by hand.
vipd and keepalived run side by side on the same namespace topology, one after the other,
alternating repetition by repetition. Every time is measured on the wire (tcpdump on a veth,
read back with tshark), every CPU figure from /proc/PID/stat, every memory figure from VmRSS.
For keepalived the figures are those of its VRRP child process, which does all the VRRP work
(its parent only supervises it). Both daemons run as deployed, without -D (with it vipd logs
every advert it receives).

## Machine

\`\`\`
$(cat "$out/machine.txt" 2>/dev/null)
\`\`\`

The machine is shared with other work: the load average at the start and end of each
benchmark is listed under it. Ratios matter more than absolute figures.

## Commands

\`make bench\` (or \`bench/run.sh\`; \`BENCH_QUICK=1\` for the quick modes) ran, as root:

\`\`\`
$(printf '%s\n' "$@")
\`\`\`

EOF
	if [ -f "$out/failover.tsv" ]; then
		cat <<'EOF'
## Failover

`bench/failover.sh`: n1 (priority 150) is master, n2 (100) backup, the client pings the VIP every
10 ms. The event is n1's last advert at priority 150 (crash: kill -9; carrier: n1's bridge port
down; track_weight: a vrrp_script of weight -100 fails) or n1's priority-0 advert (graceful:
SIGTERM; track_fault: a vrrp_script of weight 0 fails). Figures are from the event to n2's first
advert (adv), n2's first gratuitous ARP for the VIP (garp) and the client's first echo reply
from n2 (reply); sig is SIGTERM to the priority-0 advert. The bound is n2's Master_Down_Interval
(crash, carrier, track_weight) or Skew_Time (graceful, track_fault). A crash kills every process
of the daemon at once (as a host crash looks to the peer). kill_daemon kills only the process
doing the VRRP work (vipd: the daemon under its guard; keepalived: its VRRP child); the event is
the kill, sig runs to the priority-0 advert, the bound is Skew_Time. partition_heal: n2 drops VRRP
input and becomes a second master; after two of its adverts the filter goes (the event); lost is
the time the client's pings went unanswered after it (10 ms per lost ping; bound one 100 ms ping)
and garp the time to n1's next gratuitous ARP.

EOF
		table_failover "$out/failover.tsv"
		echo
		notes "$out/failover.tsv"
		echo
	fi
	if [ -f "$out/scale.tsv" ]; then
		cat <<'EOF'
## Many instances

`bench/scale.sh`: N instances (VRIDs 1..N, one VIP each), n1 master of all, n2 backup of all.
CPU is utime + stime over the window, as a share of one core; RSS is VmRSS (which counts the
pages of shared libraries too) and RssAnon the process's own memory, at the end. "VIPs
stayed put" means no state change during the window (vipd: the sum of vipctl's transition
counters did not move; keepalived: no "Entering" line in its log) and every VIP on n1 at the end;
"backup adverts" counts adverts from n2 on the wire (0 when nothing flapped). The inter-arrival
is that of VRID 1's adverts on the wire; the deviation is |gap - advert_int|.

EOF
		table_scale "$out/scale.tsv"
		echo
		notes "$out/scale.tsv"
		echo
	fi
	if [ -f "$out/vips.tsv" ]; then
		cat <<'EOF'
## Many VIPs

`bench/vips.sh`: one instance on n1 alone with many VIPs (IPv4 in the advert, the rest in
virtual_ipaddress_excluded, IPv6 from 2001:db8:1::/64 beyond what the IPv4 ranges hold),
garp_master_repeat 1. From the moment n1 shows it is master (its first advert on the wire or its
first VIP added, whichever comes first) to the last VIP added (installed, from
`ip -ts monitor address` in n1's namespace) and to the last gratuitous ARP or unsolicited NA on
the wire (garps); span is the first VIP added to the last; adv_gap is the longest silence of the
master from then until 3 s after the VIPs are in (100 ms when it keeps its rhythm; a priority-100
backup would take over after 361 ms).

EOF
		table_vips "$out/vips.tsv"
		echo
		notes "$out/vips.tsv"
		echo
	fi
	if [ -f "$out/checks.tsv" ]; then
		cat <<'EOF'
## HTTP checks

`bench/checks.sh`: one node, one nginx, one instance tracking 20 checks of
http://127.0.0.1/ at interval 0.1 s: as native `http_get` in vipd, as curl scripts in vipd,
as curl scripts in keepalived. CPU over the window: the daemon's own (utime + stime), its
scripts' (cutime + cstime: the children it reaped) and nginx's; runs are the requests in
nginx's access log. keepalived's vrrp_script interval is a whole number of seconds, so it ran
the checks every second: compare CPU per run. forks/s is the daemon's fork and clone calls
(strace, 2 s after the window).

EOF
		table_checks "$out/checks.tsv"
		echo
		notes "$out/checks.tsv"
		echo
	fi
	echo "## Targets"
	echo
	echo "Each target reads met, missed or not measured (why). A missing figure, a failed or partial"
	echo "repetition, a refused configuration, a run that flapped or a daemon that died is never met;"
	echo "a takeover sooner than the protocol bound breaks RFC 5798 and counts as a miss."
	echo
	targets "$out"
	echo
	if [ -f "$here/findings.md" ]; then
		cat "$here/findings.md"
		echo
	fi
	for f in "$out"/notes-*.md; do
		[ -f "$f" ] && cat "$f" && echo
	done
	return 0
}

case ${1:-} in
table)
	case ${2:-} in
	failover) table_failover "$3" ;;
	scale) table_scale "$3" ;;
	vips) table_vips "$3" ;;
	checks) table_checks "$3" ;;
	*) echo "usage: $0 table failover|scale|vips|checks RAW" >&2; exit 2 ;;
	esac
	;;
doc)
	shift
	doc "$@"
	;;
*)
	echo "usage: $0 table KIND RAW | doc OUTDIR [COMMAND...]" >&2
	exit 2
	;;
esac
