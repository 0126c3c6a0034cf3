#include "store/group_repository.h"

#include <array>

#include "store/audit_log.h"

namespace hm::store {
namespace {

constexpr std::array<std::string_view, 5> kKindNames = {"year", "class", "staff", "vulnerable",
                                                        "custom"};

constexpr std::string_view kGroupColumns =
    "g.id, g.name, g.kind, g.created_us, "
    "(SELECT count(*) FROM group_members m WHERE m.group_id = g.id)";

Group read_group(const Statement& row) {
  return Group{row.column_int(0), row.column_text(1),
               group_kind_from_string(row.column_text(2)).value_or(GroupKind::custom),
               row.column_int(3), row.column_int(4)};
}

Status run(Database& db, std::string_view sql, std::int64_t first, std::int64_t second,
           std::string_view what) {
  Statement statement(db, sql);
  statement.bind(1, first).bind(2, second);
  statement.step();
  if (!statement.ok()) return error("cannot " + std::string(what) + ": " + statement.error());
  return Ok{};
}

}  // namespace

std::string_view to_string(GroupKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

std::optional<GroupKind> group_kind_from_string(std::string_view text) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == text) return static_cast<GroupKind>(i);
  }
  return std::nullopt;
}

Result<std::int64_t> GroupRepository::ensure(std::string_view name, GroupKind kind, TimeUs now) {
  if (name.empty() || name.size() > kMaxGroupName) {
    return error("a group needs a name of 1 to " + std::to_string(kMaxGroupName) + " characters");
  }
  {
    Statement existing(db_, "SELECT id FROM people_groups WHERE name = ?1;");
    existing.bind(1, name);
    if (existing.step()) return existing.column_int(0);
  }
  Statement insert(db_, "INSERT INTO people_groups (name, kind, created_us) VALUES (?1, ?2, ?3);");
  insert.bind(1, name).bind(2, to_string(kind)).bind(3, now);
  insert.step();
  if (!insert.ok()) return error("cannot make the group: " + insert.error());
  Statement last(db_, "SELECT last_insert_rowid();");
  return last.step() ? last.column_int(0) : 0;
}

