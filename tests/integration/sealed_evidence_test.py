#!/usr/bin/env python3
"""Sealed evidence with the real binary (issue 5): nothing observed is readable in the data
folder; it opens only for a signed-in user or with the recovery key; every opening is
audited, and an edited audit row is named by `admin audit-verify`.

usage: sealed_evidence_test.py HALLMONITOR SAMPLE.pcap WORKDIR
"""
import json
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

from planted import exported_captures

from https_client import Browser

PASSWORD = "the blue door at noon"


def fail(message):
    sys.exit("FAIL: " + message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def byte_search(data_dir, strings):
    """Every file under the data folder (database, WAL, shared memory, certificates…)."""
    found = []
    files = [p for p in Path(data_dir).rglob("*") if p.is_file()]
    for path in files:
        content = path.read_bytes()
        found += [(s, path.name) for s in strings if s.encode() in content]
    return files, found


def admin(hallmonitor, *args, stdin=""):
    return subprocess.run([hallmonitor, "admin", *args], input=stdin, capture_output=True,
                          text=True)


def serve(hallmonitor, data_dir, workdir, port):
    """Serves DATA_DIR's web UI (a replay of a capture with no packets, then --serve) and
    waits until it answers; returns the server process and a Browser on it."""
    empty = Path(workdir) / "empty.pcap"
    empty.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    server = subprocess.Popen([hallmonitor, "replay", str(empty), "--data-dir", str(data_dir),
                               "--serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    browser = Browser(f"https://127.0.0.1:{port}")
    for _ in range(1200):  # up to 2 minutes on a loaded machine
        try:
            if browser.call("GET", "/api/setup/status")[0] == 200:
                break
        except OSError:
            if server.poll() is not None:
                fail(f"the server stopped: {server.stderr.read()}")
            time.sleep(0.1)
    return server, browser


def set_up(browser, setup_code):
    """The first-run setup as the headteacher would do it; returns (status, answer)."""
    return browser.call("POST", "/api/setup", {
        "setup_code": setup_code, "display_name": "Anita Patel",
        "username": "a.patel", "password": PASSWORD})


def main():
    hallmonitor, sample, workdir = sys.argv[1:4]
    data_dir = Path(workdir) / "data"
    shutil.rmtree(workdir, ignore_errors=True)
    replay = subprocess.run([hallmonitor, "replay", sample, "--data-dir", str(data_dir)],
                            capture_output=True, text=True)
    if replay.returncode != 0:
        fail(f"replay failed: {replay.stderr}")

    # What was observed, opened through the audited export (the setup code opens it
    # before setup). Search for every whole string longer than the entry it matched.
    captures = exported_captures(hallmonitor, data_dir)
    if len(captures) < 5 or not all(c["opened"] for c in captures):
        fail(f"expected the sample's captures, all opening: {captures}")
    secrets = set()
    for capture in captures:
        for field in ("text", "url", "host"):
            value = capture[field]
            if value and len(value) > len(capture["phrase"]) and capture["phrase"] != value:
                secrets.add(value)
    files, found = byte_search(data_dir, secrets)
    if found:
        fail(f"observed text found in the data folder: {found}")
    print(f"none of {len(secrets)} observed texts, URLs and hosts in {len(files)} files "
          f"({', '.join(sorted(p.name for p in files))})")

    # Set up and sign in through the web UI; each capture's page opens its evidence.
    port = free_port()
    status = json.loads(admin(hallmonitor, "status", "--data-dir", str(data_dir), "--json").stdout)
    server, browser = serve(hallmonitor, data_dir, workdir, port)
    try:
        code, done = set_up(browser, status["setup_code"])
        if code != 201 or len(done.get("recovery_key", "")) != 47:
            fail(f"setup did not give a recovery key: {code} {done}")
        recovery_key = done["recovery_key"]
        code, _ = browser.call("POST", "/api/login", {"username": "a.patel", "password": PASSWORD})
        if code != 200:
            fail(f"sign-in failed: {code}")
        # The list carries no evidence; each capture's page opens it for this session.
        code, page = browser.call("GET", "/api/captures?limit=200")
        if code != 200 or len(page["captures"]) != len(captures):
            fail(f"the signed-in list is wrong: {code} {page}")
        hosts = []
        for listed in page["captures"]:
            code, detail = browser.call("GET", f"/api/captures/{listed['id']}")
            if code != 200 or detail.get("sealed"):
                fail(f"capture {listed['id']} did not open for the session: {code} {detail}")
            hosts.append(detail["host"])
        if sorted(hosts) != sorted(c["host"] for c in captures):
            fail(f"the opened evidence differs from what was observed: {hosts}")
        browser.call("POST", "/api/logout", {})
    finally:
        server.terminate()
        server.wait(timeout=30)

    # After setup the setup code opens nothing; the recovery key resets a lost password.
    if admin(hallmonitor, "export", "--data-dir", str(data_dir), "--setup-code",
             stdin=status["setup_code"] + "\n").returncode == 0:
        fail("the setup code still opens the evidence after setup")
    if admin(hallmonitor, "export", "--data-dir", str(data_dir), "--username", "a.patel",
             stdin="not the password\n").returncode == 0:
        fail("a wrong password opened the evidence")
    recovered = admin(hallmonitor, "recover", "--data-dir", str(data_dir), "--username", "a.patel",
                      stdin=f"{recovery_key.lower()}\nfound it again at last\n")
    if recovered.returncode != 0:
        fail(f"recover failed: {recovered.stderr}")
    exported = admin(hallmonitor, "export", "--data-dir", str(data_dir), "--username", "a.patel",
                     stdin="found it again at last\n")
    if exported.returncode != 0 or len(exported.stdout.splitlines()) != len(captures):
        fail(f"export with the recovered password failed: {exported.stderr}")
    files, found = byte_search(data_dir, secrets)
    if found:
        fail(f"observed text found in the data folder after viewing: {found}")

    # The audit trail: intact, covering each step; an edited row is named.
    verified = admin(hallmonitor, "audit-verify", "--data-dir", str(data_dir), "--json")
    report = json.loads(verified.stdout)
    if verified.returncode != 0 or not report["intact"]:
        fail(f"audit chain broken: {verified.stdout}")
    db = sqlite3.connect(data_dir / "hallmonitor.db")
    actions = [row[0] for row in db.execute("SELECT action FROM audit_log ORDER BY id")]
    for needed in ("evidence_export", "setup", "login", "evidence_view", "logout",
                   "login_failed", "recover"):
        if needed not in actions:
            fail(f"no {needed} in the audit log: {actions}")
    target = actions.index("evidence_view") + 1
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET detail = 'captures 1' WHERE id = ?", (target,))
    db.commit()
    db.close()
    broken = admin(hallmonitor, "audit-verify", "--data-dir", str(data_dir))
    if broken.returncode != 1 or f"entry {target} is broken" not in broken.stdout:
        fail(f"audit-verify did not name entry {target}: {broken.stdout}{broken.stderr}")
    print(f"audit log: {len(actions)} entries verified; the edited entry {target} is named: "
          f"{broken.stdout.strip()}")


if __name__ == "__main__":
    main()
