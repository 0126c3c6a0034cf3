#include "store/roles.h"

#include <array>

namespace hm::store {

bool allows(Role role, Permission permission) {
  using enum Permission;
  switch (role) {
    case Role::headteacher: return true;
    case Role::dsl:
    case Role::deputy_dsl:
      switch (permission) {
        case see_dashboard:
        case see_evidence:
        case handle_incidents:
        case see_people:
        case manage_people:
        case see_reports:
        case edit_library: return true;
        case read_audit: return role == Role::dsl;
        case edit_retention:
        case manage_system:
        case manage_accounts: return false;
      }
      return false;
    case Role::viewer: return permission == see_dashboard;
    case Role::technician:
      return permission == see_dashboard || permission == edit_library ||
             permission == manage_system;
  }
  return false;
}

namespace {

constexpr std::array kRoles = {Role::headteacher, Role::dsl, Role::deputy_dsl, Role::viewer,
                               Role::technician};
constexpr std::array kRoleNames = {"headteacher", "dsl", "deputy_dsl", "viewer", "technician"};

constexpr std::array kPermissions = {
    Permission::see_dashboard,   Permission::see_evidence,   Permission::handle_incidents,
    Permission::see_people,      Permission::manage_people,  Permission::see_reports,
    Permission::edit_library,    Permission::edit_retention, Permission::manage_system,
    Permission::manage_accounts, Permission::read_audit};
constexpr std::array kPermissionNames = {"see_dashboard",   "see_evidence",   "handle_incidents",
                                         "see_people",      "manage_people",  "see_reports",
                                         "edit_library",    "edit_retention", "manage_system",
                                         "manage_accounts", "read_audit"};

static_assert(kRoles.size() == kRoleNames.size());
static_assert(kPermissions.size() == kPermissionNames.size());

}  // namespace

std::string_view to_string(Role role) { return kRoleNames[static_cast<std::size_t>(role)]; }

std::optional<Role> role_from_string(std::string_view text) {
  for (std::size_t i = 0; i < kRoles.size(); ++i) {
    if (text == kRoleNames[i]) return kRoles[i];
  }
  return std::nullopt;
}

std::string_view to_string(Permission permission) {
  return kPermissionNames[static_cast<std::size_t>(permission)];
}

std::span<const Role> all_roles() { return kRoles; }
std::span<const Permission> all_permissions() { return kPermissions; }

}  // namespace hm::store
