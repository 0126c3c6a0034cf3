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
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace hm::store
