#include "store/audit_trail.h"

#include <algorithm>
#include <limits>
#include <string>

namespace hm::store {

AuditPage AuditTrail::page(const AuditQuery& query) {
  const int limit = std::clamp(query.limit, 1, kMaxPage);
  // Only the filters in use go into the SQL, so SQLite walks the action or actor
  // index backwards from before_id instead of filtering the whole log.
  std::string sql = "SELECT id, ts_us, actor, action, detail FROM audit_log WHERE id < ?1";
  if (!query.action.empty()) sql += " AND action = ?2";
  if (!query.actor.empty()) sql += " AND actor = ?3";
  sql += " ORDER BY id DESC LIMIT ?4;";
  Statement rows(db_, sql);
  rows.bind(1, query.before_id.value_or(std::numeric_limits<std::int64_t>::max()));
  if (!query.action.empty()) rows.bind(2, query.action);
  if (!query.actor.empty()) rows.bind(3, query.actor);
  rows.bind(4, limit + 1);
  AuditPage page;
  while (rows.step()) {
    if (static_cast<int>(page.entries.size()) == limit) {
      page.next_before_id = page.entries.back().id;
      break;
    }
    page.entries.push_back({rows.column_int(0), rows.column_int(1), rows.column_text(2),
                            rows.column_text(3), rows.column_text(4)});
  }
  return page;
}

std::vector<std::string> AuditTrail::actions() {
  Statement rows(db_, "SELECT DISTINCT action FROM audit_log ORDER BY action;");
  std::vector<std::string> found;
  while (rows.step()) found.push_back(rows.column_text(0));
  return found;
}

}  // namespace hm::store
