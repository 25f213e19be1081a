#!/usr/bin/env bash
# scripts/demo.sh - build vipd and show it checking the sample configurations.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir="$top/build/demo"

if ! command -v autoreconf >/dev/null || ! pkg-config --exists libnl-route-3.0 libpcap 2>/dev/null; then
	[ "$(id -u)" -eq 0 ] || { echo "demo.sh: run as root to install the build packages" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential autoconf automake \
		libtool pkg-config libnl-3-dev libnl-route-3-dev libpcap-dev >/dev/null
fi
(cd "$top" && autoreconf -fi >/dev/null 2>&1)
mkdir -p "$builddir"
(cd "$builddir" && "$top/configure" -q && make -s -j"$(nproc)")

for conf in "$top"/conf/*.conf; do
	echo "\$ vipd -t -f conf/$(basename "$conf")"
	"$builddir/vipd" -t -f "$conf"
	echo
done
