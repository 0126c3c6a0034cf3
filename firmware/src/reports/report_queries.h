#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "reports/evidence_pack.h"
#include "reports/report_data.h"
#include "store/database.h"

// Internal to reports/: the few questions of a report no store repository already
// answers. Each reads captures of [from_us, until_us) by captures_by_time or
// captures_for_counts (migration 6), so a report of one week reads that week only.
namespace hm::reports::detail {

// The library entries that matched most, most captures first.
std::vector<PhraseCount> phrase_counts(store::Database& db, const Period& period,
                                       std::size_t limit);

// A capture made on a pupil's device at the time (device_assignments; the condition of
// store/device_repository.h), pupils only (people.kind).
struct PupilCapture {
  std::int64_t person_id = 0;
  std::int64_t capture_id = 0;
  int severity = 0;
  std::string category;
};
std::vector<PupilCapture> pupil_captures(store::Database& db, const Period& period);

// The captures of the period and their review (capture → first review).
ReviewFigures review_figures(store::Database& db, const Period& period);

// The start of every UTC hour in the period with any mirror traffic (visibility_hours).
std::vector<TimeUs> traffic_hours(store::Database& db, const Period& period);

// The distinct library versions the period's captures were matched with.
std::vector<std::string> library_versions_used(store::Database& db, const Period& period);

// Entries of one audit action since `since_us` (detail starting with `detail_prefix`,
// if given): how many, and the latest.
AuditFact audit_tally(store::Database& db, std::string_view action, TimeUs since_us,
                      std::string_view detail_prefix = {});
// Entries whose action starts with `prefix` ("report": viewing, downloading …).
AuditFact audit_tally_prefix(store::Database& db, std::string_view prefix, TimeUs since_us);

// Reports the box made since `since_us` (migration 10's reports table), per kind:
// how many, and the latest. Empty when the table is not there.
std::map<std::string, AuditFact> reports_made(store::Database& db, TimeUs since_us);

// The enabled alert rules (migration 10's alert_rules): who is told, how fast.
std::vector<AlertRuleFact> alert_rules(store::Database& db);

// The median and the longest of `waits` (reordered).
Waits summarise(std::vector<TimeUs>& waits);

}  // namespace hm::reports::detail
