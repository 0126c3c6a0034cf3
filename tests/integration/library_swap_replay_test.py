#!/usr/bin/env python3
"""A bundle imported while a replay runs is swapped in without losing a packet
(issue 4: "a bundle swapped in during a replay loses no packets").

A generated school day of about a million packets is replayed with two workers against
the data folder's active bundle (version 1, the generator's planted concerns). The
replay reads the capture through a named pipe the test feeds: the first half, then —
once the first batch of captures is committed — version 2 is imported with `library
import`, as the USB rule does, and the running replay's watcher (which looks every 2 s)
swaps it in between packets while the replay waits for the rest. Then:

* the replay read every packet the generator wrote (its summary line);
* every planted concern was stored exactly once (captures before the swap carry
  library version 1, those after it version 2; together all of them);
* both versions stored captures, so the swap happened during the replay and the
  replay said so on standard error.

usage: library_swap_replay_test.py HALLMONITOR TRAFFICGEN WORKDIR
"""
import os
import queue
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from small_library import write_small_library

# Time for the replay's watcher (every 2 s) to see version 2 while the replay waits on
# the pipe for the second half.
WATCHER_WAIT_S = 6
TRAFFIC = ["--flows", "70000", "--planted-every", "60", "--duration-minutes", "300",
           "--seed", "4242"]


class _Limited:
    """The first `limit` bytes of a file, for copyfileobj."""

    def __init__(self, source, limit):
        self.source, self.left = source, limit

    def read(self, size=-1):
        size = self.left if size < 0 else min(size, self.left)
        chunk = self.source.read(size)
        self.left -= len(chunk)
        return chunk


def drain(stream, sink):
    """Reads a child's pipe to its end on a thread. The replay prints a line per
    committed batch on its store thread; an unread pipe would fill (64 KiB, many small
    batches under ASan) and stall the replay while this test blocks writing the feed."""
    thread = threading.Thread(target=lambda: [sink(line) for line in stream], daemon=True)
    thread.start()
    return thread


def fail(message):
    sys.exit("FAIL: " + message)


def main():
    binary, trafficgen, work = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = work / "data"

    def run(*args):
        result = subprocess.run([binary, *args], capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"{' '.join(args)}: exit {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    pcap = work / "day.pcap"
    made = subprocess.run([trafficgen, "--out", str(pcap), *TRAFFIC], check=True,
                          capture_output=True, text=True)
    summary = re.search(r"(\d+) packets, \d+ flows \((\d+) planted", made.stdout + made.stderr)
    if not summary:
        fail(f"cannot read the generator's summary: {made.stdout}{made.stderr}")
    packets, planted = int(summary.group(1)), int(summary.group(2))

    sources = write_small_library(trafficgen, work / "sources")
    run("library", "keygen", "--out", str(work / "publisher"))
    (data / "trusted-keys").mkdir(parents=True)
    shutil.copy(work / "publisher.pub", data / "trusted-keys" / "publisher.pub")
    bundles = {}
    for version in (1, 2):
        bundles[version] = work / f"v{version}.hmlib"
        run("library", "build", str(sources), "--out", str(bundles[version]), "--key",
            str(work / "publisher.key"), "--version", str(version), "--publisher", "Test")
    run("library", "import", str(bundles[1]), "--data-dir", str(data))

    feed = work / "feed.pcap"
    os.mkfifo(feed)
    replay = subprocess.Popen(
        [binary, "replay", str(feed), "--data-dir", str(data), "--workers", "2",
         "--report-commits"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    commits, stderr_lines = queue.Queue(), []
    readers = [drain(replay.stdout, commits.put), drain(replay.stderr, stderr_lines.append)]
    size = pcap.stat().st_size
    with open(pcap, "rb") as source, open(feed, "wb") as pipe:
        shutil.copyfileobj(_Limited(source, size // 2), pipe)
        pipe.flush()
        try:
            first_commit = commits.get(timeout=300)
        except queue.Empty:
            first_commit = ""
        if '"committed"' not in first_commit:
            replay.kill()
            fail(f"no commit reported from the first half: {first_commit!r}")
        run("library", "import", str(bundles[2]), "--data-dir", str(data))
        time.sleep(WATCHER_WAIT_S)
        shutil.copyfileobj(source, pipe)
    replay.wait(timeout=600)
    for reader in readers:
        reader.join()
    stderr = "".join(stderr_lines)
    if replay.returncode != 0:
        fail(f"replay exit {replay.returncode}: {stderr}")

    read = re.search(r"replay: (\d+) packets", stderr)
    if not read or int(read.group(1)) != packets:
        fail(f"the replay read {read.group(1) if read else '?'} packets of {packets}: {stderr}")
    if "library bundle-2 is now active" not in stderr:
        fail(f"the replay did not take up version 2: {stderr}")

    with sqlite3.connect(next(data.glob("*.db"))) as db:
        by_version = dict(db.execute(
            "SELECT library_version, count(*) FROM captures GROUP BY library_version"))
        distinct = db.execute(
            "SELECT count(DISTINCT ts_us || client_ip || phrase) FROM captures").fetchone()[0]
    total = sum(by_version.values())
    if total != planted or distinct != planted:
        fail(f"{total} captures ({distinct} distinct) for {planted} planted concerns: "
             f"{by_version}")
    if len(by_version) != 2 or min(by_version.values()) == 0:
        fail(f"captures by library version: {by_version}; expected both 1 and 2")
    pcap.unlink()  # 800 MB
    print(f"{packets} packets replayed, none lost; {planted} planted concerns stored once "
          f"each, by library version: {by_version}")


if __name__ == "__main__":
    main()
