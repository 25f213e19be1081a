#!/bin/bash
# interop_v2: vipd against keepalived with VRRPv2 (RFC 3768), without
# authentication and with a simple password, at advert_int 1 s; plus a
# mismatched password as the control that complaints are noticed. The
# scenarios are in interop.sh.
VIPT_INTEROP="v2 v2auth"
. "$(dirname "$0")/interop.sh"
