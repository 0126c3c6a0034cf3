#include "store/key_store.h"

#include <sqlite3.h>

#include "crypto/encoding.h"
#include "crypto/kdf.h"
#include "crypto/random.h"
#include "crypto/seal.h"
#include "store/accounts.h"

namespace hm::store {
namespace {

constexpr std::string_view kSetupHolder = "setup_code";
constexpr std::string_view kRecoveryHolder = "recovery";
// 25 random bytes: 40 base32 characters, 200 bits. High entropy, so the wrapping key
// is HKDF of it directly; no password stretching is needed.
constexpr std::size_t kRecoveryKeyBytes = 25;
constexpr std::size_t kRecoveryGroup = 5;

std::string user_holder(std::int64_t user_id) { return "user:" + std::to_string(user_id); }

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

crypto::SecretBytes recovery_wrapping_key(std::string_view recovery_key) {
  const std::string normal = normalise_recovery_key(recovery_key);
  return crypto::derive_subkey(as_bytes(normal), "hallmonitor recovery key wrap");
}

crypto::SecretBytes setup_code_wrapping_key(std::string_view code,
                                            std::span<const std::uint8_t> salt,
                                            std::uint32_t iterations) {
  auto key = crypto::pbkdf2_hmac_sha256(normalise_setup_code(code), salt, iterations,
                                        crypto::kWrappingKeyBytes);
  crypto::SecretBytes secret(key);
  crypto::wipe_bytes(key);
  return secret;
}

}  // namespace

std::string normalise_recovery_key(std::string_view entered) {
  return normalise_setup_code(entered);
}

std::optional<std::vector<std::uint8_t>> KeyStore::public_key() {
  Statement query(db_, "SELECT public_key FROM evidence_key WHERE id = 1;");
  if (!query.step()) return std::nullopt;
  const std::string blob = query.column_blob(0);
  return std::vector<std::uint8_t>(blob.begin(), blob.end());
}

Result<std::vector<std::uint8_t>> KeyStore::ensure_key_pair() {
  if (auto existing = public_key()) return *existing;
  // Joins the caller's transaction (setup) if there is one.
  std::optional<Transaction> own;
  if (sqlite3_get_autocommit(db_.handle()) != 0) own.emplace(db_);
  if (auto existing = public_key()) return *existing;  // another process won the race
  if (setup_complete(db_)) {
    return error(
        "this box was set up before evidence sealing existed and has no evidence key yet; "
        "sign in to the web UI once as the headteacher to make it");
  }
  const std::string code = ensure_setup_code(db_);
  const crypto::KeyPair pair = crypto::generate_key_pair();
  const auto salt = crypto::random_bytes(crypto::kPasswordSaltBytes);
  const auto key = setup_code_wrapping_key(code, salt, crypto::kPasswordIterations);
  const auto wrapped = crypto::wrap_secret(key.span(), pair.private_key.span(), kSetupHolder);
  Statement insert(db_,
                   "INSERT INTO evidence_key (id, public_key, created_us) VALUES (1, ?1, ?2);");
  insert.bind_blob(1, pair.public_key).bind(2, now_us());
  insert.step();
  if (!insert.ok()) return error("cannot store the evidence key: " + insert.error());
  if (auto put = put_wrap(kSetupHolder, std::nullopt, salt, crypto::kPasswordIterations, wrapped);
      !put) {
    return Error{put.error()};
  }
  if (own) {
    if (auto committed = own->commit(); !committed) return Error{committed.error()};
  }
  return pair.public_key;
}

Status KeyStore::put_wrap(std::string_view holder, std::optional<std::int64_t> user_id,
                          std::span<const std::uint8_t> salt, std::uint32_t iterations,
                          std::span<const std::uint8_t> wrapped) {
  Statement insert(db_,
                   "INSERT OR REPLACE INTO evidence_key_wraps (holder, user_id, salt, iterations, "
                   "wrapped, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6);");
  insert.bind(1, holder);
  if (user_id) {
    insert.bind(2, *user_id);
  } else {
    insert.bind_null(2);
  }
  if (salt.empty()) {
    insert.bind_null(3).bind_null(4);
  } else {
    insert.bind_blob(3, salt).bind(4, static_cast<std::int64_t>(iterations));
  }
  insert.bind_blob(5, wrapped).bind(6, now_us());
  insert.step();
  if (!insert.ok()) return error("cannot store a wrapped evidence key: " + insert.error());
  return Ok{};
}

std::optional<crypto::SecretBytes> KeyStore::unwrap(std::string_view holder,
                                                    std::span<const std::uint8_t> wrapping_key) {
  Statement query(db_, "SELECT wrapped FROM evidence_key_wraps WHERE holder = ?1;");
  query.bind(1, holder);
  if (!query.step()) return std::nullopt;
  const std::string wrapped = query.column_blob(0);
  return crypto::unwrap_secret(wrapping_key, as_bytes(wrapped), holder);
}

std::optional<crypto::SecretBytes> KeyStore::unwrap_with_setup_code(std::string_view setup_code) {
  Statement query(db_,
                  "SELECT salt, iterations FROM evidence_key_wraps WHERE holder = 'setup_code';");
  if (!query.step()) return std::nullopt;
  const std::string salt = query.column_blob(0);
  const auto key = setup_code_wrapping_key(setup_code, as_bytes(salt),
                                           static_cast<std::uint32_t>(query.column_int(1)));
  return unwrap(kSetupHolder, key.span());
}

std::optional<crypto::SecretBytes> KeyStore::unwrap_for_user(
    std::int64_t user_id, std::span<const std::uint8_t> wrapping_key) {
  return unwrap(user_holder(user_id), wrapping_key);
}

bool KeyStore::has_wrap_for_user(std::int64_t user_id) {
  Statement query(db_, "SELECT 1 FROM evidence_key_wraps WHERE holder = ?1;");
  query.bind(1, user_holder(user_id));
  return query.step();
}

std::optional<crypto::SecretBytes> KeyStore::unwrap_with_recovery_key(
    std::string_view recovery_key) {
  const auto key = recovery_wrapping_key(recovery_key);
  return unwrap(kRecoveryHolder, key.span());
}

Status KeyStore::wrap_for_user(std::int64_t user_id, const crypto::SecretBytes& private_key,
                               std::span<const std::uint8_t> wrapping_key) {
  const std::string holder = user_holder(user_id);
  const auto wrapped = crypto::wrap_secret(wrapping_key, private_key.span(), holder);
  // The user's wrapping key comes from their password's PBKDF2 (accounts.cpp), whose
  // salt and work factor live with the account; none are needed here.
  return put_wrap(holder, user_id, {}, 0, wrapped);
}

Result<std::string> KeyStore::make_recovery_key(const crypto::SecretBytes& private_key) {
  const std::string raw = crypto::to_base32(crypto::random_bytes(kRecoveryKeyBytes));
  std::string text;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && i % kRecoveryGroup == 0) text.push_back('-');
    text.push_back(raw[i]);
  }
  const auto key = recovery_wrapping_key(text);
  const auto wrapped = crypto::wrap_secret(key.span(), private_key.span(), kRecoveryHolder);
  if (auto put = put_wrap(kRecoveryHolder, std::nullopt, {}, 0, wrapped); !put) {
    return Error{put.error()};
  }
  return text;
}

