#include "store/two_step.h"

#include <optional>

#include "crypto/random.h"
#include "crypto/seal.h"
#include "crypto/totp.h"

namespace hm::store {
namespace {

// Bound into the seal, so one user's sealed secret cannot be swapped into another's row.
std::string seal_label(std::int64_t user_id) {
  return "hallmonitor second step " + std::to_string(user_id);
}

std::span<const std::uint8_t> as_bytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::optional<crypto::SecretBytes> open_column(Database& db, std::int64_t user_id,
                                               std::string_view column,
                                               std::span<const std::uint8_t> key) {
  Statement query(db, "SELECT " + std::string(column) + " FROM users WHERE id = ?1;");
  query.bind(1, user_id);
  if (!query.step() || query.column_is_null(0)) return std::nullopt;
  const std::string sealed = query.column_blob(0);
  return crypto::unwrap_secret(key, as_bytes(sealed), seal_label(user_id));
}

std::int64_t unix_seconds(TimeUs now) { return now / 1'000'000; }

}  // namespace

bool TwoStep::enabled(std::int64_t user_id) {
  Statement query(db_, "SELECT totp_sealed IS NOT NULL FROM users WHERE id = ?1;");
  query.bind(1, user_id);
  return query.step() && query.column_int(0) != 0;
}

Result<std::vector<std::uint8_t>> TwoStep::start_enrolment(std::int64_t user_id,
                                                           std::span<const std::uint8_t> key) {
  auto secret = crypto::random_bytes(crypto::kTotpSecretBytes);
  const auto sealed = crypto::wrap_secret(key, secret, seal_label(user_id));
  Statement update(db_, "UPDATE users SET totp_pending = ?2 WHERE id = ?1;");
  update.bind(1, user_id).bind_blob(2, sealed);
  update.step();
  if (!update.ok()) return error("The new second step could not be saved: " + update.error());
  return secret;
}

Status TwoStep::confirm_enrolment(std::int64_t user_id, std::span<const std::uint8_t> key,
                                  std::string_view code, TimeUs now) {
  const auto secret = open_column(db_, user_id, "totp_pending", key);
  if (!secret) return error("Start setting up the second step again: nothing is waiting.");
  const auto step = crypto::totp_matching_step(secret->span(), code, unix_seconds(now));
  if (!step) {
    return error(
        "That code is not right. Type the 6 digits the app shows now; if it is still wrong, "
        "check that the phone's clock is set automatically.");
  }
  Statement update(db_,
                   "UPDATE users SET totp_sealed = totp_pending, totp_pending = NULL, "
                   "totp_last_step = ?2 WHERE id = ?1;");
  update.bind(1, user_id).bind(2, static_cast<std::int64_t>(*step));
  update.step();
  if (!update.ok()) return error("The second step could not be turned on: " + update.error());
  return Ok{};
}

Status TwoStep::turn_off(std::int64_t user_id) {
  Statement update(db_,
                   "UPDATE users SET totp_sealed = NULL, totp_pending = NULL, "
                   "totp_last_step = 0 WHERE id = ?1;");
  update.bind(1, user_id);
  update.step();
  if (!update.ok()) return error("The second step could not be turned off: " + update.error());
  return Ok{};
}

bool TwoStep::accept_code(std::int64_t user_id, std::span<const std::uint8_t> key,
                          std::string_view code, TimeUs now) {
  const auto secret = open_column(db_, user_id, "totp_sealed", key);
  if (!secret) return false;
  const auto step = crypto::totp_matching_step(secret->span(), code, unix_seconds(now));
  if (!step) return false;
  // RFC 6238 §5.2: a code once accepted must not be accepted again. Only a newer step
  // moves the mark, in one statement, so two sign-ins racing with one code cannot both win.
  Statement update(db_,
                   "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2;");
  update.bind(1, user_id).bind(2, static_cast<std::int64_t>(*step));
  update.step();
  Statement changes(db_, "SELECT changes();");
  return update.ok() && changes.step() && changes.column_int(0) == 1;
}

Status TwoStep::reseal(std::int64_t user_id, std::span<const std::uint8_t> old_key,
                       std::span<const std::uint8_t> new_key) {
  for (const std::string_view column : {"totp_sealed", "totp_pending"}) {
    const auto secret = open_column(db_, user_id, column, old_key);
    if (!secret) continue;
    const auto sealed = crypto::wrap_secret(new_key, secret->span(), seal_label(user_id));
    Statement update(db_, "UPDATE users SET " + std::string(column) + " = ?2 WHERE id = ?1;");
    update.bind(1, user_id).bind_blob(2, sealed);
    update.step();
    if (!update.ok()) return error("The second step could not be kept: " + update.error());
  }
  return Ok{};
}

}  // namespace hm::store
