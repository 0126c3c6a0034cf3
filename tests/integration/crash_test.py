#!/usr/bin/env python3
"""Durability under kill -9 (issue 5 item 5).

A replay of a dense capture (thousands of planted concerns) is killed with SIGKILL at
20 random moments and restarted each time into the same data folder. The replay runs
with --report-commits: after each committed batch it prints
{"committed": N, "first_id": A, "last_id": B} on standard output, so the test knows
exactly which captures the daemon called durable before each kill.

After every kill: PRAGMA integrity_check is ok; every capture reported committed is
present, unchanged, and exactly once (no two rows from the same packet: a restarted
replay skips what is stored already); and `hallmonitor admin audit-verify` passes.
At the end, one replay runs to completion: the stored captures are then exactly the
planted ones, once each, and every one opens. The replay uses a library of just the
planted concerns (small_library.py): it restarts 21 times, and the starter library
takes seconds to compile.

usage: crash_test.py HALLMONITOR TRAFFICGEN WORKDIR [SEED]
The seed is printed; pass it (or set HM_CRASH_SEED) to repeat a run's kill moments.
"""
import collections
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from small_library import write_small_library

KILLS = 20
STARTUP_KILLS = 4           # of them, this many land anywhere in start-up
PLANTED_EVERY_SECONDS = 24  # the dense capture: 8 concerns every 24 s for 2 hours (2,400)
SAME_PACKET = "ts_us, client_ip, phrase, category, entry_kind, observation_kind"


def fail(message):
    sys.exit("FAIL: " + message)


