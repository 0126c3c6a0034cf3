#!/usr/bin/env python3
"""Alerts through the real binary (issue 7, "What it must show"): with a local SMTP
server (Debian's python3-aiosmtpd) on 127.0.0.1,

1. a severity-5 capture in a replay produces exactly one email within 10 seconds, to the
   DSL, with the category, severity, device and a link to the capture, and no evidence;
2. with the server stopped, the alert waits in the outbox; after the daemon is stopped,
   the server started and the daemon started again, it arrives, once.

The recording is the sample's one device with a severity-5 concern (filtered from
tools/sample/school-morning.pcap by its MAC), so exactly one capture is made.

usage: alerts_test.py HALLMONITOR SAMPLE.pcap WORKDIR
Exits 77 (skipped) when no Python on this machine has aiosmtpd.
"""
import email
import email.policy
import json
import mailbox
import shutil
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

from https_client import Browser
from mail_test import free_port, python_with_aiosmtpd, start_smtp

PASSWORD = "the blue door at noon"
SEVERITY5_DEVICE = bytes.fromhex("3c22fb40b213")


def fail(message):
    sys.exit("FAIL: " + message)


def filter_pcap(source, target, mac):
    """The classic-pcap records whose Ethernet source or destination is `mac`."""
    data = Path(source).read_bytes()
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out = bytearray(data[:24])
    offset = 24
    while offset + 16 <= len(data):
        captured = struct.unpack(endian + "IIII", data[offset:offset + 16])[2]
        record = data[offset:offset + 16 + captured]
        frame = record[16:]
        if frame[0:6] == mac or frame[6:12] == mac:
            out += record
        offset += 16 + captured
    Path(target).write_bytes(bytes(out))


def empty_pcap(source, target):
    Path(target).write_bytes(Path(source).read_bytes()[:24])


def received(maildir):
    if not (maildir / "new").exists():
        return []
    return [email.message_from_bytes(m.as_bytes(), policy=email.policy.default)
            for m in mailbox.Maildir(str(maildir), factory=None, create=False)]


