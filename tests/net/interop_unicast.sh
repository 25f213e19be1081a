#!/bin/bash
# interop_unicast: vipd against keepalived with VRRPv3/IPv4 sent to
# unicast_peer from unicast_src_ip instead of 224.0.0.18. The scenarios are
# in interop.sh.
VIPT_INTEROP=unicast
. "$(dirname "$0")/interop.sh"