Result<std::int64_t> GroupRepository::create(std::string_view name, GroupKind kind,
                                             std::string_view actor, TimeUs now) {
  Transaction transaction(db_);
  {
    Statement existing(db_, "SELECT 1 FROM people_groups WHERE name = ?1;");
    existing.bind(1, name);
    if (existing.step())
      return error("there is already a group called \"" + std::string(name) + "\"");
  }
  auto id = ensure(name, kind, now);
  if (!id) return id;
  if (auto audited = AuditLog(db_).append(
          actor, "people_change",
          "group " + std::to_string(*id) + " (" + std::string(to_string(kind)) + ") made", now);
      !audited) {
    return Error{audited.error()};
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return id;
}

Status GroupRepository::remove(std::int64_t id, std::string_view actor, TimeUs now) {
  Transaction transaction(db_);
  if (!find(id)) return error("there is no group " + std::to_string(id));
  if (auto removed = run(db_, "DELETE FROM people_groups WHERE id = ?1 AND ?2 = ?2;", id, 0,
                         "delete the group");
      !removed) {
    return removed;
  }
  if (auto audited = AuditLog(db_).append(actor, "people_change",
                                          "group " + std::to_string(id) + " deleted", now);
      !audited) {
    return audited;
  }
  return transaction.commit();
}

std::vector<Group> GroupRepository::list() {
  std::vector<Group> groups;
  Statement query(db_, "SELECT " + std::string(kGroupColumns) +
                           " FROM people_groups g ORDER BY CASE g.kind WHEN 'year' THEN 0 WHEN "
                           "'class' THEN 1 WHEN 'staff' THEN 2 WHEN 'vulnerable' THEN 3 ELSE 4 "
                           "END, g.name;");
  while (query.step()) groups.push_back(read_group(query));
  return groups;
}

std::optional<Group> GroupRepository::find(std::int64_t id) {
  Statement query(
      db_, "SELECT " + std::string(kGroupColumns) + " FROM people_groups g WHERE g.id = ?1;");
  query.bind(1, id);
  if (!query.step()) return std::nullopt;
  return read_group(query);
}

Status GroupRepository::add_member(std::int64_t group_id, std::int64_t person_id) {
  return run(db_, "INSERT OR IGNORE INTO group_members (group_id, person_id) VALUES (?1, ?2);",
             group_id, person_id, "add to the group");
}

Status GroupRepository::remove_member(std::int64_t group_id, std::int64_t person_id) {
  return run(db_, "DELETE FROM group_members WHERE group_id = ?1 AND person_id = ?2;", group_id,
             person_id, "remove from the group");
}

Status GroupRepository::set_membership(std::int64_t group_id, std::int64_t person_id, bool member,
                                       std::string_view actor, TimeUs now) {
  Transaction transaction(db_);
  if (!find(group_id)) return error("there is no group " + std::to_string(group_id));
  {
    Statement person(db_, "SELECT 1 FROM people WHERE id = ?1;");
    person.bind(1, person_id);
    if (!person.step()) return error("there is no person " + std::to_string(person_id));
  }
  auto changed = member ? add_member(group_id, person_id) : remove_member(group_id, person_id);
  if (!changed) return changed;
  if (auto audited = AuditLog(db_).append(actor, "people_change",
                                          "person " + std::to_string(person_id) +
                                              (member ? " added to" : " removed from") + " group " +
                                              std::to_string(group_id),
                                          now);
      !audited) {
    return audited;
  }
  return transaction.commit();
}

std::vector<std::int64_t> GroupRepository::members(std::int64_t group_id) {
  std::vector<std::int64_t> ids;
  Statement query(db_,
                  "SELECT person_id FROM group_members WHERE group_id = ?1 ORDER BY person_id;");
  query.bind(1, group_id);
  while (query.step()) ids.push_back(query.column_int(0));
  return ids;
}

std::vector<std::int64_t> GroupRepository::groups_of(std::int64_t person_id) {
  std::vector<std::int64_t> ids;
  Statement query(db_,
                  "SELECT group_id FROM group_members WHERE person_id = ?1 ORDER BY group_id;");
  query.bind(1, person_id);
  while (query.step()) ids.push_back(query.column_int(0));
  return ids;
}

Status GroupRepository::leave_all(std::int64_t person_id, GroupKind kind) {
  Statement remove(db_,
                   "DELETE FROM group_members WHERE person_id = ?1 AND group_id IN "
                   "(SELECT id FROM people_groups WHERE kind = ?2);");
  remove.bind(1, person_id).bind(2, to_string(kind));
  remove.step();
  if (!remove.ok()) return error("cannot change the groups: " + remove.error());
  return Ok{};
}

std::map<std::string, int> GroupRepository::profile(std::int64_t group_id) {
  std::map<std::string, int> thresholds;
  Statement query(db_,
                  "SELECT category, min_severity FROM group_alert_profiles WHERE group_id = ?1;");
  query.bind(1, group_id);
  while (query.step()) {
    thresholds[query.column_text(0)] = static_cast<int>(query.column_int(1));
  }
  return thresholds;
}

Status GroupRepository::set_profile(std::int64_t group_id,
                                    const std::map<std::string, int>& thresholds,
                                    std::string_view actor, TimeUs now) {
  for (const auto& [category, severity] : thresholds) {
    if (category.empty() || severity < 1 || severity > kNeverAlert) {
      return error("each category needs a severity from 1 to 5, or never");
    }
  }
  Transaction transaction(db_);
  if (!find(group_id)) return error("there is no group " + std::to_string(group_id));
  if (auto cleared = run(db_, "DELETE FROM group_alert_profiles WHERE group_id = ?1 AND ?2 = ?2;",
                         group_id, 0, "change the profile");
      !cleared) {
    return cleared;
  }
  std::string detail;
  Statement insert(db_,
                   "INSERT INTO group_alert_profiles (group_id, category, min_severity) "
                   "VALUES (?1, ?2, ?3);");
  for (const auto& [category, severity] : thresholds) {
    insert.reset();
    insert.bind(1, group_id).bind(2, category).bind(3, severity);
    insert.step();
    if (!insert.ok()) return error("cannot change the profile: " + insert.error());
    detail += (detail.empty() ? "" : ", ") + category + " " +
              (severity == kNeverAlert ? std::string("never") : std::to_string(severity) + "+");
  }
  if (auto audited = AuditLog(db_).append(
          actor, "people_change",
          "group " + std::to_string(group_id) +
              " age profile: " + (detail.empty() ? std::string("the box's defaults") : detail),
          now);
      !audited) {
    return audited;
  }
  return transaction.commit();
}

std::optional<int> alert_threshold(Database& db, const std::vector<std::int64_t>& group_ids,
                                   std::string_view category) {
  std::optional<int> lowest;
  for (const std::int64_t group_id : group_ids) {
    Statement query(db,
                    "SELECT min_severity FROM group_alert_profiles WHERE group_id = ?1 AND "
                    "category = ?2;");
    query.bind(1, group_id).bind(2, category);
    if (query.step()) {
      const int severity = static_cast<int>(query.column_int(0));
      if (!lowest || severity < *lowest) lowest = severity;
    }
  }
  return lowest;
}

}  // namespace hm::store
