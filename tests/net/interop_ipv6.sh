#!/bin/bash
# interop_ipv6: vipd against keepalived with VRRPv3 over IPv6 (VIP
# 2001:db8::100/64, adverts from the link-local address to ff02::12), plus
# the client's neighbour entry following vipd's unsolicited NAs. The
# scenarios are in interop.sh.
VIPT_INTEROP=v6
. "$(dirname "$0")/interop.sh"
