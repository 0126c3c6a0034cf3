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
  ip_fragment,            // one fragment of an IP datagram: `fragment` says which (Defragmenter)
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

// One fragment of an IPv4 datagram (RFC 791) or IPv6 packet (RFC 8200 §4.5).
struct IpFragment {
  bool is_v6 = false;
  std::uint32_t id = 0;                // IPv4 identification or IPv6 fragment header id
  std::uint8_t protocol = 0;           // IPv4 protocol; IPv6 next header after the fragment header
  std::uint32_t offset = 0;            // in bytes
  bool more = false;                   // more fragments follow
  std::span<const std::uint8_t> data;  // the fragment's part of the datagram's payload
};

// One decoded frame. `payload` and `fragment.data` borrow from the frame's bytes.
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
  // The IP protocol number when decode_packet says other_transport (ESP, GRE, ICMP …).
  std::uint8_t other_protocol = 0;
  std::span<const std::uint8_t> payload;
  IpFragment fragment;  // filled when decode_packet says ip_fragment
};

// Decodes Ethernet (802.1Q/802.1ad/QinQ tags, MPLS label stacks), Linux SLL and SLL2,
// BSD null/loop and raw IP; then IPv4 or IPv6 (extension headers skipped), then TCP
// or UDP. Never reads past `frame.bytes`.
// For `ip_fragment`, the addresses, MAC and `fragment` are filled in.
DecodeStatus decode_packet(const capture::PacketView& frame, DecodedPacket& out);

// Decodes what follows the IP header(s) of a reassembled datagram: IPv6 extension
// headers (from `protocol`, the fragment header's next header), then TCP or UDP.
// Keeps the addresses and MAC already in `out`.
DecodeStatus decode_ip_payload(bool is_v6, std::uint8_t protocol,
                               std::span<const std::uint8_t> payload, DecodedPacket& out);

}  // namespace hm::decode
