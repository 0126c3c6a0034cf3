#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "byte_writer.h"

namespace hm::trafficgen {

using MacAddress = std::array<uint8_t, 6>;

// One end of a conversation as the mirror port sees it: a device's own MAC, or
// the gateway's MAC for anything beyond the router.
struct Endpoint {
  MacAddress mac{};
  uint32_t ip = 0;  // host order
  uint16_t port = 0;
};

// Per-packet IPv4 fields that differ between the two directions of a flow.
struct Ipv4Fields {
  uint8_t ttl = 64;
  uint16_t id = 0;
  bool dont_fragment = true;
};

namespace tcp_flag {
constexpr uint8_t kFin = 0x01;
constexpr uint8_t kSyn = 0x02;
constexpr uint8_t kRst = 0x04;
constexpr uint8_t kPsh = 0x08;
constexpr uint8_t kAck = 0x10;
}  // namespace tcp_flag

struct TcpFields {
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;
  std::span<const uint8_t> options;  // already padded to a multiple of 4
};

// Ethernet II + IPv4 + TCP/UDP, every checksum computed (RFC 791, 793, 768).
void append_tcp_frame(Bytes& out, const Endpoint& src, const Endpoint& dst, const Ipv4Fields& ip,
                      const TcpFields& tcp, std::span<const uint8_t> payload);
void append_udp_frame(Bytes& out, const Endpoint& src, const Endpoint& dst, const Ipv4Fields& ip,
                      std::span<const uint8_t> payload);

uint32_t ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);
std::string format_ipv4(uint32_t ip);
std::string format_mac(const MacAddress& mac);

}  // namespace hm::trafficgen
