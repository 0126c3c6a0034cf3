#!/usr/bin/env python3
"""The box, booted under QEMU (issue 8): tools/build-image qemu-virt's image on
qemu-system-aarch64's `virt` machine in software emulation.

Two network devices: the management port on QEMU's user-mode network with the web UI's
HTTPS port forwarded to 127.0.0.1 only, and the mirror port on a UDP socket netdev
that this test feeds with a sample capture's packets (one datagram per frame). The test
waits for the web UI, reads the setup code from the serial console (where
hallmonitor-setup-code.service puts it), completes setup through the API, plays the
capture and checks that the captures a replay of the same file finds on the host show
up in the box's UI. Then it plugs in a USB stick (a FAT image, through QEMU's monitor)
holding a newer signed library bundle and checks the active library version changes.
The kernel command line starts hallmonitor-selftest.service (board/qemu-virt), whose
report (systemd-analyze security, the daemon's user, /data) is checked at the end.

The image trusts no publisher out of the box: like a publisher's factory step, the test
writes its own publisher key into the copy's data partition before booting.

usage: boot_test.py HALLMONITOR IMAGE_PREFIX SAMPLE_PCAP WORK_DIR
  HALLMONITOR   a host build of the daemon (makes keys, bundles and the reference replay)
  IMAGE_PREFIX  build/image/hallmonitor-VERSION-qemu-virt (.img, .vmlinuz, .initrd)
Needs root (none of it mounts anything, but the image files are root's), qemu-system-arm,
ipxe-qemu or romfile=, mtools, dosfstools, e2fsprogs, fdisk. Slow: 10-20 minutes.
"""

import json
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "integration"))
from https_client import Browser  # noqa: E402

PASSWORD = "correct horse battery staple 8"
BUNDLE_VERSION = 42
MIRROR_MAC = "52:54:00:4d:00:02"
MANAGEMENT_MAC = "52:54:00:4d:00:01"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def fail(message):
    log(f"FAIL: {message}")
    sys.exit(1)


