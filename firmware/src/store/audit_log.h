#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

// The audit trail (issue 5 item 3): append-only (triggers refuse UPDATE and DELETE)
// and hash-chained — each entry's hash covers the previous entry's hash and its own
// fields, so editing, deleting or reordering a row breaks every hash from there on.
//
// Actions in use: login, login_failed, logout, setup, evidence_view, evidence_export,
// password_change, recover, settings_change, account_change, library_change, purge,
// erasure.
class AuditLog {
 public:
  explicit AuditLog(Database& db) : db_(db) {}

  // Appends one entry. Joins the caller's transaction if one is open, so an action and
  // its audit entry commit together; otherwise takes its own (BEGIN IMMEDIATE keeps
  // the chain linear when several connections append at once).
  Status append(std::string_view actor, std::string_view action, std::string_view detail,
                TimeUs now = now_us());

  struct Verification {
    std::int64_t entries = 0;
    std::optional<std::int64_t> first_broken;  // the id of the first entry that fails
    std::string reason;                        // why it fails, for the person checking
  };
  Verification verify();

 private:
  Database& db_;
};

}  // namespace hm::store
