#!/usr/bin/env python3
"""impair_relay.py - a userspace stand-in for tc netem, for kernels without it.

Relays Ethernet frames between pairs of interfaces (AF_PACKET, both
directions) and impairs the VRRP frames (IPv4 protocol 112) going from the
second interface of a pair to the first, the way `tc qdisc ... netem` on
the first one's egress would: loss, delay with jitter, duplication,
reordering. Every other frame is relayed at once and untouched.

Run in the namespace that holds the interfaces:
  impair_relay.py --pair NODEPORT:BRIDGESIDE [--pair ...] --control FILE
                  [--stats FILE] [--max-seconds 300]

FILE holds one line of settings, re-read whenever it changes (write it with
a rename so the relay never sees half a line):
  loss=P delay_ms=D jitter_ms=J duplicate=P reorder=P seed=N
P are probabilities in 0..1. reorder follows netem (without correlation):
with delay_ms > 0, a frame is sent at once, ahead of delayed ones, with
probability reorder; the others wait delay_ms (+- jitter_ms). An empty
file or "none" relays without impairment.
After each change, and at exit, the counts since the previous change go to
--stats as one line: "SETTINGS | vrrp_in=N dropped=N duplicated=N
reordered=N out=N".
"""

import argparse
import heapq
import os
import random
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
IPPROTO_VRRP = 112


def is_vrrp(frame):
    """IPv4 protocol 112, with or without one VLAN tag."""
    off = 12
    if frame[off:off + 2] == b"\x81\x00":
        off += 4
    return (len(frame) >= off + 12 and frame[off:off + 2] == b"\x08\x00"
            and frame[off + 11] == IPPROTO_VRRP)


class Settings:
    def __init__(self, text=""):
        self.text = text.strip() or "none"
        kv = {}
        for word in text.split():
            if "=" in word:
                k, v = word.split("=", 1)
                kv[k] = float(v)
        self.loss = kv.get("loss", 0.0)
        self.delay_s = kv.get("delay_ms", 0.0) / 1000.0
        self.jitter_s = kv.get("jitter_ms", 0.0) / 1000.0
        self.duplicate = kv.get("duplicate", 0.0)
        self.reorder = kv.get("reorder", 0.0)
        self.rnd = random.Random(int(kv.get("seed", 1)))


class Relay:
    def __init__(self, pairs, control, stats):
        self.control = control
        self.stats = stats
        self.mtime = None
        self.settings = Settings()
        self.counts = dict.fromkeys(["vrrp_in", "dropped", "duplicated", "reordered", "out"], 0)
        self.queue = []  # (due, seq, socket, frame)
        self.seq = 0
        self.peer = {}   # socket -> (socket to send on, impair?)
        for node_port, bridge_side in pairs:
            a = self.open(node_port)
            b = self.open(bridge_side)
            self.peer[a] = (b, False)  # from the node: untouched
            self.peer[b] = (a, True)   # towards the node: impaired

    @staticmethod
    def open(ifname):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((ifname, 0))
        s.setblocking(False)
        return s

    def flush_stats(self):
        if self.stats:
            line = "%s | %s\n" % (self.settings.text,
                                  " ".join("%s=%d" % kv for kv in self.counts.items()))
            with open(self.stats, "a") as f:
                f.write(line)
        self.counts = dict.fromkeys(self.counts, 0)

    def poll_control(self):
        try:
            st = os.stat(self.control)
        except OSError:
            return
        if st.st_mtime_ns == self.mtime:
            return
        self.mtime = st.st_mtime_ns
        with open(self.control) as f:
            text = f.read()
        self.flush_stats()
        self.settings = Settings(text)

    def chance(self, p):
        return p > 0 and self.settings.rnd.random() < p

    def schedule(self, out, frame, now):
        s = self.settings
        due = now
        if s.delay_s > 0:
            if self.chance(s.reorder):
                self.counts["reordered"] += 1
            else:
                due = now + max(0.0, s.delay_s + s.rnd.uniform(-s.jitter_s, s.jitter_s))
        self.seq += 1
        heapq.heappush(self.queue, (due, self.seq, out, frame))

    def handle(self, sock, now):
        try:
            frame, addr = sock.recvfrom(65535)
        except BlockingIOError:
            return
        if addr[2] == PACKET_OUTGOING:
            return  # our own transmissions, or the kernel's, seen again
        out, impair = self.peer[sock]
        if not (impair and is_vrrp(frame)):
            self.send(out, frame)
            return
        self.counts["vrrp_in"] += 1
        if self.chance(self.settings.loss):
            self.counts["dropped"] += 1
            return
        self.schedule(out, frame, now)
        if self.chance(self.settings.duplicate):
            self.counts["duplicated"] += 1
            self.schedule(out, frame, now)

    def send(self, out, frame):
        try:
            out.send(frame)
        except OSError:
            pass  # a link that is down loses the frame, as a wire would

    def run(self, max_seconds):
        end = time.monotonic() + max_seconds
        next_poll = 0.0
        socks = list(self.peer)
        while True:
            now = time.monotonic()
            if now >= end:
                break
            if now >= next_poll:
                self.poll_control()
                next_poll = now + 0.05
            while self.queue and self.queue[0][0] <= now:
                _, _, out, frame = heapq.heappop(self.queue)
                self.counts["out"] += 1
                self.send(out, frame)
            timeout = next_poll - now
            if self.queue:
                timeout = min(timeout, self.queue[0][0] - now)
            ready, _, _ = select.select(socks, [], [], max(0.0, timeout))
            now = time.monotonic()
            for s in ready:
                self.handle(s, now)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pair", action="append", required=True,
                   help="NODEPORT:BRIDGESIDE (frames towards NODEPORT are impaired)")
    p.add_argument("--control", required=True)
    p.add_argument("--stats")
    p.add_argument("--max-seconds", type=float, default=300.0)
    args = p.parse_args()
    pairs = [tuple(x.split(":", 1)) for x in args.pair]
    relay = Relay(pairs, args.control, args.stats)
    print("relaying %s" % ", ".join("%s<->%s" % x for x in pairs), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        relay.run(args.max_seconds)
    finally:
        relay.flush_stats()
    return 0


if __name__ == "__main__":
    sys.exit(main())
