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
    "coalesce(i.sealed_title, x''), i.status, coalesce(i.escalated_to, ''), "
    "coalesce(i.assignee, ''), coalesce(i.first_capture_us, 0), coalesce(i.first_review_us, 0), "
    "coalesce(i.sealed_intervention, x'')";

constexpr std::array<std::string_view, 6> kStatusNames = {
    "new", "in_review", "action_taken", "escalated", "no_further_action", "closed"};
// How the history says each status.
constexpr std::array<std::string_view, 6> kStatusWords = {
    "new", "in review", "action taken", "escalated", "no further action", "closed"};

std::string_view words(IncidentStatus status) {
  return kStatusWords[static_cast<std::size_t>(status)];
}

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
  incident.status =
      incident_status_from_string(row.column_text(9))
          .value_or(incident.open ? IncidentStatus::new_incident : IncidentStatus::closed);
  incident.escalated_to = row.column_text(10);
  incident.assignee = row.column_text(11);
  incident.first_capture_us = row.column_int(12);
  incident.first_review_us = row.column_int(13);
  incident.sealed_intervention = row.column_blob(14);
  return incident;
}

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::string_view to_string(IncidentStatus status) {
  return kStatusNames[static_cast<std::size_t>(status)];
}

std::optional<IncidentStatus> incident_status_from_string(std::string_view text) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == text) return static_cast<IncidentStatus>(i);
  }
  return std::nullopt;
}

// The audit entry says "incident 4: <change>"; the history row says <change>.
Status IncidentRepository::record(std::int64_t id, std::string_view actor, std::string_view action,
                                  std::string_view change, TimeUs now) {
  Statement insert(db_,
                   "INSERT INTO incident_history (incident_id, ts_us, actor, change) "
                   "VALUES (?1, ?2, ?3, ?4);");
  insert.bind(1, id).bind(2, now).bind(3, actor).bind(4, change);
  insert.step();
  if (!insert.ok()) return error("cannot record the change: " + insert.error());
  return AuditLog(db_).append(actor, action,
                              "incident " + std::to_string(id) + ": " + std::string(change), now);
}

Result<std::int64_t> IncidentRepository::insert_incident(std::string_view title,
                                                         std::span<const std::uint8_t> public_key,
                                                         std::string_view actor, TimeUs now) {
  if (title.empty() || title.size() > kMaxIncidentTitle) {
    return error("an incident needs a title of 1 to " + std::to_string(kMaxIncidentTitle) +
                 " characters");
  }
  if (!crypto::valid_public_key(public_key)) return error("the box has no evidence public key");
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
  // The audit log has said "incident N opened" since issue 5; the history says the same.
  if (auto done = record(id, actor, "incident_open", "opened", now); !done)
    return Error{done.error()};
  return id;
}

Result<std::int64_t> IncidentRepository::open(std::string_view title,
                                              std::span<const std::uint8_t> public_key,
                                              std::string_view actor, TimeUs now) {
  Transaction transaction(db_);
  auto id = insert_incident(title, public_key, actor, now);
  if (!id) return id;
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return id;
}

