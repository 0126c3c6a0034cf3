#!/usr/bin/env python3
"""The store survives a full disk (issue 5 item 5).

The data folder lives on a 3 MB tmpfs the test mounts; a ballast file takes part of it.
A replay of a dense capture (thousands of planted concerns) fills the rest. Then:
the replay fails, saying the disk is full; `admin status --json` and `stats --json` show
store_health disk_full with captures_unstored_disk_full counting what was not stored;
the database is intact and holds exactly the batches reported committed (nothing
half-written). The ballast is deleted; a replay of another capture then stores
everything, the health is ok again, the count of what was lost is kept, and the
database is intact.

Needs root to mount; exits 77 (skipped) without it.

usage: full_disk_test.py HALLMONITOR TRAFFICGEN WORKDIR
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from small_library import write_small_library

SKIP = 77
SIZE = "3m"
BALLAST_BYTES = 1024 * 1024


def fail(message):
    sys.exit("FAIL: " + message)


def status(hallmonitor, data_dir):
    out = subprocess.run([hallmonitor, "admin", "status", "--data-dir", str(data_dir), "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"admin status failed: {out.stderr}")
    return json.loads(out.stdout)


def stats_health(hallmonitor, data_dir):
    out = subprocess.run([hallmonitor, "stats", "--data-dir", str(data_dir), "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"stats failed: {out.stderr}")
    return json.loads(out.stdout.splitlines()[-1])["store_health"]


def database_state(db_path):
    db = sqlite3.connect(db_path, timeout=10)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        ids = [row[0] for row in db.execute("SELECT id FROM captures ORDER BY id")]
    finally:
        db.close()
    if integrity != "ok":
        fail(f"integrity_check says {integrity}")
    return ids


def replay(hallmonitor, pcap, data_dir, library):
    result = subprocess.run([hallmonitor, "replay", str(pcap), "--data-dir", str(data_dir),
                             "--library", str(library), "--report-commits"],
                            capture_output=True, text=True)
    committed = set()
    for line in result.stdout.splitlines():
        report = json.loads(line)
        committed.update(range(report["first_id"], report["last_id"] + 1))
    return result, committed


def run(hallmonitor, trafficgen, workdir, mount):
    dense = workdir / "dense.pcap"
    subprocess.run([trafficgen, "--planted-every", "24", "--out", str(dense)], check=True,
                   capture_output=True)
    other_day = workdir / "other-day.pcap"
    subprocess.run([trafficgen, "--start", "2026-03-03T08:45:00Z", "--out", str(other_day)],
                   check=True, capture_output=True)
    library = write_small_library(trafficgen, workdir / "library")
    ballast = mount / "ballast"
    ballast.write_bytes(b"\0" * BALLAST_BYTES)
    data_dir = mount / "data"
    db_path = data_dir / "hallmonitor.db"

    # 1. Fill the disk.
    result, committed = replay(hallmonitor, dense, data_dir, library)
    print(result.stderr, end="")
    if result.returncode == 0:
        fail("the replay into a full disk reported success")
    if "disk is full" not in result.stderr:
        fail(f"the replay did not say the disk is full: {result.stderr}")
    # SQLite can free pages after a rolled-back batch, so storing may already have
    # resumed by the end of the replay: then the health says what could not be
    # stored instead of "disk_full". Either way it must be visible.
    health = status(hallmonitor, data_dir)["store_health"]
    shown = health["state"] == "disk_full" or "could not be stored" in health["message"]
    if not shown or health["captures_unstored_disk_full"] <= 0:
        fail(f"admin status does not show the full disk: {health}")
    lost = health["captures_unstored_disk_full"]
    stats = stats_health(hallmonitor, data_dir)
    if stats["state"] != "disk_full" and stats.get("captures_unstored_disk_full", 0) <= 0:
        fail(f"stats does not show the full disk: {stats}")
    ids = database_state(db_path)
    if not ids or set(ids) != committed:
        fail(f"stored captures differ from the batches reported committed: {len(ids)} stored, "
             f"{len(committed)} reported")
    print(f"disk full: {len(ids)} captures stored, {lost} counted as captures_unstored_disk_full; "
          "integrity ok; nothing half-written", flush=True)

    # 2. Space returns: storing resumes, the count of what was lost stays.
    ballast.unlink()
    result, committed = replay(hallmonitor, other_day, data_dir, library)
    print(result.stderr, end="")
    if result.returncode != 0:
        fail(f"the replay after space returned failed: {result.stderr}")
    after = database_state(db_path)
    if len(after) <= len(ids) or not committed or not committed <= set(after):
        fail(f"storing did not resume: {len(ids)} captures before, {len(after)} after")
    health = status(hallmonitor, data_dir)["store_health"]
    if health["state"] != "ok" or health["captures_unstored_disk_full"] != lost:
        fail(f"admin status after space returned: {health} (expected ok, {lost} unstored)")
    if stats_health(hallmonitor, data_dir)["state"] != "ok":
        fail("stats does not show the store healthy again")
    db = sqlite3.connect(db_path, timeout=10)
    row = db.execute("SELECT value FROM settings WHERE key = 'health.store'").fetchone()
    counter = db.execute("SELECT value FROM settings WHERE key = "
                         "'store.captures_unstored_disk_full'").fetchone()
    db.close()
    if row is None or json.loads(row[0])["state"] != "ok" or counter != (str(lost),):
        fail(f"the health row or counter in settings is wrong: {row} {counter}")
    print(f"space returned: {len(after) - len(ids)} more captures stored; health ok; "
          f"{lost} captures_unstored_disk_full kept; integrity ok")


def main():
    hallmonitor, trafficgen, workdir = sys.argv[1:4]
    if os.geteuid() != 0:
        print("SKIP: mounting a small tmpfs needs root")
        sys.exit(SKIP)
    workdir = Path(workdir)
    mount = workdir / "mnt"
    if mount.is_mount():
        subprocess.run(["umount", str(mount)], check=False)
    shutil.rmtree(workdir, ignore_errors=True)
    mount.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        print(f"SKIP: cannot mount a tmpfs: {mounted.stderr.strip()}")
        sys.exit(SKIP)
    try:
        run(hallmonitor, trafficgen, workdir, mount)
    finally:
        subprocess.run(["umount", str(mount)], check=False)


if __name__ == "__main__":
    main()
