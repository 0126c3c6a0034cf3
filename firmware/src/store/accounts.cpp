#include "store/accounts.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <vector>

#include <sqlite3.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "crypto/random.h"
#include "crypto/seal.h"
#include "store/audit_log.h"
#include "store/key_store.h"
#include "store/settings_repository.h"
#include "store/sign_in_lockout.h"
#include "store/two_step.h"

namespace hm::store {
namespace {

constexpr std::string_view kSetupCodeKey = "setup.code";
constexpr std::string_view kSetupCompletedKey = "setup.completed_us";

// Letters and digits that cannot be mistaken for one another when read off a label or
// a screen: no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B. 23 symbols, 12 of them: about 54 bits,
// far beyond guessing over the network.
constexpr std::string_view kSetupCodeAlphabet = "ACDEFGHJKMNPRTUVWXY3467";
constexpr int kSetupCodeGroups = 3;
constexpr int kSetupCodeGroupLength = 4;

constexpr std::size_t kSessionTokenBytes = 32;

// Password scheme 2 (migration 2): one PBKDF2 per sign-in gives a master secret; the
// stored check and the evidence wrapping key are HKDF of it for two purposes, so the
// stored check does not give the wrapping key away and a sign-in costs one PBKDF2
// (crypto::kPasswordIterations: about half a second on the box).
constexpr std::int64_t kPasswordScheme = 2;
constexpr std::string_view kCheckInfo = "hallmonitor password check";
constexpr std::string_view kWrapInfo = "hallmonitor evidence key wrap";
constexpr std::string_view kTwoStepInfo = "hallmonitor second step secret";

struct DerivedPassword {
  std::vector<std::uint8_t> check;
  crypto::SecretBytes wrapping_key;
  crypto::SecretBytes two_step_key;
};

DerivedPassword derive_password(std::string_view password, std::span<const std::uint8_t> salt,
                                std::uint32_t iterations) {
  auto raw = crypto::pbkdf2_hmac_sha256(password, salt, iterations, crypto::kPasswordHashBytes);
  const crypto::SecretBytes master(raw);
  crypto::wipe_bytes(raw);
  const auto check = crypto::derive_subkey(master.span(), kCheckInfo);
  return {std::vector<std::uint8_t>(check.data(), check.data() + check.size()),
          crypto::derive_subkey(master.span(), kWrapInfo),
          crypto::derive_subkey(master.span(), kTwoStepInfo)};
}

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string token_digest(std::string_view token) {
  const auto digest = crypto::sha256(token);
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::string make_setup_code() {
  std::string code;
  for (int group = 0; group < kSetupCodeGroups; ++group) {
    if (group > 0) code.push_back('-');
    for (int i = 0; i < kSetupCodeGroupLength; ++i) {
      code.push_back(kSetupCodeAlphabet[crypto::random_below(
          static_cast<std::uint32_t>(kSetupCodeAlphabet.size()))]);
    }
  }
  return code;
}

User read_user(const Statement& row) {
  User user;
  user.id = row.column_int(0);
  user.username = row.column_text(1);
  user.display_name = row.column_text(2);
  // A role this version does not know (written by a newer one) gets the least access.
  user.role = role_from_string(row.column_text(3)).value_or(Role::viewer);
  return user;
}

bool is_username_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

TimeUs now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ensure_setup_code(Database& db) {
  if (setup_complete(db)) return {};
  SettingsRepository settings(db);
  if (auto code = settings.get(kSetupCodeKey)) return *code;
  // INSERT OR IGNORE: if the daemon and `admin status` race on first start, both end
  // up reading the one code that was stored first.
  Statement insert(db, "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2);");
  insert.bind(1, kSetupCodeKey).bind(2, make_setup_code());
  insert.step();
  return settings.get(kSetupCodeKey).value_or(std::string());
}

bool setup_complete(Database& db) {
  return SettingsRepository(db).get(kSetupCompletedKey).has_value();
}

std::string normalise_setup_code(std::string_view entered) {
  std::string out;
  for (const char c : entered) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::optional<std::string> password_problem(std::string_view password, std::string_view username) {
  if (password.size() < kMinimumPasswordLength) {
    return "The password is too short: use at least " + std::to_string(kMinimumPasswordLength) +
           " characters. A short sentence you will remember works well.";
  }
  if (password.size() > kMaximumPasswordLength) {
    return "The password is too long: use at most " + std::to_string(kMaximumPasswordLength) +
           " characters.";
  }
  if (!username.empty() && lower(password).find(lower(username)) != std::string::npos) {
    return "The password must not contain the user name.";
  }
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; })) {
    return "The password must not be one character repeated.";
  }
  return std::nullopt;
}

std::optional<std::string> username_problem(std::string_view username) {
  if (username.size() < 3 || username.size() > 64) {
    return "The user name must be 3 to 64 characters long.";
  }
  if (!std::all_of(username.begin(), username.end(), is_username_char)) {
    return "The user name may use only letters, digits, dots, dashes and underscores "
           "(no spaces).";
  }
  return std::nullopt;
}

SetupResult Accounts::complete_setup(std::string_view setup_code, const NewUser& headteacher) {
  SetupResult result;
  // BEGIN IMMEDIATE first: two browsers racing through setup cannot both pass the checks.
  Transaction transaction(db_);
  if (setup_complete(db_)) {
    result.outcome = SetupResult::Outcome::already_done;
    result.message = "This box has already been set up. Sign in instead.";
    return result;
  }
  const std::string expected = normalise_setup_code(ensure_setup_code(db_));
  if (expected.empty() ||
      !crypto::constant_time_equal(normalise_setup_code(setup_code), expected)) {
    result.outcome = SetupResult::Outcome::wrong_code;
    result.message =
        "That setup code is not right. Check the code on the label of the box and type it "
        "again.";
    return result;
  }

  KeyStore keys(db_);
  if (auto made = keys.ensure_key_pair(); !made) {
    result.outcome = SetupResult::Outcome::invalid;
    result.message = "Setup could not make the evidence key: " + made.error();
    return result;
  }
  const auto private_key = keys.unwrap_with_setup_code(expected);
  if (!private_key) {
    result.outcome = SetupResult::Outcome::invalid;
    result.message =
        "The evidence key could not be opened with the setup code; the data folder may be "
        "damaged. Restore it from a backup or start again with an empty data folder.";
    return result;
  }
  crypto::SecretBytes wrapping_key;
  PasswordKeys password_keys;
  auto created = create_user(headteacher, &password_keys);
  wrapping_key = std::move(password_keys.wrapping_key);
  if (!created) {
    result.outcome = SetupResult::Outcome::invalid;
    result.message = created.error();
    return result;
  }
  auto wrapped = keys.wrap_for_user(created->id, *private_key, wrapping_key.span());
  auto recovery =
      wrapped ? keys.make_recovery_key(*private_key) : Result<std::string>(Error{wrapped.error()});
  Status forgotten = recovery ? keys.forget_setup_code_wrap() : Status(Error{recovery.error()});
  SettingsRepository settings(db_);
  auto marked = forgotten ? settings.set(kSetupCompletedKey, std::to_string(now_us())) : forgotten;
  auto erased = marked ? settings.erase(kSetupCodeKey) : marked;
  auto audited = erased ? AuditLog(db_).append(created->username, "setup",
                                               "created the headteacher account; evidence key "
                                               "wrapped for it and under a new recovery key")
                        : erased;
  auto committed = audited ? transaction.commit() : audited;
  if (!committed) {
    result.outcome = SetupResult::Outcome::invalid;
    result.message = "Setup could not be saved: " + committed.error();
    return result;
  }
  result.outcome = SetupResult::Outcome::done;
  result.user = std::move(created.value());
  result.recovery_key = std::move(recovery.value());
  return result;
}

Result<User> Accounts::create_user(const NewUser& user, PasswordKeys* keys) {
  const std::string username = trim(user.username);
  const std::string display_name = trim(user.display_name);
  if (auto problem = username_problem(username)) return error(*problem);
  if (display_name.empty() || display_name.size() > 128) {
    return error("Please give a name of 1 to 128 characters, as colleagues would know it.");
  }
  if (auto problem = password_problem(user.password, username)) return error(*problem);

  const auto salt = crypto::random_bytes(crypto::kPasswordSaltBytes);
  auto derived = derive_password(user.password, salt, crypto::kPasswordIterations);
  Statement insert(db_,
                   "INSERT INTO users (username, display_name, role, password_salt, password_hash, "
                   "password_iterations, created_us, password_scheme) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);");
  insert.bind(1, username)
      .bind(2, display_name)
      .bind(3, to_string(user.role))
      .bind_blob(4, salt)
      .bind_blob(5, derived.check)
      .bind(6, static_cast<std::int64_t>(crypto::kPasswordIterations))
      .bind(7, now_us())
      .bind(8, kPasswordScheme);
  insert.step();
  if (!insert.ok()) {
    if (insert.error().find("UNIQUE") != std::string::npos) {
      return error("The user name \"" + username + "\" is already taken; choose another.");
    }
    return error("The account could not be saved: " + insert.error());
  }
  if (keys != nullptr) {
    keys->wrapping_key = std::move(derived.wrapping_key);
    keys->two_step_key = std::move(derived.two_step_key);
  }
  return User{sqlite3_last_insert_rowid(db_.handle()), username, display_name, user.role};
}

Result<PasswordKeys> Accounts::store_password(std::int64_t user_id, std::string_view password) {
  const auto salt = crypto::random_bytes(crypto::kPasswordSaltBytes);
  auto derived = derive_password(password, salt, crypto::kPasswordIterations);
  Statement update(db_,
                   "UPDATE users SET password_salt = ?2, password_hash = ?3, "
                   "password_iterations = ?4, password_scheme = ?5 WHERE id = ?1;");
  update.bind(1, user_id)
      .bind_blob(2, salt)
      .bind_blob(3, derived.check)
      .bind(4, static_cast<std::int64_t>(crypto::kPasswordIterations))
      .bind(5, kPasswordScheme);
  update.step();
  if (!update.ok()) return error("The password could not be saved: " + update.error());
  return PasswordKeys{std::move(derived.wrapping_key), std::move(derived.two_step_key)};
}

std::vector<User> Accounts::list_users() {
  Statement query(db_, "SELECT id, username, display_name, role FROM users ORDER BY username;");
  std::vector<User> users;
  while (query.step()) users.push_back(read_user(query));
  return users;
}

std::optional<User> Accounts::find_user(std::int64_t id) {
  Statement query(db_, "SELECT id, username, display_name, role FROM users WHERE id = ?1;");
  query.bind(1, id);
  if (!query.step()) return std::nullopt;
  return read_user(query);
}

std::optional<User> Accounts::find_user(std::string_view username) {
  Statement query(db_, "SELECT id, username, display_name, role FROM users WHERE username = ?1;");
  query.bind(1, trim(username));
  if (!query.step()) return std::nullopt;
  return read_user(query);
}

std::optional<User> Accounts::verify_password(std::string_view username,
                                              std::string_view password) {
  auto signed_in = sign_in(username, password);
  if (!signed_in) return std::nullopt;
  return std::move(signed_in->user);
}

std::optional<SignIn> Accounts::sign_in(std::string_view username, std::string_view password) {
  Statement query(db_,
                  "SELECT id, username, display_name, role, password_salt, password_hash, "
                  "password_iterations, password_scheme FROM users WHERE username = ?1;");
  query.bind(1, trim(username));
  const bool found = query.step();
  // An unknown name still costs one full hash, against a fixed dummy salt.
  static const std::array<std::uint8_t, crypto::kPasswordSaltBytes> kDummySalt{};
  const std::string salt = found ? query.column_blob(4) : std::string();
  const std::string stored = found ? query.column_blob(5) : std::string(32, '\0');
  const auto iterations =
      found ? static_cast<std::uint32_t>(query.column_int(6)) : crypto::kPasswordIterations;
  const std::int64_t scheme = found ? query.column_int(7) : kPasswordScheme;
  const auto salt_bytes = found ? as_bytes(salt) : std::span<const std::uint8_t>(kDummySalt);
  if (scheme == kPasswordScheme) {
    auto derived = derive_password(password, salt_bytes, iterations);
    if (!found || !crypto::constant_time_equal(derived.check, as_bytes(stored))) {
      return std::nullopt;
    }
    return SignIn{read_user(query), std::move(derived.wrapping_key),
                  std::move(derived.two_step_key)};
  }
  // Scheme 1: the stored hash is PBKDF2's output itself; re-hash to scheme 2 now that
  // the password is known, so the wrapping key never derives from what is stored.
  auto computed = crypto::pbkdf2_hmac_sha256(password, salt_bytes, iterations, stored.size());
  const bool matches = crypto::constant_time_equal(computed, as_bytes(stored));
  crypto::wipe_bytes(computed);
  if (!found || !matches) return std::nullopt;
  User user = read_user(query);
  auto keys = store_password(user.id, password);
  if (!keys) return std::nullopt;
  return SignIn{std::move(user), std::move(keys->wrapping_key), std::move(keys->two_step_key)};
}

Status Accounts::change_password(std::int64_t user_id, std::string_view current_password,
                                 std::string_view new_password) {
  const auto user = find_user(user_id);
  if (!user) return error("There is no such account.");
  if (auto problem = password_problem(new_password, user->username)) return error(*problem);
  Transaction transaction(db_);
  auto current = sign_in(user->username, current_password);
  if (!current) return error("The current password is not right; type it again.");
  KeyStore keys(db_);
  std::optional<crypto::SecretBytes> private_key;
  if (keys.has_wrap_for_user(user_id)) {
    private_key = keys.unwrap_for_user(user_id, current->wrapping_key.span());
    if (!private_key) return error("Your copy of the evidence key could not be opened.");
  }
  auto new_keys = store_password(user_id, new_password);
  if (!new_keys) return Error{new_keys.error()};
  if (private_key) {
    if (auto wrapped = keys.wrap_for_user(user_id, *private_key, new_keys->wrapping_key.span());
        !wrapped) {
      return wrapped;
    }
  }
  if (auto resealed =
          TwoStep(db_).reseal(user_id, current->two_step_key.span(), new_keys->two_step_key.span());
      !resealed) {
    return resealed;
  }
  if (auto audited =
          AuditLog(db_).append(user->username, "password_change", "changed their own password");
      !audited) {
    return audited;
  }
  return transaction.commit();
}

Status Accounts::reset_password(std::int64_t user_id, std::string_view new_password,
                                const crypto::SecretBytes& private_key) {
  return reset_password(user_id, new_password, &private_key);
}

Status Accounts::reset_password(std::int64_t user_id, std::string_view new_password,
                                const crypto::SecretBytes* private_key) {
  const auto user = find_user(user_id);
  if (!user) return error("There is no such account.");
  if (auto problem = password_problem(new_password, user->username)) return error(*problem);
  std::optional<Transaction> own;
  if (sqlite3_get_autocommit(db_.handle()) != 0) own.emplace(db_);
  auto keys = store_password(user_id, new_password);
  if (!keys) return Error{keys.error()};
  KeyStore key_store(db_);
  auto wrapped = private_key != nullptr
                     ? key_store.wrap_for_user(user_id, *private_key, keys->wrapping_key.span())
                     : key_store.forget_user_wrap(user_id);
  if (!wrapped) return wrapped;
  if (auto off = TwoStep(db_).turn_off(user_id); !off) return off;
  SignInLockout(db_).clear(user->username);
  return own ? own->commit() : Status(Ok{});
}

Result<std::string> Accounts::start_session(std::int64_t user_id, TimeUs now) {
  const std::string token = crypto::to_base32(crypto::random_bytes(kSessionTokenBytes));
  const std::string digest = token_digest(token);
  const TimeUs expires =
      now + std::chrono::duration_cast<std::chrono::microseconds>(kSessionLifetime).count();
  Statement insert(db_,
                   "INSERT INTO sessions (token_hash, user_id, created_us, last_seen_us, "
                   "expires_us) VALUES (?1, ?2, ?3, ?3, ?4);");
  insert.bind_blob(1, as_bytes(digest)).bind(2, user_id).bind(3, now).bind(4, expires);
  insert.step();
  if (!insert.ok()) return error("The session could not be saved: " + insert.error());
  return token;
}

std::optional<User> Accounts::session_user(std::string_view token, TimeUs now) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  const std::string digest = token_digest(token);
  const TimeUs idle_limit =
      std::chrono::duration_cast<std::chrono::microseconds>(kSessionIdleTimeout).count();
  Statement query(db_,
                  "SELECT u.id, u.username, u.display_name, u.role FROM sessions s "
                  "JOIN users u ON u.id = s.user_id "
                  "WHERE s.token_hash = ?1 AND s.expires_us > ?2 AND s.last_seen_us + ?3 > ?2;");
  query.bind_blob(1, as_bytes(digest)).bind(2, now).bind(3, idle_limit);
  if (!query.step()) return std::nullopt;
  User user = read_user(query);
  Statement touch(db_, "UPDATE sessions SET last_seen_us = ?2 WHERE token_hash = ?1;");
  touch.bind_blob(1, as_bytes(digest)).bind(2, now);
  touch.step();
  return user;
}

