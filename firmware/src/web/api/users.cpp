// The Users page (headteacher only: manage_accounts): staff accounts and their roles.
#include <charconv>

#include <nlohmann/json.hpp>

#include "store/accounts.h"
#include "store/roles.h"
#include "store/staff_accounts.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"
#include "web/session_keys.h"

namespace hm::web::api {
namespace {

struct RoleWords {
  store::Role role;
  std::string_view title;
  std::string_view description;
};

// What each role means to a school (store/roles.cpp decides it; this says it).
constexpr RoleWords kRoleWords[] = {
    {store::Role::headteacher, "Headteacher",
     "Everything: evidence, incidents, people, settings, staff accounts and the audit log."},
    {store::Role::dsl, "Designated safeguarding lead (DSL)",
     "Opens evidence, handles incidents, sees pupils' names and reports, reads the audit log."},
    {store::Role::deputy_dsl, "Deputy DSL", "The same as the DSL, except the audit log."},
    {store::Role::viewer, "Staff viewer",
     "Sees the dashboard's figures only: no evidence and no names."},
    {store::Role::technician, "Technician",
     "Looks after the box's system settings and library updates; never sees evidence or "
     "names."},
};

std::optional<std::int64_t> account_id(const ApiContext& context) {
  const auto found = context.path_params.find("id");
  if (found == context.path_params.end()) return std::nullopt;
  std::int64_t id = 0;
  const auto& text = found->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Response no_such_account() {
  return Response::problem(404, "not_found", "There is no such account. Reload the page.");
}

// A refusal from store::StaffAccounts: a missing account is 404, anything else is the
// headteacher's to fix (409: it conflicts with how the accounts are now).
Response refusal(const std::string& message) {
  if (message == "There is no such account.") return no_such_account();
  return Response::problem(409, "refused", message);
}

}  // namespace

std::string_view role_title(store::Role role) {
  for (const auto& words : kRoleWords) {
    if (words.role == role) return words.title;
  }
  return store::to_string(role);
}

Response list_users(ApiContext& context) {
  const store::TimeUs now = store::now_us();
  nlohmann::json users = nlohmann::json::array();
  for (const auto& row : store::StaffAccounts(context.db).list(now)) {
    nlohmann::json entry = {{"id", row.user.id},
                            {"username", row.user.username},
                            {"display_name", row.user.display_name},
                            {"role", store::to_string(row.user.role)},
                            {"role_title", role_title(row.user.role)},
                            {"last_sign_in_us", nullptr},
                            {"two_step", row.two_step},
                            {"locked_seconds", 0},
                            {"has_evidence_key", row.has_evidence_key},
                            {"is_you", row.user.id == context.user->id}};
    if (row.last_sign_in_us) entry["last_sign_in_us"] = *row.last_sign_in_us;
    if (row.locked_until_us > now)
      entry["locked_seconds"] = (row.locked_until_us - now) / 1'000'000;
    users.push_back(std::move(entry));
  }
  nlohmann::json roles = nlohmann::json::array();
  for (const auto& words : kRoleWords) {
    roles.push_back(
        {{"id", store::to_string(words.role)},
         {"title", words.title},
         {"description", words.description},
         {"sees_evidence", store::allows(words.role, store::Permission::see_evidence)}});
  }
  return Response::json(200, {{"users", std::move(users)}, {"roles", std::move(roles)}});
}

Response add_user(ApiContext& context) {
  const auto body = context.json_body();
  const auto username = body ? string_field(*body, "username") : std::nullopt;
  const auto display_name = body ? string_field(*body, "display_name") : std::nullopt;
  const auto role_text = body ? string_field(*body, "role") : std::nullopt;
  const auto password = body ? string_field(*body, "password") : std::nullopt;
  if (!body || !username || !display_name || !role_text || !password) {
    return Response::problem(400, "invalid",
                             "Give the person's name, a user name, a role and a first password.");
  }
  const auto role = store::role_from_string(*role_text);
  if (!role) return Response::problem(400, "invalid", "Choose one of the roles listed.");
  const auto key = SessionKeys::instance().find(context.session_token);
  auto added = store::StaffAccounts(context.db)
                   .add({*username, *display_name, *role, *password}, key.get(), *context.user);
  if (!added) return Response::problem(400, "not_added", added.error());
  return Response::json(201, {{"id", added->id}, {"username", added->username}});
}

Response change_user(ApiContext& context) {
  const auto id = account_id(context);
  if (!id) return no_such_account();
  const auto body = context.json_body();
  const auto role_text = body ? string_field(*body, "role") : std::nullopt;
  if (!body || !role_text) return Response::problem(400, "invalid", "Choose a role.");
  const auto role = store::role_from_string(*role_text);
  if (!role) return Response::problem(400, "invalid", "Choose one of the roles listed.");
  const auto password = string_field(*body, "password");
  if (password) {
    const auto user = store::Accounts(context.db).find_user(*id);
    if (!user) return no_such_account();
    if (auto problem = store::password_problem(*password, user->username)) {
      return Response::problem(400, "weak_password", *problem);
    }
  }
  store::StaffAccounts accounts(context.db);
  if (!password && accounts.needs_password_for(*id, *role) &&
      store::Accounts(context.db).find_user(*id)) {
    return Response::problem(409, "password_needed",
                             "This role sees evidence, so the person needs the evidence key: "
                             "choose a new first password for them.");
  }
  const auto key = SessionKeys::instance().find(context.session_token);
  if (auto changed = accounts.change_role(*id, *role, password, key.get(), *context.user);
      !changed) {
    return refusal(changed.error());
  }
  return Response::json(200, {{"id", *id}, {"role", store::to_string(*role)}});
}

Response remove_user(ApiContext& context) {
  const auto id = account_id(context);
  if (!id) return no_such_account();
  if (auto removed = store::StaffAccounts(context.db).remove(*id, *context.user); !removed) {
    return refusal(removed.error());
  }
  return Response::json(200, {{"removed", true}});
}

Response reset_user_password(ApiContext& context) {
  const auto id = account_id(context);
  const auto body = context.json_body();
  const auto password = body ? string_field(*body, "password") : std::nullopt;
  if (!body || !password) return Response::problem(400, "invalid", "Choose a first password.");
  if (!id) return no_such_account();
  const auto user = store::Accounts(context.db).find_user(*id);
  if (!user) return no_such_account();
  if (auto problem = store::password_problem(*password, user->username)) {
    return Response::problem(400, "weak_password", *problem);
  }
  const auto key = SessionKeys::instance().find(context.session_token);
  if (auto reset =
          store::StaffAccounts(context.db).reset_password(*id, *password, key.get(), *context.user);
      !reset) {
    return refusal(reset.error());
  }
  return Response::json(200, {{"reset", true}});
}

Response sign_out_user(ApiContext& context) {
  const auto id = account_id(context);
  if (!id) return no_such_account();
  auto ended = store::StaffAccounts(context.db).sign_out_everywhere(*id, *context.user);
  if (!ended) return refusal(ended.error());
  Response response = Response::json(200, {{"sessions_ended", *ended}});
  // Signing yourself out here ends this session too.
  if (*id == context.user->id) {
    SessionKeys::instance().erase(context.session_token);
    response.headers.emplace_back("Set-Cookie", expired_session_cookie());
  }
  return response;
}

}  // namespace hm::web::api
