#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace hm::crypto {

using Aes128Key = std::array<std::uint8_t, 16>;
using AesBlock = std::array<std::uint8_t, 16>;
inline constexpr std::size_t kGcmTagBytes = 16;

// One AES-128 block encryption (ECB of a single block). QUIC header protection
// (RFC 9001 §5.4.3) uses it to make a mask from a ciphertext sample.
AesBlock aes128_encrypt_block(const Aes128Key& key, const AesBlock& block);

// AES-128-GCM (NIST SP 800-38D) with a 16-byte tag appended to the ciphertext, as TLS
// and QUIC carry it. open() writes ciphertext.size() - 16 bytes to `plaintext` and
// returns false, leaving `plaintext` unspecified, when the tag does not verify or the
// sizes do not fit. Both never allocate.
bool aes128_gcm_open(const Aes128Key& key, std::span<const std::uint8_t> nonce,
                     std::span<const std::uint8_t> associated_data,
                     std::span<const std::uint8_t> ciphertext_and_tag,
                     std::span<std::uint8_t> plaintext);

// Writes plaintext.size() + 16 bytes to `ciphertext_and_tag`; false if it is too small.
bool aes128_gcm_seal(const Aes128Key& key, std::span<const std::uint8_t> nonce,
                     std::span<const std::uint8_t> associated_data,
                     std::span<const std::uint8_t> plaintext,
                     std::span<std::uint8_t> ciphertext_and_tag);

}  // namespace hm::crypto
