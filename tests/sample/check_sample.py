#!/usr/bin/env python3
"""Checks the bundled sample capture (tools/sample/school-morning.pcap).

  check_sample.py reproducible GENERATOR SAMPLE OUT
      regenerate with the defaults into OUT and compare byte for byte with SAMPLE
  check_sample.py planted GENERATOR SAMPLE
      tshark sees every planted concern exactly once, from its device, at its
      time; nothing else carries the planted names or phrases; and tshark finds
      no malformed packet, bad checksum or warning. Exit 77 (skip) without tshark.
"""
import filecmp
import json
import shutil
import subprocess
import sys
import urllib.parse

SKIP = 77
CHECKSUMS = ["-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
             "-o", "ip.check_checksum:TRUE"]


def fail(message):
    print("FAIL: " + message)
    return 1


def reproducible(generator, sample, out):
    subprocess.run([generator, "--out", out], check=True)
    if not filecmp.cmp(sample, out, shallow=False):
        return fail(f"{out} differs from the committed {sample}: the generator changed. "
                    f"If that was intended, regenerate the sample (tools/sample/README.md).")
    print(f"OK: {out} is byte-identical to {sample}")
    return 0


def tshark_rows(sample, display_filter, fields):
    command = ["tshark", "-r", sample, *CHECKSUMS, "-Y", display_filter, "-T", "fields",
               "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"]
    for field in fields:
        command += ["-e", field]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return [line.split("\t") for line in result.stdout.splitlines() if line.strip()]


def observations(sample):
    """(kind, text, epoch_us, ip, mac) for each DNS query, ClientHello and HTTP request."""
    rows = []
    common = ["frame.time_epoch", "ip.src", "eth.src"]
    for row in tshark_rows(sample, "dns.flags.response == 0", common + ["dns.qry.name"]):
        for name in row[3].split(","):
            rows.append(("dns_query", name, *row[:3]))
    for row in tshark_rows(sample, "tls.handshake.type == 1",
                           common + ["tls.handshake.extensions_server_name"]):
        rows.append(("tls_sni", row[3], *row[:3]))
    for row in tshark_rows(sample, "http.request",
                           common + ["http.host", "http.request.uri"]):
        rows.append(("http_url", f"http://{row[3]}{row[4]}", *row[:3]))
    return [(kind, text, round(float(ts) * 1e6), ip, mac) for kind, text, ts, ip, mac in rows]


def needles(concern):
    """Strings that must not appear in any other observation."""
    found = [concern["phrase"].lower()]
    if concern["kind"] != "http_url":
        found.append(concern["host"].lower())
    else:
        query = urllib.parse.urlsplit(concern["text"]).query
        found += [value.lower() for _, value in urllib.parse.parse_qsl(query)]
    return found


def planted(generator, sample):
    if shutil.which("tshark") is None:
        print("SKIP: tshark is not installed")
        return SKIP
    listed = subprocess.run([generator, "--list-planted"], check=True, capture_output=True,
                            text=True).stdout
    concerns = [json.loads(line) for line in listed.splitlines() if line.strip()]
    if len(concerns) != 8:
        return fail(f"expected 8 planted concerns, --list-planted gave {len(concerns)}")
    if len({c["ip"] for c in concerns}) != len(concerns):
        return fail("planted concerns must come from distinct devices")

    seen = observations(sample)
    errors = []
    for concern in concerns:
        errors_before = len(errors)
        matches = [o for o in seen if o[0] == concern["kind"] and o[1] == concern["text"]]
        if len(matches) != 1:
            errors.append(f"{concern['kind']} {concern['text']}: seen {len(matches)} times, "
                          f"expected once")
            continue
        _, _, ts, ip, mac = matches[0]
        if (ts, ip, mac) != (concern["ts_us"], concern["ip"], concern["mac"]):
            errors.append(f"{concern['text']}: seen at {ts} from {ip} {mac}, expected "
                          f"{concern['ts_us']} from {concern['ip']} {concern['mac']}")
        decoded = [urllib.parse.unquote_plus(o[1]).lower() for o in seen if o != matches[0]]
        for needle in needles(concern):
            others = [text for text in decoded if needle.replace("+", " ") in text]
            if others:
                errors.append(f"'{needle}' also appears in {others[:3]}")
        if len(errors) == errors_before:
            print(f"OK: {concern['kind']} {concern['text']} at {concern['ts']} from {ip}")

    # Raw bytes: a DNS name is in its query and its answer; everything else once.
    with open(sample, "rb") as capture:
        raw = capture.read().lower()
    for concern in concerns:
        token = (concern["host"] if concern["kind"] != "http_url"
                 else urllib.parse.urlsplit(concern["text"]).query).lower()
        if concern["kind"] == "dns_query":
            # DNS labels are length-prefixed: look for the longest label.
            token = max(token.split("."), key=len)
        limit = 2 if concern["kind"] == "dns_query" else 1
        count = raw.count(token.encode())
        if count == 0 or count > limit:
            errors.append(f"'{token}' occurs {count} times in the file's bytes (1..{limit})")

    problems = tshark_rows(sample, "_ws.malformed || _ws.expert.severity >= warning || "
                           "tcp.checksum.status == 2 || udp.checksum.status == 2 || "
                           "ip.checksum.status == 2", ["frame.number", "_ws.col.Info"])
    for row in problems[:10]:
        errors.append(f"tshark: frame {row[0]}: {row[1] if len(row) > 1 else ''}")

    for error in errors:
        print("FAIL: " + error)
    return 1 if errors else 0


def main(argv):
    if len(argv) == 5 and argv[1] == "reproducible":
        return reproducible(argv[2], argv[3], argv[4])
    if len(argv) == 4 and argv[1] == "planted":
        return planted(argv[2], argv[3])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
