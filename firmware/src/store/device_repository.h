#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/secret.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

// Devices seen on the school network and who had each one when (migration 7; issue 6
// item 6). A device is its MAC address as captures record it (aa:bb:cc:dd:ee:ff). Its
// DHCP host name is sealed, like a person's record: "jsmith-ipad" names a pupil.
//
// For the captures list's "person" and "group" filters and the dashboard (engineer B):
// a capture `c` was on person P's device when a device_assignments row `a` has
//   a.mac = c.client_mac AND a.from_us <= c.ts_us AND (a.until_us IS NULL OR c.ts_us < a.until_us)
// and a.person_id = P; it was in group G when that row's person is in group_members
// for G, or the row is a shared pool with a.group_id = G. capture_of_person_sql() and
// capture_of_group_sql() below write these conditions.
struct Device {
  std::string mac;
  std::string sealed_name;  // the DHCP host name, sealed (open_device_name); or empty
  TimeUs first_seen_us = 0;
  TimeUs last_seen_us = 0;
};

// Who had a device from from_us until until_us (0: still has it): a person, or a
// shared pool by name (of a group, or none).
struct Assignment {
  std::int64_t id = 0;
  std::string mac;
  std::int64_t person_id = 0;  // 0 for a shared pool
  std::string pool;            // the pool's name, for a shared pool
  std::int64_t group_id = 0;   // the pool's group, or 0
  TimeUs from_us = 0;
  TimeUs until_us = 0;
  std::string assigned_by;
};

inline constexpr std::size_t kMaxPoolName = 80;

class DeviceRepository {
 public:
  explicit DeviceRepository(Database& db) : db_(db) {}

  // The device was seen at `ts_us` (a capture from it): adds it, or widens its
  // first/last seen. Joins the caller's transaction (the store thread's batch).
  Status seen(std::string_view mac, TimeUs ts_us);
  // Its DHCP host name, sealed to the box's public key (also marks it seen).
  Status name(std::string_view mac, std::string_view host_name,
              std::span<const std::uint8_t> public_key, TimeUs ts_us);

  std::vector<Device> list();
  std::optional<Device> find(std::string_view mac);

  // Gives the device to a person (person_id) or a shared pool (pool, optional
  // group_id) from `from_us`, ending whoever had it then. Audited (by ids, never
  // names). The person or group must exist.
  Result<std::int64_t> assign(std::string_view mac, std::int64_t person_id, std::string_view pool,
                              std::int64_t group_id, TimeUs from_us, std::string_view actor,
                              TimeUs now = now_us());
  // The same inside the caller's transaction, not audited (the people import, which
  // audits the whole import).
  Result<std::int64_t> insert_assignment(std::string_view mac, std::int64_t person_id,
                                         std::string_view pool, std::int64_t group_id,
                                         TimeUs from_us, std::string_view actor);
  // Ends the device's current assignment at `until_us` (nobody has it from then).
  Status unassign(std::string_view mac, TimeUs until_us, std::string_view actor,
                  TimeUs now = now_us());

  // Who had the device at `ts_us`, if anyone.
  std::optional<Assignment> assignment_at(std::string_view mac, TimeUs ts_us);
  // Every assignment of the device, newest first.
  std::vector<Assignment> assignments_of_device(std::string_view mac);
  // Every assignment of the person, newest first.
  std::vector<Assignment> assignments_of_person(std::int64_t person_id);
  // The current assignment of every device that has one.
  std::vector<Assignment> current_assignments(TimeUs now = now_us());

 private:
  Database& db_;
};

std::vector<std::uint8_t> device_name_associated_data(std::string_view mac);
// The device's DHCP host name; nullopt if none was seen or it does not open.
std::optional<std::string> open_device_name(const Device& device,
                                            const crypto::SecretBytes& private_key);

// SQL conditions over a captures row aliased `capture_alias` (see the comment above);
// `parameter` is the bind index of the person's or group's id.
std::string capture_of_person_sql(std::string_view capture_alias, int parameter);
std::string capture_of_group_sql(std::string_view capture_alias, int parameter);

}  // namespace hm::store
