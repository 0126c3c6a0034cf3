#include "store/device_repository.h"

#include <functional>

#include "crypto/seal.h"
#include "store/audit_log.h"

namespace hm::store {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

constexpr std::string_view kAssignmentColumns =
    "id, mac, coalesce(person_id, 0), coalesce(pool, ''), coalesce(group_id, 0), from_us, "
    "coalesce(until_us, 0), assigned_by";

Assignment read_assignment(const Statement& row) {
  return Assignment{row.column_int(0), row.column_text(1), row.column_int(2), row.column_text(3),
                    row.column_int(4), row.column_int(5),  row.column_int(6), row.column_text(7)};
}

std::vector<Assignment> assignments(Database& db, const std::string& where,
                                    const std::function<void(Statement&)>& bind) {
  std::vector<Assignment> found;
  Statement query(db, "SELECT " + std::string(kAssignmentColumns) +
                          " FROM device_assignments WHERE " + where +
                          " ORDER BY from_us DESC, id DESC;");
  bind(query);
  while (query.step()) found.push_back(read_assignment(query));
  return found;
}

bool exists(Database& db, std::string_view table, std::int64_t id) {
  Statement query(db, "SELECT 1 FROM " + std::string(table) + " WHERE id = ?1;");
  query.bind(1, id);
  return query.step();
}

// The assignment condition of the header's comment, for alias `c`.
std::string held_at(std::string_view capture_alias) {
  const std::string c(capture_alias);
  return "a.mac = " + c + ".client_mac AND a.from_us <= " + c +
         ".ts_us AND (a.until_us IS NULL OR " + c + ".ts_us < a.until_us)";
}

}  // namespace

Status DeviceRepository::seen(std::string_view mac, TimeUs ts_us) {
  if (mac.empty()) return Ok{};
  Statement upsert(db_,
                   "INSERT INTO devices (mac, first_seen_us, last_seen_us) VALUES (?1, ?2, ?2) "
                   "ON CONFLICT (mac) DO UPDATE SET first_seen_us = min(first_seen_us, ?2), "
                   "last_seen_us = max(last_seen_us, ?2);");
  upsert.bind(1, mac).bind(2, ts_us);
  upsert.step();
  if (!upsert.ok()) return error("cannot record a device: " + upsert.error());
  return Ok{};
}

Status DeviceRepository::name(std::string_view mac, std::string_view host_name,
                              std::span<const std::uint8_t> public_key, TimeUs ts_us) {
  if (auto added = seen(mac, ts_us); !added) return added;
  if (host_name.empty()) return Ok{};
  if (!crypto::valid_public_key(public_key)) return error("the box has no evidence public key");
  const auto sealed =
      crypto::seal(public_key, bytes_of(host_name), device_name_associated_data(mac));
  Statement update(db_, "UPDATE devices SET sealed_name = ?2 WHERE mac = ?1;");
  update.bind(1, mac).bind_blob(2, sealed);
  update.step();
  if (!update.ok()) return error("cannot record a device's name: " + update.error());
  return Ok{};
}

std::vector<Device> DeviceRepository::list() {
  std::vector<Device> devices;
  Statement query(db_,
                  "SELECT mac, coalesce(sealed_name, x''), first_seen_us, last_seen_us FROM "
                  "devices ORDER BY last_seen_us DESC, mac;");
  while (query.step()) {
    devices.push_back(
        {query.column_text(0), query.column_blob(1), query.column_int(2), query.column_int(3)});
  }
  return devices;
}

std::optional<Device> DeviceRepository::find(std::string_view mac) {
  Statement query(db_,
                  "SELECT mac, coalesce(sealed_name, x''), first_seen_us, last_seen_us FROM "
                  "devices WHERE mac = ?1;");
  query.bind(1, mac);
  if (!query.step()) return std::nullopt;
  return Device{query.column_text(0), query.column_blob(1), query.column_int(2),
                query.column_int(3)};
}

