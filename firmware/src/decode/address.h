#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>

namespace hm::decode {

// An IPv4 or IPv6 address; IPv4 is kept in the first four bytes.
struct IpAddress {
  bool is_v6 = false;
  std::array<std::uint8_t, 16> bytes{};

  static IpAddress v4(std::uint32_t host_order);
  static IpAddress from_v4_bytes(const std::uint8_t* four);
  static IpAddress from_v6_bytes(const std::uint8_t* sixteen);

  std::string to_string() const;  // dotted quad or RFC 5952 text
  auto operator<=>(const IpAddress&) const = default;
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
