#include "dissect/dhcp.h"

#include <algorithm>
#include <cstdio>

#include "decode/byte_reader.h"

namespace hm::dissect {

namespace {

constexpr std::uint32_t kMagicCookie = 0x63825363;  // RFC 2131 §3
constexpr std::uint8_t kBootRequest = 1;
constexpr std::uint8_t kEthernetHardware = 1;
constexpr std::uint8_t kPadOption = 0;
constexpr std::uint8_t kEndOption = 255;
constexpr std::uint8_t kHostNameOption = 12;     // RFC 2132 §3.14
constexpr std::uint8_t kRequestedIpOption = 50;  // RFC 2132 §9.1
constexpr std::uint8_t kMessageTypeOption = 53;  // RFC 2132 §9.6
constexpr std::uint8_t kClientIdOption = 61;     // RFC 2132 §9.14
constexpr std::size_t kChaddrLength = 16;
constexpr std::size_t kServerNameAndFileLength = 64 + 128;

decode::IpAddress ipv4(std::span<const std::uint8_t> four) {
  return decode::IpAddress::from_v4_bytes(four.data());
}

bool is_zero(const decode::IpAddress& ip) {
  for (const auto byte : ip.bytes) {
    if (byte != 0) return false;
  }
  return true;
}

std::string hex_pairs(std::span<const std::uint8_t> bytes) {
  std::string text;
  for (const std::uint8_t byte : bytes) {
    char pair[4];
    std::snprintf(pair, sizeof pair, "%02x", byte);
    if (!text.empty()) text += ':';
    text += pair;
  }
  return text;
}

}  // namespace

std::optional<decode::IpAddress> DhcpMessage::bound_ip() const {
  switch (type) {
    case DhcpMessageType::ack:
      if (!is_zero(your_ip)) return your_ip;
      if (!is_zero(client_ip)) return client_ip;  // ACK to an INFORM
      return std::nullopt;
    case DhcpMessageType::request:
      if (requested_ip && !is_zero(*requested_ip)) return requested_ip;
      if (!is_zero(client_ip)) return client_ip;  // renewing
      return std::nullopt;
    case DhcpMessageType::inform:
      if (!is_zero(client_ip)) return client_ip;
      return std::nullopt;
    default: return std::nullopt;
  }
}

std::optional<DhcpMessage> parse_dhcp_message(std::span<const std::uint8_t> message) {
  decode::ByteReader reader(message);
  DhcpMessage parsed;
  const std::uint8_t op = reader.u8();
  const std::uint8_t htype = reader.u8();
  const std::uint8_t hlen = reader.u8();
  reader.skip(1 + 4 + 2 + 2);  // hops, xid, secs, flags
  const auto ciaddr = reader.take(4);
  const auto yiaddr = reader.take(4);
  reader.skip(4 + 4);  // siaddr, giaddr
  const auto chaddr = reader.take(kChaddrLength);
  reader.skip(kServerNameAndFileLength);
  const std::uint32_t cookie = reader.u32();
  if (reader.failed() || cookie != kMagicCookie) return std::nullopt;
  parsed.from_client = op == kBootRequest;
  parsed.client_ip = ipv4(ciaddr);
  parsed.your_ip = ipv4(yiaddr);
  if (htype == kEthernetHardware && hlen == 6) {
    decode::MacAddress mac;
    std::copy_n(chaddr.begin(), 6, mac.bytes.begin());
    parsed.client_mac = mac;
  }

  while (reader.remaining() > 0) {
    const std::uint8_t code = reader.u8();
    if (code == kPadOption) continue;
    if (code == kEndOption) break;
    const auto data = reader.take(reader.u8());
    if (reader.failed()) {
      parsed.complete = false;
      break;
    }
    switch (code) {
      case kHostNameOption: {
        std::size_t length = 0;
        while (length < data.size() && data[length] != 0) ++length;
        parsed.host_name.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(length));
        break;
      }
      case kRequestedIpOption:
        if (data.size() == 4) parsed.requested_ip = ipv4(data);
        break;
      case kMessageTypeOption:
        if (data.size() == 1 && data[0] >= 1 && data[0] <= 8) {
          parsed.type = static_cast<DhcpMessageType>(data[0]);
        }
        break;
      case kClientIdOption: parsed.client_id = hex_pairs(data); break;
      default: break;
    }
  }
  return parsed;
}

}  // namespace hm::dissect
