#!/usr/bin/env python3
"""USB library updates without hardware (issue 4 item 6).

Builds a FAT image as a school's USB stick would be (mkfs.vfat, mtools: no mount, no
root), holding a good signed bundle, a tampered copy of it, a bundle signed by a key
the box does not trust and a stray file, and runs the same import script the udev rule
starts (rootfs/usr/lib/hallmonitor/usb-library-import) on it. Checks the good bundle is
active, every other one is refused with its reason, the results are recorded for the
web UI (usb-imports.jsonl) and in the audit log, whose chain still verifies; and that a
stick with nothing on it, or an image that is not FAT, is reported plainly.

usage: usb_library_test.py HALLMONITOR SOURCE_DIR WORK_DIR
"""

import json
import pathlib
import shutil
import sqlite3
import subprocess
import sys

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def run(*args, check_exit=True, **kwargs):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if check_exit and done.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed ({done.returncode}):\n"
                 f"{done.stdout}{done.stderr}")
    return done


def fat_image(path, files):
    """A 4 MiB FAT image with `files` (name → local path) in its root."""
    path.unlink(missing_ok=True)
    run("mkfs.vfat", "-C", path, "4096")
    for name, local in files.items():
        run("mcopy", "-i", path, local, f"::/{name}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    hallmonitor, source, work = (pathlib.Path(a).resolve() for a in sys.argv[1:])
    for tool in ("mkfs.vfat", "mcopy", "mdir"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} is missing (tools/install-deps installs dosfstools and mtools)")
            return 77
    script = source / "rootfs/usr/lib/hallmonitor/usb-library-import"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = work / "data"
    (data / "trusted-keys").mkdir(parents=True)

    # A publisher the box trusts, and one it does not.
    run(hallmonitor, "library", "keygen", "--out", work / "publisher")
    run(hallmonitor, "library", "keygen", "--out", work / "stranger")
    shutil.copy(work / "publisher.pub", data / "trusted-keys/publisher.pub")
    library = source / "firmware/library"
    good = work / "starter-v7.hmlib"
    run(hallmonitor, "library", "build", library, "--out", good, "--key",
        work / "publisher.key", "--version", "7", "--publisher", "Test publisher")
    strange = work / "strange.hmlib"
    run(hallmonitor, "library", "build", library, "--out", strange, "--key",
        work / "stranger.key", "--version", "9", "--publisher", "Someone else")
    tampered = work / "tampered.hmlib"
    raw = bytearray(good.read_bytes())
    raw[len(raw) // 2] ^= 0x20
    tampered.write_bytes(bytes(raw))
    readme = work / "README.TXT"
    readme.write_text("library update for the school's box\n")

    stick = work / "stick.img"
    fat_image(stick, {"starter-v7.hmlib": good, "zz-tampered.hmlib": tampered,
                      "strange.hmlib": strange, "README.TXT": readme})
    done = run(script, "--image", stick, "--data-dir", data, "--hallmonitor", hallmonitor)
    print(done.stderr, end="")

    records = [json.loads(line) for line in
               (data / "library/usb-imports.jsonl").read_text().splitlines()]
    by_file = {record["file"]: record for record in records}
    check(set(by_file) == {"starter-v7.hmlib", "zz-tampered.hmlib", "strange.hmlib"},
          f"one record per bundle, none for README.TXT: {sorted(by_file, key=str)}")
    check(by_file.get("starter-v7.hmlib", {}).get("accepted") is True,
          f"the good bundle is accepted: {by_file.get('starter-v7.hmlib')}")
    check(by_file.get("strange.hmlib", {}).get("accepted") is False and
          "publisher" in by_file.get("strange.hmlib", {}).get("message", "").lower(),
          f"the unknown publisher is named: {by_file.get('strange.hmlib')}")
    tampered_record = by_file.get("zz-tampered.hmlib", {})
    check(tampered_record.get("accepted") is False,
          f"the tampered bundle is refused: {tampered_record}")

    shown = run(hallmonitor, "library", "show", "--data-dir", data).stdout
    check("7" in shown and "Test publisher" in shown,
          f"library show names the active bundle (version 7, Test publisher):\n{shown}")

    # The same stick again: version 7 is not newer than the active one.
    fat_image(stick, {"starter-v7.hmlib": good})
    run(script, "--image", stick, "--data-dir", data, "--hallmonitor", hallmonitor)
    last = json.loads((data / "library/usb-imports.jsonl").read_text().splitlines()[-1])
    check(last["accepted"] is False and ("older" in last["message"] or
                                         "newer" in last["message"] or
                                         "version" in last["message"]),
          f"re-inserting the same bundle is refused as not newer: {last}")

    # Nothing on the stick; and a file that is not a FAT image.
    fat_image(stick, {"README.TXT": readme})
    run(script, "--image", stick, "--data-dir", data, "--hallmonitor", hallmonitor)
    last = json.loads((data / "library/usb-imports.jsonl").read_text().splitlines()[-1])
    check(last["file"] is None and "no library bundle" in last["message"],
          f"an empty stick is reported plainly: {last}")
    not_fat = work / "not-fat.img"
    not_fat.write_bytes(b"\0" * 65536)
    done = run(script, "--image", not_fat, "--data-dir", data, "--hallmonitor", hallmonitor,
               check_exit=False)
    last = json.loads((data / "library/usb-imports.jsonl").read_text().splitlines()[-1])
    check(done.returncode == 1 and "could not read" in last["message"],
          f"a stick that is not FAT is reported: {last}")

    # The audit log holds the imports and refusals, and its chain verifies.
    database = data / "hallmonitor.db"
    if database.exists():
        with sqlite3.connect(database) as db:
            rows = [" ".join(map(str, row)) for row in db.execute("SELECT * FROM audit_log")]
        library_rows = [row for row in rows if "library" in row.lower() or "bundle" in row.lower()]
        check(len(library_rows) >= 4,
              f"imports and refusals are in the audit log ({len(library_rows)} rows)")
        verify = run(hallmonitor, "admin", "audit-verify", "--data-dir", data, check_exit=False)
        check(verify.returncode == 0, f"audit-verify passes: {verify.stdout}{verify.stderr}")
    else:
        check(False, f"the import made no database (audit log) at {database}")

    print("usb library import:", "FAILED" if FAILURES else "ok",
          f"({len(records)} records)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
