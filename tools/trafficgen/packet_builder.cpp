#include "packet_builder.h"

#include <cstdio>

namespace hm::trafficgen {
namespace {

constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint8_t kProtocolTcp = 6;
constexpr uint8_t kProtocolUdp = 17;
constexpr size_t kIpv4Header = 20;

// RFC 1071 one's-complement sum, folded at the end.
uint32_t sum16(std::span<const uint8_t> data, uint32_t sum) {
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  if (i < data.size()) sum += static_cast<uint32_t>(data[i] << 8);
  return sum;
}

uint16_t fold(uint32_t sum) {
  while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

void put16(Bytes& out, size_t at, uint16_t v) {
  out[at] = static_cast<uint8_t>(v >> 8);
  out[at + 1] = static_cast<uint8_t>(v);
}

// Writes Ethernet and IPv4 headers; returns the offset of the transport header.
size_t append_link_and_ip(Bytes& out, const Endpoint& src, const Endpoint& dst,
                          const Ipv4Fields& ip, uint8_t protocol, size_t transport_length) {
  ByteWriter w(out);
  w.bytes(dst.mac);
  w.bytes(src.mac);
  w.u16(kEtherTypeIpv4);
  const size_t ip_at = out.size();
  w.u8(0x45);  // version 4, 5 words
  w.u8(0);     // DSCP/ECN
  w.u16(static_cast<uint32_t>(kIpv4Header + transport_length));
  w.u16(ip.id);
  w.u16(ip.dont_fragment ? 0x4000 : 0);
  w.u8(ip.ttl);
  w.u8(protocol);
  w.u16(0);  // checksum below
  w.u32(src.ip);
  w.u32(dst.ip);
  put16(out, ip_at + 10, fold(sum16({out.data() + ip_at, kIpv4Header}, 0)));
  return out.size();
}

// Checksum over the RFC 793/768 pseudo-header and the transport segment.
uint16_t transport_checksum(const Endpoint& src, const Endpoint& dst, uint8_t protocol,
                            std::span<const uint8_t> segment) {
  uint32_t sum = 0;
  sum += src.ip >> 16;
  sum += src.ip & 0xffff;
  sum += dst.ip >> 16;
  sum += dst.ip & 0xffff;
  sum += protocol;
  sum += static_cast<uint32_t>(segment.size());
  return fold(sum16(segment, sum));
}

}  // namespace

void append_tcp_frame(Bytes& out, const Endpoint& src, const Endpoint& dst, const Ipv4Fields& ip,
                      const TcpFields& tcp, std::span<const uint8_t> payload) {
  const size_t header = 20 + tcp.options.size();
  const size_t at = append_link_and_ip(out, src, dst, ip, kProtocolTcp, header + payload.size());
  ByteWriter w(out);
  w.u16(src.port);
  w.u16(dst.port);
  w.u32(tcp.seq);
  w.u32(tcp.ack);
  w.u8(static_cast<uint32_t>((header / 4) << 4));
  w.u8(tcp.flags);
  w.u16(tcp.window);
  w.u16(0);  // checksum below
  w.u16(0);  // urgent pointer
  w.bytes(tcp.options);
  w.bytes(payload);
  const uint16_t checksum =
      transport_checksum(src, dst, kProtocolTcp, {out.data() + at, out.size() - at});
  put16(out, at + 16, checksum);
}

void append_udp_frame(Bytes& out, const Endpoint& src, const Endpoint& dst, const Ipv4Fields& ip,
                      std::span<const uint8_t> payload) {
  const size_t length = 8 + payload.size();
  const size_t at = append_link_and_ip(out, src, dst, ip, kProtocolUdp, length);
  ByteWriter w(out);
  w.u16(src.port);
  w.u16(dst.port);
  w.u16(static_cast<uint32_t>(length));
  w.u16(0);
  w.bytes(payload);
  uint16_t checksum =
      transport_checksum(src, dst, kProtocolUdp, {out.data() + at, out.size() - at});
  if (checksum == 0) checksum = 0xffff;  // RFC 768: zero means "no checksum"
  put16(out, at + 6, checksum);
}

uint32_t ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return static_cast<uint32_t>(a) << 24 | static_cast<uint32_t>(b) << 16 |
         static_cast<uint32_t>(c) << 8 | d;
}

std::string format_ipv4(uint32_t ip) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
                ip & 0xff);
  return buf;
}

std::string format_mac(const MacAddress& mac) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return buf;
}

}  // namespace hm::trafficgen
