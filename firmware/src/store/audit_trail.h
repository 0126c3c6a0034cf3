#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

struct AuditEntry {
  std::int64_t id = 0;
  TimeUs ts_us = 0;
  std::string actor;
  std::string action;
  std::string detail;
};

struct AuditQuery {
  std::optional<std::int64_t> before_id;  // keyset: entries older than this one
  std::string action;                     // empty: any
  std::string actor;                      // empty: anyone
  int limit = 50;
};

struct AuditPage {
  std::vector<AuditEntry> entries;             // newest first
  std::optional<std::int64_t> next_before_id;  // set when there are older entries
};

// Reading the audit log (store/audit_log.h writes and verifies it) for the audit page:
// newest first, a page at a time by id (keyset paging, so a page costs the same however
// long the log grows), filtered by action or person through migration 8's indices.
class AuditTrail {
 public:
  explicit AuditTrail(Database& db) : db_(db) {}

  static constexpr int kMaxPage = 200;

  AuditPage page(const AuditQuery& query);
  // The actions the log holds, for the page's filter.
  std::vector<std::string> actions();

 private:
  Database& db_;
};

}  // namespace hm::store
