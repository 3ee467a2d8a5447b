"""NetBox's free-space algorithm, timed by itself: the peer side of bench/ipam.

NetBox's Prefix.get_available_prefixes() is
    netaddr.IPSet(self.prefix) - netaddr.IPSet(child prefixes), then .iter_cidrs()
and this script runs exactly that with Debian's python3-netaddr (the engine
NetBox and Nautobot use).

Usage: python3 netaddr_free.py TREE_FILE REPS WARMUP
TREE_FILE: the parent CIDR on line 1, then one child CIDR per line.
Parsing the file into IPNetwork objects is NOT timed (NetBox gets them from
its database driver already built); only the set algebra and iter_cidrs are.
Prints JSON on stdout: {"netaddr": version, "seconds": [...], "blocks": ["hexstart/len", ...]}.
"""
import json
import sys
import time

import netaddr


def free_blocks(parent, children):
    return list((netaddr.IPSet([parent]) - netaddr.IPSet(children)).iter_cidrs())


def main():
    path, reps, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, encoding="ascii") as f:
        lines = [line.strip() for line in f if line.strip()]
    parent = netaddr.IPNetwork(lines[0])
    children = [netaddr.IPNetwork(c) for c in lines[1:]]
    blocks = None
    seconds = []
    for i in range(warmup + reps):
        t0 = time.perf_counter()
        blocks = free_blocks(parent, children)
        elapsed = time.perf_counter() - t0
        if i >= warmup:
            seconds.append(elapsed)
    out = {
        "netaddr": netaddr.__version__,
        "python": sys.version.split()[0],
        "seconds": seconds,
        "blocks": ["%x/%d" % (b.first, b.prefixlen) for b in blocks],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
