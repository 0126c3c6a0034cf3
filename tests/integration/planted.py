"""Shared helpers for the integration tests: the planted concerns and stored captures."""
import json
import subprocess
from collections import Counter


def planted_concerns(trafficgen):
    """What the sample generator planted, as a Counter of (category, severity, host, kind)."""
    out = subprocess.run([trafficgen, "--list-planted"], check=True, capture_output=True,
                         text=True).stdout
    expected = Counter()
    for line in out.splitlines():
        item = json.loads(line)
        expected[(item["category"], int(item["severity"]), item["host"], item["kind"])] += 1
    return expected


def exported_captures(hallmonitor, data_dir):
    """Every capture with its evidence opened, through the audited `admin export`.

    Evidence is sealed: reading the database gives nothing. Before setup, the one-time
    setup code (from `admin status`) opens it; it is passed on standard input.
    """
    status = json.loads(subprocess.run(
        [hallmonitor, "admin", "status", "--data-dir", str(data_dir), "--json"],
        check=True, capture_output=True, text=True).stdout)
    if not status["setup_code"]:
        raise RuntimeError(f"{data_dir} is already set up: export needs a password")
    out = subprocess.run([hallmonitor, "admin", "export", "--data-dir", str(data_dir),
                          "--setup-code"], input=status["setup_code"] + "\n", check=True,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def stored_captures(hallmonitor, data_dir):
    """Stored captures as a Counter of (category, severity, host, kind).

    Metadata comes from `captures list --json`; the host lives in the sealed evidence,
    opened by `admin export`.
    """
    out = subprocess.run([hallmonitor, "captures", "list", "--data-dir", str(data_dir), "--json"],
                         check=True, capture_output=True, text=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    hosts = {row["id"]: row["host"] for row in exported_captures(hallmonitor, data_dir)}
    return Counter((row["category"], row["severity"], hosts[row["id"]], row["kind"])
                   for row in rows)


def describe_difference(expected, actual):
    missing = expected - actual
    unexpected = actual - expected
    lines = [f"  missing:    {item} x{n}" for item, n in sorted(missing.items())]
    lines += [f"  unexpected: {item} x{n}" for item, n in sorted(unexpected.items())]
    return "\n".join(lines)
