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
# p95s where said). A "-" is a figure that could not be measured.

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
function ratio(x, y) { return (x == "-" || y == "-" || y + 0 == 0) ? "-" : sprintf("%.2f", x / y) }
'

table_failover() {
	awk -F'\t' "$AWK_STATS"'
	/^#/ { next }
	{
		k = $1 "|" $2
		if (!(k in seen)) { seen[k] = 1; order[++ng] = k; bound[k] = $5 }
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
				if (vn + kn == 0) continue
				b = (m[i] == "sig" || m[i] == "det") ? "-" : bound[k]
				if (kk[1] == "partition_heal" && m[i] == "garp") b = "-"
				fig = (kk[1] == "partition_heal" && m[i] == "reply") ? "lost" : m[i]
				printf "| %s | %s | %s | %s | %s / %s / %s (n=%d) | %s / %s / %s (n=%d) | %s | %s | %s | %s | %s |\n",
					kk[1], kk[2], f(b, 1), fig,
					f(vm, 1), f(vp, 1), f(vx, 1), vn, f(km, 1), f(kp, 1), f(kx, 1), kn,
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
		print "| instances | advert_int (s) | daemon | CPU master (% of a core) | CPU backup (%) | RSS master (KiB) | RSS backup (KiB) | RssAnon master (KiB) | RssAnon backup (KiB) | VIPs stayed put | backup adverts | inter-arrival median (ms) | p99 deviation (ms) | max deviation (ms) | adverts seen |"
		print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
		for (g = 1; g <= ng; g++) {
			k = order[g]; split(k, kk, "|")
			for (d = 1; d <= 2; d++) {
				dn = (d == 1) ? "vipd" : "keepalived"
				if (!((k "|" dn "|4") in r)) continue
				printf "| %s | %s | %s |", kk[1], kk[2], dn
				for (i = 4; i <= 15; i++) printf " %s |", r[k "|" dn "|" i]
				printf "\n"
			}
			if ((k "|vipd|4") in r && (k "|keepalived|4") in r)
				printf "| %s | %s | vipd/keepalived | %s | %s | %s | %s | %s | %s | | | | %s | %s | |\n", kk[1], kk[2],
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
				vs = ((k "|vipd") in rej) ? "rejected: " rej[k "|vipd"] : sprintf("%s / %s / %s (n=%d)", f(vm, 1), f(vp, 1), f(vx, 1), vn)
				ks = ((k "|keepalived") in rej) ? "rejected: " rej[k "|keepalived"] : sprintf("%s / %s / %s (n=%d)", f(km, 1), f(kp, 1), f(kx, 1), kn)
				printf "| %s | %s | %s | %s | %s |\n", k, m[i], vs, ks, ratio(vm, km)
			}
		}
	}' "$1"
}

# targets OUTDIR: each target of the project, met or missed, from the raw
# results (measured, never asserted).
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
			for (i = 6; i <= 8; i++) if ($i != "-") v[k "|" $3 "|" i] = v[k "|" $3 "|" i] " " $i
		}
		END {
			split("adv garp reply", name, " ")
			for (g = 1; g <= ng; g++) {
				k = order[g]
				st(v[k "|vipd|6"])
				if (S_N == 0) continue
				d = S_MED - bound[k]
				if (d <= 2) met1++; else miss1 = miss1 sprintf("%s%s: %+.1f ms", miss1 == "" ? "" : "; ", k, d)
				n1++
				for (i = 6; i <= 8; i++) {
					st(v[k "|vipd|" i]); vp = S_P95; vn = S_N
					st(v[k "|keepalived|" i]); kp = S_P95
					if (vn == 0 || S_N == 0) continue
					n2++
					if (vp <= kp) { met2++; continue }
					miss2 = miss2 sprintf("%s%s %s %+.1f ms", miss2 == "" ? "" : "; ", k, name[i - 5], vp - kp)
					if (vp - kp > 1) big2++
				}
			}
			printf "| failover within 2 ms of the protocol bound at the median (adv) | %s (%d of %d cases) | %s |\n",
				met1 == n1 ? "met" : "missed", met1, n1, miss1 == "" ? "every case" : "over: " miss1
			printf "| failover never slower than keepalived at p95 (adv, garp, reply) | %s (%d of %d figures; %d slower by more than 1 ms) | %s |\n",
				met2 == n2 ? "met" : "missed", met2, n2, big2, miss2 == "" ? "every figure" : "p95 of vipd minus keepalived'"'"'s: " miss2
		}' "$out/failover.tsv"
	fi
	if [ -f "$out/scale.tsv" ]; then
		awk -F'\t' '
		/^#/ { next }
		$1 == 255 && $2 == 0.01 { for (i = 4; i <= NF; i++) r[$3 "|" i] = $i; have[$3] = 1 }
		END {
			if (!have["vipd"]) exit
			p = r["vipd|13"]
			printf "| advert p99 deviation < 1 ms at 0.01 s with 255 instances | %s | p99 %.3f ms, max %.3f ms (keepalived: %s, %s) |\n",
				(p < 1) ? "met" : "missed", p, r["vipd|14"], r["keepalived|13"], r["keepalived|14"]
			if (!have["keepalived"]) exit
			okc = (r["vipd|4"] <= r["keepalived|4"] / 2 && r["vipd|5"] <= r["keepalived|5"] / 2)
			printf "| CPU at 255 x 0.01 s at most half of keepalived'"'"'s | %s | master %s%% vs %s%%, backup %s%% vs %s%% of a core |\n",
				okc ? "met" : "missed", r["vipd|4"], r["keepalived|4"], r["vipd|5"], r["keepalived|5"]
			okr = (r["vipd|6"] <= r["keepalived|6"] && r["vipd|7"] <= r["keepalived|7"])
			printf "| RSS not above keepalived'"'"'s (255 x 0.01 s) | %s | VmRSS master %s vs %s KiB, backup %s vs %s KiB; RssAnon master %s vs %s KiB, backup %s vs %s KiB |\n",
				okr ? "met" : "missed", r["vipd|6"], r["keepalived|6"], r["vipd|7"], r["keepalived|7"],
				r["vipd|8"], r["keepalived|8"], r["vipd|9"], r["keepalived|9"]
		}' "$out/scale.tsv"
	fi
	if [ -f "$out/vips.tsv" ]; then
		awk -F'\t' "$AWK_STATS"'
		/^#/ { next }
		$1 == 1000 && $4 != "-" { v[$2] = v[$2] " " $4 }
		END {
			st(v["vipd"]); vm = S_MED; vn = S_N
			st(v["keepalived"])
			if (vn == 0) exit
			printf "| 1000 VIPs installed in < 50 ms | %s | median %.1f ms (keepalived %s ms) |\n",
				vm < 50 ? "met" : "missed", vm, f(S_MED, 1)
		}' "$out/vips.tsv"
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
	echo "## Targets"
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
	*) echo "usage: $0 table failover|scale|vips RAW" >&2; exit 2 ;;
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
