"""A library of just the generator's planted concerns, for the store's tests.

The starter library grows (and takes seconds to compile at every start); the crash and
full-disk tests restart the daemon many times and only need the planted concerns to hit.
"""
import json
import subprocess
from pathlib import Path


def planted(trafficgen, options):
    out = subprocess.run([trafficgen, *options, "--list-planted"], check=True,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def write_small_library(trafficgen, folder):
    """Writes one .hml per planted category into `folder`; returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    entries = {}
    for concern in planted(trafficgen, []):
        kind = "phrase" if concern["kind"] == "http_url" else "domain"
        entries.setdefault(concern["category"], set()).add(
            f"{concern['phrase']} | {kind} | {concern['severity']} | en")
    for category, lines in entries.items():
        (folder / f"{category}.hml").write_text(
            f"category: {category}\ntitle: {category.title()}\n"
            f"description: The planted {category} concern of the generated traffic.\n\n"
            + "\n".join(sorted(lines)) + "\n")
    return folder
