#include "store/migrations.h"

#include <array>

namespace hm::store {
namespace {

constexpr std::array kMigrations = {
    Migration{1, "settings, accounts, sessions and captures",
              R"sql(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id                  INTEGER PRIMARY KEY,
  username            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name        TEXT NOT NULL,
  role                TEXT NOT NULL,
  password_salt       BLOB NOT NULL,
  password_hash       BLOB NOT NULL,
  password_iterations INTEGER NOT NULL,
  created_us          INTEGER NOT NULL
);

-- Only a hash of each session token is kept: a copied database opens no session.
CREATE TABLE sessions (
  token_hash   BLOB PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_us   INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL,
  expires_us   INTEGER NOT NULL
);

-- Metadata stays readable for dashboards and alerts; everything observed goes in
-- `evidence`, one blob, so that sealing it (issue 5) needs no schema rewrite.
CREATE TABLE captures (
  id               INTEGER PRIMARY KEY,
  ts_us            INTEGER NOT NULL,
  client_ip        TEXT NOT NULL,
  client_mac       TEXT,
  category         TEXT NOT NULL,
  severity         INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),
  phrase           TEXT NOT NULL,
  entry_kind       TEXT NOT NULL,
  observation_kind TEXT NOT NULL,
  library_version  TEXT NOT NULL,
  evidence         BLOB NOT NULL
);
CREATE INDEX captures_by_time ON captures (ts_us DESC, id DESC);
)sql"},
    Migration{2, "sealed evidence keys, password scheme 2 and the audit log",
              R"sql(
-- Scheme 1: password_hash is PBKDF2's output itself. Scheme 2: PBKDF2's output is a
-- master secret; password_hash holds HKDF(master, "check") and the key that wraps
-- the evidence private key is HKDF(master, "wrap"), so one PBKDF2 serves both and the
-- stored hash does not give the wrapping key away.
ALTER TABLE users ADD COLUMN password_scheme INTEGER NOT NULL DEFAULT 1;

-- The box's evidence key pair: the public key in the clear (the daemon seals with it),
-- the private key only wrapped, once per holder (DESIGN.md "Evidence is sealed").
CREATE TABLE evidence_key (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  public_key BLOB NOT NULL,
  created_us INTEGER NOT NULL
);
-- holder: 'setup_code' (until setup), 'recovery', or 'user:<id>'. salt and iterations
-- only for the setup code's wrap: a user's come with their password (users), and the
-- recovery key has too much entropy to need stretching.
CREATE TABLE evidence_key_wraps (
  holder     TEXT PRIMARY KEY,
  user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
  salt       BLOB,
  iterations INTEGER,
  wrapped    BLOB NOT NULL,
  created_us INTEGER NOT NULL
);

-- Append-only and hash-chained: hash = SHA-256 over prev_hash and the entry's fields
-- (store/audit_log.cpp), so an edited or deleted row breaks the chain after it.
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  ts_us     INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash      BLOB NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"},
    Migration{3, "what was seen and not seen, per minute",
              R"sql(
-- Flows and bytes by visibility class (dissect/visibility.h: plain_http, named_tls …
-- ech, doh, vpn, other), per UTC minute of packet time, for the dashboard and
-- `hallmonitor stats`. Rows add up: a flow still open when a minute is written adds to
-- the same minute's row later.
CREATE TABLE visibility_minutes (
  minute_start_us INTEGER NOT NULL,
  class           TEXT NOT NULL,
  flows           INTEGER NOT NULL,
  bytes           INTEGER NOT NULL,
  packets         INTEGER NOT NULL,
  PRIMARY KEY (minute_start_us, class)
) WITHOUT ROWID;
)sql"},
    Migration{4, "pupils' names (sealed) and incidents",
              R"sql(
-- The school's records of pupils, one sealed blob each (name, group, UPN and devices;
-- crypto/seal.h, associated data "hallmonitor person <id>"), sealed to the box's public
-- key at import so a byte search of the data folder never finds a name. The devices
-- are sealed too, not hashed: host names often carry the name ("jsmith-ipad"), a MAC
-- address is too small a space for a hash to hide, and everything that links a capture
-- to a person (the UI, subject access, erasure) holds the private key anyway.
CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  imported_us INTEGER NOT NULL,
  sealed      BLOB NOT NULL
);

-- A safeguarding concern being looked into. The title is listed without a key, so it
-- names no pupil (the CLI and UI say so); what is said about the pupil goes in notes,
-- sealed ("hallmonitor incident note <incident id> <note id>"). Open while closed_us
-- is NULL.
CREATE TABLE incidents (
  id        INTEGER PRIMARY KEY,
  title     TEXT NOT NULL,
  opened_us INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  closed_us INTEGER,
  closed_by TEXT
);
-- No foreign key to captures: a capture purged after its incident closed leaves its
-- link, so the incident's record still says a capture was there.
CREATE TABLE incident_captures (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  capture_id  INTEGER NOT NULL,
  added_us    INTEGER NOT NULL,
  added_by    TEXT NOT NULL,
  PRIMARY KEY (incident_id, capture_id)
) WITHOUT ROWID;
CREATE INDEX incident_captures_by_capture ON incident_captures (capture_id);
CREATE TABLE incident_notes (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  ts_us       INTEGER NOT NULL,
  author      TEXT NOT NULL,
  sealed      BLOB NOT NULL
);
CREATE INDEX captures_by_mac ON captures (client_mac);
)sql"},
    Migration{5, "incident titles sealed",
              R"sql(
-- A title can name a pupil however often staff are told not to: it is sealed like a
-- note ("hallmonitor incident title <incident id>") and `title` is left empty. Titles
-- written before this version are sealed by the first command that holds the public
-- key (IncidentRepository::seal_clear_titles), then blanked (secure_delete is on).
ALTER TABLE incidents ADD COLUMN sealed_title BLOB;
)sql"},
    Migration{6, "capture review, and indices for the captures list and the dashboard",
              R"sql(
-- Review is metadata, not evidence: it is outside the sealed blob's associated data
-- (evidence/capture.cpp), so marking a capture never stops its evidence opening.
-- first_reviewed_us stays once set: the time from capture to first review is what
-- reports and inspectors ask for, however often the status changes afterwards.
-- review_status: new, reviewed or false_positive (store/capture_review.cpp checks it).
ALTER TABLE captures ADD COLUMN review_status TEXT NOT NULL DEFAULT 'new';
ALTER TABLE captures ADD COLUMN first_reviewed_us INTEGER;
ALTER TABLE captures ADD COLUMN reviewed_us INTEGER;
ALTER TABLE captures ADD COLUMN reviewed_by TEXT;

-- Keyset paging under one filter: each index gives that filter's rows newest first, so
-- a page reads its 50 rows and stops, however many captures there are.
CREATE INDEX captures_by_severity ON captures (severity, ts_us DESC, id DESC);
CREATE INDEX captures_by_category ON captures (category, ts_us DESC, id DESC);
-- The list's most common pair ("critical suicide captures"): a rare pair would otherwise
-- walk every capture of the category to find a page.
CREATE INDEX captures_by_category_severity
  ON captures (category, severity, ts_us DESC, id DESC);
-- severity last: the dashboard counts what waits for review, and how much is serious,
-- from this index alone.
CREATE INDEX captures_by_review ON captures (review_status, ts_us DESC, id DESC, severity);
DROP INDEX captures_by_mac;
CREATE INDEX captures_by_device ON captures (client_mac, ts_us DESC, id DESC);
CREATE INDEX captures_by_ip ON captures (client_ip, ts_us DESC, id DESC);
-- The dashboard's counts by time, severity, category and device read this index alone.
CREATE INDEX captures_for_counts
  ON captures (ts_us, severity, category, review_status, client_mac, client_ip);
-- How long captures waited for their first review, over recent weeks.
CREATE INDEX captures_by_first_review ON captures (first_reviewed_us, ts_us)
  WHERE first_reviewed_us IS NOT NULL;
)sql"},
    Migration{7, "incident workflow and history; devices, their assignments, groups",
              R"sql(
-- Incidents follow new → in_review → action_taken / escalated / no_further_action →
-- closed (store/incident_repository.h). escalated_to: dsl, police, prevent,
-- social_care. first_capture_us is the earliest linked capture's time, kept when
-- it is purged; first_review_us is set once, when the incident first leaves 'new'.
-- The intervention is sealed like a note ("hallmonitor incident intervention <id>").
ALTER TABLE incidents ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
ALTER TABLE incidents ADD COLUMN escalated_to TEXT;
ALTER TABLE incidents ADD COLUMN assignee TEXT;
ALTER TABLE incidents ADD COLUMN first_capture_us INTEGER;
ALTER TABLE incidents ADD COLUMN first_review_us INTEGER;
ALTER TABLE incidents ADD COLUMN sealed_intervention BLOB;
UPDATE incidents SET status = 'closed' WHERE closed_us IS NOT NULL;
UPDATE incidents SET first_capture_us = (SELECT min(c.ts_us) FROM incident_captures l
  JOIN captures c ON c.id = l.capture_id WHERE l.incident_id = incidents.id);
-- Every change to an incident, in words that name no pupil ("status: new → in review"),
-- for the incident's own page (the audit log has the same, for read_audit only).
CREATE TABLE incident_history (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  ts_us       INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  change      TEXT NOT NULL
);
CREATE INDEX incident_history_by_incident ON incident_history (incident_id, ts_us);

-- Whether a person is a pupil or staff (not a name: in the clear, for the groups).
ALTER TABLE people ADD COLUMN kind TEXT NOT NULL DEFAULT 'pupil';

-- Devices seen on the school network, by MAC address (in the clear: captures carry it).
-- The DHCP host name is sealed like a person's record ("hallmonitor device <mac>"):
-- names such as "jsmith-ipad" are common (store/device_repository.h).
CREATE TABLE devices (
  mac           TEXT PRIMARY KEY,
  sealed_name   BLOB,
  first_seen_us INTEGER NOT NULL,
  last_seen_us  INTEGER NOT NULL
) WITHOUT ROWID;

-- Who had a device from when until when (until_us NULL: still), so "whose was it at
-- the time of the capture" has an answer: a person (people.id), or a shared pool by
-- name, optionally of a group (a class's iPads). Person ids, never names.
CREATE TABLE device_assignments (
  id          INTEGER PRIMARY KEY,
  mac         TEXT NOT NULL,
  person_id   INTEGER REFERENCES people(id) ON DELETE CASCADE,
  pool        TEXT,
  group_id    INTEGER REFERENCES people_groups(id) ON DELETE SET NULL,
  from_us     INTEGER NOT NULL,
  until_us    INTEGER,
  assigned_by TEXT NOT NULL
);
CREATE INDEX device_assignments_by_mac ON device_assignments (mac, from_us);
CREATE INDEX device_assignments_by_person ON device_assignments (person_id, from_us);

-- Groups: year groups and classes (made by the people import), staff, vulnerable /
-- high-risk, or the school's own. kind: year, class, staff, vulnerable, custom.
CREATE TABLE people_groups (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind       TEXT NOT NULL,
  created_us INTEGER NOT NULL
);
CREATE TABLE group_members (
  group_id  INTEGER NOT NULL REFERENCES people_groups(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, person_id)
) WITHOUT ROWID;
CREATE INDEX group_members_by_person ON group_members (person_id);
-- A group's age profile: per category, the lowest severity that raises an alert for
-- its members (6: never). No row: the box's default for that category (issue 7).
CREATE TABLE group_alert_profiles (
  group_id     INTEGER NOT NULL REFERENCES people_groups(id) ON DELETE CASCADE,
  category     TEXT NOT NULL,
  min_severity INTEGER NOT NULL CHECK (min_severity BETWEEN 1 AND 6),
  PRIMARY KEY (group_id, category)
) WITHOUT ROWID;
)sql"},
    Migration{8, "sign-in security: lockout, the second step (TOTP), the audit log's filters",
              R"sql(
ALTER TABLE users ADD COLUMN last_sign_in_us INTEGER;
-- The TOTP secret (RFC 6238), sealed with AES-256-GCM under a key derived from the
-- user's password (store/accounts.cpp), so a copied database does not give it away.
-- totp_pending: a secret being enrolled, until a code from it confirms it.
-- totp_last_step: the last 30-second step a code was accepted for; none is reused.
ALTER TABLE users ADD COLUMN totp_sealed BLOB;
ALTER TABLE users ADD COLUMN totp_pending BLOB;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- Failed sign-ins in a row, by the SHA-256 of the name typed (lower-cased), whether or
-- not an account has that name: an unknown name locks out exactly like a known one,
-- so the answers never tell which names exist. Cleared by a successful sign-in.
CREATE TABLE sign_in_failures (
  name_hash       BLOB PRIMARY KEY,
  failures        INTEGER NOT NULL,
  lockouts        INTEGER NOT NULL,
  locked_until_us INTEGER NOT NULL,
  last_failure_us INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (last_failure_us);

-- The audit log viewer filters by action and by person, newest first.
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
)sql"},
    Migration{9, "the dashboard's sums, kept by triggers as rows are written",
              R"sql(
-- Captures per UTC hour, severity and category, so "concerns this week" sums a week of
-- hours instead of counting a week of captures (store/dashboard_queries.cpp takes the
-- partial hours at each end from captures_for_counts). Triggers keep it exact for
-- every writer — the store thread, review, retention, erasure — without their knowing.
-- Rows that fall to zero are deleted, so purged hours leave nothing behind. The hour
-- is the floor of ts_us (the double % also floors times before 1970).
CREATE TABLE capture_hours (
  hour_start_us INTEGER NOT NULL,
  severity      INTEGER NOT NULL,
  category      TEXT NOT NULL,
  captures      INTEGER NOT NULL,
  PRIMARY KEY (hour_start_us, severity, category)
) WITHOUT ROWID;
INSERT INTO capture_hours (hour_start_us, severity, category, captures)
  SELECT ts_us - (ts_us % 3600000000 + 3600000000) % 3600000000, severity, category, count(*)
  FROM captures GROUP BY 1, 2, 3;

-- Captures by review status and severity, over all time: what waits for review.
CREATE TABLE capture_review_counts (
  review_status TEXT NOT NULL,
  severity      INTEGER NOT NULL,
  captures      INTEGER NOT NULL,
  PRIMARY KEY (review_status, severity)
) WITHOUT ROWID;
INSERT INTO capture_review_counts (review_status, severity, captures)
  SELECT review_status, severity, count(*) FROM captures GROUP BY 1, 2;

CREATE TRIGGER capture_sums_after_insert AFTER INSERT ON captures
BEGIN
  INSERT INTO capture_hours (hour_start_us, severity, category, captures)
    VALUES (NEW.ts_us - (NEW.ts_us % 3600000000 + 3600000000) % 3600000000, NEW.severity,
            NEW.category, 1)
    ON CONFLICT (hour_start_us, severity, category) DO UPDATE SET captures = captures + 1;
  INSERT INTO capture_review_counts (review_status, severity, captures)
    VALUES (NEW.review_status, NEW.severity, 1)
    ON CONFLICT (review_status, severity) DO UPDATE SET captures = captures + 1;
END;
CREATE TRIGGER capture_sums_after_delete AFTER DELETE ON captures
BEGIN
  UPDATE capture_hours SET captures = captures - 1
    WHERE hour_start_us = OLD.ts_us - (OLD.ts_us % 3600000000 + 3600000000) % 3600000000
      AND severity = OLD.severity AND category = OLD.category;
  DELETE FROM capture_hours
    WHERE hour_start_us = OLD.ts_us - (OLD.ts_us % 3600000000 + 3600000000) % 3600000000
      AND severity = OLD.severity AND category = OLD.category AND captures <= 0;
  UPDATE capture_review_counts SET captures = captures - 1
    WHERE review_status = OLD.review_status AND severity = OLD.severity;
  DELETE FROM capture_review_counts
    WHERE review_status = OLD.review_status AND severity = OLD.severity AND captures <= 0;
END;
-- Review changes review_status; nothing changes the others today, but if anything
-- does, the sums follow.
CREATE TRIGGER capture_hours_after_update
AFTER UPDATE OF ts_us, severity, category ON captures
WHEN OLD.ts_us IS NOT NEW.ts_us OR OLD.severity IS NOT NEW.severity
  OR OLD.category IS NOT NEW.category
BEGIN
  UPDATE capture_hours SET captures = captures - 1
    WHERE hour_start_us = OLD.ts_us - (OLD.ts_us % 3600000000 + 3600000000) % 3600000000
      AND severity = OLD.severity AND category = OLD.category;
  DELETE FROM capture_hours
    WHERE hour_start_us = OLD.ts_us - (OLD.ts_us % 3600000000 + 3600000000) % 3600000000
      AND severity = OLD.severity AND category = OLD.category AND captures <= 0;
  INSERT INTO capture_hours (hour_start_us, severity, category, captures)
    VALUES (NEW.ts_us - (NEW.ts_us % 3600000000 + 3600000000) % 3600000000, NEW.severity,
            NEW.category, 1)
    ON CONFLICT (hour_start_us, severity, category) DO UPDATE SET captures = captures + 1;
END;
CREATE TRIGGER capture_review_counts_after_update
AFTER UPDATE OF review_status, severity ON captures
WHEN OLD.review_status IS NOT NEW.review_status OR OLD.severity IS NOT NEW.severity
BEGIN
  UPDATE capture_review_counts SET captures = captures - 1
    WHERE review_status = OLD.review_status AND severity = OLD.severity;
  DELETE FROM capture_review_counts
    WHERE review_status = OLD.review_status AND severity = OLD.severity AND captures <= 0;
  INSERT INTO capture_review_counts (review_status, severity, captures)
    VALUES (NEW.review_status, NEW.severity, 1)
    ON CONFLICT (review_status, severity) DO UPDATE SET captures = captures + 1;
END;

-- Visibility per UTC hour and class, kept from visibility_minutes the same way (the
-- statistics writer's upsert fires the UPDATE trigger), so today's figures sum hours.
CREATE TABLE visibility_hours (
  hour_start_us INTEGER NOT NULL,
  class         TEXT NOT NULL,
  flows         INTEGER NOT NULL,
  bytes         INTEGER NOT NULL,
  packets       INTEGER NOT NULL,
  PRIMARY KEY (hour_start_us, class)
) WITHOUT ROWID;
INSERT INTO visibility_hours (hour_start_us, class, flows, bytes, packets)
  SELECT minute_start_us - (minute_start_us % 3600000000 + 3600000000) % 3600000000, class,
         sum(flows), sum(bytes), sum(packets)
  FROM visibility_minutes GROUP BY 1, 2;
CREATE TRIGGER visibility_hours_after_insert AFTER INSERT ON visibility_minutes
BEGIN
  INSERT INTO visibility_hours (hour_start_us, class, flows, bytes, packets)
    VALUES (NEW.minute_start_us - (NEW.minute_start_us % 3600000000 + 3600000000) % 3600000000,
            NEW.class, NEW.flows, NEW.bytes, NEW.packets)
    ON CONFLICT (hour_start_us, class) DO UPDATE SET flows = flows + excluded.flows,
      bytes = bytes + excluded.bytes, packets = packets + excluded.packets;
END;
CREATE TRIGGER visibility_hours_after_update AFTER UPDATE ON visibility_minutes
BEGIN
  UPDATE visibility_hours SET flows = flows - OLD.flows, bytes = bytes - OLD.bytes,
      packets = packets - OLD.packets
    WHERE hour_start_us =
            OLD.minute_start_us - (OLD.minute_start_us % 3600000000 + 3600000000) % 3600000000
      AND class = OLD.class;
  INSERT INTO visibility_hours (hour_start_us, class, flows, bytes, packets)
    VALUES (NEW.minute_start_us - (NEW.minute_start_us % 3600000000 + 3600000000) % 3600000000,
            NEW.class, NEW.flows, NEW.bytes, NEW.packets)
    ON CONFLICT (hour_start_us, class) DO UPDATE SET flows = flows + excluded.flows,
      bytes = bytes + excluded.bytes, packets = packets + excluded.packets;
END;
-- Nothing deletes minutes today; if anything does, an hour left without minutes goes.
CREATE TRIGGER visibility_hours_after_delete AFTER DELETE ON visibility_minutes
BEGIN
  UPDATE visibility_hours SET flows = flows - OLD.flows, bytes = bytes - OLD.bytes,
      packets = packets - OLD.packets
    WHERE hour_start_us =
            OLD.minute_start_us - (OLD.minute_start_us % 3600000000 + 3600000000) % 3600000000
      AND class = OLD.class;
  DELETE FROM visibility_hours
    WHERE hour_start_us =
            OLD.minute_start_us - (OLD.minute_start_us % 3600000000 + 3600000000) % 3600000000
      AND class = OLD.class
      AND NOT EXISTS (SELECT 1 FROM visibility_minutes m
                      WHERE m.minute_start_us >= visibility_hours.hour_start_us
                        AND m.minute_start_us < visibility_hours.hour_start_us + 3600000000
                        AND m.class = OLD.class);
END;

-- The serious captures (severity 4–5) by time with their device: the most concerning
-- devices and groups read a week of these alone, not a week of every capture.
CREATE INDEX captures_serious ON captures (ts_us, severity, client_mac, client_ip)
  WHERE severity >= 4;
-- The oldest serious capture still waiting for review is this index's first entry
-- (skipping the few in incidents), however many others wait.
CREATE INDEX captures_waiting_serious ON captures (ts_us)
  WHERE review_status = 'new' AND severity >= 4;
)sql"},
    Migration{10,
              "alerts: trigger rules, alerts grouped by device and category, the outbox, reports",
              R"sql(
-- Who is told about which captures, and how fast (issue 7). A capture is checked
-- against every enabled rule; an immediate rule wins over a digest rule.
CREATE TABLE alert_rules (
  id                 INTEGER PRIMARY KEY,
  name               TEXT NOT NULL,
  enabled            INTEGER NOT NULL DEFAULT 1,
  min_severity       INTEGER NOT NULL CHECK (min_severity BETWEEN 1 AND 5),
  categories         TEXT NOT NULL DEFAULT '',  -- comma-separated ids; empty: every category
  group_ids          TEXT NOT NULL DEFAULT '',  -- comma-separated; empty: anyone
  repeat_count       INTEGER NOT NULL DEFAULT 1 CHECK (repeat_count BETWEEN 1 AND 1000),
  repeat_window_s    INTEGER NOT NULL DEFAULT 0,
  active_from_minute INTEGER,  -- local time of day the rule applies from (NULL: all day)
  active_to_minute   INTEGER,
  term_time_only     INTEGER NOT NULL DEFAULT 0,
  quiet_from_minute  INTEGER,  -- emails held from … to … (local), NULL: never held
  quiet_to_minute    INTEGER,
  delivery           TEXT NOT NULL CHECK (delivery IN ('immediate', 'digest')),
  recipients         TEXT NOT NULL,  -- comma-separated: "dsl" or email addresses
  created_us         INTEGER NOT NULL,
  updated_us         INTEGER NOT NULL
);

-- One alert per device and category while its captures keep coming within the
-- grouping window: the first capture makes the email, later ones join it.
CREATE TABLE alerts (
  id               INTEGER PRIMARY KEY,
  rule_id          INTEGER,  -- NULL: a group's alert profile asked for it
  rule_name        TEXT NOT NULL,
  device           TEXT NOT NULL,  -- MAC, or the IP address when no MAC was seen
  category         TEXT NOT NULL,
  group_name       TEXT NOT NULL DEFAULT '',  -- the holder's group then (no one's name)
  max_severity     INTEGER NOT NULL,
  delivery         TEXT NOT NULL,
  recipients       TEXT NOT NULL,
  first_capture_id INTEGER NOT NULL,
  first_ts_us      INTEGER NOT NULL,
  last_ts_us       INTEGER NOT NULL,
  capture_count    INTEGER NOT NULL DEFAULT 1,
  created_us       INTEGER NOT NULL,
  outbox_id        INTEGER,  -- the email that told someone (immediate, or the digest's)
  digested_us      INTEGER   -- digest alerts: when a digest took them
);
CREATE INDEX alerts_by_device ON alerts (device, category, last_ts_us);
CREATE INDEX alerts_waiting_for_digest ON alerts (created_us) WHERE delivery = 'digest'
  AND digested_us IS NULL;
CREATE TABLE alert_captures (
  capture_id INTEGER PRIMARY KEY,
  alert_id   INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE
);
-- An alert goes with its captures: when the retention purge or an erasure (UK GDPR
-- Art. 17) deletes the last of them, the alert and its email's record go too, so no
-- device address outlives the captures it was about.
CREATE TRIGGER captures_leave_their_alerts AFTER DELETE ON captures
WHEN EXISTS (SELECT 1 FROM alert_captures WHERE capture_id = OLD.id)
BEGIN
  UPDATE alerts SET capture_count = capture_count - 1
    WHERE id = (SELECT alert_id FROM alert_captures WHERE capture_id = OLD.id);
  DELETE FROM outbox WHERE kind = 'alert' AND id =
    (SELECT a.outbox_id FROM alerts a JOIN alert_captures c ON c.alert_id = a.id
     WHERE c.capture_id = OLD.id AND a.capture_count <= 0 AND a.delivery = 'immediate');
  DELETE FROM alerts WHERE capture_count <= 0 AND id =
    (SELECT alert_id FROM alert_captures WHERE capture_id = OLD.id);
  DELETE FROM alert_captures WHERE capture_id = OLD.id;
END;

-- Every email the box sends, written before it is sent: a mail server outage or a
-- restart delays a message but never loses it, and a sent one is never sent again.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL,  -- alert, digest, report
  recipients      TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  attachment_name TEXT,
  attachment      BLOB,
  message_id      TEXT NOT NULL,
  created_us      INTEGER NOT NULL,
  next_attempt_us INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  state           TEXT NOT NULL CHECK (state IN ('queued', 'retrying', 'sent', 'failed')),
  last_answer     TEXT NOT NULL DEFAULT '',
  sent_us         INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_us) WHERE state IN ('queued', 'retrying');
CREATE INDEX outbox_by_time ON outbox (created_us DESC);

-- Reports made on schedule or on demand. Never with pupils' names (those are only
-- put in a report downloaded by someone who may open them, and that one is not kept).
CREATE TABLE reports (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,  -- weekly, termly, digest, custom
  from_us    INTEGER NOT NULL,
  to_us      INTEGER NOT NULL,
  created_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  title      TEXT NOT NULL,
  pdf        BLOB NOT NULL
);
CREATE INDEX reports_by_time ON reports (created_us DESC);

-- The defaults a school starts with (KCSiE: act on a serious concern at once).
-- Quiet hours are off: the DSL decides whether to hold the night's emails.
INSERT INTO alert_rules (name, min_severity, categories, delivery, recipients, created_us,
                         updated_us)
  VALUES ('Severity 5 in any category: tell the DSL at once', 5, '', 'immediate', 'dsl', 0, 0),
         ('Severity 4 or above in the most serious categories: tell the DSL at once', 4,
          'suicide,self-harm,child-sexual-exploitation,grooming,extremism', 'immediate', 'dsl',
          0, 0),
         ('Everything else: in the daily digest', 1, '', 'digest', 'dsl', 0, 0);
)sql"},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace hm::store
