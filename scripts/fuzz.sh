#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] - run the libFuzzer targets (packet decoding and
# configuration parsing) for SECONDS each (default 60), with AddressSanitizer
# and UndefinedBehaviorSanitizer, starting from seed corpora made from the
# test data. Prints one line per target, "ok TARGET" or "not ok TARGET", and
# exits 1 if any target found a crash (the input is kept under build/fuzz/).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
out="$top/build/fuzz"
cc=${CLANG:-clang}
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$top/include"

command -v "$cc" >/dev/null || { echo "fuzz.sh: $cc not found (apt-get install clang)" >&2; exit 2; }
command -v xxd >/dev/null || { echo "fuzz.sh: xxd not found (apt-get install xxd)" >&2; exit 2; }
mkdir -p "$out/seed-packet" "$out/seed-config" "$out/corpus-packet" "$out/corpus-config"

# Seeds: the captured keepalived packets (hex, one per line) and every config we ship.
n=0
for hex in "$top"/tests/data/*.hex; do
	while read -r line; do
		[ -z "$line" ] || [ "${line#\#}" != "$line" ] && continue
		n=$((n + 1))
		echo "$line" | xxd -r -p >"$out/seed-packet/$(basename "$hex" .hex)-$n"
	done <"$hex"
done
for conf in "$top"/conf/*.conf "$top"/tests/data/config/*.conf "$top"/tests/data/config/pp/*.conf /usr/share/doc/keepalived/samples/keepalived.conf.*; do
	[ -f "$conf" ] && cp "$conf" "$out/seed-config/$(basename "$conf")"
done

status=0
for target in packet config; do
	bin="$out/fuzz_$target"
	srcs="$top/tests/fuzz/fuzz_$target.c $top/src/ipaddr.c"
	case $target in
	packet) srcs="$srcs $top/src/packet.c" ;;
	config) srcs="$srcs $top/src/cfgpp.c $top/src/config.c $top/src/config-lex.c $top/src/config-stmt.c $top/src/config-kw.c $top/src/config-check.c $top/src/config-track.c $top/src/trackproc.c $top/src/vroute.c $top/src/probe.c" ;;
	esac
	# shellcheck disable=SC2086
	if ! $cc $flags -o "$bin" $srcs 2>"$out/build-$target.log"; then
		echo "not ok fuzz_$target: does not build (see $out/build-$target.log)"
		status=1
		continue
	fi
	if (cd "$out" && "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 "$out/corpus-$target" "$out/seed-$target" \
		>"$out/run-$target.log" 2>&1); then
		execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$out/run-$target.log")
		echo "ok fuzz_$target: ${execs:-?} inputs in ${seconds} s, no crash"
	else
		echo "not ok fuzz_$target: crash; see $out/run-$target.log and $out/crash-*"
		tail -n 30 "$out/run-$target.log"
		status=1
	fi
done
exit $status
