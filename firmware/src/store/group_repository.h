#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

// Groups of people (migration 7; issue 6 item 6): year groups and classes, made by the
// people import from its year group and class columns; staff; "vulnerable / high-risk";
// and the school's own. Members are person ids (people.id), never names, so the
// captures list can filter by group without the private key (engineer B:
// capture_of_group_sql in store/device_repository.h).
//
// Each group has an age profile: for each category, the lowest severity that raises
// an alert for its members, or never. Issue 7's alert rules read it (alert_threshold).
enum class GroupKind : std::uint8_t { year, class_group, staff, vulnerable, custom };
std::string_view to_string(GroupKind kind);  // "year", "class", "staff", "vulnerable", "custom"
std::optional<GroupKind> group_kind_from_string(std::string_view text);

struct Group {
  std::int64_t id = 0;
  std::string name;
  GroupKind kind = GroupKind::custom;
  TimeUs created_us = 0;
  std::int64_t members = 0;
};

inline constexpr std::size_t kMaxGroupName = 80;
// In a profile: alerts for this category never (whatever the severity).
inline constexpr int kNeverAlert = 6;

class GroupRepository {
 public:
  explicit GroupRepository(Database& db) : db_(db) {}

  // A new group; names are unique, without case. Audited.
  Result<std::int64_t> create(std::string_view name, GroupKind kind, std::string_view actor,
                              TimeUs now = now_us());
  // The group of this name, made if there is none (the import's year groups and
  // classes). Joins the caller's transaction; not audited on its own.
  Result<std::int64_t> ensure(std::string_view name, GroupKind kind, TimeUs now = now_us());
  // Deletes the group, its memberships and its profile. Audited.
  Status remove(std::int64_t id, std::string_view actor, TimeUs now = now_us());

  std::vector<Group> list();
  std::optional<Group> find(std::int64_t id);

  // Joins the caller's transaction; the caller audits.
  Status add_member(std::int64_t group_id, std::int64_t person_id);
  Status remove_member(std::int64_t group_id, std::int64_t person_id);
  // Audited wrappers for one change from the UI.
  Status set_membership(std::int64_t group_id, std::int64_t person_id, bool member,
                        std::string_view actor, TimeUs now = now_us());
  std::vector<std::int64_t> members(std::int64_t group_id);
  std::vector<std::int64_t> groups_of(std::int64_t person_id);
  // Removes the person from every group of `kind` (an import redoing year groups).
  Status leave_all(std::int64_t person_id, GroupKind kind);

  // category → lowest severity that alerts (1–5) or kNeverAlert; categories not in
  // the map follow the box's default.
  std::map<std::string, int> profile(std::int64_t group_id);
  // Replaces the whole profile. Audited (the detail lists the thresholds).
  Status set_profile(std::int64_t group_id, const std::map<std::string, int>& thresholds,
                     std::string_view actor, TimeUs now = now_us());

 private:
  Database& db_;
};

// For issue 7: the lowest severity of `category` that alerts for someone in these
// groups (the most sensitive of their profiles), or nullopt when none of them says.
std::optional<int> alert_threshold(Database& db, const std::vector<std::int64_t>& group_ids,
                                   std::string_view category);

}  // namespace hm::store
