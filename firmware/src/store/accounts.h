#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/secret.h"
#include "store/database.h"
#include "store/roles.h"

namespace hm::store {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::headteacher;
};

// A signed-in browser stays signed in for at most kSessionLifetime, and is signed out
// after kSessionIdleTimeout without a request (a laptop left open in a classroom).
inline constexpr std::chrono::hours kSessionLifetime{12};
inline constexpr std::chrono::minutes kSessionIdleTimeout{30};
inline constexpr std::size_t kMinimumPasswordLength = 10;
inline constexpr std::size_t kMaximumPasswordLength = 256;

// Microseconds since the Unix epoch, as everywhere in the store.
using TimeUs = std::int64_t;
TimeUs now_us();

// --- First-run setup -------------------------------------------------------------
//
// Until setup is complete the box has a one-time setup code, e.g. "KX7M-RT4C-PWN3":
// printed by the daemon and `hallmonitor admin status`, and on the box's label. Whoever
// types it into the setup page becomes the headteacher; it is erased once used.

// The setup code, made (and kept in `settings`) the first time it is asked for.
// Empty once setup is complete.
std::string ensure_setup_code(Database& db);
bool setup_complete(Database& db);

// Upper-cases and drops spaces and dashes, so "kx7m rt4c-pwn9" matches.
std::string normalise_setup_code(std::string_view entered);

// Why a password cannot be used, in words for the person choosing it; nullopt if fine.
std::optional<std::string> password_problem(std::string_view password, std::string_view username);
// Same for a user name: 3–64 letters, digits, dot, dash, underscore.
std::optional<std::string> username_problem(std::string_view username);

struct NewUser {
  std::string username;
  std::string display_name;
  Role role = Role::headteacher;
  std::string password;
};

// The outcome of an attempt to finish setup; `rejected` carries a message for the page.
struct SetupResult {
  enum class Outcome { done, wrong_code, already_done, invalid };
  Outcome outcome = Outcome::invalid;
  std::string message;
  std::optional<User> user;
  // Shown once on the setup page and never stored: it opens the evidence when every
  // password is lost (`hallmonitor admin recover`).
  std::string recovery_key;
};

// What one PBKDF2 of a password gives besides the stored check (never stored): the key
// that wraps the user's copy of the evidence private key, and the key that seals their
// second-step (TOTP) secret.
struct PasswordKeys {
  crypto::SecretBytes wrapping_key;
  crypto::SecretBytes two_step_key;
};

// A successful sign-in: the user and their password's keys.
struct SignIn {
  User user;
  crypto::SecretBytes wrapping_key;
  crypto::SecretBytes two_step_key;
};

// --- Accounts and sessions -------------------------------------------------------

class Accounts {
 public:
  explicit Accounts(Database& db) : db_(db) {}

  // Checks the setup code and creates the headteacher in one transaction, then marks
  // setup complete and erases the code. The evidence private key, wrapped under the
  // setup code until now, is re-wrapped for the headteacher and under a new recovery
  // key (returned once in the result), and the setup-code wrap is deleted.
  SetupResult complete_setup(std::string_view setup_code, const NewUser& headteacher);

  // Creates an account; `keys`, if given, receives its password's keys (to wrap the
  // evidence private key for a role that may see evidence: store/staff_accounts.h).
  Result<User> create_user(const NewUser& user, PasswordKeys* keys = nullptr);
  std::optional<User> find_user(std::int64_t id);
  // Every account, by user name.
  std::vector<User> list_users();

  // The user, if the name exists and the password matches. Always hashes, even for an
  // unknown name, so timing does not tell which names exist.
  std::optional<User> verify_password(std::string_view username, std::string_view password);
  // The same check, also giving the user's evidence wrapping key. Accounts made before
  // password scheme 2 are re-hashed to it here (their stored hash was the key itself).
  std::optional<SignIn> sign_in(std::string_view username, std::string_view password);

  // Changes a password and re-wraps the user's copy of the evidence private key and
  // re-seals their second-step secret under the new password's keys.
  Status change_password(std::int64_t user_id, std::string_view current_password,
                         std::string_view new_password);
  // Sets a password without knowing the old one, wrapping `private_key` (obtained with
  // the recovery key) for the user: `hallmonitor admin recover`.
  Status reset_password(std::int64_t user_id, std::string_view new_password,
                        const crypto::SecretBytes& private_key);
  // The same for the headteacher's Users page: with no `private_key` (a role without
  // evidence) the account keeps no wrap. Either way the second step is turned off (its
  // secret was sealed under the old password and cannot be opened without it) and the
  // name's sign-in lockout is lifted.
  Status reset_password(std::int64_t user_id, std::string_view new_password,
                        const crypto::SecretBytes* private_key);
  std::optional<User> find_user(std::string_view username);

  // Starts a session and returns its token (shown to the browser once; only its
  // SHA-256 is stored).
  Result<std::string> start_session(std::int64_t user_id, TimeUs now = now_us());
  // The session's user if the token is known, unexpired and not idle too long; a
  // valid lookup counts as activity.
  std::optional<User> session_user(std::string_view token, TimeUs now = now_us());
  void end_session(std::string_view token);
  // "Sign out everywhere": ends every session of the user but `keep_token`'s (empty:
  // all of them); returns how many ended.
  int end_user_sessions(std::int64_t user_id, std::string_view keep_token = {});
  // The SHA-256 (raw bytes) of every session token still on record.
  std::vector<std::string> session_digests();
  // Notes a successful sign-in, for the Users page.
  void record_sign_in(std::int64_t user_id, TimeUs now = now_us());
  // Deletes sessions past their expiry or idle limit; returns how many.
  int remove_stale_sessions(TimeUs now = now_us());

 private:
  // PBKDF2 once; stores a new scheme-2 salt and check hash for the user and returns the
  // password's keys.
  Result<PasswordKeys> store_password(std::int64_t user_id, std::string_view password);

  Database& db_;
};

}  // namespace hm::store
