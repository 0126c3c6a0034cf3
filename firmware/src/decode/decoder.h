#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "capture/packet.h"
#include "decode/address.h"

namespace hm::decode {

// What became of a frame. Everything but `ok` means "no transport payload to inspect";
// the caller counts each outcome (STYLE.md: a dropped packet no counter shows is a bug).
enum class DecodeStatus : std::uint8_t {
  ok,                     // TCP or UDP with its payload
  truncated,              // a header runs past the captured bytes
  malformed,              // a header field is impossible (bad version, length < header)
  unsupported_link_type,  // a DLT_* we do not decode
  not_ip,                 // ARP, LLC, STP …: fine, nothing to see
  ip_fragment,            // needs IP reassembly (issue 3)
  other_transport,        // ICMP, ESP, SCTP …: fine, nothing to see
};

std::string_view to_string(DecodeStatus status);

enum class Transport : std::uint8_t { tcp = 6, udp = 17 };

namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kAck = 0x10;
}  // namespace tcp_flag

// One decoded frame. `payload` borrows from the frame's bytes.
struct DecodedPacket {
  std::optional<MacAddress> src_mac;  // absent for raw-IP link types
  IpAddress src_ip;
  IpAddress dst_ip;
  Transport transport = Transport::udp;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint32_t tcp_seq = 0;
  std::uint32_t tcp_ack = 0;
  std::uint8_t tcp_flags = 0;
  std::span<const std::uint8_t> payload;
};

// Decodes Ethernet (802.1Q/802.1ad/QinQ tags, MPLS label stacks), Linux SLL and SLL2,
// BSD null/loop and raw IP; then IPv4 or IPv6 (extension headers skipped), then TCP
// or UDP. Never reads past `frame.bytes`.
DecodeStatus decode_packet(const capture::PacketView& frame, DecodedPacket& out);

}  // namespace hm::decode
