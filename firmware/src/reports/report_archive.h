#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/database.h"

namespace hm::reports {

// The reports the box has made and keeps (migration 10's `reports` table): scheduled
// ones and those made on demand, for the Reports page to list and download. A kept
// report never carries pupils' names (report_data.h: without the key, pupils are
// references), so keeping it adds nothing sealed evidence hides.
struct StoredReport {
  std::int64_t id = 0;
  std::string kind;  // weekly, termly, custom
  std::int64_t from_us = 0;
  std::int64_t until_us = 0;
  std::int64_t created_us = 0;
  std::string created_by;  // a username, or "schedule"
  std::string title;
  std::int64_t bytes = 0;
};

class ReportArchive {
 public:
  explicit ReportArchive(store::Database& db) : db_(db) {}

  Result<std::int64_t> keep(const StoredReport& report, const std::string& pdf);
  std::vector<StoredReport> list(int limit = 100);
  std::optional<StoredReport> find(std::int64_t id);
  std::optional<std::string> pdf(std::int64_t id);
  Status remove(std::int64_t id);

 private:
  store::Database& db_;
};

}  // namespace hm::reports
