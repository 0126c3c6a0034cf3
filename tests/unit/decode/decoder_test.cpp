#include "decode/decoder.h"

#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <vector>

#include "decode/address.h"

namespace hm::decode {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(AddressTest, Rfc5952Text) {
  auto v6 = [](std::initializer_list<std::uint16_t> groups) {
    std::uint8_t raw[16] = {};
    int i = 0;
    for (auto g : groups) {
      raw[i++] = static_cast<std::uint8_t>(g >> 8);
      raw[i++] = static_cast<std::uint8_t>(g);
    }
    return IpAddress::from_v6_bytes(raw).to_string();
  };
  EXPECT_EQ(v6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}), "2001:db8::1");
  EXPECT_EQ(v6({0x2001, 0xdb8, 0, 1, 0, 0, 0, 1}), "2001:db8:0:1::1");       // longest run
  EXPECT_EQ(v6({0x2001, 0xdb8, 0, 0, 1, 0, 0, 1}), "2001:db8::1:0:0:1");     // first of equal runs
  EXPECT_EQ(v6({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1}), "2001:db8:0:1:1:1:1:1");  // one zero stays
  EXPECT_EQ(v6({0, 0, 0, 0, 0, 0, 0, 0}), "::");
  EXPECT_EQ(v6({0xfe80, 0, 0, 0, 0, 0, 0, 0}), "fe80::");
  EXPECT_EQ(v6({0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201}), "::ffff:192.0.2.1");
  EXPECT_EQ(v6({0xFF02, 0, 0, 0, 0, 0, 0, 0xC}), "ff02::c");
  EXPECT_EQ(IpAddress::v4(0xc0a80001).to_string(), "192.168.0.1");
  EXPECT_EQ(endpoint_text(IpAddress::v4(0x0a000001), 80), "10.0.0.1:80");
  std::uint8_t one[16] = {};
  one[15] = 1;
  EXPECT_EQ(endpoint_text(IpAddress::from_v6_bytes(one), 443), "[::1]:443");
  MacAddress mac{{0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e}};
  EXPECT_EQ(mac.to_string(), "00:1a:2b:3c:4d:5e");
}

Bytes ipv6_udp(std::uint8_t first_next_header, const Bytes& extensions) {
  Bytes packet = {0x60, 0, 0, 0};
  const std::size_t payload = extensions.size() + 8 + 3;
  packet.push_back(static_cast<std::uint8_t>(payload >> 8));
  packet.push_back(static_cast<std::uint8_t>(payload));
  packet.push_back(first_next_header);
  packet.push_back(64);
  packet.insert(packet.end(), 32, 0);
  packet[23] = 1;
  packet[39] = 2;
  packet.insert(packet.end(), extensions.begin(), extensions.end());
  const Bytes udp = {0x13, 0x88, 0x00, 0x35, 0x00, 0x0b, 0, 0, 'a', 'b', 'c'};
  packet.insert(packet.end(), udp.begin(), udp.end());
  return packet;
}

TEST(DecoderTest, Ipv6SkipsExtensionHeaders) {
  const Bytes hop_by_hop = {60, 0, 0, 0, 0, 0, 0, 0};   // → destination options
  const Bytes destination = {17, 0, 0, 0, 0, 0, 0, 0};  // → UDP
  Bytes extensions = hop_by_hop;
  extensions.insert(extensions.end(), destination.begin(), destination.end());
  const Bytes packet = ipv6_udp(0, extensions);
  DecodedPacket out;
  ASSERT_EQ(decode_packet({0, DLT_RAW, packet}, out), DecodeStatus::ok);
  EXPECT_EQ(out.dst_port, 53);
  EXPECT_EQ(out.src_ip.to_string(), "::1");
  EXPECT_EQ(std::string(out.payload.begin(), out.payload.end()), "abc");
  EXPECT_FALSE(out.src_mac);
}

TEST(DecoderTest, Ipv6FragmentNeedsReassembly) {
  const Bytes fragment = {17, 0, 0x00, 0x01, 0, 0, 0, 1};  // offset 0, more fragments
  const Bytes packet = ipv6_udp(44, fragment);
  DecodedPacket out;
  EXPECT_EQ(decode_packet({0, DLT_RAW, packet}, out), DecodeStatus::ip_fragment);
}

TEST(DecoderTest, VlanTagsMplsAndEthernetPaddingAreHandled) {
  const Bytes ip_udp = {0x45, 0, 0, 31, 0,    0,    0,    0,    64,   17,   0, 0, 10,  0,   0,  1,
                        10,   0, 0, 2,  0x13, 0x88, 0x00, 0x35, 0x00, 0x0b, 0, 0, 'x', 'y', 'z'};
  Bytes frame = {
      2,    0, 0,    0,    0,    2, 2,  0,    0,    0, 0, 1,    0x88,
      0xa8, 0, 10,   0x81, 0x00, 0, 20, 0x88, 0x47, 0, 0, 0x10, 64,  // label, not bottom of stack
      0,    0, 0x21, 64};                                            // bottom of stack
  frame.insert(frame.end(), ip_udp.begin(), ip_udp.end());
  frame.insert(frame.end(), 6, 0);  // Ethernet padding after the IP packet
  DecodedPacket out;
  ASSERT_EQ(decode_packet({0, DLT_EN10MB, frame}, out), DecodeStatus::ok);
  EXPECT_EQ(std::string(out.payload.begin(), out.payload.end()), "xyz");
  ASSERT_TRUE(out.src_mac);
  EXPECT_EQ(out.src_mac->to_string(), "02:00:00:00:00:01");
  for (std::size_t length = 0; length + 6 < frame.size(); ++length) {
    EXPECT_EQ(decode_packet({0, DLT_EN10MB, std::span(frame).subspan(0, length)}, out),
              DecodeStatus::truncated)
        << length;
  }
}

TEST(DecoderTest, UnknownLinkTypeAndNonIp) {
  const Bytes arp = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x06, 0, 1};
  DecodedPacket out;
  EXPECT_EQ(decode_packet({0, DLT_EN10MB, arp}, out), DecodeStatus::not_ip);
  EXPECT_EQ(decode_packet({0, 9999, arp}, out), DecodeStatus::unsupported_link_type);
}

}  // namespace
}  // namespace hm::decode
