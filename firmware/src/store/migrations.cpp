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
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace hm::store
