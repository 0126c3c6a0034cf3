#include "decode/address.h"

#include <algorithm>
#include <cstdio>

namespace hm::decode {

namespace {

std::string dotted_quad(const std::uint8_t* four) {
  char text[16];
  std::snprintf(text, sizeof text, "%u.%u.%u.%u", four[0], four[1], four[2], four[3]);
  return text;
}

// RFC 5952 §4: lower-case hex without leading zeros; the longest run (first if tied)
// of two or more zero groups becomes "::"; §5: IPv4-mapped addresses end dotted.
std::string rfc5952(const std::array<std::uint8_t, 16>& bytes) {
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) {
    groups[i] = (unsigned{bytes[2 * i]} << 8) | bytes[2 * i + 1];
  }
  const bool v4_mapped =
      std::all_of(groups.begin(), groups.begin() + 5, [](unsigned g) { return g == 0; }) &&
      groups[5] == 0xffff;
  const std::size_t hex_groups = v4_mapped ? 6 : 8;

  std::size_t best_start = hex_groups, best_length = 0;
  for (std::size_t i = 0; i < hex_groups;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < hex_groups && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  if (best_length < 2) best_start = hex_groups;

  std::string text;
  for (std::size_t i = 0; i < hex_groups; ++i) {
    if (i == best_start) {
      text += "::";
      i += best_length - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text += ':';
    char group[8];
    std::snprintf(group, sizeof group, "%x", groups[i]);
    text += group;
  }
  if (v4_mapped) {
    if (text.back() != ':') text += ':';
    text += dotted_quad(bytes.data() + 12);
  }
  return text;
}

}  // namespace

std::string IpAddress::to_string() const {
  return is_v6 ? rfc5952(bytes) : dotted_quad(bytes.data());
}

std::string MacAddress::to_string() const {
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                bytes[3], bytes[4], bytes[5]);
  return text;
}

bool MacAddress::is_zero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

std::string endpoint_text(const IpAddress& ip, std::uint16_t port) {
  const std::string port_text = std::to_string(port);
  return ip.is_v6 ? "[" + ip.to_string() + "]:" + port_text : ip.to_string() + ":" + port_text;
}

}  // namespace hm::decode
