#include "store/capture_repository.h"

#include "store/device_repository.h"

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <variant>

namespace hm::store {
namespace {

constexpr std::string_view kColumns =
    "id, ts_us, client_ip, client_mac, category, severity, phrase, entry_kind, "
    "observation_kind, library_version, evidence";

evidence::Capture read_row(const Statement& row) {
  evidence::Capture capture;
  capture.id = row.column_int(0);
  capture.ts_us = row.column_int(1);
  capture.client_ip = row.column_text(2);
  capture.client_mac = row.column_text(3);
  capture.category = row.column_text(4);
  capture.severity = static_cast<int>(row.column_int(5));
  capture.phrase = row.column_text(6);
  capture.entry_kind = row.column_text(7);
  capture.observation_kind = row.column_text(8);
  capture.library_version = row.column_text(9);
  capture.sealed_evidence = row.column_blob(10);
  return capture;
}

}  // namespace

Result<std::int64_t> CaptureRepository::insert(const evidence::Capture& capture) {
  // Evidence reaches the disk only sealed (DESIGN.md "Evidence is sealed").
  if (capture.id <= 0 || capture.sealed_evidence.empty()) {
    return error("cannot store a capture whose evidence is not sealed (bug: seal it first)");
  }
  Statement insert(db_,
                   "INSERT INTO captures (id, ts_us, client_ip, client_mac, category, severity, "
                   "phrase, entry_kind, observation_kind, library_version, evidence) "
                   "VALUES (?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);");
  const std::string& blob = capture.sealed_evidence;
  insert.bind(1, capture.ts_us).bind(2, capture.client_ip);
  if (capture.client_mac.empty()) {
    insert.bind_null(3);
  } else {
    insert.bind(3, capture.client_mac);
  }
  insert.bind(4, capture.category)
      .bind(5, static_cast<std::int64_t>(capture.severity))
      .bind(6, capture.phrase)
      .bind(7, capture.entry_kind)
      .bind(8, capture.observation_kind)
      .bind(9, capture.library_version)
      .bind_blob(10, std::span(reinterpret_cast<const std::uint8_t*>(blob.data()), blob.size()))
      .bind(11, capture.id);
  insert.step();
  if (!insert.ok()) {
    return error("cannot store a capture: " + insert.error());
  }
  return capture.id;
}

bool CaptureRepository::contains_same(const evidence::Capture& capture) {
  // captures_by_time finds the few rows of that microsecond.
  Statement query(db_,
                  "SELECT 1 FROM captures WHERE ts_us = ?1 AND client_ip = ?2 AND phrase = ?3 "
                  "AND category = ?4 AND entry_kind = ?5 AND observation_kind = ?6 LIMIT 1;");
  query.bind(1, capture.ts_us)
      .bind(2, capture.client_ip)
      .bind(3, capture.phrase)
      .bind(4, capture.category)
      .bind(5, capture.entry_kind)
      .bind(6, capture.observation_kind);
  return query.step();
}

std::int64_t CaptureRepository::last_id() {
  Statement query(db_, "SELECT coalesce(max(id), 0) FROM captures;");
  return query.step() ? query.column_int(0) : 0;
}

std::vector<evidence::Capture> CaptureRepository::list_recent(std::size_t limit,
                                                              std::optional<Cursor> after) {
  std::vector<evidence::Capture> captures;
  const std::string sql = "SELECT " + std::string(kColumns) +
                          " FROM captures WHERE (ts_us, id) < (?1, ?2)"
                          " ORDER BY ts_us DESC, id DESC LIMIT ?3;";
  Statement query(db_, sql);
  const Cursor from = after.value_or(Cursor{INT64_MAX, INT64_MAX});
  query.bind(1, from.ts_us).bind(2, from.id).bind(3, static_cast<std::int64_t>(limit));
  while (query.step()) {
    captures.push_back(read_row(query));
  }
  return captures;
}

bool CaptureRepository::is_status(std::string_view status) {
  static constexpr std::array<std::string_view, 4> kStatuses = {"new", "reviewed", "false_positive",
                                                                "incident"};
  for (const std::string_view known : kStatuses) {
    if (status == known) return true;
  }
  return false;
}

namespace {

// The filter's conditions in one order, shared by list_sql() and list(), so the
// placeholders and the values bound to them cannot drift apart.
using BoundValue = std::variant<std::int64_t, std::string>;

std::string filter_conditions(const CaptureRepository::Filter& filter,
                              std::vector<BoundValue>& values) {
  std::string sql;
  const auto placeholder = [&values](BoundValue value) {
    values.push_back(std::move(value));
    return "?" + std::to_string(values.size());
  };
  if (filter.severity) sql += " AND severity = " + placeholder(std::int64_t{*filter.severity});
  if (filter.category) sql += " AND category = " + placeholder(*filter.category);
  if (filter.device) {
    // Only MAC addresses hold a colon; devices never seen with one are known by IP.
    const bool mac = filter.device->find(':') != std::string::npos;
    sql += mac ? " AND client_mac = " : " AND client_ip = ";
    sql += placeholder(*filter.device);
  }
  if (filter.devices) {
    sql += " AND client_mac IN (";
    for (std::size_t i = 0; i < filter.devices->size(); ++i) {
      sql += (i == 0 ? "" : ", ") + placeholder((*filter.devices)[i]);
    }
    sql += ")";
  }
  // The devices first (an index on client_mac finds their captures), then whether each
  // capture falls inside an assignment's time: a device passed on keeps its history apart.
  if (filter.person_id) {
    const std::string person = placeholder(*filter.person_id);
    sql += " AND client_mac IN (SELECT mac FROM device_assignments WHERE person_id = " + person +
           ") AND " + capture_of_person_sql("captures", static_cast<int>(values.size()));
  }
  if (filter.group_id) {
    const std::string group = placeholder(*filter.group_id);
    sql += " AND client_mac IN (SELECT mac FROM device_assignments WHERE group_id = " + group +
           " OR person_id IN (SELECT person_id FROM group_members WHERE group_id = " + group +
           ")) AND " + capture_of_group_sql("captures", static_cast<int>(values.size()));
  }
  if (filter.from_us) sql += " AND ts_us >= " + placeholder(*filter.from_us);
  if (filter.until_us) sql += " AND ts_us < " + placeholder(*filter.until_us);
  if (filter.status) {
    if (*filter.status == "incident") {
      sql += " AND id IN (SELECT capture_id FROM incident_captures)";
    } else {
      sql += " AND review_status = " + placeholder(*filter.status);
      // A capture in an incident is past "new", whatever its own mark says.
      if (*filter.status == "new") {
        sql += " AND id NOT IN (SELECT capture_id FROM incident_captures)";
      }
    }
  }
  return sql;
}

std::string list_sql_with(const CaptureRepository::Filter& filter,
                          std::vector<BoundValue>& values) {
  // ?1 ?2: the cursor; ?3: the page size; the filter's values follow.
  values.assign({std::int64_t{0}, std::int64_t{0}, std::int64_t{0}});
  std::string sql = "SELECT " + std::string(kColumns) +
                    " FROM captures WHERE (ts_us, id) < (?1, ?2)" +
                    filter_conditions(filter, values) + " ORDER BY ts_us DESC, id DESC LIMIT ?3;";
  return sql;
}

}  // namespace

std::string CaptureRepository::list_sql(const Filter& filter) {
  std::vector<BoundValue> values;
  return list_sql_with(filter, values);
}

std::vector<evidence::Capture> CaptureRepository::list(const Filter& filter, std::size_t limit,
                                                       std::optional<Cursor> after) {
  std::vector<BoundValue> values;
  Statement query(db_, list_sql_with(filter, values));
  const Cursor from = after.value_or(Cursor{INT64_MAX, INT64_MAX});
  values[0] = from.ts_us;
  values[1] = from.id;
  values[2] = static_cast<std::int64_t>(limit);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    if (const auto* number = std::get_if<std::int64_t>(&values[i])) {
      query.bind(index, *number);
    } else {
      query.bind(index, std::get<std::string>(values[i]));
    }
  }
  std::vector<evidence::Capture> captures;
  while (query.step()) captures.push_back(read_row(query));
  return captures;
}

std::optional<evidence::Capture> CaptureRepository::find(std::int64_t id) {
  Statement query(db_, "SELECT " + std::string(kColumns) + " FROM captures WHERE id = ?1;");
  query.bind(1, id);
  if (!query.step()) {
    return std::nullopt;
  }
  return read_row(query);
}

std::vector<evidence::Capture> CaptureRepository::of_device(std::string_view mac) {
  Statement query(db_, "SELECT " + std::string(kColumns) +
                           " FROM captures WHERE client_mac = ?1 ORDER BY ts_us, id;");
  query.bind(1, mac);
  std::vector<evidence::Capture> rows;
  while (query.step()) rows.push_back(read_row(query));
  return rows;
}

std::int64_t CaptureRepository::count() {
  Statement query(db_, "SELECT count(*) FROM captures;");
  return query.step() ? query.column_int(0) : 0;
}

}  // namespace hm::store
