#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hm::store {

// Who a staff account is. Each role is a fixed set of permissions (allows() below): a
// school picks a role for each person, never individual permissions, so "what can the
// technician see?" has one answer, written here.
enum class Role : std::uint8_t {
  headteacher,  // everything, including accounts and retention
  dsl,          // designated safeguarding lead: evidence, incidents, people, reports
  deputy_dsl,   // the DSL's deputy: the same as the DSL, but no audit log
  viewer,       // staff viewer: the dashboard's figures, without evidence or names
  technician,   // the box's system settings and library updates; no evidence, no names
};

// What a request may do. The route table (web/routes.cpp) names one per route; the
// router answers 403 when the signed-in role lacks it.
enum class Permission : std::uint8_t {
  see_dashboard,     // counts, charts and the box's health
  see_evidence,      // opening sealed evidence, downloading packets
  handle_incidents,  // incidents: open, note, close
  see_people,        // pupils' and staff names, and who had which device
  manage_people,     // importing people, assigning devices, groups and their alert rules
  see_reports,       // reports and the inspection pack
  edit_library,      // the school's own words and exceptions; library updates
  edit_retention,    // how long captures are kept (the school's data protection policy)
  manage_system,     // interfaces, time, mail server, restart
  manage_accounts,   // adding and removing staff accounts
  read_audit,        // the audit log (it names who looked at which capture)
};

bool allows(Role role, Permission permission);

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);
std::string_view to_string(Permission permission);

// Every role and permission, in declaration order (for the UI and the tests).
std::span<const Role> all_roles();
std::span<const Permission> all_permissions();

}  // namespace hm::store
