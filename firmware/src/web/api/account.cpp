// The Account page: your own password, your sessions, and the optional second step.
// Any signed-in role; each handler acts on the signed-in user only.
#include <variant>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/totp.h"
#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/sign_in_lockout.h"
#include "store/staff_accounts.h"
#include "store/two_step.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"
#include "web/session_keys.h"

namespace hm::web::api {
namespace {

constexpr std::string_view kIssuer = "hallmonitor";

// The signed-in user's password, checked as at sign-in (and counted towards the
// lockout, so an unattended session cannot be used to guess it).
std::variant<store::SignIn, Response> own_password(ApiContext& context,
                                                   const std::optional<std::string>& password) {
  if (!password || password->empty()) {
    return Response::problem(400, "invalid", "Type your password.");
  }
  store::SignInLockout lockout(context.db);
  const std::string& name = context.user->username;
  if (lockout.remaining(name).count() > 0) {
    return Response::problem(429, "locked",
                             "Too many wrong passwords: wait a few minutes, then try again.");
  }
  auto signed_in = store::Accounts(context.db).sign_in(name, *password);
  if (!signed_in) {
    (void)lockout.record_failure(name);
    (void)store::AuditLog(context.db)
        .append(name, "login_failed", "wrong password typed on the Account page");
    return Response::problem(403, "wrong_password",
                             "That is not your current password. Type it again.");
  }
  return std::move(*signed_in);
}

}  // namespace

Response account(ApiContext& context) {
  const store::User& user = *context.user;
  std::optional<store::TimeUs> last_sign_in;
  int sessions = 0;
  {
    store::Statement query(context.db, "SELECT last_sign_in_us FROM users WHERE id = ?1;");
    query.bind(1, user.id);
    if (query.step() && !query.column_is_null(0)) last_sign_in = query.column_int(0);
    store::Statement count(context.db,
                           "SELECT count(*) FROM sessions WHERE user_id = ?1 AND expires_us > ?2;");
    count.bind(1, user.id).bind(2, store::now_us());
    if (count.step()) sessions = static_cast<int>(count.column_int(0));
  }
  nlohmann::json reply = {{"user", user_json(user)},
                          {"role_title", role_title(user.role)},
                          {"two_step", store::TwoStep(context.db).enabled(user.id)},
                          {"sessions", sessions},
                          {"last_sign_in_us", nullptr}};
  if (last_sign_in) reply["last_sign_in_us"] = *last_sign_in;
  return Response::json(200, reply);
}

Response change_own_password(ApiContext& context) {
  const auto body = context.json_body();
  const auto current = body ? string_field(*body, "current_password") : std::nullopt;
  const auto replacement = body ? string_field(*body, "new_password") : std::nullopt;
  if (!body || !current || !replacement) {
    return Response::problem(400, "invalid", "Type your current password and the new one.");
  }
  if (auto problem = store::password_problem(*replacement, context.user->username)) {
    return Response::problem(400, "weak_password", *problem);
  }
  auto checked = own_password(context, current);
  if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
  store::Accounts accounts(context.db);
  if (auto changed = accounts.change_password(context.user->id, *current, *replacement); !changed) {
    return Response::problem(400, "not_changed", changed.error());
  }
  // Anyone who knew the old password is signed out; this browser stays signed in.
  const int ended = accounts.end_user_sessions(context.user->id, context.session_token);
  return Response::json(200, {{"changed", true}, {"other_sessions_ended", ended}});
}

Response sign_out_everywhere_self(ApiContext& context) {
  auto ended =
      store::StaffAccounts(context.db).sign_out_everywhere(context.user->id, *context.user);
  if (!ended) return Response::problem(500, "not_signed_out", ended.error());
  SessionKeys::instance().erase(context.session_token);
  Response response = Response::json(200, {{"signed_out", true}, {"sessions_ended", *ended}});
  response.headers.emplace_back("Set-Cookie", expired_session_cookie());
  return response;
}

Response start_two_step(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Type your password.");
  auto checked = own_password(context, string_field(*body, "password"));
  if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
  const auto& signed_in = std::get<store::SignIn>(checked);
  auto secret =
      store::TwoStep(context.db).start_enrolment(context.user->id, signed_in.two_step_key.span());
  if (!secret) return Response::problem(500, "not_started", secret.error());
  nlohmann::json reply = {{"secret", crypto::to_base32(*secret)},
                          {"uri", crypto::otpauth_uri(kIssuer, context.user->username, *secret)}};
  crypto::wipe_bytes(*secret);
  return Response::json(200, reply);
}

Response confirm_two_step(ApiContext& context) {
  const auto body = context.json_body();
  const auto code = body ? string_field(*body, "code") : std::nullopt;
  if (!body || !code) return Response::problem(400, "invalid", "Type the code the app shows.");
  auto checked = own_password(context, string_field(*body, "password"));
  if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
  const auto& signed_in = std::get<store::SignIn>(checked);
  if (auto confirmed =
          store::TwoStep(context.db)
              .confirm_enrolment(context.user->id, signed_in.two_step_key.span(), *code);
      !confirmed) {
    return Response::problem(400, "wrong_code", confirmed.error());
  }
  (void)store::AuditLog(context.db)
      .append(context.user->username, "two_step_change", "turned on the second sign-in step");
  return Response::json(200, {{"two_step", true}});
}

Response turn_off_two_step(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Type your password.");
  auto checked = own_password(context, string_field(*body, "password"));
  if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
  if (auto off = store::TwoStep(context.db).turn_off(context.user->id); !off) {
    return Response::problem(500, "not_changed", off.error());
  }
  (void)store::AuditLog(context.db)
      .append(context.user->username, "two_step_change", "turned off the second sign-in step");
  return Response::json(200, {{"two_step", false}});
}

}  // namespace hm::web::api
