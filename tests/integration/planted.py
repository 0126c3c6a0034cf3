"""Shared helpers for the integration tests: the planted concerns and stored captures."""
import json
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path


def planted_concerns(trafficgen):
    """What the sample generator planted, as a Counter of (category, severity, host, kind)."""
    out = subprocess.run([trafficgen, "--list-planted"], check=True, capture_output=True,
                         text=True).stdout
    expected = Counter()
    for line in out.splitlines():
        item = json.loads(line)
        expected[(item["category"], int(item["severity"]), item["host"], item["kind"])] += 1
    return expected


def stored_captures(hallmonitor, data_dir):
    """Stored captures as a Counter of (category, severity, host, kind).

    Metadata comes from `captures list --json`; the host lives in the evidence blob.
    """
    out = subprocess.run([hallmonitor, "captures", "list", "--data-dir", str(data_dir), "--json"],
                         check=True, capture_output=True, text=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    db = sqlite3.connect(f"file:{Path(data_dir) / 'hallmonitor.db'}?mode=ro", uri=True)
    hosts = {row_id: json.loads(blob)["host"]
             for row_id, blob in db.execute("SELECT id, evidence FROM captures")}
    db.close()
    return Counter((row["category"], row["severity"], hosts[row["id"]], row["kind"])
                   for row in rows)


def describe_difference(expected, actual):
    missing = expected - actual
    unexpected = actual - expected
    lines = [f"  missing:    {item} x{n}" for item, n in sorted(missing.items())]
    lines += [f"  unexpected: {item} x{n}" for item, n in sorted(unexpected.items())]
    return "\n".join(lines)
