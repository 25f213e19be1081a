#!/usr/bin/env python3
"""Write the hand-made VRRP captures vipdump's tests read.

Every byte is laid down here with struct, field by field, so the captures
hold exactly the defects they are named for; the checksums are computed
here too (RFC 1071 sum; VRRPv3 over the IPv4 or IPv6 pseudo-header, VRRPv2
over the message alone), independently of vipd's codec.

  crafted.pcap      Ethernet: good adverts, one with a bad checksum, one with
                    TTL 64, one behind an 802.1Q tag, one with 4 bytes after
                    the message, a 6-byte message, a version 4 message, an
                    IPv6 advert behind a hop-by-hop header, an IPv6 packet
                    with a hop-by-hop header that is not VRRP (MLD), two
                    VRRPv2 routers with different passwords, two VRRPv3
                    routers with different intervals
  crafted-raw.pcap  raw IP (LINKTYPE_RAW), one good advert
  crafted-sll.pcap  Linux cooked v1 (LINKTYPE_LINUX_SLL), one good advert
  silent.pcap       Ethernet: vrid 70 adverts that stop, then vrid 71 4.5 s
                    later, so vrid 70 is silent

Usage: craft.py OUTDIR
"""
import socket
import struct
import sys

T0 = 1700000000  # 2023-11-14 22:13:20 UTC
MCAST4 = "224.0.0.18"
MCAST6 = "ff02::12"
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def a4(s):
    return socket.inet_pton(socket.AF_INET, s)


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def vrrp3(vrid, prio, interval_cs, addrs, src, dst, version=3, bad_csum=False):
    """VRRPv3 message; checksum over the pseudo-header for src/dst."""
    body = b"".join(addrs)
    hdr = struct.pack("!BBBBH", (version << 4) | 1, vrid, prio, len(addrs), interval_cs)
    msg = hdr + b"\0\0" + body
    if len(src) == 4:
        pseudo = src + dst + struct.pack("!BBH", 0, 112, len(msg))
    else:
        pseudo = src + dst + struct.pack("!I3xB", len(msg), 112)
    c = csum(pseudo + msg)
    if bad_csum:
        c ^= 0x5A5A
    return hdr + struct.pack("!H", c) + body


def vrrp2(vrid, prio, interval_s, addrs, password):
    body = b"".join(addrs)
    auth = password.encode().ljust(8, b"\0")
    hdr = struct.pack("!BBBBBB", 0x21, vrid, prio, len(addrs), 1, interval_s)
    c = csum(hdr + b"\0\0" + body + auth)
    return hdr + struct.pack("!H", c) + body + auth


def ipv4(src, dst, payload, ttl=255, extra=b""):
    """IPv4 header (no options); extra bytes are counted in the total length."""
    total = 20 + len(payload) + len(extra)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, total, 0, 0, ttl, 112, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload + extra


def ipv6(src, dst, payload, nh=112, hop_by_hop=False, hlim=255):
    if hop_by_hop:
        # next header, length 0 (8 bytes), router alert option, PadN(0)
        payload = struct.pack("!BBBBHBB", nh, 0, 5, 2, 0, 1, 0) + payload
        nh = 0
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim, src, dst) + payload


def ether(ip, vlan=None, src_mac=b"\x02\x00\x5e\x30\x00\x15"):
    v6 = ip[0] >> 4 == 6
    dst_mac = b"\x33\x33\x00\x00\x00\x12" if v6 else b"\x01\x00\x5e\x00\x00\x12"
    etype = 0x86DD if v6 else 0x0800
    tag = struct.pack("!HH", 0x8100, vlan) if vlan is not None else b""
    frame = dst_mac + src_mac + tag + struct.pack("!H", etype) + ip
    return frame.ljust(60, b"\0")  # Ethernet minimum, padding after IP


def sll(ip):
    # packet type 2 (multicast), ARPHRD_ETHER, address length 6
    return struct.pack("!HHH8sH", 2, 1, 6, b"\x02\x00\x5e\x30\x00\x15\0\0", 0x0800) + ip


def write_pcap(path, linktype, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for t_us, data in packets:
            f.write(struct.pack("<IIII", T0 + t_us // 1000000, t_us % 1000000, len(data), len(data)))
            f.write(data)


def good4(vrid=60, prio=200, src="192.0.2.21", vip="192.0.2.60", interval_cs=100):
    return ipv4(a4(src), a4(MCAST4), vrrp3(vrid, prio, interval_cs, [a4(vip)], a4(src), a4(MCAST4)))


def crafted():
    s21, m4 = a4("192.0.2.21"), a4(MCAST4)
    ll6, m6 = a6("fe80::21"), a6(MCAST6)
    msg = vrrp3(60, 200, 100, [a4("192.0.2.60")], s21, m4)
    mld = struct.pack("!BBHHH", 143, 0, 0, 0, 0)  # an MLDv2 report, no records
    frames = [
        ether(good4()),
        ether(ipv4(s21, m4, vrrp3(60, 200, 100, [a4("192.0.2.60")], s21, m4, bad_csum=True))),
        ether(ipv4(s21, m4, msg, ttl=64)),
        ether(good4(), vlan=10),
        ether(ipv4(s21, m4, msg, extra=b"\xde\xad\xbe\xef")),
        ether(ipv4(s21, m4, msg[:6])),
        ether(ipv4(s21, m4, vrrp3(60, 200, 100, [a4("192.0.2.60")], s21, m4, version=4))),
        ether(ipv6(ll6, m6, vrrp3(60, 200, 100, [a6("2001:db8::60")], ll6, m6), hop_by_hop=True)),
        ether(ipv6(ll6, a6("ff02::16"), mld, nh=58, hop_by_hop=True, hlim=1)),
        ether(ipv4(a4("192.0.2.22"), m4, vrrp2(61, 100, 1, [a4("192.0.2.61")], "secret"))),
        ether(ipv4(a4("192.0.2.23"), m4, vrrp2(61, 90, 1, [a4("192.0.2.61")], "Secret"))),
        ether(good4(vrid=62, prio=100, src="192.0.2.25", vip="192.0.2.62")),
        ether(good4(vrid=62, prio=90, src="192.0.2.26", vip="192.0.2.62", interval_cs=200)),
        ether(good4()),
    ]
    return [(i * 250000, f) for i, f in enumerate(frames)]


def silent():
    pkts = [(i * 1000000, ether(good4(vrid=70, vip="192.0.2.70"))) for i in range(3)]
    pkts.append((6500000, ether(good4(vrid=71, vip="192.0.2.71"))))
    return pkts


def main():
    out = sys.argv[1]
    write_pcap(out + "/crafted.pcap", LINKTYPE_ETHERNET, crafted())
    write_pcap(out + "/crafted-raw.pcap", LINKTYPE_RAW, [(0, good4())])
    write_pcap(out + "/crafted-sll.pcap", LINKTYPE_LINUX_SLL, [(0, sll(good4()))])
    write_pcap(out + "/silent.pcap", LINKTYPE_ETHERNET, silent())


if __name__ == "__main__":
    main()