def wait_for_mail(maildir, count, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        messages = received(maildir)
        if len(messages) >= count:
            return messages
        time.sleep(0.1)
    return received(maildir)


class Daemon:
    """`hallmonitor replay FILE --serve` on a data folder, stopped with SIGTERM."""

    def __init__(self, hallmonitor, pcap, data_dir):
        self.port = free_port()
        self.process = subprocess.Popen(
            [hallmonitor, "replay", str(pcap), "--data-dir", str(data_dir), "--serve",
             "--port", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.browser = Browser(f"https://127.0.0.1:{self.port}")
        for _ in range(1200):
            try:
                if self.browser.call("GET", "/api/setup/status")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                fail("hallmonitor exited: " + self.process.stderr.read().decode())
            time.sleep(0.1)
        fail("the web UI did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail("hallmonitor did not stop within 30 s of SIGTERM")


def set_up_box(hallmonitor, empty, data_dir, smtp_port):
    """Setup as the headteacher does it in the web UI: account, DSL address, mail server."""
    daemon = Daemon(hallmonitor, empty, data_dir)
    try:
        status = json.loads(subprocess.run([hallmonitor, "admin", "status", "--data-dir",
                                            str(data_dir), "--json"], capture_output=True,
                                           text=True, check=True).stdout)
        browser = daemon.browser
        code, answer = browser.call("POST", "/api/setup", {
            "setup_code": status["setup_code"], "display_name": "Anita Patel",
            "username": "a.patel", "password": PASSWORD})
        if code != 201:
            fail(f"setup: {code} {answer}")
        if browser.call("POST", "/api/login", {"username": "a.patel", "password": PASSWORD})[0] != 200:
            fail("sign-in after setup")
        code, answer = browser.call("PUT", "/api/settings/school", {
            "school_name": "Ysgol Llanfair", "dsl_email": "dsl@llanfair.example"})
        if code != 200:
            fail(f"school settings: {code} {answer}")
        code, answer = browser.call("PUT", "/api/system/mail", {
            "host": "127.0.0.1", "port": smtp_port, "security": "none", "username": "",
            "from_address": "hallmonitor@llanfair.example"})
        if code != 200:
            fail(f"mail settings: {code} {answer}")
    finally:
        daemon.stop()


def matched_phrases(hallmonitor, data_dir):
    """The library phrases the captures matched (metadata): never in an email's words."""
    out = subprocess.run([hallmonitor, "captures", "list", "--data-dir", str(data_dir), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line)["phrase"] for line in out.splitlines()]


def check_alert_email(message, phrases):
    subject = str(message["Subject"])
    if "Suicide" not in subject or "severity 5" not in subject:
        fail(f"the subject names the category and severity ({subject})")
    if "dsl@llanfair.example" not in str(message["To"]):
        fail(f"it went to the DSL ({message['To']})")
    body = message.get_content()
    for expected in ("3c:22:fb:40:b2:13", "5 of 5", "/captures/1"):
        if expected not in body:
            fail(f"the body carries {expected!r}:\n{body}")
    if not phrases:
        fail("the capture's phrase is known, to look for it")
    for phrase in phrases:
        if phrase.lower() in body.lower() or phrase.lower() in subject.lower():
            fail(f"the email carries no evidence ({phrase!r} found)")


def main():
    hallmonitor, sample, workdir = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    python = python_with_aiosmtpd()
    if python is None:
        print("SKIP: aiosmtpd is not installed; install it with tools/install-deps "
              "(Debian's python3-aiosmtpd)")
        sys.exit(77)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    severity5 = workdir / "severity5.pcap"
    filter_pcap(sample, severity5, SEVERITY5_DEVICE)
    empty = workdir / "empty.pcap"
    empty_pcap(sample, empty)

    # 1. One capture, one email, within 10 seconds of the replay starting.
    smtp_port = free_port()
    maildir = workdir / "maildir"
    smtp = start_smtp(python, smtp_port, maildir)
    try:
        data_dir = workdir / "data"
        set_up_box(hallmonitor, empty, data_dir, smtp_port)
        started = time.monotonic()
        daemon = Daemon(hallmonitor, severity5, data_dir)
        try:
            messages = wait_for_mail(maildir, 1, 10 - (time.monotonic() - started))
            took = time.monotonic() - started
            if len(messages) != 1:
                fail(f"one email within 10 s of the replay's start (got {len(messages)})")
            check_alert_email(messages[0], matched_phrases(hallmonitor, data_dir))
            print(f"ok   the severity-5 capture's alert arrived {took:.1f} s after the replay "
                  f"started: {messages[0]['Subject']}")
            time.sleep(3)  # a few more passes of the alerts' thread
            if len(received(maildir)) != 1:
                fail(f"still exactly one email 3 s later (got {len(received(maildir))})")
            print("ok   exactly one email")
        finally:
            daemon.stop()
    finally:
        smtp.terminate()
        smtp.wait(10)

    # 2. Server down: the alert waits; a restart after the server is back sends it once.
    smtp_port = free_port()
    maildir = workdir / "maildir-restart"
    smtp = start_smtp(python, smtp_port, maildir)
    data_dir = workdir / "data-restart"
    set_up_box(hallmonitor, empty, data_dir, smtp_port)
    smtp.terminate()
    smtp.wait(10)
    daemon = Daemon(hallmonitor, severity5, data_dir)
    try:
        state = None
        for _ in range(100):
            state = subprocess.run(
                ["sqlite3", "-readonly", str(data_dir / "hallmonitor.db"),
                 "SELECT state || ' ' || attempts FROM outbox WHERE kind = 'alert'"],
                capture_output=True, text=True).stdout.strip()
            if state.startswith("retrying"):
                break
            time.sleep(0.1)
        if not state.startswith("retrying"):
            fail(f"with the server down the alert waits to be retried (outbox: {state!r})")
        print(f"ok   with the server down the alert waits in the outbox ({state} attempt)")
    finally:
        daemon.stop()
    smtp = start_smtp(python, smtp_port, maildir)
    try:
        started = time.monotonic()
        daemon = Daemon(hallmonitor, empty, data_dir)
        try:
            messages = wait_for_mail(maildir, 1, 10)
            if len(messages) != 1:
                fail(f"after the restart the alert arrives (got {len(messages)})")
            check_alert_email(messages[0], matched_phrases(hallmonitor, data_dir))
            print(f"ok   after the restart it arrived in {time.monotonic() - started:.1f} s")
            time.sleep(3)
            if len(received(maildir)) != 1:
                fail(f"it arrived once (got {len(received(maildir))})")
            print("ok   it arrived once")
        finally:
            daemon.stop()
        daemon = Daemon(hallmonitor, empty, data_dir)  # and once more: nothing is resent
        try:
            time.sleep(3)
            if len(received(maildir)) != 1:
                fail(f"a further restart sends nothing again (got {len(received(maildir))})")
            print("ok   a further restart sends nothing again")
        finally:
            daemon.stop()
    finally:
        smtp.terminate()
        smtp.wait(10)
    print("alerts_test: all checks passed")


if __name__ == "__main__":
    main()