def run(*args, **kwargs):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        fail(f"{' '.join(map(str, args))} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return done.stdout


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def partition(image, name):
    """(first byte, size in bytes) of the GPT partition called NAME."""
    table = json.loads(run("sfdisk", "--json", image))["partitiontable"]
    sector = table.get("sectorsize", 512)
    for part in table["partitions"]:
        if part.get("name") == name:
            return part["start"] * sector, part["size"] * sector
    fail(f"no partition named {name} in {image}: {table}")


def provision_data_partition(disk, publisher_pub, work):
    """Writes a data file system holding the test publisher's key over the copy's."""
    start, size = partition(disk, "data")
    seed = work / "data-seed"
    keys = seed / "hallmonitor" / "trusted-keys"
    keys.mkdir(parents=True)
    shutil.copy(publisher_pub, keys / "test-publisher.pub")
    seed.chmod(0o755)
    (seed / "hallmonitor").chmod(0o755)
    keys.chmod(0o755)
    (keys / "test-publisher.pub").chmod(0o644)
    data = work / "data.ext4"
    run("mke2fs", "-q", "-t", "ext4", "-L", "data", "-d", seed, data, f"{size // 1024}k")
    run("dd", f"if={data}", f"of={disk}", "bs=1M", f"seek={start}", "oflag=seek_bytes",
        "conv=notrunc,fsync", "status=none")


def pcap_frames(path):
    """The Ethernet frames of a classic pcap file, in order."""
    raw = Path(path).read_bytes()
    magic = struct.unpack("<I", raw[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    offset = 24
    while offset + 16 <= len(raw):
        _, _, captured, _ = struct.unpack(endian + "IIII", raw[offset:offset + 16])
        offset += 16
        yield raw[offset:offset + captured]
        offset += captured


def feed_mirror(sample, port, rate):
    """Sends every frame to QEMU's mirror netdev at RATE frames a second."""
    sent = 0
    started = time.monotonic()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for frame in pcap_frames(sample):
            s.sendto(frame, ("127.0.0.1", port))
            sent += 1
            ahead = sent / rate - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)
    return sent


class Monitor:
    """QEMU's QMP socket: hot-plugging the USB stick."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(path))
        self.file = self.sock.makefile("rw")
        self.file.readline()  # greeting
        self.execute("qmp_capabilities")

    def execute(self, command, **arguments):
        self.file.write(json.dumps({"execute": command, "arguments": arguments}) + "\n")
        self.file.flush()
        while True:
            answer = json.loads(self.file.readline())
            if "return" in answer:
                return answer["return"]
            if "error" in answer:
                fail(f"QMP {command}: {answer['error']}")


# Colours (CSI) and terminal hyperlinks (OSC 8) that systemd's tools may print.
TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\]8;[^\x1b\a]*(?:\x1b\\|\a)")


def console_text(path):
    text = path.read_text(errors="replace") if path.exists() else ""
    return TERMINAL_CODES.sub("", text)


def wait_for(what, deadline_s, check, qemu, console, every=2.0):
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        result = check()
        if result:
            return result
        if qemu.poll() is not None:
            fail(f"QEMU stopped while waiting for {what}; console:\n{console_text(console)[-4000:]}")
        time.sleep(every)
    fail(f"timed out after {deadline_s} s waiting for {what}; console:\n"
         f"{console_text(console)[-6000:]}")


def reference_captures(hallmonitor, sample, work):
    """(category, host) of every capture a replay of SAMPLE finds on the host."""
    data = work / "reference"
    run(hallmonitor, "replay", sample, "--data-dir", data)
    status = json.loads(run(hallmonitor, "admin", "status", "--data-dir", data, "--json"))
    out = run(hallmonitor, "admin", "export", "--data-dir", data, "--setup-code",
              input=status["setup_code"] + "\n")
    return {(c["category"], c["host"]) for c in map(json.loads, out.splitlines())}


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    hallmonitor, prefix, sample = (Path(a).resolve() for a in sys.argv[1:4])
    work = Path(sys.argv[4]).resolve()
    for suffix in (".img", ".vmlinuz", ".initrd"):
        if not Path(f"{prefix}{suffix}").exists():
            print(f"SKIP: no {prefix}{suffix}: build it with `tools/build-image qemu-virt`")
            return 77
    if not shutil.which("qemu-system-aarch64"):
        print("SKIP: qemu-system-aarch64 is missing (apt-get install qemu-system-arm)")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    # The publisher, its newer bundle on a stick, the reference captures.
    run(hallmonitor, "library", "keygen", "--out", work / "publisher")
    bundle = work / f"starter-v{BUNDLE_VERSION}.hmlib"
    library = Path(__file__).resolve().parents[2] / "firmware/library"
    run(hallmonitor, "library", "build", library, "--out", bundle, "--key",
        work / "publisher.key", "--version", BUNDLE_VERSION, "--publisher", "Test publisher")
    stick = work / "stick.img"
    run("mkfs.vfat", "-C", stick, "8192")
    run("mcopy", "-i", stick, bundle, f"::/{bundle.name}")
    expected = reference_captures(hallmonitor, sample, work)
    log(f"reference replay on the host: {len(expected)} (category, host) captures")

    # A copy of the image with the publisher's key, on a "card" 1 GiB larger than the
    # image so that /data has room to grow into on first boot.
    disk = work / "disk.img"
    shutil.copy(f"{prefix}.img", disk)
    image_bytes = disk.stat().st_size
    provision_data_partition(disk, work / "publisher.pub", work)
    with open(disk, "r+b") as f:
        f.truncate(image_bytes + (1 << 30))

    cmdline = Path(f"{prefix}.cmdline").read_text().strip() if Path(f"{prefix}.cmdline").exists() \
        else "root=LABEL=root ro rootwait console=ttyAMA0"
    cmdline += " systemd.wants=hallmonitor-selftest.service"
    https_port = free_port()
    mirror_in, mirror_out = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
    console = work / "console.log"
    qmp = work / "qmp.sock"
    qemu_args = [
        "qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-smp", "2", "-m", "2048",
        "-display", "none", "-serial", f"file:{console}", "-monitor", "none",
        "-qmp", f"unix:{qmp},server=on,wait=off",
        "-kernel", f"{prefix}.vmlinuz", "-initrd", f"{prefix}.initrd", "-append", cmdline,
        "-drive", f"if=none,id=disk,file={disk},format=raw",
        "-device", "virtio-blk-pci,drive=disk",
        "-device", "virtio-rng-pci",
        "-netdev", f"user,id=mgmt,hostfwd=tcp:127.0.0.1:{https_port}-:443",
        "-device", f"virtio-net-pci,netdev=mgmt,mac={MANAGEMENT_MAC},romfile=",
        # Frames sent to 127.0.0.1:mirror_in arrive on the guest's mirror port.
        "-netdev", f"socket,id=mirror,udp=127.0.0.1:{mirror_out},localaddr=127.0.0.1:{mirror_in}",
        "-device", f"virtio-net-pci,netdev=mirror,mac={MIRROR_MAC},romfile=",
        "-device", "qemu-xhci,id=xhci",
    ]
    log(f"booting: {' '.join(qemu_args)}")
    powered_on = time.monotonic()
    qemu = subprocess.Popen(qemu_args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # Software emulation is slow: the Library page compiles the library in the box.
        browser = Browser(f"https://127.0.0.1:{https_port}", timeout=180)

        def web_ui_answers():
            try:
                return browser.call("GET", "/api/setup/status", timeout=10)[0] == 200
            except OSError:
                return False

        wait_for("the web UI", 1800, web_ui_answers, qemu, console, every=3)
        boot_to_web = time.monotonic() - powered_on
        log(f"web UI answering {boot_to_web:.0f} s after power-on")
        with browser.opener.open(browser.base + "/", timeout=60) as response:
            if response.status != 200 or b"<html" not in response.read().lower():
                fail("the web UI's page did not load")
        code_match = wait_for(
            "the setup code on the console", 600,
            lambda: re.search(r"setup code:\s+(\S.*?)\s*$", console_text(console), re.M),
            qemu, console)
        setup_code = code_match.group(1)
        log(f"setup code from the console: {setup_code}")

        code, answer = browser.call("POST", "/api/setup", {
            "setup_code": setup_code, "display_name": "Anita Patel",
            "username": "a.patel", "password": PASSWORD})
        if code != 201 or len(answer.get("recovery_key", "")) != 47:
            fail(f"setup through the API failed: {code} {answer}")
        code, _ = browser.call("POST", "/api/login", {"username": "a.patel", "password": PASSWORD})
        if code != 200:
            fail(f"sign-in failed: {code}")
        log("set up and signed in")

        sent = feed_mirror(sample, mirror_in, rate=1500)
        log(f"{sent} frames sent to the mirror port")

        def captured():
            code, page = browser.call("GET", "/api/captures?limit=200")
            if code != 200:
                return None
            # The list carries no evidence: each capture's own page opens it.
            seen = set()
            for listed in page["captures"]:
                code, detail = browser.call("GET", f"/api/captures/{listed['id']}")
                if code == 200:
                    seen.add((detail["category"], detail["host"]))
            return seen if expected <= seen else None

        wait_for("the planted captures in the web UI", 900, captured, qemu, console, every=10)
        log(f"all {len(expected)} reference captures are in the box's web UI")

        code, before = browser.call("GET", "/api/library")
        if code != 200:
            fail(f"GET /api/library: {code} {before}")
        before_version = before.get("active", before).get("version")
        monitor = Monitor(qmp)
        monitor.execute("blockdev-add", **{"node-name": "stick", "driver": "raw",
                                           "file": {"driver": "file", "filename": str(stick)}})
        monitor.execute("device_add", driver="usb-storage", id="stick", drive="stick",
                        bus="xhci.0", removable=True)
        plugged = time.monotonic()
        log(f"USB stick plugged in (library version before: {before_version})")

        def new_version():
            code, now = browser.call("GET", "/api/library")
            version = now.get("active", now).get("version") if code == 200 else None
            return version if version == BUNDLE_VERSION else None

        wait_for(f"library version {BUNDLE_VERSION}", 900, new_version, qemu, console, every=5)
        log(f"library version {before_version} -> {BUNDLE_VERSION}, "
            f"{time.monotonic() - plugged:.0f} s after the stick went in")

        report = wait_for(
            "the self-test report", 300,
            lambda: re.search(r"=== hallmonitor-selftest begin(.*?)=== hallmonitor-selftest end",
                              console_text(console), re.S), qemu, console)
        text = report.group(1)
        print(text)
        exposure = re.search(r"Overall exposure level for hallmonitor\.service:\s*([\d.]+)\s+(\w+)",
                             text)
        if not exposure or exposure.group(2) not in ("OK", "SAFE", "PERFECT"):
            fail(f"systemd-analyze security: {exposure.group(0) if exposure else 'no score'}")
        if "daemon user: hallmonitor" not in text:
            fail("the daemon does not run as its own user")
        print(f"FIGURES boot_to_web_ui_s={boot_to_web:.0f} security={exposure.group(1)} "
              f"{exposure.group(2)} image_bytes={image_bytes}")
    finally:
        qemu.terminate()
        try:
            qemu.wait(timeout=30)
        except subprocess.TimeoutExpired:
            qemu.kill()
    log("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
