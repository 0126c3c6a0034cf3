#!/usr/bin/env python3
"""Fills a hallmonitor data folder with a school year of captures, for web_bench.

    hallmonitor replay tools/sample/school-morning.pcap --data-dir DIR   # folder + schema
    tests/bench/make_captures.py DIR [--captures 1000000] [--devices 600] [--seed 7]

Writes straight into DIR/hallmonitor.db (the daemon must not be running on it):
captures spread over the school days of the year that ends now (weekdays, mostly
lesson times, a few evenings), across devices, categories and severities in the
proportions a primary school sees (many low-severity look-ups of gambling, games and
filter-dodging sites; few critical ones), reviewed as a school would (older captures
mostly reviewed or marked false alarms, the last fortnight mostly waiting), a few
incidents, and a week of per-minute visibility statistics.

The evidence blobs are random bytes of a sealed blob's size: they look sealed on disk
and fill the table as real ones do, but open with no key (the benchmark times the list
and the dashboard, which never open evidence). Not for a box anyone uses.
"""

import argparse
import os
import random
import sqlite3
import sys
import time

DAY_US = 86_400_000_000
MINUTE_US = 60_000_000

# category: (share of captures, severities with their weights)
CATEGORIES = {
    "gambling": (0.20, {1: 5, 2: 4, 3: 1}),
    "circumvention": (0.16, {2: 5, 3: 3, 4: 1}),
    "pornography": (0.14, {3: 4, 4: 5, 5: 1}),
    "drugs": (0.08, {2: 3, 3: 4, 4: 2}),
    "violence": (0.08, {2: 4, 3: 4, 4: 1}),
    "bullying": (0.08, {2: 2, 3: 5, 4: 3}),
    "weapons": (0.05, {2: 2, 3: 4, 4: 2}),
    "mental-health-and-wellbeing": (0.05, {2: 3, 3: 4, 4: 2}),
    "discrimination": (0.04, {2: 2, 3: 5, 4: 2}),
    "self-harm": (0.03, {3: 2, 4: 5, 5: 3}),
    "gangs": (0.03, {3: 3, 4: 4, 5: 1}),
    "suicide": (0.02, {4: 3, 5: 7}),
    "extremism": (0.015, {3: 2, 4: 5, 5: 3}),
    "grooming": (0.01, {4: 3, 5: 7}),
    "child-sexual-exploitation": (0.005, {5: 1}),
    "sextortion": (0.005, {5: 1}),
    "illegal": (0.005, {4: 2, 5: 3}),
}
PHRASES = ["bet365.com", "proxy site", "how to get round the filter", "kill myself", "loser",
           "fight video", "knife", "weed", "nobody likes you", "cut myself", "dark web"]
KINDS = ["dns_query", "tls_sni", "http_url", "http_search", "http_body", "quic_sni"]
VISIBILITY = {"named_tls": 0.62, "named_quic": 0.14, "dns": 0.02, "plain_http": 0.03,
              "ech": 0.06, "doh": 0.02, "vpn": 0.04, "tls_no_sni": 0.03, "other": 0.04}


def weighted(rng, table):
    return rng.choices(list(table), weights=list(table.values()))[0]


