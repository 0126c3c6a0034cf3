#include <nlohmann/json.hpp>

#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/key_store.h"
#include "store/sign_in_lockout.h"
#include "store/two_step.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"
#include "web/session_keys.h"

namespace hm::web::api {
namespace {

// "1 minute", "2 minutes", "45 seconds", "1 hour": how long a person must wait.
std::string wait_words(std::chrono::seconds wait) {
  const auto seconds = wait.count();
  if (seconds < 60) return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
  const auto minutes = (seconds + 59) / 60;
  if (minutes == 60) return "1 hour";
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

// 429 with how long to wait, in words and in seconds (the page counts down).
Response locked(std::chrono::seconds wait) {
  Response response = Response::json(
      429, {{"error", "locked"},
            {"message", "Too many wrong tries: signing in with this name is paused for " +
                            wait_words(wait) +
                            ". Wait, then try again. If the password is lost, the headteacher "
                            "can set a new one on the Users page."},
            {"retry_after_seconds", wait.count()}});
  response.headers.emplace_back("Retry-After", std::to_string(wait.count()));
  return response;
}

// A wrong password or code: counted against the name; locked once too many.
Response refused(store::SignInLockout& lockout, store::AuditLog& audit, const std::string& name,
                 std::string_view error_code, std::string message, std::string_view why) {
  const auto now_locked = lockout.record_failure(name);
  (void)audit.append(
      name.substr(0, 64), "login_failed",
      std::string(why) +
          (now_locked.count() > 0 ? "; the name is locked for " + wait_words(now_locked) : ""));
  if (now_locked.count() > 0) return locked(now_locked);
  const int left = lockout.tries_left(name);
  if (left <= 2) {
    message += " After " + std::to_string(left) +
               (left == 1 ? " more wrong try" : " more wrong tries") +
               ", signing in with this name will pause for a while.";
  }
  return Response::problem(401, error_code, message);
}

}  // namespace

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

// Sign-in order (issue 6): a locked name is refused before any password is checked, the
// same for names with and without an account; the password is then always hashed (an
// unknown name against a dummy salt); a wrong password or second-step code counts
// towards the lockout; a right password without the code asks for it.
Response login(ApiContext& context) {
  const auto body = context.json_body();
  const auto username = body ? string_field(*body, "username") : std::nullopt;
  const auto password = body ? string_field(*body, "password") : std::nullopt;
  const auto code_field = body ? body->find("totp_code") : nlohmann::json::const_iterator();
  if (!body || !username || !password ||
      (code_field != body->end() && !code_field->is_string() && !code_field->is_null())) {
    return Response::problem(400, "invalid", "Enter your user name and password.");
  }
  const std::string code =
      code_field != body->end() && code_field->is_string() ? code_field->get<std::string>() : "";
  if (!store::setup_complete(context.db)) {
    return Response::problem(409, "setup_needed",
                             "This box has not been set up yet. Use the setup code first.");
  }
  store::Accounts accounts(context.db);
  store::AuditLog audit(context.db);
  store::SignInLockout lockout(context.db);
  const std::string& name = *username;
  if (const auto wait = lockout.remaining(name); wait.count() > 0) {
    (void)audit.append(name.substr(0, 64), "login_locked",
                       "refused while the name is locked (" + wait_words(wait) + " left)");
    return locked(wait);
  }
  auto signed_in = accounts.sign_in(name, *password);
  if (!signed_in) {
    return refused(lockout, audit, name, "wrong_password",
                   "That user name and password do not match. Check them and try again "
                   "(passwords are case-sensitive).",
                   "wrong user name or password");
  }
  const store::User& user = signed_in->user;
  store::TwoStep two_step(context.db);
  if (two_step.enabled(user.id)) {
    if (code.empty()) {
      return Response::problem(401, "two_step_needed",
                               "Now type the 6-digit code from the authenticator app on your "
                               "phone.");
    }
    if (!two_step.accept_code(user.id, signed_in->two_step_key.span(), code)) {
      return refused(lockout, audit, name, "two_step_wrong",
                     "That code is not right, or it was used already. Type the code the app "
                     "shows now.",
                     "wrong or reused second-step code");
    }
  }
  lockout.clear(name);
  accounts.record_sign_in(user.id);
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
  if (two_step.enabled(user.id)) evidence += "; second step passed";
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
  return Response::json(200, {{"user", user_json(*context.user)},
                              {"csrf_token", csrf_token_for(context.session_token)}});
}

}  // namespace hm::web::api
