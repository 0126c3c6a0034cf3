#pragma once

// Hand-made Ethernet/IPv4/IPv6/TCP/UDP frames for dissector tests.

#include <pcap/dlt.h>

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "capture/packet.h"

namespace hm::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

inline void put16(Bytes& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}
inline void put32(Bytes& out, std::uint32_t value) {
  put16(out, static_cast<std::uint16_t>(value >> 16));
  put16(out, static_cast<std::uint16_t>(value));
}

struct Endpoint {
  std::uint8_t mac_last = 1;
  std::uint8_t ip_last = 1;
  std::uint16_t port = 0;
};

inline constexpr std::uint8_t kSyn = 0x02, kAck = 0x10, kPsh = 0x08, kFin = 0x01, kRst = 0x04;

inline Bytes ethernet_ipv4(const Endpoint& from, const Endpoint& to, std::uint8_t protocol,
                           const Bytes& transport) {
  Bytes frame = {0x02, 0, 0, 0, 0, to.mac_last, 0x02, 0, 0, 0, 0, from.mac_last};
  put16(frame, 0x0800);
  frame.push_back(0x45);
  frame.push_back(0);
  put16(frame, static_cast<std::uint16_t>(20 + transport.size()));
  put16(frame, 0);
  put16(frame, 0x4000);  // don't fragment
  frame.push_back(64);
  frame.push_back(protocol);
  put16(frame, 0);
  for (std::uint8_t b : {10, 0, 0}) frame.push_back(b);
  frame.push_back(from.ip_last);
  for (std::uint8_t b : {10, 0, 0}) frame.push_back(b);
  frame.push_back(to.ip_last);
  frame.insert(frame.end(), transport.begin(), transport.end());
  return frame;
}

inline Bytes tcp_frame(const Endpoint& from, const Endpoint& to, std::uint32_t seq,
                       std::uint8_t flags, const Bytes& payload = {}, std::uint32_t ack = 0) {
  Bytes segment;
  put16(segment, from.port);
  put16(segment, to.port);
  put32(segment, seq);
  put32(segment, ack);
  segment.push_back(0x50);
  segment.push_back(flags);
  put16(segment, 65535);
  put32(segment, 0);
  segment.insert(segment.end(), payload.begin(), payload.end());
  return ethernet_ipv4(from, to, 6, segment);
}

inline Bytes udp_frame(const Endpoint& from, const Endpoint& to, const Bytes& payload) {
  Bytes datagram;
  put16(datagram, from.port);
  put16(datagram, to.port);
  put16(datagram, static_cast<std::uint16_t>(8 + payload.size()));
  put16(datagram, 0);
  datagram.insert(datagram.end(), payload.begin(), payload.end());
  return ethernet_ipv4(from, to, 17, datagram);
}

// The UDP header and payload (the IP payload of a UDP datagram).
inline Bytes udp_datagram(const Endpoint& from, const Endpoint& to, const Bytes& payload) {
  Bytes datagram;
  put16(datagram, from.port);
  put16(datagram, to.port);
  put16(datagram, static_cast<std::uint16_t>(8 + payload.size()));
  put16(datagram, 0);
  datagram.insert(datagram.end(), payload.begin(), payload.end());
  return datagram;
}

// One IPv4 fragment: `data` is the part of the IP payload at `offset` (bytes).
inline Bytes ipv4_fragment(const Endpoint& from, const Endpoint& to, std::uint8_t protocol,
                           std::uint16_t id, std::uint16_t offset, bool more, const Bytes& data) {
  Bytes frame = ethernet_ipv4(from, to, protocol, data);
  frame[14 + 4] = static_cast<std::uint8_t>(id >> 8);
  frame[14 + 5] = static_cast<std::uint8_t>(id);
  const std::uint16_t flags = static_cast<std::uint16_t>((more ? 0x2000 : 0) | (offset / 8));
  frame[14 + 6] = static_cast<std::uint8_t>(flags >> 8);
  frame[14 + 7] = static_cast<std::uint8_t>(flags);
  return frame;
}

