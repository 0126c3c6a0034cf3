#include "reports/report_queries.h"

#include <algorithm>

namespace hm::reports::detail {

namespace {

constexpr TimeUs kHourUs = 3'600'000'000;

TimeUs hour_floor(TimeUs ts_us) { return ts_us - ((ts_us % kHourUs) + kHourUs) % kHourUs; }

}  // namespace

std::vector<PhraseCount> phrase_counts(store::Database& db, const Period& period,
                                       std::size_t limit) {
  store::Statement query(db,
                         "SELECT phrase, category, max(severity), count(*) AS n FROM captures "
                         "WHERE ts_us >= ?1 AND ts_us < ?2 GROUP BY phrase, category "
                         "ORDER BY n DESC, max(severity) DESC, phrase LIMIT ?3;");
  query.bind(1, period.from_us).bind(2, period.until_us).bind(3, static_cast<std::int64_t>(limit));
  std::vector<PhraseCount> phrases;
  while (query.step()) {
    phrases.push_back({query.column_text(0), query.column_text(1),
                       static_cast<int>(query.column_int(2)), query.column_int(3)});
  }
  return phrases;
}

std::vector<PupilCapture> pupil_captures(store::Database& db, const Period& period) {
  // The assignment the device had at the time of each capture (device_repository.h).
  store::Statement query(
      db,
      "SELECT a.person_id, c.id, c.severity, c.category FROM captures c "
      "JOIN device_assignments a ON a.mac = c.client_mac "
      "  AND a.from_us <= c.ts_us AND (a.until_us IS NULL OR c.ts_us < a.until_us) "
      "JOIN people p ON p.id = a.person_id AND p.kind = 'pupil' "
      "WHERE c.ts_us >= ?1 AND c.ts_us < ?2 AND c.client_mac IS NOT NULL "
      "ORDER BY a.person_id, c.ts_us;");
  query.bind(1, period.from_us).bind(2, period.until_us);
  std::vector<PupilCapture> captures;
  while (query.step()) {
    captures.push_back({query.column_int(0), query.column_int(1),
                        static_cast<int>(query.column_int(2)), query.column_text(3)});
  }
  return captures;
}

ReviewFigures review_figures(store::Database& db, const Period& period) {
  // The first look is the first mark or the first incident link, whichever came first.
  store::Statement query(db,
                         "SELECT c.severity, c.review_status, c.ts_us, "
                         "  min(coalesce(c.first_reviewed_us, 9223372036854775807), "
                         "      coalesce((SELECT min(l.added_us) FROM incident_captures l "
                         "                WHERE l.capture_id = c.id), 9223372036854775807)), "
                         "  EXISTS (SELECT 1 FROM incident_captures l WHERE l.capture_id = c.id) "
                         "FROM captures c WHERE c.ts_us >= ?1 AND c.ts_us < ?2;");
  query.bind(1, period.from_us).bind(2, period.until_us);
  constexpr std::int64_t kNever = 9223372036854775807;
  ReviewFigures review;
  std::vector<TimeUs> waits;
  std::vector<TimeUs> serious_waits;
  while (query.step()) {
    const auto severity = static_cast<int>(query.column_int(0));
    const bool serious = severity >= 4;
    ++review.captures;
    if (query.column_text(1) == "false_positive") ++review.false_positive;
    if (query.column_int(4) != 0) ++review.in_incident;
    const TimeUs first_look = query.column_int(3);
    if (first_look == kNever) {
      ++review.waiting;
      if (serious) ++review.waiting_serious;
      continue;
    }
    ++review.looked_at;
    const TimeUs wait = std::max<TimeUs>(0, first_look - query.column_int(2));
    waits.push_back(wait);
    if (serious) serious_waits.push_back(wait);
  }
  review.first_review = summarise(waits);
  review.serious_first_review = summarise(serious_waits);
  return review;
}

std::vector<TimeUs> traffic_hours(store::Database& db, const Period& period) {
  store::Statement query(db,
                         "SELECT DISTINCT hour_start_us FROM visibility_hours "
                         "WHERE hour_start_us >= ?1 AND hour_start_us < ?2 AND packets > 0 "
                         "ORDER BY hour_start_us;");
  query.bind(1, hour_floor(period.from_us)).bind(2, period.until_us);
  std::vector<TimeUs> hours;
  while (query.step()) hours.push_back(query.column_int(0));
  return hours;
}

std::vector<std::string> library_versions_used(store::Database& db, const Period& period) {
  store::Statement query(db,
                         "SELECT DISTINCT library_version FROM captures "
                         "WHERE ts_us >= ?1 AND ts_us < ?2 ORDER BY library_version;");
  query.bind(1, period.from_us).bind(2, period.until_us);
  std::vector<std::string> versions;
  while (query.step()) versions.push_back(query.column_text(0));
  return versions;
}

AuditFact audit_tally(store::Database& db, std::string_view action, TimeUs since_us,
                      std::string_view detail_prefix) {
  // audit_log_by_action (migration 8) finds the action's entries; the newest is last.
  store::Statement query(
      db,
      "SELECT ts_us, actor, detail FROM audit_log "
      "WHERE action = ?1 AND ts_us >= ?2 AND (?4 = 0 OR substr(detail, 1, ?4) = ?3) "
      "ORDER BY id;");
  query.bind(1, action)
      .bind(2, since_us)
      .bind(3, detail_prefix)
      .bind(4, static_cast<std::int64_t>(detail_prefix.size()));
  AuditFact tally;
  while (query.step()) {
    ++tally.count;
    tally.last_us = query.column_int(0);
    tally.last_actor = query.column_text(1);
    tally.last_detail = query.column_text(2);
  }
  return tally;
}

AuditFact audit_tally_prefix(store::Database& db, std::string_view prefix, TimeUs since_us) {
  store::Statement query(db,
                         "SELECT ts_us, actor, detail FROM audit_log "
                         "WHERE substr(action, 1, ?2) = ?1 AND ts_us >= ?3 ORDER BY id;");
  query.bind(1, prefix).bind(2, static_cast<std::int64_t>(prefix.size())).bind(3, since_us);
  AuditFact tally;
  while (query.step()) {
    ++tally.count;
    tally.last_us = query.column_int(0);
    tally.last_actor = query.column_text(1);
    tally.last_detail = query.column_text(2);
  }
  return tally;
}

std::map<std::string, AuditFact> reports_made(store::Database& db, TimeUs since_us) {
  std::map<std::string, AuditFact> made;
  store::Statement query(db,
                         "SELECT kind, created_us, created_by FROM reports "
                         "WHERE created_us >= ?1 ORDER BY created_us, id;");
  query.bind(1, since_us);
  while (query.step()) {
    AuditFact& tally = made[query.column_text(0)];
    ++tally.count;
    tally.last_us = query.column_int(1);
    tally.last_actor = query.column_text(2);
  }
  return made;  // a database without the table gives a failed statement: nothing made
}

std::vector<AlertRuleFact> alert_rules(store::Database& db) {
  std::vector<AlertRuleFact> rules;
  store::Statement query(db,
                         "SELECT name, delivery, recipients FROM alert_rules WHERE enabled = 1 "
                         "ORDER BY delivery = 'digest', min_severity DESC, id;");
  while (query.step()) {
    rules.push_back({query.column_text(0), query.column_text(1), query.column_text(2)});
  }
  return rules;
}

Waits summarise(std::vector<TimeUs>& waits) {
  Waits summary;
  summary.count = static_cast<std::int64_t>(waits.size());
  if (waits.empty()) return summary;
  std::sort(waits.begin(), waits.end());
  const std::size_t n = waits.size();
  // The middle value; for an even count the mean of the two middle ones.
  summary.median_us = n % 2 == 1 ? waits[n / 2] : (waits[n / 2 - 1] + waits[n / 2]) / 2;
  summary.longest_us = waits.back();
  return summary;
}

}  // namespace hm::reports::detail
