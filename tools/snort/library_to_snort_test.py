#!/usr/bin/env python3
"""tools/snort/library-to-snort: a small library of every kind in, the Snort rules
expected out; the starter library converts with one rule per entry it can express;
and, where a `snort` binary is on PATH, Snort 3 accepts the rules file."""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

here = pathlib.Path(__file__).resolve().parent
script = here / "library-to-snort"
source_dir = here.parent.parent / "firmware" / "library"

LIBRARY = """# test library
category: gambling
title: Gambling
description: test

bet365.com            | domain      | 3 | en
casino                | word        | 2 | en | a note; with "quotes"
place a bet           | phrase      | 2 | en
example.org/videos/   | url         | 2 | en
meet, don't tell      | combination | 4 | en
k[i1]ll (him\\|her)    | regex       | 5 | en
scunthorpe            | exception   | 1 | en
café bet              | phrase      | 2 | en
"""


def run(args):
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"library-to-snort {args} failed:\n{done.stderr}")
    return done.stdout, done.stderr


def main():
    failures = []

    def expect(condition, what):
        if not condition:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        (pathlib.Path(tmp) / "gambling.hml").write_text(LIBRARY, encoding="utf-8")
        rules, summary = run([tmp])
    lines = rules.splitlines()
    expect(len(lines) == 8, f"8 rules (2 for the domain, none for the exception), got {len(lines)}")
    sids = [int(m.group(1)) for m in (re.search(r"sid:(\d+);", line) for line in lines) if m]
    expect(len(set(sids)) == len(lines), f"one unique sid per rule: {sids}")
    expect(all(line.startswith("alert ip any any -> any any (") and line.endswith("rev:1;)")
               for line in lines), "every rule is a whole alert ip rule")
    text = "\n".join(lines)
    expect('content:"bet365.com", nocase;' in text, "domain as text")
    expect('content:"|06|bet365|03|com", nocase;' in text, "domain as DNS labels")
    expect('content:"casino", nocase;' in text, "word")
    expect('content:"place a bet", nocase;' in text, "phrase")
    expect('content:"example.org/videos/", nocase;' in text, "url")
    expect('content:"meet", nocase; content:"don\'t tell", nocase;' in text,
           "combination: one content per part, in one rule")
    expect('pcre:"/k[i1]ll (him|her)/i";' in text, "regex with the source format's \\| unescaped")
    expect('content:"caf|C3 A9| bet", nocase;' in text, "non-ASCII bytes as |hex|")
    expect("scunthorpe" not in text, "exceptions are left out")
    expect('msg:"hallmonitor gambling sev 2: casino"' in text, "message names category, severity")
    expect("1 exception (left out)" in summary, f"summary counts what was left out: {summary}")
    # Nothing in a message or content may end the rule early.
    for line in lines:
        body = line[line.index("(") + 1:-1]
        for option in re.findall(r'(\w+):"((?:[^"\\]|\\.)*)"', body):
            expect(";" not in option[1] and '"' not in option[1],
                   f"an unescaped ; or \" inside {option[0]}: {line}")

    starter, summary = run([str(source_dir)])
    counts = dict((kind, int(n)) for n, kind in re.findall(r"(\d+) ([a-z]+)(?:,|$| \()", summary))
    expected = sum(n for kind, n in counts.items() if kind != "exception") + counts.get("domain", 0)
    expect(len(starter.splitlines()) == expected,
           f"starter library: {len(starter.splitlines())} rules, expected {expected} ({summary})")

    snort = shutil.which("snort")
    if snort is not None:
        with tempfile.TemporaryDirectory() as tmp:
            rules_file = pathlib.Path(tmp) / "library.rules"
            rules_file.write_text(starter, encoding="utf-8")
            checked = subprocess.run([snort, "-q", "-T", "-R", str(rules_file)],
                                     capture_output=True, text=True)
            expect(checked.returncode == 0, f"snort -T rejects the rules:\n{checked.stderr[-2000:]}")
    else:
        print("snort is not installed: the rules' syntax is checked by this test alone")

    if failures:
        sys.exit("FAIL:\n  " + "\n  ".join(failures))
    print(f"library-to-snort: {len(lines)} test rules and {len(starter.splitlines())} starter rules as expected")


if __name__ == "__main__":
    main()
