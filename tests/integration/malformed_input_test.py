#!/usr/bin/env python3
"""Bad input gives a clear message naming the file and where, a non-zero exit, no crash.

usage: malformed_input_test.py HALLMONITOR SAMPLE.pcap LIBRARY_DIR WORKDIR
"""
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

failures = []


def run(args):
    return subprocess.run(args, capture_output=True, text=True, timeout=600)


def expect_clear_failure(name, args, must_mention):
    """The command must exit 1 (not crash: no signal, no sanitizer abort) and its
    message must match every pattern in must_mention."""
    result = run(args)
    message = result.stderr.strip()
    problems = []
    if result.returncode != 1:
        problems.append(f"exit code {result.returncode}, expected 1")
    for pattern in must_mention:
        if not re.search(pattern, message):
            problems.append(f"message does not mention /{pattern}/")
    if "Sanitizer" in message or "terminate called" in message:
        problems.append("crashed")
    status = "ok" if not problems else "FAIL: " + "; ".join(problems)
    print(f"{name}: {status}\n    {message.splitlines()[-1] if message else '(no message)'}")
    if problems:
        failures.append(name)


def main():
    hallmonitor, sample, library_dir, workdir = sys.argv[1:5]
    work = Path(workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    data = Path(sample).read_bytes()
    truncated = work / "truncated.pcap"
    # Cut inside a packet record: past the 24-byte file header and the first record.
    truncated.write_bytes(data[: len(data) // 2 + 7])
    garbage = work / "garbage.pcap"
    garbage.write_bytes(random.Random(7).randbytes(4096))
    empty = work / "empty.pcap"
    empty.write_bytes(b"")

    for command in (["observe"], ["replay", "--data-dir", str(work / "data")]):
        verb = command[0]
        expect_clear_failure(f"{verb} truncated pcap", [hallmonitor, *command, str(truncated)],
                             [re.escape(truncated.name), r"(offset|packet|byte)"])
        expect_clear_failure(f"{verb} garbage bytes", [hallmonitor, *command, str(garbage)],
                             [re.escape(garbage.name)])
        expect_clear_failure(f"{verb} empty file", [hallmonitor, *command, str(empty)],
                             [re.escape(empty.name)])
        expect_clear_failure(f"{verb} missing file",
                             [hallmonitor, *command, str(work / "nope.pcap")], [r"nope\.pcap"])

    bad_library = work / "library"
    shutil.copytree(library_dir, bad_library)
    victim = sorted(p for p in bad_library.iterdir() if p.suffix == ".hml")[0]
    lines = victim.read_text().splitlines()
    lines.append("this line is not an entry at all")
    victim.write_text("\n".join(lines) + "\n")
    expect_clear_failure("replay with a library file with a bad line",
                         [hallmonitor, "replay", sample, "--data-dir", str(work / "data2"),
                          "--library", str(bad_library)],
                         [re.escape(victim.name) + ":" + str(len(lines))])

    if failures:
        sys.exit(f"{len(failures)} malformed-input checks failed: {', '.join(failures)}")
    print("every malformed input was refused clearly")


if __name__ == "__main__":
    main()