Status KeyStore::forget_setup_code_wrap() {
  Statement remove(db_, "DELETE FROM evidence_key_wraps WHERE holder = 'setup_code';");
  remove.step();
  if (!remove.ok()) return error("cannot remove the setup-code key wrap: " + remove.error());
  return Ok{};
}

Status KeyStore::forget_user_wrap(std::int64_t user_id) {
  Statement remove(db_, "DELETE FROM evidence_key_wraps WHERE holder = ?1;");
  remove.bind(1, user_holder(user_id));
  remove.step();
  if (!remove.ok()) return error("cannot remove an account's evidence key: " + remove.error());
  return Ok{};
}

Result<std::string> KeyStore::make_key_pair_for(std::int64_t user_id,
                                                std::span<const std::uint8_t> wrapping_key,
                                                crypto::SecretBytes& private_key) {
  Transaction transaction(db_);
  if (public_key()) return error("this box already has an evidence key");
  crypto::KeyPair pair = crypto::generate_key_pair();
  Statement insert(db_,
                   "INSERT INTO evidence_key (id, public_key, created_us) VALUES (1, ?1, ?2);");
  insert.bind_blob(1, pair.public_key).bind(2, now_us());
  insert.step();
  if (!insert.ok()) return error("cannot store the evidence key: " + insert.error());
  if (auto wrapped = wrap_for_user(user_id, pair.private_key, wrapping_key); !wrapped) {
    return Error{wrapped.error()};
  }
  auto recovery = make_recovery_key(pair.private_key);
  if (!recovery) return recovery;
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  private_key = std::move(pair.private_key);
  return recovery;
}

}  // namespace hm::store
