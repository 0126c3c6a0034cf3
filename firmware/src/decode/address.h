#pragma once

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>

namespace hm::decode {

// An IPv4 or IPv6 address; IPv4 is kept in the first four bytes.
struct IpAddress {
  bool is_v6 = false;
  std::array<std::uint8_t, 16> bytes{};

  // Inline: the decoder makes two per packet.
  static IpAddress v4(std::uint32_t host_order) {
    IpAddress address;
    address.bytes[0] = static_cast<std::uint8_t>(host_order >> 24);
    address.bytes[1] = static_cast<std::uint8_t>(host_order >> 16);
    address.bytes[2] = static_cast<std::uint8_t>(host_order >> 8);
    address.bytes[3] = static_cast<std::uint8_t>(host_order);
    return address;
  }
  static IpAddress from_v4_bytes(const std::uint8_t* four) {
    IpAddress address;
    std::memcpy(address.bytes.data(), four, 4);
    return address;
  }
  static IpAddress from_v6_bytes(const std::uint8_t* sixteen) {
    IpAddress address;
    address.is_v6 = true;
    std::memcpy(address.bytes.data(), sixteen, 16);
    return address;
  }

  std::string to_string() const;  // dotted quad or RFC 5952 text

  // The order and equality a defaulted operator would give (is_v6, then the bytes
  // lexicographically), computed on two big-endian words instead of a byte-wise
  // memcmp call: every packet compares addresses to build and find its flow key
  // (issue 9's profile).
  std::strong_ordering operator<=>(const IpAddress& other) const {
    if (const auto order = is_v6 <=> other.is_v6; order != 0) return order;
    if (const auto order = big_endian_word(0) <=> other.big_endian_word(0); order != 0) {
      return order;
    }
    return big_endian_word(8) <=> other.big_endian_word(8);
  }
  bool operator==(const IpAddress& other) const {
    return is_v6 == other.is_v6 && big_endian_word(0) == other.big_endian_word(0) &&
           big_endian_word(8) == other.big_endian_word(8);
  }

 private:
  // bytes[at..at+8) as a number whose order is the bytes' lexicographic order.
  std::uint64_t big_endian_word(std::size_t at) const {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + at, sizeof word);
    if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
    return word;
  }
};

struct MacAddress {
  std::array<std::uint8_t, 6> bytes{};

  std::string to_string() const;  // aa:bb:cc:dd:ee:ff
  bool is_zero() const;
  auto operator<=>(const MacAddress&) const = default;
};

// ip:port, with IPv6 in brackets ([2001:db8::1]:443), as `observe` prints it.
std::string endpoint_text(const IpAddress& ip, std::uint16_t port);

}  // namespace hm::decode
