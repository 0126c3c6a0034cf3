#include <nlohmann/json.hpp>

#include "store/accounts.h"
#include "web/api/handlers.h"

namespace hm::web::api {

nlohmann::json user_json(const store::User& user) {
  return {{"username", user.username},
          {"display_name", user.display_name},
          {"role", store::to_string(user.role)}};
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
  const auto user =
      accounts.verify_password(username->get<std::string>(), password->get<std::string>());
  if (!user) {
    return Response::problem(401, "wrong_password",
                             "That user name and password do not match. Check them and try "
                             "again (passwords are case-sensitive).");
  }
  accounts.remove_stale_sessions();
  const auto token = accounts.start_session(user->id);
  if (!token) return Response::problem(500, "session_failed", token.error());
  Response response = Response::json(200, {{"user", user_json(*user)}});
  response.headers.emplace_back("Set-Cookie", session_cookie(*token));
  return response;
}

Response logout(ApiContext& context) {
  store::Accounts(context.db).end_session(context.session_token);
  Response response = Response::json(200, {{"signed_out", true}});
  response.headers.emplace_back("Set-Cookie", expired_session_cookie());
  return response;
}

Response session(ApiContext& context) {
  return Response::json(200, {{"user", user_json(*context.user)}});
}

}  // namespace hm::web::api
