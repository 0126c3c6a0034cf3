#include "store/dashboard_queries.h"

#include <algorithm>
#include <limits>

namespace hm::store {

namespace {

constexpr TimeUs kHourUs = 3'600'000'000;

// The start of the UTC hour `ts_us` falls in (floored, as migration 9's triggers do).
TimeUs hour_floor(TimeUs ts_us) { return ts_us - ((ts_us % kHourUs) + kHourUs) % kHourUs; }

// [from_us, until_us) split into the whole UTC hours inside it, whose sums the hourly
// tables keep, and the partial hours at each end, read row by row. Browsers send their
// local midnight, which need not fall on a UTC hour (India's is half past).
struct HourSplit {
  TimeUs whole_from;   // whole hours: [whole_from, whole_until)
  TimeUs whole_until;  // partial: [from, whole_from) and [whole_until, until)
};
HourSplit split_by_hour(TimeUs from_us, TimeUs until_us) {
  const TimeUs first = hour_floor(from_us) == from_us ? from_us : hour_floor(from_us) + kHourUs;
  const TimeUs last = hour_floor(until_us);
  // Within one hour: no whole hour, every row read (both ends meet at until_us).
  if (first >= last) return {until_us, until_us};
  return {first, last};
}

}  // namespace

ConcernCounts concerns_between(Database& db, TimeUs from_us, TimeUs until_us) {
  ConcernCounts counts;
  if (from_us >= until_us) return counts;
  const HourSplit hours = split_by_hour(from_us, until_us);
  // Whole hours from capture_hours (a week is ~70 school hours of ~45 rows each); the
  // two partial hours from captures_for_counts, which covers ts_us, severity and
  // category, so no table rows are read.
  Statement query(db,
                  "SELECT severity, category, sum(captures) FROM capture_hours "
                  "WHERE hour_start_us >= ?3 AND hour_start_us < ?4 GROUP BY severity, category "
                  "UNION ALL "
                  "SELECT severity, category, count(*) FROM captures "
                  "WHERE ts_us >= ?1 AND ts_us < ?3 GROUP BY severity, category "
                  "UNION ALL "
                  "SELECT severity, category, count(*) FROM captures "
                  "WHERE ts_us >= ?4 AND ts_us < ?2 GROUP BY severity, category;");
  query.bind(1, from_us).bind(2, until_us).bind(3, hours.whole_from).bind(4, hours.whole_until);
  while (query.step()) {
    const auto severity = static_cast<int>(query.column_int(0));
    const std::int64_t n = query.column_int(2);
    counts.by_severity[severity] += n;
    counts.by_category[query.column_text(1)] += n;
    counts.total += n;
  }
  return counts;
}

ReviewBacklog review_backlog(Database& db) {
  ReviewBacklog backlog;
  // Every capture still 'new', by severity, from capture_review_counts (a few rows) …
  Statement waiting(db,
                    "SELECT coalesce(sum(captures), 0), "
                    "coalesce(sum(CASE WHEN severity >= 4 THEN captures END), 0) "
                    "FROM capture_review_counts WHERE review_status = 'new';");
  if (waiting.step()) {
    backlog.waiting = waiting.column_int(0);
    backlog.serious = waiting.column_int(1);
  }
  // … less those already in an incident (someone is on them): incidents link few
  // captures, each found by its id. IN counts a capture in two incidents once. The
  // unary + keeps SQLite from walking every waiting capture by captures_by_review.
  Statement in_incidents(db,
                         "SELECT count(*), coalesce(sum(severity >= 4), 0) FROM captures "
                         "WHERE +review_status = 'new' "
                         "AND id IN (SELECT capture_id FROM incident_captures);");
  if (in_incidents.step()) {
    backlog.waiting -= in_incidents.column_int(0);
    backlog.serious -= in_incidents.column_int(1);
  }
  // The oldest: the first entry of captures_waiting_serious, a partial index of the
  // waiting serious captures only (its terms are written out as the index has them).
  // Named, because without statistics SQLite prefers captures_by_review, which walks
  // every waiting capture older than the oldest serious one — most, in a school that
  // reviews the serious first; and a query the index cannot answer fails loudly.
  Statement oldest(db,
                   "SELECT ts_us FROM captures INDEXED BY captures_waiting_serious "
                   "WHERE review_status = 'new' AND severity >= 4 "
                   "AND id NOT IN (SELECT capture_id FROM incident_captures) "
                   "ORDER BY ts_us LIMIT 1;");
  if (oldest.step()) backlog.oldest_serious_us = oldest.column_int(0);
  return backlog;
}

ReviewTimes review_times(Database& db, TimeUs since_us) {
  ReviewTimes times;
  Statement query(db,
                  "SELECT first_reviewed_us - ts_us FROM captures "
                  "WHERE first_reviewed_us IS NOT NULL AND first_reviewed_us >= ?1;");
  query.bind(1, since_us);
  std::vector<std::int64_t> waits;
  while (query.step()) waits.push_back(query.column_int(0));
  times.reviewed = static_cast<std::int64_t>(waits.size());
  if (!waits.empty()) {
    const auto middle = waits.begin() + static_cast<std::ptrdiff_t>(waits.size() / 2);
    std::nth_element(waits.begin(), middle, waits.end());
    times.median_wait_us = *middle;
  }
  return times;
}

std::vector<DeviceConcern> most_concerning_devices(Database& db, TimeUs since_us,
                                                   std::size_t limit) {
  return most_concerning_devices(db, since_us, std::numeric_limits<TimeUs>::max(), limit);
}

std::vector<DeviceConcern> most_concerning_devices(Database& db, TimeUs since_us, TimeUs until_us,
                                                   std::size_t limit) {
  // A device is its MAC address where one was seen, else its IP address. The partial
  // index captures_serious holds exactly the rows counted and covers the query (named,
  // so that a change that stops it answering fails rather than reading every capture).
  Statement query(db,
                  "SELECT coalesce(client_mac, ''), max(client_ip), count(*), "
                  "count(*) AS serious, max(severity) FROM captures INDEXED BY captures_serious "
                  "WHERE severity >= 4 AND ts_us >= ?1 AND ts_us < ?3 "
                  "GROUP BY coalesce(client_mac, client_ip) "
                  "ORDER BY serious DESC, max(severity) DESC, coalesce(client_mac, client_ip) "
                  "LIMIT ?2;");
  query.bind(1, since_us).bind(2, static_cast<std::int64_t>(limit)).bind(3, until_us);
  std::vector<DeviceConcern> devices;
  while (query.step()) {
    devices.push_back({query.column_text(0), query.column_text(1), query.column_int(2),
                       query.column_int(3), static_cast<int>(query.column_int(4))});
  }
  return devices;
}

std::vector<GroupConcern> most_concerning_groups(Database& db, TimeUs since_us, std::size_t limit) {
  return most_concerning_groups(db, since_us, std::numeric_limits<TimeUs>::max(), limit);
}

std::vector<GroupConcern> most_concerning_groups(Database& db, TimeUs since_us, TimeUs until_us,
                                                 std::size_t limit) {
  // Each serious capture (from captures_serious) finds the assignment its device had
  // at the time; they are counted per assignment first (a few hundred), and only then
  // spread to the groups of each: through the person who had the device then, or the
  // group of its shared pool — one row per (capture, group), as before.
  Statement query(
      db,
      "WITH per_assignment AS ("
      "  SELECT a.id AS assignment, count(*) AS serious "
      "  FROM captures c INDEXED BY captures_serious "
      "  JOIN device_assignments a ON a.mac = c.client_mac AND a.from_us <= c.ts_us "
      "    AND (a.until_us IS NULL OR c.ts_us < a.until_us) "
      "  WHERE c.severity >= 4 AND c.ts_us >= ?1 AND c.ts_us < ?3 AND c.client_mac IS NOT NULL "
      "  GROUP BY a.id) "
      "SELECT g.id, g.name, g.kind, sum(p.serious) AS serious "
      "FROM per_assignment p JOIN device_assignments a ON a.id = p.assignment "
      "JOIN people_groups g ON g.id = a.group_id OR g.id IN "
      "  (SELECT group_id FROM group_members m WHERE m.person_id = a.person_id) "
      "GROUP BY g.id ORDER BY serious DESC, g.id LIMIT ?2;");
  query.bind(1, since_us).bind(2, static_cast<std::int64_t>(limit)).bind(3, until_us);
  std::vector<GroupConcern> groups;
  while (query.step()) {
    const std::int64_t serious = query.column_int(3);
    groups.push_back(
        {query.column_int(0), query.column_text(1), query.column_text(2), serious, serious});
  }
  return groups;
}

std::vector<VisibilityTotal> visibility_since(Database& db, TimeUs since_us) {
  return visibility_between(db, since_us, std::numeric_limits<TimeUs>::max());
}

std::vector<VisibilityTotal> visibility_between(Database& db, TimeUs from_us, TimeUs until_us) {
  std::vector<VisibilityTotal> totals;
  if (from_us >= until_us) return totals;
  // Whole hours from visibility_hours, the partial hours at each end from the minutes.
  const HourSplit hours = split_by_hour(from_us, until_us);
  Statement query(db,
                  "SELECT class, sum(flows), sum(bytes), sum(packets) FROM ("
                  "  SELECT class, flows, bytes, packets FROM visibility_hours "
                  "  WHERE hour_start_us >= ?3 AND hour_start_us < ?4 "
                  "  UNION ALL "
                  "  SELECT class, flows, bytes, packets FROM visibility_minutes "
                  "  WHERE minute_start_us >= ?1 AND minute_start_us < ?3 "
                  "  UNION ALL "
                  "  SELECT class, flows, bytes, packets FROM visibility_minutes "
                  "  WHERE minute_start_us >= ?4 AND minute_start_us < ?2) "
                  "GROUP BY class ORDER BY sum(bytes) DESC;");
  query.bind(1, from_us).bind(2, until_us).bind(3, hours.whole_from).bind(4, hours.whole_until);
  while (query.step()) {
    totals.push_back(
        {query.column_text(0), query.column_int(1), query.column_int(2), query.column_int(3)});
  }
  return totals;
}

MirrorTraffic mirror_traffic(Database& db, TimeUs since_us) {
  MirrorTraffic traffic;
  Statement recent(db,
                   "SELECT minute_start_us, sum(packets) FROM visibility_minutes "
                   "WHERE minute_start_us >= ?1 GROUP BY minute_start_us;");
  recent.bind(1, since_us);
  while (recent.step()) traffic.packets_by_minute[recent.column_int(0)] = recent.column_int(1);
  traffic.last_minute_us = last_traffic_minute(db);
  return traffic;
}

TimeUs last_traffic_minute(Database& db) {
  // The primary key starts with the minute: the last one is one step away.
  Statement last(db, "SELECT coalesce(max(minute_start_us), 0) FROM visibility_minutes;");
  return last.step() ? last.column_int(0) : 0;
}

}  // namespace hm::store