def school_day_starts(end_us):
    """Local-midnight-free approximation: UTC days of the last year, weekdays only,
    without the summer, Christmas and Easter holidays."""
    days = []
    start = end_us - 365 * DAY_US
    day = start - start % DAY_US
    while day <= end_us:
        t = time.gmtime(day / 1e6)
        holiday = (t.tm_mon == 8) or (t.tm_mon == 7 and t.tm_mday > 22) or \
                  (t.tm_mon == 12 and t.tm_mday > 19) or (t.tm_mon == 1 and t.tm_mday < 4) or \
                  (t.tm_mon == 4 and t.tm_mday < 14)
        if t.tm_wday < 5 and not holiday:
            days.append(day)
        day += DAY_US
    # Today counts even at a weekend, so the dashboard's "today" has something in it.
    today = end_us - end_us % DAY_US
    if days[-1] != today:
        days.append(today)
    return days


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("--captures", type=int, default=1_000_000)
    parser.add_argument("--devices", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    path = os.path.join(args.data_dir, "hallmonitor.db")
    if not os.path.exists(path):
        sys.exit(f"{path} does not exist: make it first, e.g. `hallmonitor replay tools/sample/school-morning.pcap --data-dir {args.data_dir}`")
    db = sqlite3.connect(path)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    columns = {row[1] for row in db.execute("PRAGMA table_info(captures)")}
    if "review_status" not in columns:
        sys.exit(f"the schema (version {version}) has no review columns: build a newer hallmonitor")

    rng = random.Random(args.seed)
    now = int(time.time() * 1e6)
    days = school_day_starts(now)
    macs = ["3c:22:fb:%02x:%02x:%02x" % (i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff)
            for i in range(1, args.devices + 1)]
    # A few devices are far busier than the rest (a shared laptop, a pupil in trouble).
    device_weights = [rng.paretovariate(1.3) for _ in macs]
    categories = list(CATEGORIES)
    category_weights = [CATEGORIES[c][0] for c in categories]

    first_id = db.execute("SELECT coalesce(max(id), 0) FROM captures").fetchone()[0] + 1
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -262144")
    # Bulk loading: the indices are dropped and made again afterwards (sorting once is
    # far quicker than a million random inserts into each), exactly as the schema has them.
    indices = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                         "AND tbl_name = 'captures' AND sql IS NOT NULL").fetchall()
    for name, _ in indices:
        db.execute(f"DROP INDEX {name}")
    started = time.time()
    batch = []
    fortnight = now - 14 * DAY_US

    def capture_time():
        day = days[min(len(days) - 1, int(rng.random() ** 0.97 * len(days)))]
        if rng.random() < 0.9:  # lessons and breaks, 08:30–15:30
            offset = rng.randrange(int(8.5 * 3600e6), int(15.5 * 3600e6))
        else:  # clubs and evenings on a school laptop
            offset = rng.randrange(int(15.5 * 3600e6), int(21 * 3600e6))
        return min(day + offset, now - rng.randrange(1, 60_000_000))

    # Ids in time order, as the store thread numbers them.
    times = sorted(capture_time() for _ in range(args.captures))
    for n, ts in enumerate(times):
        category = rng.choices(categories, weights=category_weights)[0]
        severity = weighted(rng, CATEGORIES[category][1])
        device = rng.choices(range(len(macs)), weights=device_weights)[0]
        mac = None if rng.random() < 0.04 else macs[device]
        ip = "10.20.%d.%d" % (device // 250, device % 250 + 2)
        if ts < fortnight:
            status = rng.choices(["reviewed", "false_positive", "new"], weights=[90, 6, 4])[0]
        else:
            status = rng.choices(["reviewed", "false_positive", "new"], weights=[35, 5, 60])[0]
        reviewed = None if status == "new" else ts + rng.randrange(5 * MINUTE_US, 3 * DAY_US)
        blob = rng.randbytes(rng.randrange(220, 900))
        batch.append((first_id + n, ts, ip, mac, category, severity, rng.choice(PHRASES),
                      "phrase", rng.choice(KINDS), "bench", blob, status, reviewed,
                      reviewed, None if reviewed is None else "bench"))
        if len(batch) == 20_000:
            db.executemany("INSERT INTO captures (id, ts_us, client_ip, client_mac, category, "
                           "severity, phrase, entry_kind, observation_kind, library_version, "
                           "evidence, review_status, first_reviewed_us, reviewed_us, reviewed_by) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
            db.commit()
            batch.clear()
            done = n + 1
            print(f"\r{done:,} captures ({done / (time.time() - started):,.0f}/s)", end="",
                  file=sys.stderr)
    if batch:
        db.executemany("INSERT INTO captures (id, ts_us, client_ip, client_mac, category, "
                       "severity, phrase, entry_kind, observation_kind, library_version, "
                       "evidence, review_status, first_reviewed_us, reviewed_us, reviewed_by) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
        db.commit()
    print(file=sys.stderr)
    for name, sql in indices:
        print(f"making index {name}", file=sys.stderr)
        db.execute(sql)
    db.commit()

    # Pupils (sealed-looking records), one device each, in 14 classes of 7 year groups,
    # with a "vulnerable" group; a tenth of the devices changed hands at half-term.
    if db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'device_assignments'").fetchone()[0]:
        year_start = now - 365 * DAY_US
        groups = {}
        for year in range(7):
            name = "Reception" if year == 0 else f"Year {year}"
            groups[name] = db.execute("INSERT OR IGNORE INTO people_groups (name, kind, created_us) "
                                      "VALUES (?, 'year', ?)", (name, year_start)).lastrowid
            for form in "AB":
                label = f"{'R' if year == 0 else year}{form}"
                groups[label] = db.execute("INSERT OR IGNORE INTO people_groups (name, kind, created_us) "
                                           "VALUES (?, 'class', ?)", (label, year_start)).lastrowid
        vulnerable = db.execute("INSERT OR IGNORE INTO people_groups (name, kind, created_us) "
                                "VALUES ('Vulnerable / high-risk', 'vulnerable', ?)", (year_start,)).lastrowid
        for i, mac in enumerate(macs):
            person = db.execute("INSERT INTO people (imported_us, sealed) VALUES (?, ?)",
                                (year_start, rng.randbytes(160))).lastrowid
            year = i % 7
            year_name = "Reception" if year == 0 else f"Year {year}"
            label = f"{'R' if year == 0 else year}{'AB'[i // 7 % 2]}"
            for group in (groups[year_name], groups[label]) + ((vulnerable,) if i % 40 == 0 else ()):
                db.execute("INSERT OR IGNORE INTO group_members (group_id, person_id) VALUES (?, ?)", (group, person))
            handed_on = i % 10 == 0
            half_term = now - 120 * DAY_US
            db.execute("INSERT INTO device_assignments (mac, person_id, from_us, until_us, assigned_by) "
                       "VALUES (?, ?, ?, ?, 'bench')", (mac, person, year_start, half_term if handed_on else None))
            if handed_on:
                db.execute("INSERT INTO device_assignments (mac, pool, group_id, from_us, assigned_by) "
                           "VALUES (?, 'Spare laptops', ?, ?, 'bench')", (mac, groups[label], half_term))
        db.commit()

    # A handful of incidents, some open, each linking a few serious captures.
    last_id = first_id + args.captures - 1
    for i in range(12):
        opened = now - rng.randrange(1, 120) * DAY_US
        closed = None if i < 4 else opened + rng.randrange(1, 20) * DAY_US
        cursor = db.execute("INSERT INTO incidents (title, opened_us, opened_by, closed_us, closed_by) "
                            "VALUES ('', ?, 'bench', ?, ?)",
                            (opened, closed, None if closed is None else "bench"))
        for capture in rng.sample(range(first_id, last_id + 1), 3):
            db.execute("INSERT OR IGNORE INTO incident_captures (incident_id, capture_id, added_us, added_by) "
                       "VALUES (?, ?, ?, 'bench')", (cursor.lastrowid, capture, opened))
    # A week of per-minute visibility statistics, up to this minute.
    rows = []
    minute = now - now % MINUTE_US
    for m in range(7 * 24 * 60):
        start = minute - m * MINUTE_US
        for visibility, share in VISIBILITY.items():
            packets = int(rng.randrange(2000, 9000) * share)
            rows.append((start, visibility, packets // 20 + 1, packets * 900, packets))
    db.executemany("INSERT OR REPLACE INTO visibility_minutes (minute_start_us, class, flows, bytes, packets) "
                   "VALUES (?,?,?,?,?)", rows)
    db.commit()
    # No ANALYZE: the box never runs it, so the benchmark plans queries as the box does.
    total = db.execute("SELECT count(*) FROM captures").fetchone()[0]
    print(f"{args.data_dir}: {total:,} captures, {len(rows):,} visibility rows, "
          f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
