#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace hm::crypto {

// ECDSA P-256 over SHA-256 (FIPS 186-4), for library bundles: a publisher signs with a
// private key kept off the box; the box holds only trusted public keys. Keys travel as
// PEM (private: SEC 1 "EC PRIVATE KEY"; public: SubjectPublicKeyInfo "PUBLIC KEY"), so
// OpenSSL can read and make them too. Signatures are ASN.1 DER (at most
// kMaxSignatureBytes).

inline constexpr std::size_t kMaxSignatureBytes = 72;
// PEM files larger than this are not keys (a mistake or hostile input).
inline constexpr std::size_t kMaxPemBytes = 4096;

// SHA-256 of the public key's DER SubjectPublicKeyInfo: names a key in a bundle and
// in messages (first bytes as hex) without carrying the key itself.
using KeyId = std::array<std::uint8_t, 32>;

struct SigningKeyPair {
  std::string private_pem;
  std::string public_pem;
};

// A fresh P-256 key pair from the project's random generator (crypto/random.h).
SigningKeyPair generate_signing_key();

// The key id of a public or private key in PEM; an error says why the text is no key.
Result<KeyId> key_id_of_public_pem(std::string_view public_pem);
Result<KeyId> key_id_of_private_pem(std::string_view private_pem);
// The public half of a private key, as PEM.
Result<std::string> public_pem_of_private_pem(std::string_view private_pem);

// Signs SHA-256(message) with a P-256 private key in PEM.
Result<std::vector<std::uint8_t>> sign(std::string_view private_pem,
                                       std::span<const std::uint8_t> message);

// True only if `signature` is a valid signature of SHA-256(message) by the P-256
// public key in PEM. Any bytes are safe to pass: malformed keys or signatures are false.
bool verify(std::string_view public_pem, std::span<const std::uint8_t> message,
            std::span<const std::uint8_t> signature);

// "3f9a0c1d2e4b5a69": the first 8 bytes of a key id in hex, for people.
std::string short_key_id(const KeyId& id);

}  // namespace hm::crypto