void Accounts::end_session(std::string_view token) {
  const std::string digest = token_digest(token);
  Statement remove(db_, "DELETE FROM sessions WHERE token_hash = ?1;");
  remove.bind_blob(1, as_bytes(digest));
  remove.step();
}

std::vector<std::string> Accounts::session_digests() {
  Statement rows(db_, "SELECT token_hash FROM sessions;");
  std::vector<std::string> digests;
  while (rows.step()) digests.push_back(rows.column_blob(0));
  return digests;
}

int Accounts::end_user_sessions(std::int64_t user_id, std::string_view keep_token) {
  const std::string keep = keep_token.empty() ? std::string() : token_digest(keep_token);
  Statement remove(db_, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2;");
  remove.bind(1, user_id).bind_blob(2, as_bytes(keep));
  remove.step();
  Statement changes(db_, "SELECT changes();");
  return changes.step() ? static_cast<int>(changes.column_int(0)) : 0;
}

void Accounts::record_sign_in(std::int64_t user_id, TimeUs now) {
  Statement update(db_, "UPDATE users SET last_sign_in_us = ?2 WHERE id = ?1;");
  update.bind(1, user_id).bind(2, now);
  update.step();
}

int Accounts::remove_stale_sessions(TimeUs now) {
  const TimeUs idle_limit =
      std::chrono::duration_cast<std::chrono::microseconds>(kSessionIdleTimeout).count();
  Statement remove(db_, "DELETE FROM sessions WHERE expires_us <= ?1 OR last_seen_us + ?2 <= ?1;");
  remove.bind(1, now).bind(2, idle_limit);
  remove.step();
  Statement changes(db_, "SELECT changes();");
  return changes.step() ? static_cast<int>(changes.column_int(0)) : 0;
}

}  // namespace hm::store
