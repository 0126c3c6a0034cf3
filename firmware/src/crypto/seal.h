#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/secret.h"

// Sealing evidence to the box's key pair (DESIGN.md "Evidence is sealed"):
//
//   sealed = 0x01 | E (65 bytes) | nonce (12) | AES-256-GCM ciphertext | tag (16)
//
// where E is a fresh ephemeral P-256 public key (SEC1 uncompressed), the AES key is
// HKDF-SHA256 (RFC 5869) of the ECDH shared secret with info "hallmonitor seal v1" | E,
// and the caller's associated data (a capture's id and metadata) is authenticated but
// not stored. Whoever holds only the public key can seal but never open.
//
// This file keeps its own AES-GCM and HKDF calls (mbedTLS) rather than sharing the
// QUIC dissector's: sealing must not change when the packet path's code does.
namespace hm::crypto {

inline constexpr std::size_t kPublicKeyBytes = 65;    // P-256 point, SEC1 uncompressed
inline constexpr std::size_t kPrivateKeyBytes = 32;   // P-256 scalar
inline constexpr std::size_t kWrappingKeyBytes = 32;  // AES-256

struct KeyPair {
  std::vector<std::uint8_t> public_key;
  SecretBytes private_key;
};

KeyPair generate_key_pair();

// Whether `bytes` is a P-256 point on the curve (SEC1 uncompressed).
bool valid_public_key(std::span<const std::uint8_t> bytes);

std::vector<std::uint8_t> seal(std::span<const std::uint8_t> public_key,
                               std::span<const std::uint8_t> plaintext,
                               std::span<const std::uint8_t> associated_data);

// The plaintext, or nullopt if the key is wrong or the sealed bytes or associated
// data were changed (the GCM tag does not verify).
std::optional<std::string> open_sealed(const SecretBytes& private_key,
                                       std::span<const std::uint8_t> sealed,
                                       std::span<const std::uint8_t> associated_data);

// Key wrapping: a secret (the private key) under a 32-byte wrapping key with
// AES-256-GCM: nonce (12) | ciphertext | tag (16). `label` is authenticated, so a wrap
// made for one holder cannot be swapped in for another's.
std::vector<std::uint8_t> wrap_secret(std::span<const std::uint8_t> wrapping_key,
                                      std::span<const std::uint8_t> secret, std::string_view label);
std::optional<SecretBytes> unwrap_secret(std::span<const std::uint8_t> wrapping_key,
                                         std::span<const std::uint8_t> wrapped,
                                         std::string_view label);

// HKDF-SHA256 (RFC 5869) of high-entropy input keying material into a 32-byte key for
// one purpose, named by `info`.
SecretBytes derive_subkey(std::span<const std::uint8_t> input_key, std::string_view info);

}  // namespace hm::crypto