Result<std::int64_t> IncidentRepository::open_from_captures(
    std::string_view title, std::span<const std::int64_t> capture_ids,
    std::span<const std::uint8_t> public_key, std::string_view actor, TimeUs now) {
  if (capture_ids.empty()) return error("choose at least one capture");
  Transaction transaction(db_);
  auto id = insert_incident(title, public_key, actor, now);
  if (!id) return id;
  auto linked = link_captures(*id, capture_ids, actor, now);
  if (!linked) return Error{linked.error()};
  if (auto done = record(*id, actor, "incident_change", "captures " + *linked + " added", now);
      !done) {
    return Error{done.error()};
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
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

Result<std::string> IncidentRepository::link_captures(std::int64_t id,
                                                      std::span<const std::int64_t> capture_ids,
                                                      std::string_view actor, TimeUs now) {
  std::string list;
  for (const std::int64_t capture_id : capture_ids) {
    Statement exists(db_, "SELECT ts_us FROM captures WHERE id = ?1;");
    exists.bind(1, capture_id);
    if (!exists.step()) {
      return error("there is no capture " + std::to_string(capture_id) +
                   " (see `hallmonitor captures list`)");
    }
    const TimeUs capture_us = exists.column_int(0);
    Statement link(db_,
                   "INSERT OR IGNORE INTO incident_captures (incident_id, capture_id, added_us, "
                   "added_by) VALUES (?1, ?2, ?3, ?4);");
    link.bind(1, id).bind(2, capture_id).bind(3, now).bind(4, actor);
    link.step();
    if (!link.ok()) return error("cannot link a capture: " + link.error());
    // The time from capture to first review counts from the earliest capture linked.
    Statement earliest(db_,
                       "UPDATE incidents SET first_capture_us = ?2 WHERE id = ?1 AND "
                       "(first_capture_us IS NULL OR first_capture_us > ?2);");
    earliest.bind(1, id).bind(2, capture_us);
    earliest.step();
    if (!earliest.ok()) return error("cannot link a capture: " + earliest.error());
    list += (list.empty() ? "" : ", ") + std::to_string(capture_id);
  }
  return list;
}

Status IncidentRepository::add_captures(std::int64_t id, std::span<const std::int64_t> capture_ids,
                                        std::string_view actor, TimeUs now) {
  Transaction transaction(db_);
  const auto incident = find(id);
  if (!incident) return error("there is no incident " + std::to_string(id));
  if (!incident->open) return error("incident " + std::to_string(id) + " is closed");
  auto linked = link_captures(id, capture_ids, actor, now);
  if (!linked) return Error{linked.error()};
  if (auto done = record(id, actor, "incident_change", "captures " + *linked + " added", now);
      !done) {
    return done;
  }
  return transaction.commit();
}

Status IncidentRepository::add_note(std::int64_t id, std::string_view text,
                                    std::span<const std::uint8_t> public_key,
                                    std::string_view actor, TimeUs now) {
  if (text.empty()) return error("the note is empty");
  if (text.size() > kMaxIncidentText) {
    return error("a note may be up to " + std::to_string(kMaxIncidentText) + " characters");
  }
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
  if (auto done = record(id, actor, "incident_change",
                         "sealed note " + std::to_string(note_id) + " added", now);
      !done) {
    return done;
  }
  return transaction.commit();
}

Status IncidentRepository::close(std::int64_t id, std::string_view actor, TimeUs now) {
  const auto incident = find(id);
  if (!incident) return error("there is no incident " + std::to_string(id));
  if (!incident->open) return error("incident " + std::to_string(id) + " is already closed");
  return set_status(id, IncidentStatus::closed, {}, actor, now);
}

Status IncidentRepository::set_status(std::int64_t id, IncidentStatus status,
                                      std::string_view escalated_to, std::string_view actor,
                                      TimeUs now) {
  if (status == IncidentStatus::new_incident) {
    return error("an incident cannot go back to new once it has been looked at");
  }
  std::string target;
  if (status == IncidentStatus::escalated) {
    if (std::find(kEscalationTargets.begin(), kEscalationTargets.end(), escalated_to) ==
        kEscalationTargets.end()) {
      return error("say who it was escalated to: the DSL, the police, Prevent or social care");
    }
    target = escalated_to;
  }
  Transaction transaction(db_);
  const auto incident = find(id);
  if (!incident) return error("there is no incident " + std::to_string(id));
  if (incident->status == status && incident->escalated_to == target) {
    return error("the incident is already " + std::string(words(status)));
  }
  const bool closing = status == IncidentStatus::closed;
  Statement update(db_,
                   "UPDATE incidents SET status = ?2, escalated_to = nullif(?3, ''), "
                   "first_review_us = coalesce(first_review_us, ?4), "
                   "closed_us = CASE WHEN ?5 THEN coalesce(closed_us, ?4) END, "
                   "closed_by = CASE WHEN ?5 THEN coalesce(closed_by, ?6) END WHERE id = ?1;");
  update.bind(1, id)
      .bind(2, to_string(status))
      .bind(3, target)
      .bind(4, now)
      .bind(5, closing ? 1 : 0)
      .bind(6, actor);
  update.step();
  if (!update.ok()) return error("cannot change the incident: " + update.error());
  std::string change =
      "status: " + std::string(words(incident->status)) + " → " + std::string(words(status));
  if (!target.empty()) change += " (to " + target + ")";
  if (closing) {
    change += incident->captures == 1 ? std::string("; its capture follows retention again")
                                      : "; its " + std::to_string(incident->captures) +
                                            " captures follow retention again";
  } else if (!incident->open) {
    change += "; reopened: its captures are held again";
  }
  if (auto done = record(id, actor, closing ? "incident_close" : "incident_change", change, now);
      !done) {
    return done;
  }
  return transaction.commit();
}

Status IncidentRepository::assign(std::int64_t id, std::string_view assignee,
                                  std::string_view actor, TimeUs now) {
  Transaction transaction(db_);
  const auto incident = find(id);
  if (!incident) return error("there is no incident " + std::to_string(id));
  if (incident->assignee == assignee) return Ok{};
  Statement update(db_, "UPDATE incidents SET assignee = nullif(?2, '') WHERE id = ?1;");
  update.bind(1, id).bind(2, assignee);
  update.step();
  if (!update.ok()) return error("cannot assign the incident: " + update.error());
  const std::string change = assignee.empty() ? "no longer assigned to " + incident->assignee
                                              : "assigned to " + std::string(assignee);
  if (auto done = record(id, actor, "incident_change", change, now); !done) return done;
  return transaction.commit();
}

Status IncidentRepository::record_intervention(std::int64_t id, std::string_view text,
                                               std::span<const std::uint8_t> public_key,
                                               std::string_view actor, TimeUs now) {
  if (text.empty()) return error("say what was done");
  if (text.size() > kMaxIncidentText) {
    return error("the intervention may be up to " + std::to_string(kMaxIncidentText) +
                 " characters");
  }
  if (!crypto::valid_public_key(public_key)) return error("the box has no evidence public key");
  Transaction transaction(db_);
  const auto incident = find(id);
  if (!incident) return error("there is no incident " + std::to_string(id));
  const auto sealed = crypto::seal(public_key, bytes_of(text), intervention_associated_data(id));
  Statement update(db_, "UPDATE incidents SET sealed_intervention = ?2 WHERE id = ?1;");
  update.bind(1, id).bind_blob(2, sealed);
  update.step();
  if (!update.ok()) return error("cannot record the intervention: " + update.error());
  const std::string change = incident->sealed_intervention.empty()
                                 ? "intervention recorded (sealed)"
                                 : "intervention changed (sealed)";
  if (auto done = record(id, actor, "incident_change", change, now); !done) return done;
  return transaction.commit();
}

std::vector<IncidentChange> IncidentRepository::history(std::int64_t id) {
  std::vector<IncidentChange> changes;
  Statement query(db_,
                  "SELECT ts_us, actor, change FROM incident_history WHERE incident_id = ?1 "
                  "ORDER BY ts_us, id;");
  query.bind(1, id);
  while (query.step()) {
    changes.push_back({query.column_int(0), query.column_text(1), query.column_text(2)});
  }
  return changes;
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

std::vector<std::uint8_t> intervention_associated_data(std::int64_t incident_id) {
  const std::string text = "hallmonitor incident intervention " + std::to_string(incident_id);
  return {text.begin(), text.end()};
}

std::optional<std::string> open_intervention(const Incident& incident,
                                             const crypto::SecretBytes& private_key) {
  if (incident.sealed_intervention.empty()) return std::nullopt;
  return crypto::open_sealed(private_key, bytes_of(incident.sealed_intervention),
                             intervention_associated_data(incident.id));
}

std::optional<std::string> open_note(const IncidentNote& note,
                                     const crypto::SecretBytes& private_key) {
  return crypto::open_sealed(private_key, bytes_of(note.sealed),
                             note_associated_data(note.incident_id, note.id));
}

}  // namespace hm::store
