#!/usr/bin/env python3
"""Signed library bundles with the real binary (issue 4 item 5): keygen, build, verify,
import, show, rollback; every kind of bad bundle is rejected with its reason (exit 1)
and leaves the active library as it was; replay uses the active bundle; `library match
--data-dir` reads it and names the exceptions that suppressed hits.

usage: library_bundle_test.py HALLMONITOR LIBRARY_DIR SAMPLE.pcap WORKDIR
"""
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path


def fail(message):
    sys.exit("FAIL: " + message)


def main():
    binary, library_dir, sample, work = sys.argv[1], Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = work / "data"
    # Two categories of the starter library: compiling all of it takes long on a busy
    # machine, and the bundle code does not depend on its size. discrimination.hml
    # holds the exceptions ("homo sapiens") the match check needs.
    sources = work / "sources"
    sources.mkdir()
    for name in ("gambling.hml", "discrimination.hml"):
        shutil.copy(library_dir / name, sources / name)

    def run(*args, stdin=None, expect=0):
        result = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True)
        if result.returncode != expect:
            fail(f"{' '.join(args)}: exit {result.returncode}, expected {expect}\n"
                 f"{result.stdout}\n{result.stderr}")
        return result

    def active():
        pointer = data / "library" / "active"
        return json.loads(pointer.read_text())["version"] if pointer.exists() else None

    def build(version, out, key="publisher", source=sources):
        run("library", "build", str(source), "--out", str(work / out), "--key",
            str(work / f"{key}.key"), "--version", str(version), "--publisher", "Test Publisher")
        return work / out

    def reject(bundle, reason):
        result = run("library", "import", str(bundle), "--data-dir", str(data), expect=1)
        if f"rejected ({reason})" not in result.stderr:
            fail(f"{bundle.name}: expected rejection '{reason}', got: {result.stderr}")
        if active() != 5:
            fail(f"{bundle.name}: the active library changed to {active()}")

    run("library", "keygen", "--out", str(work / "publisher"))
    run("library", "keygen", "--out", str(work / "stranger"))
    if (work / "publisher.key").stat().st_mode & 0o777 != 0o600:
        fail("the private key is not mode 0600")
    run("library", "keygen", "--out", str(work / "publisher"), expect=1)  # never overwritten
    (data / "trusted-keys").mkdir(parents=True)
    shutil.copy(work / "publisher.pub", data / "trusted-keys" / "publisher.pub")

    v5 = build(5, "v5.hmlib")
    run("library", "verify", str(v5), "--trusted-keys", str(data / "trusted-keys"))
    run("library", "verify", str(v5), "--trusted-keys", str(work / "nowhere"), expect=1)
    run("library", "import", str(v5), "--data-dir", str(data))
    if active() != 5:
        fail("version 5 is not active after import")

    bytes5 = v5.read_bytes()
    tampered = work / "tampered.hmlib"
    middle = len(bytes5) // 2
    tampered.write_bytes(bytes5[:middle] + bytes([bytes5[middle] ^ 1]) + bytes5[middle + 1:])
    reject(tampered, "bad signature")
    reject(build(6, "stranger.hmlib", key="stranger"), "unknown publisher")
    reject(build(4, "older.hmlib"), "not newer")
    reject(v5, "not newer")
    truncated = work / "truncated.hmlib"
    truncated.write_bytes(bytes5[:-30])
    reject(truncated, "truncated")
    huge = work / "huge.hmlib"
    with open(huge, "wb") as f:
        f.write(b"HMBUNDLE")
        f.truncate(64 * 1024 * 1024 + 1)
    reject(huge, "too large")

    v6 = build(6, "v6.hmlib")
    run("library", "import", str(v6), "--data-dir", str(data))
    if active() != 6:
        fail("version 6 is not active after import")
    shown = run("library", "show", "--data-dir", str(data)).stdout
    for expected in ("bundle version 6", "previous:       bundle version 5", "import version 5",
                     "reject version 6 from Test Publisher: unknown publisher", "bad signature",
                     "not newer", "truncated", "too large"):
        if expected not in shown:
            fail(f"library show lacks '{expected}':\n{shown}")
    run("library", "rollback", "--data-dir", str(data))
    if active() != 5:
        fail("rollback did not restore version 5")
    if "rollback version 5" not in run("library", "show", "--data-dir", str(data)).stdout:
        fail("library show does not list the rollback")
    run("library", "rollback", "--data-dir", str(data), expect=1)  # one step back only

    databases = list(data.glob("*.db"))
    if not databases:
        fail("no database in the data folder")
    with sqlite3.connect(databases[0]) as db:
        details = [row[0] for row in db.execute(
            "SELECT detail FROM audit_log WHERE action = 'library_change' ORDER BY id")]
    if len(details) != 9 or "rejected (bad signature)" not in details[1] or \
            "rolled back" not in details[-1]:
        fail(f"audit log entries: {details}")

    matched = run("library", "match", "--data-dir", str(data),
                  stdin="homo sapiens\nbet365.com\n").stdout.splitlines()
    first, second = json.loads(matched[0]), json.loads(matched[1])
    if not first["suppressed"] or first["suppressed"][0]["exception"] != "homo sapiens":
        fail(f"match does not name the suppressing exception: {matched[0]}")
    if not second["hits"]:
        fail(f"bet365.com does not hit the active bundle: {matched[1]}")
    run("library", "match", "--bundle", str(v6), "--trusted-keys", str(data / "trusted-keys"),
        stdin="bet365.com\n")
    run("library", "match", "--bundle", str(tampered), "--trusted-keys",
        str(data / "trusted-keys"), stdin="x\n", expect=1)

    # The school's own words count too, as they do for the box.
    school = data / "library" / "school"
    school.mkdir()
    (school / "gambling.hml").write_text(
        "category: gambling\ntitle: Gambling\ndescription: Betting and casino sites.\n\n"
        "lucky spinz | phrase | 2 | en | a local slot site's name\n")
    matched = run("library", "match", "--data-dir", str(data),
                  stdin="try lucky spinz today\n").stdout
    if json.loads(matched)["hits"][0]["pattern"] != "lucky spinz":
        fail(f"library match --data-dir ignores the school's own words: {matched}")
    shutil.rmtree(school)

    replayed = run("replay", sample, "--data-dir", str(data))
    if "using the active library bundle (bundle-5" not in replayed.stderr:
        fail(f"replay did not use the active bundle:\n{replayed.stderr}")
    print("PASS")


if __name__ == "__main__":
    main()
