#!/usr/bin/env python3
"""Compare `hallmonitor observe` with tshark on every capture in a folder.

    compare_observe.py --hallmonitor BIN [--tshark TSHARK] PCAP_DIR

For each capture file and each observation kind the values are compared as *sets*
(file, kind) -> {text}: a DNS name asked ten times counts once, because what matters to
the school is whether a name was seen, not how often tshark and we agree on repeats.

What tshark is asked (tshark is the independent oracle, STYLE.md "Tests"):
  dns_query  -Y "dns.flags.response==0" -e dns.qry.name
             tshark dissects mDNS (5353) and LLMNR (5355) with the same dns.* fields;
             hallmonitor observes those queries too (a device asking its LAN for a name),
             and DNS over TCP. The root name (tshark's "<Root>") is not an observation.
  tls_sni    -Y "tls.handshake.type==1 && tcp" -e tls.handshake.extensions_server_name
  quic_sni   -Y "tls.handshake.type==1 && quic" -e tls.handshake.extensions_server_name
             tshark 4.0 decrypts QUIC v1 Initials and, per the pcaps README, not the
             v2 (RFC 9369) Initials of every implementation: a v2 name we see and it
             does not would be reported as unseen, so such a file must be looked at by
             hand (quic-v2-quicgo-negative.pcap: its ClientHello names no server).
  dhcp_lease -Y dhcp -e dhcp.option.hostname  (option 12 of any DHCP message, the
             client's or a server's echo; hallmonitor's dhcp_lease text is that name)
  http_host  -Y "http.request && tcp" -e http.host
  http_url   the same requests: http:// + Host + request-target (the target itself when
             it is absolute; the server's address when there is no Host header; none for
             CONNECT and '*'), exactly as hallmonitor builds it.
             HTTP over UDP (SSDP M-SEARCH to 239.255.255.250:1900) is left out on both
             sides: issue 2 asks for HTTP/1.x requests over TCP, and SSDP says nothing
             about what a pupil browses.

Recall per kind = |ours ∩ tshark| / |tshark| summed over files. Every file counts,
including those whose packets are IP fragments (hallmonitor reassembles them, as tshark
does).

Exit status: 0 if recall >= 99% for every kind and nothing observed is unseen by
tshark; 1 otherwise; 77 (CTest SKIP_RETURN_CODE) when tshark or the folder is missing.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict

KINDS = ("dns_query", "tls_sni", "quic_sni", "http_host", "http_url", "dhcp_lease")
RECALL_TARGET = 0.99  # issue 3: recall >= 99% per kind
RECALL_TARGETS = {}   # a kind that needs another figure says so here, with the reason
SKIP = 77
AGGREGATOR = "\x1f"  # tshark joins repeated fields with this; no name contains it


def tshark_fields(tshark, path, display_filter, fields):
    command = [tshark, "-n", "-r", path, "-Y", display_filter, "-T", "fields",
               "-E", "occurrence=a", "-E", "aggregator=" + AGGREGATOR]
    for field in fields:
        command += ["-e", field]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        raise RuntimeError(f"{path}: tshark failed: {result.stderr.strip()}")
    rows = []
    for line in result.stdout.splitlines():
        columns = line.split("\t")
        columns += [""] * (len(fields) - len(columns))
        rows.append([[v for v in column.split(AGGREGATOR) if v] for column in columns])
    return rows


def url_of(host, target, method, server):
    if method == "CONNECT" or not target or target == "*":
        return None
    if not target.startswith("/"):
        return target if "://" in target else None
    return "http://" + (host or server) + target


def tshark_observations(tshark, path):
    seen = defaultdict(set)
    for (names,) in tshark_fields(tshark, path, "dns.flags.response==0", ["dns.qry.name"]):
        seen["dns_query"].update(n for n in names if n != "<Root>")
    for (names,) in tshark_fields(tshark, path, "tls.handshake.type==1 && tcp",
                                  ["tls.handshake.extensions_server_name"]):
        seen["tls_sni"].update(names)
    for (names,) in tshark_fields(tshark, path, "tls.handshake.type==1 && quic",
                                  ["tls.handshake.extensions_server_name"]):
        seen["quic_sni"].update(names)
    for (names,) in tshark_fields(tshark, path, "dhcp", ["dhcp.option.hostname"]):
        seen["dhcp_lease"].update(names)
    rows = tshark_fields(tshark, path, "http.request && tcp",
                         ["http.host", "http.request.uri", "http.request.method",
                          "ip.dst", "ipv6.dst", "tcp.dstport"])
    for hosts, targets, methods, ip4, ip6, ports in rows:
        host = hosts[0] if hosts else ""
        port = ports[-1] if ports else "80"
        if ip6:
            server = "[" + ip6[-1] + "]"
        else:
            server = ip4[-1] if ip4 else ""
        if port != "80":
            server += ":" + port
        if host:
            seen["http_host"].add(host)
        for target, method in zip(targets, methods or ["GET"] * len(targets)):
            url = url_of(host, target, method, server)
            if url:
                seen["http_url"].add(url)
    return seen


def our_observations(hallmonitor, path):
    result = subprocess.run([hallmonitor, "observe", path], capture_output=True, text=True,
                            errors="replace")
    seen = defaultdict(set)
    for line in result.stdout.splitlines():
        observation = json.loads(line)
        seen[observation["kind"]].add(observation["text"])
    error = result.stderr.strip() if result.returncode != 0 else ""
    return seen, error


def percent(found, total):
    return f"{100.0 * found / total:5.1f}%" if total else "    - "


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hallmonitor", required=True, help="the hallmonitor binary")
    parser.add_argument("--tshark", default="tshark")
    parser.add_argument("pcap_dir")
    args = parser.parse_args()

    tshark = shutil.which(args.tshark)
    if tshark is None:
        print(f"SKIP: {args.tshark} not found; install Debian's tshark package to run this test")
        return SKIP
    if not os.path.isdir(args.pcap_dir):
        print(f"SKIP: test captures folder {args.pcap_dir} not found "
              "(it lives in ../shared/testdata/pcaps beside the checkout)")
        return SKIP
    files = sorted(f for f in os.listdir(args.pcap_dir) if f.endswith((".pcap", ".pcapng")))
    if not files:
        print(f"SKIP: no .pcap or .pcapng files in {args.pcap_dir}")
        return SKIP

    totals = {kind: [0, 0] for kind in KINDS}  # found, expected (files in the figure)
    unseen_by_tshark = []
    errors = []
    print(f"{'file':60} " + " ".join(f"{k:>16}" for k in KINDS))
    for name in files:
        path = os.path.join(args.pcap_dir, name)
        expected = tshark_observations(tshark, path)
        ours, error = our_observations(args.hallmonitor, path)
        if error:
            errors.append(f"{name}: hallmonitor observe failed: {error}")
        cells = []
        for kind in KINDS:
            found = len(ours[kind] & expected[kind])
            total = len(expected[kind])
            cells.append(f"{found:>4}/{total:<4} {percent(found, total)}" if total or ours[kind] else " " * 16)
            totals[kind][0] += found
            totals[kind][1] += total
            for value in sorted(ours[kind] - expected[kind]):
                unseen_by_tshark.append(f"{name}: {kind} {value!r}")
        print(f"{name[:60]:60} " + " ".join(f"{c:>16}" for c in cells))

    missed_any = False
    print("\nrecall per kind (all files):")
    for kind in KINDS:
        found, total = totals[kind]
        recall = found / total if total else 1.0
        target = RECALL_TARGETS.get(kind, RECALL_TARGET)
        ok = recall >= target
        missed_any |= not ok
        verdict = "ok" if ok else f"BELOW {100 * target:.0f}%"
        print(f"  {kind:10} {found:>4}/{total:<4} {percent(found, total)}  {verdict}")
    if unseen_by_tshark:
        print(f"\nobserved but not seen by tshark ({len(unseen_by_tshark)}):")
        for line in unseen_by_tshark:
            print(f"  {line}")
    else:
        print("\nobserved but not seen by tshark: none")
    for line in errors:
        print(line)
    return 1 if (missed_any or unseen_by_tshark or errors) else 0


if __name__ == "__main__":
    sys.exit(main())
