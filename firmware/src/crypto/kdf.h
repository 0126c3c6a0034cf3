#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hm::crypto {

// PBKDF2-HMAC-SHA256 work factor for staff passwords. 210,000 iterations is OWASP's
// Password Storage Cheat Sheet figure for PBKDF2-HMAC-SHA256 (2023): about 0.1 s on an
// x86 laptop core and about 0.4 s on a Raspberry Pi 4 — slow enough to make offline
// guessing expensive, quick enough for a login. Each account stores the count it was
// hashed with, so raising this later only needs a re-hash at the next login.
inline constexpr std::uint32_t kPasswordIterations = 210'000;
inline constexpr std::size_t kPasswordSaltBytes = 16;
inline constexpr std::size_t kPasswordHashBytes = 32;

// RFC 8018 §5.2 PBKDF2 with HMAC-SHA256 as the PRF.
std::vector<std::uint8_t> pbkdf2_hmac_sha256(std::string_view password,
                                             std::span<const std::uint8_t> salt,
                                             std::uint32_t iterations, std::size_t length);

}  // namespace hm::crypto
