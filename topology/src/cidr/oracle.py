"""Test oracle: Python's ipaddress module answers a batch of CIDR questions.

Used only by the *.test.ts files beside it (spawned once per test file).
Reads {"cases": [...]} as JSON on stdin, writes {"results": [...]} on stdout,
one result per case, in order. Integers travel as decimal strings.
"""
import ipaddress
import json
import sys


def net(text, strict=True):
    return ipaddress.ip_network(text, strict=strict)


def parse(case):
    try:
        n = net(case["text"], case.get("strict", True))
    except ValueError as e:
        return {"ok": False, "error": str(e)}
    return {"ok": True, "family": n.version, "start": str(int(n.network_address)),
            "length": n.prefixlen, "text": str(n)}


def relate(case):
    a, b = net(case["a"]), net(case["b"])
    same = a.version == b.version
    return {"aContainsB": same and b.subnet_of(a), "overlaps": same and a.overlaps(b)}


def contains_address(case):
    n, addr = net(case["net"]), ipaddress.ip_address(case["address"])
    return {"contains": addr in n}


def exclude(case):
    parent = net(case["parent"])
    nets = [parent]
    for text in case["children"]:
        child = net(text)
        if child.version != parent.version:
            continue
        out = []
        for n in nets:
            if not n.overlaps(child):
                out.append(n)
            elif not child.supernet_of(n):
                out.extend(n.address_exclude(child))
        nets = out
    return {"free": [[str(int(n.network_address)), n.prefixlen]
                     for n in ipaddress.collapse_addresses(nets)]}


def format_address(case):
    cls = ipaddress.IPv4Address if case["family"] == 4 else ipaddress.IPv6Address
    return {"text": str(cls(int(case["value"])))}


OPS = {"parse": parse, "relate": relate, "containsAddress": contains_address,
       "exclude": exclude, "formatAddress": format_address}

if __name__ == "__main__":
    cases = json.load(sys.stdin)["cases"]
    json.dump({"results": [OPS[c["op"]](c) for c in cases]}, sys.stdout)