// `payload` (an IP payload) cut at `cuts` (multiples of 8) into IPv4 fragments, in order.
inline std::vector<Bytes> ipv4_fragments(const Endpoint& from, const Endpoint& to,
                                         std::uint8_t protocol, const Bytes& payload,
                                         std::initializer_list<std::size_t> cuts,
                                         std::uint16_t id = 0x4242) {
  std::vector<Bytes> frames;
  std::size_t start = 0;
  std::vector<std::size_t> ends(cuts);
  ends.push_back(payload.size());
  for (const std::size_t end : ends) {
    const Bytes part(payload.begin() + static_cast<long>(start),
                     payload.begin() + static_cast<long>(end));
    frames.push_back(ipv4_fragment(from, to, protocol, id, static_cast<std::uint16_t>(start),
                                   end != payload.size(), part));
    start = end;
  }
  return frames;
}

// Ethernet + IPv6 (2001:db8::<ip_last>) carrying `payload` after `next_header`.
inline Bytes ethernet_ipv6(const Endpoint& from, const Endpoint& to, std::uint8_t next_header,
                           const Bytes& payload) {
  Bytes frame = {0x02, 0, 0, 0, 0, to.mac_last, 0x02, 0, 0, 0, 0, from.mac_last};
  put16(frame, 0x86dd);
  put32(frame, 0x60000000);
  put16(frame, static_cast<std::uint16_t>(payload.size()));
  frame.push_back(next_header);
  frame.push_back(64);
  for (const Endpoint* end : {&from, &to}) {
    put32(frame, 0x20010db8);
    put32(frame, 0);
    put32(frame, 0);
    put32(frame, end->ip_last);
  }
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

// One IPv6 fragment (RFC 8200 §4.5): a fragment header, then `data` at `offset`.
inline Bytes ipv6_fragment(const Endpoint& from, const Endpoint& to, std::uint8_t next_header,
                           std::uint32_t id, std::uint16_t offset, bool more, const Bytes& data) {
  Bytes payload = {next_header, 0};
  put16(payload, static_cast<std::uint16_t>(offset | (more ? 1 : 0)));
  put32(payload, id);
  payload.insert(payload.end(), data.begin(), data.end());
  return ethernet_ipv6(from, to, 44, payload);
}

inline capture::PacketView view(const Bytes& frame, capture::TimestampUs ts_us = 1'000'000) {
  return capture::PacketView{ts_us, DLT_EN10MB, frame};
}

// A DNS query for `name` (no compression).
inline Bytes dns_query(std::string_view name, std::uint16_t id = 0x1234) {
  Bytes message;
  put16(message, id);
  put16(message, 0x0100);  // RD
  put16(message, 1);
  put16(message, 0);
  put16(message, 0);
  put16(message, 0);
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    message.push_back(static_cast<std::uint8_t>(dot - start));
    message.insert(message.end(), name.begin() + static_cast<long>(start),
                   name.begin() + static_cast<long>(dot));
    start = dot + 1;
  }
  message.push_back(0);
  put16(message, 1);
  put16(message, 1);
  return message;
}

// A TLS 1.2 record holding a ClientHello with a server_name extension for `host`.
inline Bytes tls_client_hello(std::string_view host) {
  Bytes sni;
  put16(sni, static_cast<std::uint16_t>(host.size() + 3));
  sni.push_back(0);
  put16(sni, static_cast<std::uint16_t>(host.size()));
  sni.insert(sni.end(), host.begin(), host.end());
  Bytes extensions;
  put16(extensions, 0x000a);  // supported_groups, to have something before SNI
  put16(extensions, 4);
  put16(extensions, 2);
  put16(extensions, 0x001d);
  put16(extensions, 0);  // server_name
  put16(extensions, static_cast<std::uint16_t>(sni.size()));
  extensions.insert(extensions.end(), sni.begin(), sni.end());
  Bytes body;
  put16(body, 0x0303);
  body.insert(body.end(), 32, 0xab);
  body.push_back(0);  // session id
  put16(body, 4);
  put16(body, 0x1301);
  put16(body, 0xc02f);
  body.push_back(1);
  body.push_back(0);
  put16(body, static_cast<std::uint16_t>(extensions.size()));
  body.insert(body.end(), extensions.begin(), extensions.end());
  Bytes handshake = {1};
  handshake.push_back(0);
  put16(handshake, static_cast<std::uint16_t>(body.size()));
  handshake.insert(handshake.end(), body.begin(), body.end());
  Bytes record = {22, 3, 1};
  put16(record, static_cast<std::uint16_t>(handshake.size()));
  record.insert(record.end(), handshake.begin(), handshake.end());
  return record;
}

}  // namespace hm::test