def rows(db_path):
    """Every stored capture: id -> (metadata..., digest of the sealed evidence)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        found = {row[0]: (*row[1:-1], hashlib.sha256(row[-1]).hexdigest())
                 for row in db.execute(f"SELECT id, {SAME_PACKET}, evidence FROM captures")}
    finally:
        db.close()
    return found


class Replay:
    """One replay process and the commit reports it printed."""

    def __init__(self, command):
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.started = time.monotonic()
        self.committed_ids = set()
        self.reports = 0
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            report = json.loads(line)
            with self.lock:
                self.committed_ids.update(range(report["first_id"], report["last_id"] + 1))
                self.reports += 1

    def reports_so_far(self):
        with self.lock:
            return self.reports

    def kill(self):
        """SIGKILL (if still running); returns whether it was still running."""
        running = self.process.poll() is None
        if running:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.reader.join()  # what it printed before dying is still in the pipe
        return running


def check(db_path, hallmonitor, data_dir, reported, before, moment):
    """The checks after a kill; returns the captures now stored."""
    if not db_path.exists():
        if reported:
            fail(f"{moment}: captures were reported committed but there is no database")
        return {}
    db = sqlite3.connect(db_path, timeout=10)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    # Killed before the first migration committed: the file exists, the schema does not
    # yet (each migration is one transaction; the next start makes it).
    migrated = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'captures'"
                          ).fetchone()[0] == 1
    repeated = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM captures GROUP BY {SAME_PACKET} "
                          "HAVING count(*) > 1)").fetchone()[0] if migrated else 0
    db.close()
    if integrity != "ok":
        fail(f"{moment}: integrity_check says {integrity}")
    if not migrated:
        if reported or before:
            fail(f"{moment}: captures were reported committed but the schema is not there")
        return {}
    if repeated:
        fail(f"{moment}: {repeated} captures are stored more than once")
    now = rows(db_path)
    lost = sorted(reported - now.keys())
    if lost:
        fail(f"{moment}: {len(lost)} captures reported committed are missing, e.g. ids {lost[:5]}")
    changed = [i for i in before if now.get(i) != before[i]]
    if changed:
        fail(f"{moment}: {len(changed)} captures stored before changed or vanished, "
             f"e.g. ids {changed[:5]}")
    verified = subprocess.run([hallmonitor, "admin", "audit-verify", "--data-dir", str(data_dir),
                               "--json"], capture_output=True, text=True)
    if verified.returncode != 0:
        fail(f"{moment}: audit chain broken: {verified.stdout}{verified.stderr}")
    return now


def main():
    hallmonitor, trafficgen, workdir = sys.argv[1:4]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else int(
        os.environ.get("HM_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    print(f"seed {seed} (pass it as the 4th argument or HM_CRASH_SEED to repeat this run)",
          flush=True)
    began = time.monotonic()
    workdir = Path(workdir)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    dense = workdir / "dense.pcap"
    generate = [trafficgen, "--planted-every", str(PLANTED_EVERY_SECONDS)]
    subprocess.run([*generate, "--out", str(dense)], check=True, capture_output=True)
    planted = [json.loads(line) for line in subprocess.run(
        [*generate, "--list-planted"], check=True, capture_output=True, text=True).stdout.splitlines()]
    expected = collections.Counter((p["ts_us"], p["ip"], p["category"], p["kind"]) for p in planted)
    print(f"{len(planted)} planted concerns in {dense.name}", flush=True)

    data_dir = workdir / "data"
    db_path = data_dir / "hallmonitor.db"
    library = write_small_library(trafficgen, workdir / "library")
    command = [hallmonitor, "replay", str(dense), "--data-dir", str(data_dir), "--library",
               str(library), "--report-commits"]
    stored = {}
    reported = set()
    mid_storing = 0
    for kill in range(KILLS):
        replay = Replay(command)
        if kill % (KILLS // STARTUP_KILLS) == 0:
            # Anywhere in start-up: opening, migrating, making the key pair, compiling
            # the library, the first batches.
            time.sleep(rng.uniform(0.0, 0.6))
            moment = f"kill {kill + 1} ({time.monotonic() - replay.started:.2f} s after start)"
        else:
            # While storing: after a random number of this run's commits, a random
            # fraction of a batch later.
            wanted = rng.randint(1, 6)
            deadline = time.monotonic() + 60
            while (replay.reports_so_far() < wanted and replay.process.poll() is None
                   and time.monotonic() < deadline):
                time.sleep(0.001)
            time.sleep(rng.uniform(0.0, 0.05))
            moment = f"kill {kill + 1} (after {replay.reports_so_far()} commits)"
        if replay.kill():
            mid_storing += 1 if replay.reports else 0
        reported |= replay.committed_ids
        stored = check(db_path, hallmonitor, data_dir, reported, stored, moment)
        print(f"{moment}: {len(stored)} captures stored, {len(reported)} reported committed",
              flush=True)

    # A last replay runs to the end: the store carries on after all that.
    final = subprocess.run(command, capture_output=True, text=True)
    if final.returncode != 0:
        fail(f"the replay after {KILLS} kills failed: {final.stderr}")
    stored = check(db_path, hallmonitor, data_dir, reported, stored, "the end")
    actual = collections.Counter((row[0], row[1], row[3], row[5]) for row in stored.values())
    if actual != expected:
        missing = expected - actual
        extra = actual - expected
        fail(f"after the last replay the captures are not the planted ones: "
             f"{sum(missing.values())} missing (e.g. {list(missing)[:3]}), "
             f"{sum(extra.values())} unexpected (e.g. {list(extra)[:3]})")
    status = json.loads(subprocess.run([hallmonitor, "admin", "status", "--data-dir",
                                        str(data_dir), "--json"], check=True, capture_output=True,
                                       text=True).stdout)
    opened = subprocess.run([hallmonitor, "admin", "export", "--data-dir", str(data_dir),
                             "--setup-code"], input=status["setup_code"] + "\n",
                            capture_output=True, text=True)
    exported = [json.loads(line) for line in opened.stdout.splitlines()]
    if opened.returncode != 0 or len(exported) != len(stored) or not all(
            c.get("opened") for c in exported):
        fail(f"not every capture opens after the kills: {opened.stderr[-500:]}")
    print(f"PASS: {KILLS} kills ({mid_storing} while storing), restarted each time; "
          f"{len(stored)} captures, exactly the planted ones, once each, all opening; "
          f"integrity_check ok and the audit chain verified after every kill; "
          f"{time.monotonic() - began:.1f} s")


if __name__ == "__main__":
    main()
