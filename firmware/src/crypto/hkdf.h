#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hm::crypto {

using Sha256Prk = std::array<std::uint8_t, 32>;

// RFC 5869 §2.2 HKDF-Extract with SHA-256.
Sha256Prk hkdf_extract_sha256(std::span<const std::uint8_t> salt,
                              std::span<const std::uint8_t> input_key_material);

// RFC 8446 §7.1 HKDF-Expand-Label with SHA-256 and an empty context: the label is
// prefixed with "tls13 " (QUIC uses it for its Initial secrets, RFC 9001 §5.1).
// `length` is at most 255 bytes (the HkdfLabel length field's range in practice).
std::vector<std::uint8_t> hkdf_expand_label_sha256(std::span<const std::uint8_t> secret,
                                                   std::string_view label, std::size_t length);

}  // namespace hm::crypto
