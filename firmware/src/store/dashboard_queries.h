#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/accounts.h"
#include "store/database.h"

// The dashboard's figures: "is anything wrong, and is the box working?" (issue 6 item
// 3). Metadata only — nothing here opens evidence — so every role that may see the
// dashboard may see these. Counts come from migration 9's sums (capture_hours,
// capture_review_counts, visibility_hours: kept by triggers, so never stale), with only
// the partial hours at a period's ends read row by row; rankings read the partial
// index of serious captures. So the dashboard stays quick with a million captures.
namespace hm::store {

struct ConcernCounts {
  std::int64_t total = 0;
  std::map<int, std::int64_t> by_severity;          // 1–5 → captures
  std::map<std::string, std::int64_t> by_category;  // category id → captures
};

// Captures with from_us <= ts_us < until_us (any microseconds: whole UTC hours are
// summed from capture_hours, the partial hours at each end counted).
ConcernCounts concerns_between(Database& db, TimeUs from_us, TimeUs until_us);

// What waits for a member of staff: captures not yet marked and in no incident.
struct ReviewBacklog {
  std::int64_t waiting = 0;
  std::int64_t serious = 0;      // of them, severity 4 or 5
  TimeUs oldest_serious_us = 0;  // 0 when none
};
ReviewBacklog review_backlog(Database& db);

// How quickly captures were first looked at: those first reviewed since `since_us`.
struct ReviewTimes {
  std::int64_t reviewed = 0;
  std::int64_t median_wait_us = 0;  // from capture to first review
};
ReviewTimes review_times(Database& db, TimeUs since_us);

// The devices with the most serious captures (severity 4–5) since `since_us`, most
// first (ties by address); at most `limit`. Only serious ones are counted: they are
// what makes a device concerning, and a week of every capture would be ten times the
// rows to read.
struct DeviceConcern {
  std::string mac;            // empty when only the IP address was seen
  std::string ip;             // the latest seen
  std::int64_t captures = 0;  // serious ones (the same as `serious`)
  std::int64_t serious = 0;
  int highest_severity = 0;
};
std::vector<DeviceConcern> most_concerning_devices(Database& db, TimeUs since_us,
                                                   std::size_t limit);
// The same for captures with since_us <= ts_us < until_us (a report of a past week).
std::vector<DeviceConcern> most_concerning_devices(Database& db, TimeUs since_us, TimeUs until_us,
                                                   std::size_t limit);

// The groups whose members' devices (or shared pools) had the most serious captures
// (severity 4–5) since `since_us`, at the time of each capture (device_repository.h);
// most first, ties by id.
struct GroupConcern {
  std::int64_t id = 0;
  std::string name;
  std::string kind;           // year, class, staff, vulnerable, custom
  std::int64_t captures = 0;  // serious ones (the same as `serious`)
  std::int64_t serious = 0;
};
std::vector<GroupConcern> most_concerning_groups(Database& db, TimeUs since_us, std::size_t limit);
// The same for captures with since_us <= ts_us < until_us.
std::vector<GroupConcern> most_concerning_groups(Database& db, TimeUs since_us, TimeUs until_us,
                                                 std::size_t limit);

// Flows, bytes and packets by visibility class since `since_us` (visibility_minutes).
struct VisibilityTotal {
  std::string visibility;
  std::int64_t flows = 0;
  std::int64_t bytes = 0;
  std::int64_t packets = 0;
};
std::vector<VisibilityTotal> visibility_since(Database& db, TimeUs since_us);
// The same for the minutes with from_us <= minute_start_us < until_us.
std::vector<VisibilityTotal> visibility_between(Database& db, TimeUs from_us, TimeUs until_us);

// Packets the mirror port delivered per minute, for the minutes since `since_us`
// (minutes with none are absent), and the latest minute with any traffic at all.
struct MirrorTraffic {
  std::map<TimeUs, std::int64_t> packets_by_minute;
  TimeUs last_minute_us = 0;  // 0: nothing ever seen
};
MirrorTraffic mirror_traffic(Database& db, TimeUs since_us);

// The start of the latest minute with any traffic; 0 when nothing was ever seen.
TimeUs last_traffic_minute(Database& db);

}  // namespace hm::store
