#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/secret.h"
#include "store/database.h"

namespace hm::store {

// The box's evidence key pair on disk (DESIGN.md "Evidence is sealed"): the public key
// in the clear, the private key only wrapped — under the one-time setup code until
// setup, then once per account that may view evidence and once under the recovery
// key, which is shown once at setup and never stored.
class KeyStore {
 public:
  explicit KeyStore(Database& db) : db_(db) {}

  // The public key, making the key pair first if there is none. On a box not yet set
  // up the private key is wrapped under the setup code (made here if needed). On a box
  // set up before sealing existed there is nobody to wrap it for: returns an error
  // saying what to do.
  Result<std::vector<std::uint8_t>> ensure_key_pair();
  std::optional<std::vector<std::uint8_t>> public_key();

  std::optional<crypto::SecretBytes> unwrap_with_setup_code(std::string_view setup_code);
  std::optional<crypto::SecretBytes> unwrap_for_user(std::int64_t user_id,
                                                     std::span<const std::uint8_t> wrapping_key);
  std::optional<crypto::SecretBytes> unwrap_with_recovery_key(std::string_view recovery_key);
  bool has_wrap_for_user(std::int64_t user_id);

  Status wrap_for_user(std::int64_t user_id, const crypto::SecretBytes& private_key,
                       std::span<const std::uint8_t> wrapping_key);
  // Makes a fresh recovery key, wraps the private key under it (replacing any earlier
  // one) and returns its text, e.g. "ABCDE-FGHIJ-…", to be shown once.
  Result<std::string> make_recovery_key(const crypto::SecretBytes& private_key);
  Status forget_setup_code_wrap();
  // Deletes the user's copy (their role no longer sees evidence, or the account goes).
  Status forget_user_wrap(std::int64_t user_id);
  // For a box set up before sealing existed: makes the key pair now, wraps it for the
  // signed-in headteacher and under a new recovery key (returned, to be shown once),
  // and hands the private key to the session. Fails if a key pair exists already.
  Result<std::string> make_key_pair_for(std::int64_t user_id,
                                        std::span<const std::uint8_t> wrapping_key,
                                        crypto::SecretBytes& private_key);

 private:
  Status put_wrap(std::string_view holder, std::optional<std::int64_t> user_id,
                  std::span<const std::uint8_t> salt, std::uint32_t iterations,
                  std::span<const std::uint8_t> wrapped);
  std::optional<crypto::SecretBytes> unwrap(std::string_view holder,
                                            std::span<const std::uint8_t> wrapping_key);

  Database& db_;
};

// Upper-cases and drops spaces and dashes, as for setup codes.
std::string normalise_recovery_key(std::string_view entered);

}  // namespace hm::store
