#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "alerts/rules.h"
#include "base/result.h"
#include "store/database.h"

namespace hm::alerts {

// The trigger rules in the database (migration 10 ships the defaults). Every change is
// audited with the rule as it now reads, so an inspector can see who changed who is told.
class RuleRepository {
 public:
  explicit RuleRepository(store::Database& db) : db_(db) {}

  std::vector<AlertRule> list();
  std::optional<AlertRule> find(std::int64_t id);
  // Checks the rule (rule_problem) and saves it; returns its id.
  Result<std::int64_t> create(const AlertRule& rule, std::string_view actor, TimeUs now);
  Status update(const AlertRule& rule, std::string_view actor, TimeUs now);
  Status remove(std::int64_t id, std::string_view actor, TimeUs now);

 private:
  store::Database& db_;
};

// "Severity 4+ · suicide, self-harm · at once to the DSL": the rule in one line, for
// the audit log and the alert email.
std::string describe(const AlertRule& rule);

}  // namespace hm::alerts
