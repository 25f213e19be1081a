#!/usr/bin/env python3
"""craft_advert.py - send hand-made VRRP adverts, good or broken, for tests.

Runs inside a namespace (ip netns exec ... python3 craft_advert.py ...) and
sends COUNT IPv4 packets of protocol 112 from a raw socket to DST (default
224.0.0.18), GAP_MS apart. The message starts as a valid advert (VRRPv3 with
the IPv4 pseudo-header checksum, or VRRPv2 with the checksum over the
message and 8 bytes of authentication data) and KIND breaks one thing:

  valid           nothing (use --prio 0 for a resignation, --vrid for a VRID
                  nobody has, --version 2 for a v2 advert)
  ttl1            sent with TTL 1 instead of 255
  bad_checksum    checksum off by one
  truncated       only the first 6 bytes
  bad_version     version 4 (checksum recomputed, so only the version is wrong)
  bad_type        type 2
  count_mismatch  address count 2, one address present
  zero_interval   interval 0 (checksum recomputed)
  oversized       --garbage bytes (default 1400) of junk after a valid message
  jumbo           like oversized with 5000 bytes: larger than the biggest
                  VRRP packet, arrives as IP fragments the kernel reassembles

Prints "sent N KIND" on success; exit status 1 on a send error.
"""

import argparse
import random
import socket
import struct
import sys
import time

IPPROTO_VRRP = 112
VRRP_MCAST = "224.0.0.18"
IP_MTU_DISCOVER = 10  # not in every Python's socket module
IP_PMTUDISC_DONT = 0


def csum(data):
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def build(args):
    """The VRRP message (valid, or broken as args.kind says)."""
    version = 4 if args.kind == "bad_version" else args.version
    vtype = 2 if args.kind == "bad_type" else 1
    addrs = [socket.inet_aton(a) for a in args.addr]
    count = len(addrs) + 1 if args.kind == "count_mismatch" else len(addrs)
    interval = 0 if args.kind == "zero_interval" else args.interval
    head = bytes([version << 4 | vtype, args.vrid, args.prio, count])
    if args.version == 2:
        auth_type, _, pw = args.auth.partition(":")
        auth_type = {"none": 0, "PASS": 1, "AH": 2}[auth_type]
        head += bytes([auth_type, interval // 100])
        auth = pw.encode()[:8].ljust(8, b"\0")
    else:
        head += struct.pack("!H", interval & 0x0FFF)
        auth = b""
    body = b"".join(addrs) + auth
    msg = head + b"\0\0" + body
    if args.version == 2:
        c = csum(msg)
    else:
        pseudo = (socket.inet_aton(args.src) + socket.inet_aton(args.dst) +
                  struct.pack("!BBH", 0, IPPROTO_VRRP, len(msg)))
        c = csum(pseudo + msg)
    if args.kind == "bad_checksum":
        c = (c + 1) & 0xFFFF
    msg = head + struct.pack("!H", c) + body
    if args.kind == "truncated":
        msg = msg[:6]
    elif args.kind in ("oversized", "jumbo"):
        n = args.garbage if args.kind == "oversized" else 5000
        rnd = random.Random(args.vrid)  # reproducible junk
        msg += bytes(rnd.getrandbits(8) for _ in range(n))
    return msg


def main():
    kinds = ["valid", "ttl1", "bad_checksum", "truncated", "bad_version",
             "bad_type", "count_mismatch", "zero_interval", "oversized", "jumbo"]
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kind", choices=kinds, default="valid")
    p.add_argument("--src", required=True, help="our IPv4 address (pseudo-header, egress)")
    p.add_argument("--dst", default=VRRP_MCAST)
    p.add_argument("--vrid", type=int, default=51)
    p.add_argument("--prio", type=int, default=100)
    p.add_argument("--version", type=int, choices=[2, 3], default=3)
    p.add_argument("--interval", type=int, default=10, help="centiseconds (v2: rounded down to s)")
    p.add_argument("--addr", action="append", help="virtual address (repeatable)")
    p.add_argument("--auth", default="none", help="v2: none, PASS:password or AH (obsolete type 2)")
    p.add_argument("--garbage", type=int, default=1400)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--gap-ms", type=float, default=10.0)
    args = p.parse_args()
    if not args.addr:
        args.addr = ["192.0.2.100"]
    if not 1 <= args.count <= 10000:
        p.error("--count must be 1..10000")

    msg = build(args)
    ttl = 1 if args.kind == "ttl1" else 255
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_VRRP)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(args.src))
    # Let the kernel fragment the jumbo case instead of refusing it.
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    s.bind((args.src, 0))
    for i in range(args.count):
        try:
            s.sendto(msg, (args.dst, 0))
        except OSError as e:
            print("send %d of %d failed: %s" % (i + 1, args.count, e), file=sys.stderr)
            return 1
        if i + 1 < args.count:
            time.sleep(args.gap_ms / 1000.0)
    print("sent %d %s" % (args.count, args.kind))
    return 0


if __name__ == "__main__":
    sys.exit(main())
