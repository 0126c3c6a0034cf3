#!/usr/bin/env python3
"""Replays the bundled sample and asserts exactly the planted captures are stored.

usage: replay_sample_test.py HALLMONITOR TRAFFICGEN SAMPLE.pcap WORKDIR
"""
import shutil
import subprocess
import sys
from pathlib import Path

from planted import describe_difference, planted_concerns, stored_captures


def main():
    hallmonitor, trafficgen, sample, workdir = sys.argv[1:5]
    data_dir = Path(workdir) / "data"
    shutil.rmtree(workdir, ignore_errors=True)
    expected = planted_concerns(trafficgen)
    assert sum(expected.values()) >= 5, f"the generator planted too little: {expected}"

    result = subprocess.run([hallmonitor, "replay", sample, "--data-dir", str(data_dir)],
                            capture_output=True, text=True)
    print(result.stderr, end="")
    if result.returncode != 0:
        sys.exit(f"replay failed with exit code {result.returncode}")

    actual = stored_captures(hallmonitor, data_dir)
    if actual != expected:
        sys.exit("stored captures differ from the planted concerns:\n" +
                 describe_difference(expected, actual))
    print(f"{sum(actual.values())} captures, exactly the planted ones:")
    for item in sorted(actual):
        print("  ", item)


if __name__ == "__main__":
    main()
