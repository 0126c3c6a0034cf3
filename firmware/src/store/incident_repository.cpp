#include "store/incident_repository.h"

#include <algorithm>

#include "crypto/seal.h"
#include "store/audit_log.h"

namespace hm::store {
namespace {

constexpr std::string_view kIncidentColumns =
    "i.id, i.title, i.closed_us IS NULL, i.opened_us, i.opened_by, coalesce(i.closed_us, 0), "
    "coalesce(i.closed_by, ''), "
    "(SELECT count(*) FROM incident_captures c WHERE c.incident_id = i.id), "
    "coalesce(i.sealed_title, x'')";

Incident read_incident(const Statement& row) {
  Incident incident;
  incident.id = row.column_int(0);
  incident.title = row.column_text(1);
  incident.open = row.column_int(2) != 0;
  incident.opened_us = row.column_int(3);
  incident.opened_by = row.column_text(4);
  incident.closed_us = row.column_int(5);
  incident.closed_by = row.column_text(6);
  incident.captures = row.column_int(7);
  incident.sealed_title = row.column_blob(8);
  return incident;
}

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

Status audited(Database& db, Transaction& transaction, std::string_view actor,
               std::string_view action, const std::string& detail, TimeUs now) {
  if (auto appended = AuditLog(db).append(actor, action, detail, now); !appended) return appended;
  return transaction.commit();
}

}  // namespace

Result<std::int64_t> IncidentRepository::open(std::string_view title,
                                              std::span<const std::uint8_t> public_key,
                                              std::string_view actor, TimeUs now) {
  if (title.empty() || title.size() > kMaxIncidentTitle) {
    return error("an incident needs a title of 1 to " + std::to_string(kMaxIncidentTitle) +
                 " characters");
  }
  if (!crypto::valid_public_key(public_key)) return error("the box has no evidence public key");
  Transaction transaction(db_);
  Statement insert(db_, "INSERT INTO incidents (title, opened_us, opened_by) VALUES ('', ?1, ?2);");
  insert.bind(1, now).bind(2, actor);
  insert.step();
  if (!insert.ok()) return error("cannot open an incident: " + insert.error());
  Statement last(db_, "SELECT last_insert_rowid();");
  const std::int64_t id = last.step() ? last.column_int(0) : 0;
  // The id is part of the associated data, so the title is sealed once it is known.
  const auto sealed = crypto::seal(public_key, bytes_of(title), title_associated_data(id));
  Statement update(db_, "UPDATE incidents SET sealed_title = ?2 WHERE id = ?1;");
  update.bind(1, id).bind_blob(2, sealed);
  update.step();
  if (!update.ok()) return error("cannot open an incident: " + update.error());
  if (auto done = audited(db_, transaction, actor, "incident_open",
                          "incident " + std::to_string(id) + " opened", now);
      !done) {
    return Error{done.error()};
  }
  return id;
}

Result<int> IncidentRepository::seal_clear_titles(std::span<const std::uint8_t> public_key) {
  if (!crypto::valid_public_key(public_key)) return error("the box has no evidence public key");
  Transaction transaction(db_);
  std::vector<std::pair<std::int64_t, std::string>> clear;
  {
    Statement rows(db_, "SELECT id, title FROM incidents WHERE title <> '';");
    while (rows.step()) clear.emplace_back(rows.column_int(0), rows.column_text(1));
  }
  if (clear.empty()) return 0;
  for (const auto& [id, title] : clear) {
    const auto sealed = crypto::seal(public_key, bytes_of(title), title_associated_data(id));
    Statement update(db_, "UPDATE incidents SET sealed_title = ?2, title = '' WHERE id = ?1;");
    update.bind(1, id).bind_blob(2, sealed);
    update.step();
    if (!update.ok()) return error("cannot seal incident titles: " + update.error());
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return static_cast<int>(clear.size());
}

Status IncidentRepository::add_captures(std::int64_t id, std::span<const std::int64_t> capture_ids,
                                        std::string_view actor, TimeUs now) {
  Transaction transaction(db_);
  const auto incident = find(id);
  if (!incident) return error("there is no incident " + std::to_string(id));
  if (!incident->open) return error("incident " + std::to_string(id) + " is closed");
  std::string list;
  for (const std::int64_t capture_id : capture_ids) {
    Statement exists(db_, "SELECT 1 FROM captures WHERE id = ?1;");
    exists.bind(1, capture_id);
    if (!exists.step()) {
      return error("there is no capture " + std::to_string(capture_id) +
                   " (see `hallmonitor captures list`)");
    }
    Statement link(db_,
                   "INSERT OR IGNORE INTO incident_captures (incident_id, capture_id, added_us, "
                   "added_by) VALUES (?1, ?2, ?3, ?4);");
    link.bind(1, id).bind(2, capture_id).bind(3, now).bind(4, actor);
    link.step();
    if (!link.ok()) return error("cannot link a capture: " + link.error());
    list += (list.empty() ? "" : ", ") + std::to_string(capture_id);
  }
  return audited(db_, transaction, actor, "incident_change",
                 "incident " + std::to_string(id) + ": captures " + list + " added", now);
}

Status IncidentRepository::add_note(std::int64_t id, std::string_view text,
                                    std::span<const std::uint8_t> public_key,
                                    std::string_view actor, TimeUs now) {
  if (text.empty()) return error("the note is empty");
  if (!crypto::valid_public_key(public_key)) return error("the box has no evidence public key");
  Transaction transaction(db_);
  const auto incident = find(id);
  if (!incident) return error("there is no incident " + std::to_string(id));
  std::int64_t note_id = 0;
  {
    Statement last(db_, "SELECT coalesce(max(id), 0) + 1 FROM incident_notes;");
    if (last.step()) note_id = last.column_int(0);
  }
  const auto sealed = crypto::seal(public_key, bytes_of(text), note_associated_data(id, note_id));
  Statement insert(db_,
                   "INSERT INTO incident_notes (id, incident_id, ts_us, author, sealed) "
                   "VALUES (?1, ?2, ?3, ?4, ?5);");
  insert.bind(1, note_id).bind(2, id).bind(3, now).bind(4, actor).bind_blob(5, sealed);
  insert.step();
  if (!insert.ok()) return error("cannot add a note: " + insert.error());
  return audited(
      db_, transaction, actor, "incident_change",
      "incident " + std::to_string(id) + ": sealed note " + std::to_string(note_id) + " added",
      now);
}

Status IncidentRepository::close(std::int64_t id, std::string_view actor, TimeUs now) {
  Transaction transaction(db_);
  const auto incident = find(id);
  if (!incident) return error("there is no incident " + std::to_string(id));
  if (!incident->open) return error("incident " + std::to_string(id) + " is already closed");
  Statement update(db_, "UPDATE incidents SET closed_us = ?2, closed_by = ?3 WHERE id = ?1;");
  update.bind(1, id).bind(2, now).bind(3, actor);
  update.step();
  if (!update.ok()) return error("cannot close the incident: " + update.error());
  return audited(db_, transaction, actor, "incident_close",
                 "incident " + std::to_string(id) + " closed; its " +
                     std::to_string(incident->captures) + " captures follow retention again",
                 now);
}

std::optional<Incident> IncidentRepository::find(std::int64_t id) {
  Statement query(db_,
                  "SELECT " + std::string(kIncidentColumns) + " FROM incidents i WHERE id = ?1;");
  query.bind(1, id);
  if (!query.step()) return std::nullopt;
  return read_incident(query);
}

std::vector<Incident> IncidentRepository::list() {
  std::vector<Incident> incidents;
  Statement query(db_, "SELECT " + std::string(kIncidentColumns) +
                           " FROM incidents i ORDER BY i.closed_us IS NOT NULL, i.opened_us DESC;");
  while (query.step()) incidents.push_back(read_incident(query));
  return incidents;
}

std::vector<std::int64_t> IncidentRepository::capture_ids(std::int64_t id) {
  std::vector<std::int64_t> ids;
  Statement query(db_,
                  "SELECT capture_id FROM incident_captures WHERE incident_id = ?1 "
                  "ORDER BY added_us, capture_id;");
  query.bind(1, id);
  while (query.step()) ids.push_back(query.column_int(0));
  return ids;
}

std::vector<IncidentNote> IncidentRepository::notes(std::int64_t id) {
  std::vector<IncidentNote> notes;
  Statement query(db_,
                  "SELECT id, incident_id, ts_us, author, sealed FROM incident_notes "
                  "WHERE incident_id = ?1 ORDER BY ts_us, id;");
  query.bind(1, id);
  while (query.step()) {
    notes.push_back(IncidentNote{query.column_int(0), query.column_int(1), query.column_int(2),
                                 query.column_text(3), query.column_blob(4)});
  }
  return notes;
}

std::vector<Incident> IncidentRepository::linking(std::span<const std::int64_t> capture_ids) {
  std::vector<std::int64_t> ids;
  for (const std::int64_t capture_id : capture_ids) {
    Statement query(db_, "SELECT incident_id FROM incident_captures WHERE capture_id = ?1;");
    query.bind(1, capture_id);
    while (query.step()) ids.push_back(query.column_int(0));
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<Incident> incidents;
  for (const std::int64_t id : ids) {
    if (auto incident = find(id)) incidents.push_back(std::move(*incident));
  }
  return incidents;
}

bool capture_held_by_open_incident(Database& db, std::int64_t capture_id) {
  Statement query(db,
                  "SELECT 1 FROM incident_captures c JOIN incidents i ON i.id = c.incident_id "
                  "WHERE c.capture_id = ?1 AND i.closed_us IS NULL LIMIT 1;");
  query.bind(1, capture_id);
  return query.step();
}

std::vector<std::uint8_t> note_associated_data(std::int64_t incident_id, std::int64_t note_id) {
  const std::string text =
      "hallmonitor incident note " + std::to_string(incident_id) + " " + std::to_string(note_id);
  return {text.begin(), text.end()};
}

std::vector<std::uint8_t> title_associated_data(std::int64_t incident_id) {
  const std::string text = "hallmonitor incident title " + std::to_string(incident_id);
  return {text.begin(), text.end()};
}

std::optional<std::string> open_title(const Incident& incident,
                                      const crypto::SecretBytes& private_key) {
  if (incident.sealed_title.empty()) return incident.title;
  return crypto::open_sealed(private_key, bytes_of(incident.sealed_title),
                             title_associated_data(incident.id));
}

std::optional<std::string> open_note(const IncidentNote& note,
                                     const crypto::SecretBytes& private_key) {
  return crypto::open_sealed(private_key, bytes_of(note.sealed),
                             note_associated_data(note.incident_id, note.id));
}

}  // namespace hm::store
