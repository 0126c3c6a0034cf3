#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "evidence/capture.h"
#include "store/database.h"

namespace hm::store {

// Reads and writes the captures table. Insert is used by the store thread only.
class CaptureRepository {
 public:
  explicit CaptureRepository(Database& db) : db_(db) {}

  // Stores a capture whose id is set and whose evidence is sealed (anything else is
  // refused); returns its id.
  Result<std::int64_t> insert(const evidence::Capture& capture);
  // Whether a capture from the same packet is stored already: same packet time, client,
  // library entry and observation kind. The store thread skips such a capture, so a
  // replay restarted after a crash, or a mirror port that sends a packet twice, stores
  // each capture once.
  bool contains_same(const evidence::Capture& capture);
  // The highest capture id stored (0 if none): the store thread numbers new ones after it.
  std::int64_t last_id();

  // Where a page of captures ends: the next page starts after it (keyset paging,
  // which stays fast however many captures there are).
  struct Cursor {
    std::int64_t ts_us = 0;
    std::int64_t id = 0;
  };

  // Rows carry sealed_evidence only; evidence::open_evidence opens it for a signed-in
  // user. Newest first (by time, then id); `after` continues from an earlier page's last row.
  std::vector<evidence::Capture> list_recent(std::size_t limit, std::optional<Cursor> after = {});

  // What the captures list can be narrowed to; every field is optional and they combine.
  struct Filter {
    std::optional<int> severity;          // exactly this level, 1–5
    std::optional<std::string> category;  // a category id
    // A device: a MAC address (lower case, as stored) or, for devices whose MAC was
    // not seen, an IP address.
    std::optional<std::string> device;
    // Devices of a person or group at the time (people/groups are resolved to the MAC
    // addresses they had); an empty list matches nothing.
    std::optional<std::vector<std::string>> devices;
    // Captures from devices the person had at the time, or that were the group's at the
    // time (a member's device or the group's shared pool): store/device_repository.h.
    std::optional<std::int64_t> person_id;
    std::optional<std::int64_t> group_id;
    std::optional<std::int64_t> from_us;   // ts_us >= from_us
    std::optional<std::int64_t> until_us;  // ts_us < until_us
    // new (not reviewed, not in an incident), reviewed, false_positive, incident.
    std::optional<std::string> status;
  };
  // Review statuses a filter may name (Filter::status).
  static bool is_status(std::string_view status);

  // The same order and paging as list_recent, narrowed by `filter`. Each single filter
  // reads its own index newest first (migration 6), so a page stays a short walk.
  std::vector<evidence::Capture> list(const Filter& filter, std::size_t limit,
                                      std::optional<Cursor> after = {});
  // The SQL list() runs for `filter` (EXPLAIN QUERY PLAN in the tests and the benchmark).
  static std::string list_sql(const Filter& filter);
  std::optional<evidence::Capture> find(std::int64_t id);
  // Every capture from this MAC address (as stored: lower case), oldest first.
  std::vector<evidence::Capture> of_device(std::string_view mac);
  std::int64_t count();

 private:
  Database& db_;
};

}  // namespace hm::store
