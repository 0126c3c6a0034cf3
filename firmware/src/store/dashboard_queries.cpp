#include "store/dashboard_queries.h"

#include <algorithm>

namespace hm::store {

ConcernCounts concerns_between(Database& db, TimeUs from_us, TimeUs until_us) {
  ConcernCounts counts;
  // captures_for_counts covers ts_us, severity and category: no table rows are read.
  Statement query(db,
                  "SELECT severity, category, count(*) FROM captures "
                  "WHERE ts_us >= ?1 AND ts_us < ?2 GROUP BY severity, category;");
  query.bind(1, from_us).bind(2, until_us);
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
  // captures_by_review holds status, time and severity; captures in an incident are few
  // (incident_captures_by_capture answers each NOT IN at once).
  Statement query(db,
                  "SELECT count(*), coalesce(sum(severity >= 4), 0), "
                  "coalesce(min(CASE WHEN severity >= 4 THEN ts_us END), 0) FROM captures "
                  "WHERE review_status = 'new' "
                  "AND id NOT IN (SELECT capture_id FROM incident_captures);");
  if (query.step()) {
    backlog.waiting = query.column_int(0);
    backlog.serious = query.column_int(1);
    backlog.oldest_serious_us = query.column_int(2);
  }
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
  // A device is its MAC address where one was seen, else its IP address.
  Statement query(db,
                  "SELECT coalesce(client_mac, ''), max(client_ip), count(*), "
                  "count(*) AS serious, max(severity) FROM captures "
                  "WHERE ts_us >= ?1 AND severity >= 4 GROUP BY coalesce(client_mac, client_ip) "
                  "ORDER BY serious DESC, max(severity) DESC LIMIT ?2;");
  query.bind(1, since_us).bind(2, static_cast<std::int64_t>(limit));
  std::vector<DeviceConcern> devices;
  while (query.step()) {
    devices.push_back({query.column_text(0), query.column_text(1), query.column_int(2),
                       query.column_int(3), static_cast<int>(query.column_int(4))});
  }
  return devices;
}

std::vector<GroupConcern> most_concerning_groups(Database& db, TimeUs since_us, std::size_t limit) {
  // One row per (capture, group) it belongs to: through the person who had the device
  // then, or the group's shared pool.
  Statement query(db,
                  "SELECT g.id, g.name, g.kind, count(*), sum(c.severity >= 4) AS serious "
                  "FROM captures c "
                  "JOIN device_assignments a ON a.mac = c.client_mac AND a.from_us <= c.ts_us "
                  "  AND (a.until_us IS NULL OR c.ts_us < a.until_us) "
                  "JOIN people_groups g ON g.id = a.group_id OR g.id IN "
                  "  (SELECT group_id FROM group_members m WHERE m.person_id = a.person_id) "
                  "WHERE c.ts_us >= ?1 AND c.severity >= 4 AND c.client_mac IS NOT NULL "
                  "GROUP BY g.id ORDER BY serious DESC, count(*) DESC LIMIT ?2;");
  query.bind(1, since_us).bind(2, static_cast<std::int64_t>(limit));
  std::vector<GroupConcern> groups;
  while (query.step()) {
    groups.push_back({query.column_int(0), query.column_text(1), query.column_text(2),
                      query.column_int(3), query.column_int(4)});
  }
  return groups;
}

std::vector<VisibilityTotal> visibility_since(Database& db, TimeUs since_us) {
  Statement query(db,
                  "SELECT class, sum(flows), sum(bytes), sum(packets) FROM visibility_minutes "
                  "WHERE minute_start_us >= ?1 GROUP BY class ORDER BY sum(bytes) DESC;");
  query.bind(1, since_us);
  std::vector<VisibilityTotal> totals;
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
  // The primary key starts with the minute: the last one is one step away.
  Statement last(db, "SELECT coalesce(max(minute_start_us), 0) FROM visibility_minutes;");
  if (last.step()) traffic.last_minute_us = last.column_int(0);
  return traffic;
}

}  // namespace hm::store
