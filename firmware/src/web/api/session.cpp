#include <nlohmann/json.hpp>

#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/key_store.h"
#include "web/api/handlers.h"
#include "web/session_keys.h"

namespace hm::web::api {

nlohmann::json user_json(const store::User& user) {
  // The page shows only what the role may use; the router enforces it regardless.
  nlohmann::json permissions = nlohmann::json::array();
  for (const auto permission : store::all_permissions()) {
    if (store::allows(user.role, permission)) permissions.push_back(store::to_string(permission));
  }
  return {{"username", user.username},
          {"display_name", user.display_name},
          {"role", store::to_string(user.role)},
          {"permissions", std::move(permissions)}};
}

Response login(ApiContext& context) {
  const auto body = context.json_body();
  const auto username = body ? body->find("username") : nlohmann::json::const_iterator();
  const auto password = body ? body->find("password") : nlohmann::json::const_iterator();
  if (!body || username == body->end() || password == body->end() || !username->is_string() ||
      !password->is_string()) {
    return Response::problem(400, "invalid", "Enter your user name and password.");
  }
  if (!store::setup_complete(context.db)) {
    return Response::problem(409, "setup_needed",
                             "This box has not been set up yet. Use the setup code first.");
  }
  store::Accounts accounts(context.db);
  store::AuditLog audit(context.db);
  const std::string name = username->get<std::string>();
  auto signed_in = accounts.sign_in(name, password->get<std::string>());
  if (!signed_in) {
    (void)audit.append(name.substr(0, 64), "login_failed", "wrong user name or password");
    return Response::problem(401, "wrong_password",
                             "That user name and password do not match. Check them and try "
                             "again (passwords are case-sensitive).");
  }
  const store::User& user = signed_in->user;
  accounts.remove_stale_sessions();
  const auto token = accounts.start_session(user.id);
  if (!token) return Response::problem(500, "session_failed", token.error());

  // Unwrap this account's copy of the evidence private key into the session's memory.
  store::KeyStore keys(context.db);
  nlohmann::json reply = {{"user", user_json(user)}, {"csrf_token", csrf_token_for(*token)}};
  std::string evidence = "no evidence key for this account";
  if (auto private_key = keys.unwrap_for_user(user.id, signed_in->wrapping_key.span())) {
    SessionKeys::instance().put(*token, std::move(*private_key));
    evidence = "evidence key unwrapped into the session";
  } else if (!keys.public_key()) {
    // Set up before sealing existed: make the key pair now, for this headteacher.
    crypto::SecretBytes made;
    if (auto recovery = keys.make_key_pair_for(user.id, signed_in->wrapping_key.span(), made)) {
      SessionKeys::instance().put(*token, std::move(made));
      reply["recovery_key"] = *recovery;
      evidence = "evidence key made, wrapped for the account and a new recovery key";
    }
  }
  (void)audit.append(user.username, "login", evidence);
  Response response = Response::json(200, reply);
  response.headers.emplace_back("Set-Cookie", session_cookie(*token));
  return response;
}

Response logout(ApiContext& context) {
  SessionKeys::instance().erase(context.session_token);
  store::Accounts(context.db).end_session(context.session_token);
  (void)store::AuditLog(context.db)
      .append(context.user->username, "logout", "signed out; session key wiped");
  Response response = Response::json(200, {{"signed_out", true}});
  response.headers.emplace_back("Set-Cookie", expired_session_cookie());
  return response;
}

Response session(ApiContext& context) {
  return Response::json(
      200, {{"user", user_json(*context.user)}, {"csrf_token", csrf_token_for(context.session_token)}});
}

}  // namespace hm::web::api
