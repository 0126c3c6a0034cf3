#include <nlohmann/json.hpp>

#include "store/accounts.h"
#include "web/api/handlers.h"

namespace hm::web::api {
namespace {

std::string text_field(const nlohmann::json& body, const char* name) {
  const auto found = body.find(name);
  return found != body.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

Response setup_status(ApiContext& context) {
  return Response::json(200, {{"setup_needed", !store::setup_complete(context.db)}});
}

Response setup(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "The form could not be read; try again.");
  const store::NewUser headteacher{text_field(*body, "username"), text_field(*body, "display_name"),
                                   store::Role::headteacher, text_field(*body, "password")};
  const auto result =
      store::Accounts(context.db).complete_setup(text_field(*body, "setup_code"), headteacher);
  switch (result.outcome) {
    case store::SetupResult::Outcome::done:
      // The recovery key is shown this once and never stored: the page asks the
      // headteacher to write it down and keep it somewhere safe, away from the box.
      return Response::json(
          201, {{"user", user_json(*result.user)}, {"recovery_key", result.recovery_key}});
    case store::SetupResult::Outcome::wrong_code:
      return Response::problem(403, "wrong_setup_code", result.message);
    case store::SetupResult::Outcome::already_done:
      return Response::problem(409, "already_set_up", result.message);
    case store::SetupResult::Outcome::invalid: break;
  }
  return Response::problem(400, "invalid", result.message);
}

}  // namespace hm::web::api
