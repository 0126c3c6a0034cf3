#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

// The optional second sign-in step: a code from an authenticator app (crypto/totp.h).
// The shared secret is kept sealed (AES-256-GCM) under the user's two-step key, which
// only their password's PBKDF2 gives (accounts.h PasswordKeys): a copied database does
// not give the secret away, and the secret can be opened exactly when the password
// has just been typed — at sign-in, and when the page asks for it.
class TwoStep {
 public:
  explicit TwoStep(Database& db) : db_(db) {}

  bool enabled(std::int64_t user_id);

  // Makes a new secret and keeps it, sealed, as the user's pending enrolment (not yet
  // asked for at sign-in); returns it, to be shown once as text and as a QR code.
  Result<std::vector<std::uint8_t>> start_enrolment(std::int64_t user_id,
                                                    std::span<const std::uint8_t> key);
  // Turns the second step on if `code` is right for the pending secret.
  Status confirm_enrolment(std::int64_t user_id, std::span<const std::uint8_t> key,
                           std::string_view code, TimeUs now = now_us());
  Status turn_off(std::int64_t user_id);

  // Whether `code` is right now (one step either side) for the user's secret and newer
  // than the last code accepted; an accepted code's step is recorded, so the same code
  // never works twice.
  bool accept_code(std::int64_t user_id, std::span<const std::uint8_t> key, std::string_view code,
                   TimeUs now = now_us());

  // Re-seals the secret (if any) from the old password's key to the new one's.
  Status reseal(std::int64_t user_id, std::span<const std::uint8_t> old_key,
                std::span<const std::uint8_t> new_key);

 private:
  Database& db_;
};

}  // namespace hm::store
