#!/bin/bash
# keywords: every keyword of the parser's tables (KW, WARN and REJECT rows
# in src/config-kw.c and src/config-track.c) is in vipd.conf(5)'s KEEPALIVED
# KEYWORDS tables under its block, with the handling the code gives it
# (KW: implemented or accepted, WARN: ignored, REJECT: an error), and the
# page lists nothing the code does not have. TAP, one test per block.

src=${VIPD_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
code=$(mktemp) man=$(mktemp)
trap 'rm -f "$code" "$man"' EXIT

# "BLOCK<TAB>KEYWORD<TAB>KIND" from the tables; the block is the name its
# block_def gives the table.
awk '
/struct block_def [a-z_]+ = \{/ { def = ""; indef = 1 }
indef { def = def $0; if ($0 ~ /;/) { indef = 0
	if (match(def, /\{[ \t]*"[^"]+",[ \t]*[a-z_]+/)) {
		d = substr(def, RSTART, RLENGTH); sub(/^\{[ \t]*"/, "", d)
		name = d; sub(/".*/, "", name); tab = d; sub(/.*",[ \t]*/, "", tab)
		block[tab] = name
	} } }
/^static const struct kw [a-z_]+\[\] = \{/ { t = $5; sub(/\[\]/, "", t); next }
t && /^\};/ { t = ""; next }
t && match($0, /^[ \t]*(KW|WARN|REJECT)\("[^"]+"/) {
	s = substr($0, RSTART, RLENGTH); sub(/^[ \t]*/, "", s)
	kind = s; sub(/\(.*/, "", kind); kw = s; sub(/^[A-Z]+\("/, "", kw); sub(/"$/, "", kw)
	n++; rt[n] = t; rk[n] = kw; rkind[n] = kind
}
END { for (i = 1; i <= n; i++) {
	b = block[rt[i]]; if (b == "") b = "?" rt[i]
	if (b == "the top level") b = "Top level"
	printf "%s\t%s\t%s\n", b, rk[i], rkind[i] } }
' "$src/src/config-kw.c" "$src/src/config-track.c" | sort >"$code"

# "BLOCK<TAB>KEYWORD<TAB>HANDLING" from the page's tables.
awk '
/^\.SH / { insec = ($0 ~ /^\.SH KEEPALIVED KEYWORDS/) }
!insec { next }
/^\.SS / { b = $0; sub(/^\.SS /, "", b); sub(/ \(vipd only\)$/, "", b); next }
/^\.TS/ { intab = 1; fmt = 1; next }
/^\.TE/ { intab = 0; next }
intab && fmt { if ($0 ~ /\.$/) fmt = 0; next }
intab && /\tT\{$/ { kw = $0; sub(/\t.*/, "", kw); want = 1; next }
intab && want { h = $0
	if (h ~ /^implemented/) h = "KW"; else if (h ~ /^accepted/) h = "KW"
	else if (h ~ /^ignored/) h = "WARN"; else if (h ~ /^an error/) h = "REJECT"
	else h = "?" h
	printf "%s\t%s\t%s\n", b, kw, h; want = 0 }
' "$src/man/vipd.conf.5" | sort >"$man"

n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

blocks=$(cut -f1 "$code" | sort -u)
nblocks=$(wc -l <<<"$blocks")
nrows=$(wc -l <"$code")
# The parsers above must have found the tables: a vacuous pass proves nothing.
if [ "$nblocks" -ge 9 ] && [ "$nrows" -ge 200 ] && ! grep -q '^?' "$code"; then
	ok "the code has $nrows keywords in $nblocks blocks"
else
	not_ok "the code has keyword tables, each with a block name ($nrows keywords, $nblocks blocks)"
fi
while read -r b; do
	missing=$(comm -23 <(grep -P "^\Q$b\E\t" "$code") <(grep -P "^\Q$b\E\t" "$man"))
	extra=$(comm -13 <(grep -P "^\Q$b\E\t" "$code") <(grep -P "^\Q$b\E\t" "$man"))
	count=$(grep -cP "^\Q$b\E\t" "$code")
	if [ -z "$missing" ] && [ -z "$extra" ]; then
		ok "$b: its $count keywords are in vipd.conf(5) with their handling"
	else
		not_ok "$b: vipd.conf(5) matches the code"
		[ -z "$missing" ] || sed 's/^/# code has, the page lacks or words differently: /' <<<"$missing"
		[ -z "$extra" ] || sed 's/^/# the page has, the code lacks: /' <<<"$extra"
	fi
done <<<"$blocks"
others=$(comm -13 <(cut -f1 "$code" | sort -u) <(cut -f1 "$man" | sort -u))
if [ -z "$others" ]; then
	ok "the page has no table for a block the code lacks"
else
	not_ok "the page has no table for a block the code lacks: $others"
fi
echo "1..$n"
[ $fails -eq 0 ]
