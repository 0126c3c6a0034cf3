#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hm::crypto {

std::string to_hex(std::span<const std::uint8_t> bytes);
// Lower- or upper-case hex, even length; nullopt on anything else.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);

// RFC 4648 §6 base32 (A–Z, 2–7) without padding: for tokens a person may read or type.
std::string to_base32(std::span<const std::uint8_t> bytes);

// Compares in time that depends only on the lengths, never on where the bytes differ,
// so secrets (password hashes, token digests) leak nothing through timing.
bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace hm::crypto