Result<std::int64_t> DeviceRepository::insert_assignment(std::string_view mac,
                                                         std::int64_t person_id,
                                                         std::string_view pool,
                                                         std::int64_t group_id, TimeUs from_us,
                                                         std::string_view actor) {
  if ((person_id == 0) == pool.empty()) {
    return error("give the device to one person or to one shared pool");
  }
  if (pool.size() > kMaxPoolName) {
    return error("a pool's name may be up to " + std::to_string(kMaxPoolName) + " characters");
  }
  if (!find(mac)) return error("there is no device " + std::string(mac));
  if (person_id != 0 && !exists(db_, "people", person_id)) {
    return error("there is no person " + std::to_string(person_id));
  }
  if (group_id != 0 && !exists(db_, "people_groups", group_id)) {
    return error("there is no group " + std::to_string(group_id));
  }
  // An assignment starting later would overlap the new one.
  Statement later(db_, "SELECT count(*) FROM device_assignments WHERE mac = ?1 AND from_us >= ?2;");
  later.bind(1, mac).bind(2, from_us);
  if (later.step() && later.column_int(0) > 0) {
    return error(
        "the device already has an assignment starting at or after that time; "
        "choose a later start");
  }
  Statement end(db_,
                "UPDATE device_assignments SET until_us = ?2 WHERE mac = ?1 AND "
                "(until_us IS NULL OR until_us > ?2);");
  end.bind(1, mac).bind(2, from_us);
  end.step();
  if (!end.ok()) return error("cannot assign the device: " + end.error());
  Statement insert(
      db_,
      "INSERT INTO device_assignments (mac, person_id, pool, group_id, from_us, "
      "assigned_by) VALUES (?1, nullif(?2, 0), nullif(?3, ''), nullif(?4, 0), ?5, ?6);");
  insert.bind(1, mac).bind(2, person_id).bind(3, pool).bind(4, group_id).bind(5, from_us);
  insert.bind(6, actor);
  insert.step();
  if (!insert.ok()) return error("cannot assign the device: " + insert.error());
  Statement last(db_, "SELECT last_insert_rowid();");
  return last.step() ? last.column_int(0) : 0;
}

Result<std::int64_t> DeviceRepository::assign(std::string_view mac, std::int64_t person_id,
                                              std::string_view pool, std::int64_t group_id,
                                              TimeUs from_us, std::string_view actor, TimeUs now) {
  Transaction transaction(db_);
  auto id = insert_assignment(mac, person_id, pool, group_id, from_us, actor);
  if (!id) return id;
  const std::string to = person_id != 0 ? "person " + std::to_string(person_id)
                                        : "shared pool \"" + std::string(pool) + "\"";
  if (auto audited = AuditLog(db_).append(actor, "people_change",
                                          "device " + std::string(mac) + " assigned to " + to, now);
      !audited) {
    return Error{audited.error()};
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return id;
}

Status DeviceRepository::unassign(std::string_view mac, TimeUs until_us, std::string_view actor,
                                  TimeUs now) {
  Transaction transaction(db_);
  const auto current = assignment_at(mac, until_us);
  if (!current) return error("nobody has device " + std::string(mac) + " at that time");
  Statement end(db_, "UPDATE device_assignments SET until_us = ?2 WHERE id = ?1;");
  end.bind(1, current->id).bind(2, until_us);
  end.step();
  if (!end.ok()) return error("cannot end the assignment: " + end.error());
  if (auto audited = AuditLog(db_).append(
          actor, "people_change", "device " + std::string(mac) + " no longer assigned", now);
      !audited) {
    return audited;
  }
  return transaction.commit();
}

std::optional<Assignment> DeviceRepository::assignment_at(std::string_view mac, TimeUs ts_us) {
  auto found =
      assignments(db_, "mac = ?1 AND from_us <= ?2 AND (until_us IS NULL OR ?2 < until_us)",
                  [&](Statement& query) { query.bind(1, mac).bind(2, ts_us); });
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Assignment> DeviceRepository::assignments_of_device(std::string_view mac) {
  return assignments(db_, "mac = ?1", [&](Statement& query) { query.bind(1, mac); });
}

std::vector<Assignment> DeviceRepository::assignments_of_person(std::int64_t person_id) {
  return assignments(db_, "person_id = ?1", [&](Statement& query) { query.bind(1, person_id); });
}

std::vector<Assignment> DeviceRepository::current_assignments(TimeUs now) {
  return assignments(db_, "from_us <= ?1 AND (until_us IS NULL OR ?1 < until_us)",
                     [&](Statement& query) { query.bind(1, now); });
}

std::vector<std::uint8_t> device_name_associated_data(std::string_view mac) {
  const std::string text = "hallmonitor device " + std::string(mac);
  return {text.begin(), text.end()};
}

std::optional<std::string> open_device_name(const Device& device,
                                            const crypto::SecretBytes& private_key) {
  if (device.sealed_name.empty()) return std::nullopt;
  return crypto::open_sealed(private_key, bytes_of(device.sealed_name),
                             device_name_associated_data(device.mac));
}

std::string capture_of_person_sql(std::string_view capture_alias, int parameter) {
  return "EXISTS (SELECT 1 FROM device_assignments a WHERE " + held_at(capture_alias) +
         " AND a.person_id = ?" + std::to_string(parameter) + ")";
}

std::string capture_of_group_sql(std::string_view capture_alias, int parameter) {
  const std::string group = "?" + std::to_string(parameter);
  return "EXISTS (SELECT 1 FROM device_assignments a WHERE " + held_at(capture_alias) +
         " AND (a.group_id = " + group +
         " OR a.person_id IN (SELECT person_id FROM group_members WHERE group_id = " + group +
         ")))";
}

}  // namespace hm::store
