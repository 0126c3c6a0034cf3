#!/usr/bin/env python3
"""Pupils' names and the data-protection tools with the real binary (issue 5): the
school's CSV is imported with names sealed (a byte search of every file under the data
folder finds none of them); an incident is opened, noted and exported as HTML; a
subject-access export opens everything about one pupil; erasure deletes it, refusing
captures of an open incident unless forced with a reason; every step is audited and the
audit chain verifies.

usage: people_data_protection_test.py HALLMONITOR SAMPLE.pcap WORKDIR
"""
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from planted import exported_captures
from sealed_evidence_test import PASSWORD, byte_search, free_port, serve, set_up

NAMES = ["Jolene Quartermaine", "Amir Featherstonehaugh", "Oluwaseun O'Donnell-Smythe",
         "Quartermaine", "Featherstonehaugh"]


def fail(message):
    sys.exit("FAIL: " + message)


def admin(hallmonitor, *args, stdin=""):
    return subprocess.run([hallmonitor, "admin", *args], input=stdin, capture_output=True,
                          text=True)


def set_up_account(hallmonitor, data_dir, workdir):
    """Setup through the web API, as the headteacher would; returns the recovery key."""
    status = json.loads(admin(hallmonitor, "status", "--data-dir", str(data_dir),
                              "--json").stdout)
    server, browser = serve(hallmonitor, data_dir, workdir, free_port())
    try:
        code, done = set_up(browser, status["setup_code"])
        if code != 201:
            fail(f"setup failed: {code} {done}")
        return done["recovery_key"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    hallmonitor, sample, workdir = sys.argv[1:4]
    workdir = Path(workdir)
    data_dir = workdir / "data"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    replay = subprocess.run([hallmonitor, "replay", sample, "--data-dir", str(data_dir)],
                            capture_output=True, text=True)
    if replay.returncode != 0:
        fail(f"replay failed: {replay.stderr}")
    captures = exported_captures(hallmonitor, data_dir)
    with_mac = [c for c in captures if c["mac"]]
    if not with_mac:
        fail(f"the sample has no capture with a MAC address: {captures}")
    target = with_mac[0]
    mac = target["mac"]
    theirs = [c for c in captures if c["mac"] == mac]
    other_macs = sorted({c["mac"] for c in with_mac if c["mac"] != mac})
    other_mac = other_macs[0] if other_macs else "02:00:00:00:00:99"
    print(f"pupil's device {mac}: {len(theirs)} captures of {len(captures)}")

    # A malformed file is refused with its line number, and nothing is imported.
    bad = workdir / "bad.csv"
    bad.write_text('Name,Class,MAC\nJolene Quartermaine,5B,' + mac + '\n"Unclosed,6A,\n')
    refused = admin(hallmonitor, "import-people", "--data-dir", str(data_dir), str(bad))
    if refused.returncode != 1 or "line 3" not in refused.stderr:
        fail(f"a malformed CSV was not refused with its line: {refused.returncode} "
             f"{refused.stderr}")

    # The school's export as Excel writes it: BOM, CRLF, quoted commas, blank lines.
    csv = workdir / "pupils.csv"
    csv.write_bytes(("\ufeffName,Class,Device MAC,Host name,UPN,Notes\r\n"
                     f"Jolene Quartermaine,5B,{mac.upper().replace(':', '-')},"
                     "jolene-quartermaine-ipad,A123456789012,\r\n"
                     "\r\n"
                     f"\"Featherstonehaugh, Amir\",6A,{other_mac},,,\"likes, commas\"\r\n"
                     "\"Oluwaseun O'Donnell-Smythe\",6A,,,,\r\n").encode())
    imported = admin(hallmonitor, "import-people", "--data-dir", str(data_dir), str(csv),
                     "--username", "it.technician")
    if imported.returncode != 0 or "Imported 3 people" not in imported.stdout:
        fail(f"import failed: {imported.stdout}{imported.stderr}")
    csv.unlink()
    files, found = byte_search(data_dir, NAMES + ["jolene-quartermaine-ipad", "A123456789012"])
    if found:
        fail(f"pupils' names found in the data folder after import: {found}")
    print(f"3 pupils imported; no name in any of {len(files)} files")

    recovery_key = set_up_account(hallmonitor, data_dir, workdir)

    # An incident holding one of the pupil's captures, with a sealed note naming her.
    opened = admin(hallmonitor, "incident", "open", "--data-dir", str(data_dir), "--title",
                   "Jolene Quartermaine: self-harm searches", "--capture", str(target["id"]),
                   "--username",
                   "a.patel", "--json")
    if opened.returncode != 0:
        fail(f"incident open failed: {opened.stderr}")
    incident = json.loads(opened.stdout)["id"]
    noted = admin(hallmonitor, "incident", "note", str(incident), "--data-dir", str(data_dir),
                  "--username", "a.patel",
                  stdin="Spoke to Jolene Quartermaine's mother; referred to CAMHS.\n")
    if noted.returncode != 0:
        fail(f"incident note failed: {noted.stderr}")
    listed = json.loads(admin(hallmonitor, "incident", "list", "--data-dir", str(data_dir),
                              "--json").stdout)
    if [(i["id"], i["status"], i["captures"], i["title"]) for i in listed] != \
            [(incident, "open", 1, None)]:
        fail(f"incident list without a key shows more than it should: {listed}")
    opened_list = json.loads(admin(hallmonitor, "incident", "list", "--data-dir", str(data_dir),
                                   "--json", "--username", "a.patel",
                                   stdin=PASSWORD + "\n").stdout)
    if [i["title"] for i in opened_list] != ["Jolene Quartermaine: self-harm searches"]:
        fail(f"incident list with a key does not open the title: {opened_list}")
    report = workdir / "incident.html"
    if admin(hallmonitor, "incident", "export", str(incident), "--data-dir", str(data_dir),
             "--username", "a.patel", "--out", str(report),
             stdin="wrong password\n").returncode == 0 or report.exists():
        fail("a wrong password exported the incident")
    exported = admin(hallmonitor, "incident", "export", str(incident), "--data-dir",
                     str(data_dir), "--username", "a.patel", "--out", str(report),
                     stdin=PASSWORD + "\n")
    html = report.read_text() if report.exists() else ""
    if exported.returncode != 0 or "referred to CAMHS" not in html or \
            "Jolene Quartermaine: self-harm searches" not in html or "Exported from hallmonitor by a.patel" \
            not in html or target["host"] not in html:
        fail(f"incident export: {exported.stderr} {html[:400]}")
    print(f"incident {incident} exported ({len(html)} bytes of HTML)")

    # Subject access by name, with the recovery key.
    access = workdir / "subject-access.html"
    answered = admin(hallmonitor, "subject-access", "--data-dir", str(data_dir), "--person",
                     "jolene quartermaine", "--recovery-key", "--out", str(access),
                     stdin=recovery_key + "\n")
    html = access.read_text() if access.exists() else ""
    if answered.returncode != 0 or "Jolene Quartermaine" not in html or \
            "jolene-quartermaine-ipad" not in html or f"Captures ({len(theirs)})" not in html:
        fail(f"subject access: {answered.stdout}{answered.stderr} {html[:400]}")
    for capture in theirs:
        if capture["host"] not in html:
            fail(f"subject access lacks capture {capture['id']} ({capture['host']})")
    print(f"subject access: {answered.stdout.strip()}")

    # Erasure: refused while the incident is open, then forced with a reason.
    refused = admin(hallmonitor, "erase", "--data-dir", str(data_dir), "--person",
                    "Jolene Quartermaine", "--username", "a.patel", stdin=PASSWORD + "\n")
    if refused.returncode != 1 or "open incident" not in refused.stderr:
        fail(f"erasure of held captures was not refused: {refused.stderr}")
    erased = admin(hallmonitor, "erase", "--data-dir", str(data_dir), "--person",
                   "Jolene Quartermaine", "--username", "a.patel", "--force", "--reason",
                   "parent's erasure request, DSL approved", stdin=PASSWORD + "\n")
    if erased.returncode != 0:
        fail(f"erasure failed: {erased.stderr}")
    left = admin(hallmonitor, "export", "--data-dir", str(data_dir), "--username", "a.patel",
                 stdin=PASSWORD + "\n")
    remaining = [json.loads(line) for line in left.stdout.splitlines()]
    if any(c["mac"] == mac for c in remaining) or \
            len(remaining) != len(captures) - len(theirs):
        fail(f"erasure left captures of {mac}: {len(remaining)} of {len(captures)}")
    again = admin(hallmonitor, "subject-access", "--data-dir", str(data_dir), "--person",
                  "Jolene Quartermaine", "--recovery-key", "--out", str(workdir / "again.html"),
                  stdin=recovery_key + "\n")
    if again.returncode == 0:
        fail("the erased pupil is still found")
    print(f"erasure: {erased.stdout.strip()}")

    files, found = byte_search(data_dir, NAMES + ["referred to CAMHS"])
    if found:
        fail(f"names or notes found in the data folder: {found}")

    verified = admin(hallmonitor, "audit-verify", "--data-dir", str(data_dir), "--json")
    if verified.returncode != 0 or not json.loads(verified.stdout)["intact"]:
        fail(f"audit chain broken: {verified.stdout}")
    db = sqlite3.connect(data_dir / "hallmonitor.db")
    rows = list(db.execute("SELECT actor, action, detail FROM audit_log ORDER BY id"))
    db.close()
    actions = [row[1] for row in rows]
    for needed in ("people_import", "incident_open", "incident_change", "incident_export",
                   "subject_access", "erasure"):
        if needed not in actions:
            fail(f"no {needed} in the audit log: {actions}")
    erasure = [row for row in rows if row[1] == "erasure"][0]
    if erasure[0] != "a.patel" or "person 1 erased" not in erasure[2] or \
            "DSL approved" not in erasure[2]:
        fail(f"erasure audit entry: {erasure}")
    access_row = [row for row in rows if row[1] == "subject_access"][0]
    if access_row[0] != "recovery key" or f"{len(theirs)} captures" not in access_row[2]:
        fail(f"subject-access audit entry: {access_row}")
    if any(name in " ".join(row[2] for row in rows) for name in NAMES):
        fail("a pupil's name is in the audit log")
    print(f"audit log: {len(rows)} entries verified, none naming a pupil")


if __name__ == "__main__":
    main()
