#!/usr/bin/env python3
"""Email through the real binary (issue 6 item 1, the base of issue 7's alerts): a local
SMTP server (Debian's python3-aiosmtpd) on 127.0.0.1 receives the test email sent
through the API after setup — from the saved settings, to the DSL's address, with the
school's non-ASCII name encoded in the headers — and a refused or unreachable server
comes back as a plain error, audited.

usage: mail_test.py HALLMONITOR SAMPLE.pcap WORKDIR
Exits 77 (skipped) when no Python on this machine has aiosmtpd.
"""
import email
import email.header
import email.policy
import json
import mailbox
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from https_client import Browser

PASSWORD = "the blue door at noon"
SCHOOL = "Ysgol Gynradd Llanfair – Ñandú"


def fail(message):
    sys.exit("FAIL: " + message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def python_with_aiosmtpd():
    """This interpreter, or Debian's (python3-aiosmtpd installs for /usr/bin/python3)."""
    for candidate in (sys.executable, "/usr/bin/python3"):
        if candidate and subprocess.run([candidate, "-c", "import aiosmtpd"],
                                        capture_output=True).returncode == 0:
            return candidate
    return None


def start_smtp(python, port, maildir):
    """aiosmtpd's own command line, delivering into a Maildir we read back."""
    server = subprocess.Popen([python, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                fail("aiosmtpd did not start: " + server.stderr.read().decode())
            time.sleep(0.1)
    fail("aiosmtpd did not listen")


def main():
    hallmonitor, sample, workdir = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    python = python_with_aiosmtpd()
    if python is None:
        print("SKIP: aiosmtpd is not installed; install it with tools/install-deps "
              "(Debian's python3-aiosmtpd)")
        sys.exit(77)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    data_dir = workdir / "data"
    maildir = workdir / "maildir"
    smtp_port = free_port()
    smtp = start_smtp(python, smtp_port, maildir)
    web_port = free_port()
    daemon = subprocess.Popen([hallmonitor, "replay", sample, "--data-dir", str(data_dir),
                               "--serve", "--port", str(web_port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        browser = Browser(f"https://127.0.0.1:{web_port}")
        for _ in range(1200):
            try:
                if browser.call("GET", "/api/setup/status")[0] == 200:
                    break
            except OSError:
                pass
            if daemon.poll() is not None:
                fail("hallmonitor exited: " + daemon.stderr.read().decode())
            time.sleep(0.1)
        status = json.loads(subprocess.run([hallmonitor, "admin", "status", "--data-dir",
                                            str(data_dir), "--json"], capture_output=True,
                                           text=True, check=True).stdout)
        code, answer = browser.call("POST", "/api/setup", {
            "setup_code": status["setup_code"], "display_name": "Anita Patel",
            "username": "a.patel", "password": PASSWORD})
        if code != 201:
            fail(f"setup: {code} {answer}")
        code, answer = browser.call("POST", "/api/login", {"username": "a.patel", "password": PASSWORD})
        if code != 200:
            fail(f"login: {code} {answer}")

        # Before any settings: the test button says what to do.
        code, answer = browser.call("POST", "/api/system/mail/test", {"to": ""})
        if code != 409 or "Save the mail server" not in answer["message"]:
            fail(f"a test email before settings is refused with what to do ({code} {answer})")
        print("ok   a test email before the mail settings says to save them first")

        code, answer = browser.call("PUT", "/api/settings/school",
                                    {"school_name": SCHOOL, "dsl_email": "dsl@llanfair.example"})
        if code != 200:
            fail(f"school settings: {code} {answer}")
        code, answer = browser.call("PUT", "/api/system/mail", {
            "host": "127.0.0.1", "port": smtp_port, "security": "none", "username": "",
            "from_address": "hallmonitor@llanfair.example"})
        if code != 200 or not answer["configured"]:
            fail(f"mail settings: {code} {answer}")

        started = time.monotonic()
        code, answer = browser.call("POST", "/api/system/mail/test", {"to": ""}, timeout=60)
        if code != 200 or not answer.get("sent"):
            fail(f"the test email is sent: {code} {answer}")
        print(f"ok   the test email is sent through the API ({time.monotonic() - started:.1f} s)")

        # Only the test email: the replayed sample's alerts (issue 7) may arrive too.
        messages = []
        for _ in range(50):
            messages = [m for m in (mailbox.Maildir(str(maildir), factory=None, create=False)
                                    if (maildir / "new").exists() else [])
                        if "Test email" in str(email.message_from_bytes(
                            m.as_bytes(), policy=email.policy.default)["Subject"])]
            if messages:
                break
            time.sleep(0.1)
        if len(messages) != 1:
            fail(f"aiosmtpd received exactly one test email (got {len(messages)})")
        raw = messages[0].as_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        if parsed["To"] != "dsl@llanfair.example" and "<dsl@llanfair.example>" not in str(parsed["To"]):
            fail(f"it went to the DSL's address (To: {parsed['To']})")
        if str(parsed["X-RcptTo"] or "dsl@llanfair.example") != "dsl@llanfair.example":
            fail(f"the envelope recipient is the DSL ({parsed['X-RcptTo']})")
        sender = parsed["From"]
        if SCHOOL not in str(sender.addresses[0].display_name):
            fail(f"the sender's name carries the school's name, decoded intact ({sender})")
        header_bytes = raw.split(b"\n\n")[0].split(b"\r\n\r\n")[0]
        if any(byte >= 0x80 for byte in header_bytes):
            fail("the headers are 7-bit (non-ASCII names as RFC 2047 encoded words)")
        body = parsed.get_content()
        if SCHOOL not in body or "test email" not in body:
            fail(f"the body says what it is, in the school's name ({body!r})")
        print(f"ok   aiosmtpd received it: To {parsed['To']}, From {sender}, Subject {parsed['Subject']}")

        # A server that is not there: a plain error, and the box keeps going.
        smtp.terminate()
        smtp.wait(10)
        code, answer = browser.call("POST", "/api/system/mail/test",
                                    {"to": "head@llanfair.example"}, timeout=60)
        if code != 502 or "could not be reached" not in answer["message"]:
            fail(f"an unreachable server is reported in plain words ({code} {answer})")
        print(f"ok   with the server stopped: {answer['message']}")
        if browser.call("GET", "/api/system/mail")[0] != 200:
            fail("the daemon still answers")

        verify = subprocess.run([hallmonitor, "admin", "audit-verify", "--data-dir", str(data_dir)],
                                capture_output=True, text=True)
        if verify.returncode != 0:
            fail("the audit chain verifies: " + verify.stdout + verify.stderr)
        print("ok   the audit chain verifies")
    finally:
        daemon.terminate()
        try:
            daemon.wait(20)
        except subprocess.TimeoutExpired:
            daemon.kill()
        if smtp.poll() is None:
            smtp.terminate()
    print("mail_test: all checks passed")


if __name__ == "__main__":
    main()
