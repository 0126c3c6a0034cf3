#!/usr/bin/env python3
"""The starter library's precision and recall, as issue 4 asks them to be shown.

Precision: every observation of the benign corpus in tests/benign/ (everyday English
prose, one paragraph per line as a page section would be observed; ordinary school
searches; the host names children's and school sites use) goes through
`hallmonitor library match`; at most 1 hit per 10,000 observations is allowed.

Recall: every item of tests/planted/concerns.tsv (category, form, text: searches,
messages, URLs and host names a safeguarding lead must hear about, in English, Welsh,
Polish, Urdu and Romanian, some disguised) must be hit under its own category; at least
99% must be.

usage: precision_recall_test.py HALLMONITOR [LIBRARY_DIR [FIGURES_FILE]]
Prints the figures and every false alarm and miss; exits 1 when a target is missed.
FIGURES_FILE (optional) receives just the figure lines, for tools/test to print.
"""

import collections
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
PLANTED = HERE.parent / "planted" / "concerns.tsv"
# Written later by writers who saw neither the library nor the other sets: their
# recall says how the library does on concerns nobody fitted it to. Reported, not a
# target. heldout.tsv's misses were then described (by theme, with some of their
# wording) to whoever broadened the library, so it is no longer blind; heldout-2.tsv
# was written after that and has never been shown to anyone editing the library.
HELD_OUT = [
    (HERE.parent / "planted" / "heldout-2.tsv", "held-out concerns (blind)"),
    (HERE.parent / "planted" / "heldout.tsv",
     "held-out concerns, first set (its misses guided additions)"),
]
MAX_FALSE_ALARMS_PER_10K = 1.0
MIN_RECALL = 0.99


def match(hallmonitor, library_dir, form, lines):
    """One JSON result per input line, read as `form` (text, host or url)."""
    if not lines:
        return []
    command = [hallmonitor, "library", "match", "--as", form]
    if library_dir:
        command += ["--library", library_dir]
    done = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"library match failed ({done.returncode}): {done.stderr.strip()}")
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(results) != len(lines):
        sys.exit(f"library match answered {len(results)} lines for {len(lines)} inputs")
    return results


def read_lines(path):
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def describe(hit):
    return f'{hit["category"]}/{hit["severity"]} "{hit["pattern"]}" ({hit["source"]})'


def precision(hallmonitor, library_dir):
    """Returns (observations, false alarms) and prints both by source."""
    sources = [(path, "text", read_lines(path))
               for path in sorted((HERE / "prose").glob("*.txt"))]
    sources.append((HERE / "school-searches.txt", "text",
                    read_lines(HERE / "school-searches.txt")))
    sources.append((HERE / "childrens-sites.txt", "host",
                    read_lines(HERE / "childrens-sites.txt")))
    # One `library match` per form: each run compiles the library once.
    results = {}
    for form in ("text", "host"):
        lines = [line for _, f, file_lines in sources if f == form for line in file_lines]
        results[form] = iter(match(hallmonitor, library_dir, form, lines))
    observations = false_alarms = 0
    words = 0
    print("benign corpus (precision)")
    for path, form, lines in sources:
        file_results = [next(results[form]) for _ in lines]
        hits = [(number, result) for number, result in enumerate(file_results, 1)
                if result["hits"]]
        observations += len(lines)
        false_alarms += len(hits)
        if form == "text" and path.parent.name == "prose":
            words += sum(len(line.split()) for line in lines)
        print(f"  {path.relative_to(HERE)}: {len(lines)} observations, {len(hits)} hits")
        for number, result in hits:
            text = result["input"]
            shown = text if len(text) <= 90 else text[:87] + "..."
            for hit in result["hits"]:
                print(f"    line {number}: {describe(hit)} in: {shown}")
    rate = false_alarms * 10000 / max(observations, 1)
    print(f"  prose words: {words}")
    print(f"  FALSE ALARMS: {false_alarms} in {observations} observations = "
          f"{rate:.2f} per 10,000 (target: at most {MAX_FALSE_ALARMS_PER_10K})")
    return words, rate


def recall(hallmonitor, library_dir, corpus=PLANTED, title="planted concerns (recall)"):
    items = []
    for number, line in enumerate(corpus.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            sys.exit(f"{corpus}:{number}: expected category<TAB>form<TAB>text")
        items.append((number, *parts))
    by_form = collections.defaultdict(list)
    for item in items:
        by_form[item[2]].append(item)
    found = collections.Counter()
    total = collections.Counter()
    misses = []
    for form, form_items in sorted(by_form.items()):
        if form not in ("text", "host", "url"):
            sys.exit(f"{corpus}: unknown form {form!r}")
        results = match(hallmonitor, library_dir, form, [item[3] for item in form_items])
        for (number, category, _, text), result in zip(form_items, results):
            total[category] += 1
            if any(hit["category"] == category for hit in result["hits"]):
                found[category] += 1
            else:
                others = ", ".join(describe(hit) for hit in result["hits"]) or "nothing"
                misses.append(f"    line {number}: {category} not hit ({others}) in: {text}")
    print(title)
    for category in sorted(total):
        print(f"  {category:28} {found[category]:4} / {total[category]:4}")
    for miss in misses:
        print(miss)
    overall = sum(found.values()) / max(sum(total.values()), 1)
    target = f"target: at least {MIN_RECALL:.0%}" if corpus == PLANTED else "reported, no target"
    print(f"  RECALL: {sum(found.values())} of {sum(total.values())} = {overall:.1%} ({target})")
    return overall


def main():
    if len(sys.argv) not in (2, 3, 4):
        sys.exit(__doc__)
    hallmonitor = sys.argv[1]
    library_dir = sys.argv[2] if len(sys.argv) >= 3 else None
    figures_file = sys.argv[3] if len(sys.argv) == 4 else None
    words, rate = precision(hallmonitor, library_dir)
    overall = recall(hallmonitor, library_dir)
    held_out = []
    # HM_SKIP_HELD_OUT=1: for whoever edits the library, who must not see those items.
    if os.environ.get("HM_SKIP_HELD_OUT") != "1":
        held_out = [(title, recall(hallmonitor, library_dir, path, title + " (recall)"))
                    for path, title in HELD_OUT if path.exists()]
    if figures_file:
        figures = (f"benign corpus ({words} words of prose, plus school searches and host "
                   f"names): {rate:.2f} false alarms per 10,000 observations (target <= "
                   f"{MAX_FALSE_ALARMS_PER_10K})\n"
                   f"planted concerns: recall {overall:.1%} (target >= {MIN_RECALL:.0%})\n")
        for title, figure in held_out:
            figures += f"{title}: recall {figure:.1%} (reported, no target)\n"
        pathlib.Path(figures_file).write_text(figures)
    ok = rate <= MAX_FALSE_ALARMS_PER_10K and overall >= MIN_RECALL and words >= 100000
    if words < 100000:
        print(f"the benign prose has {words} words; issue 4 asks for at least 100,000")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
