#include "dissect/dhcp.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dissect/inspector.h"
#include "frame_builder.h"

namespace hm::dissect {
namespace {

using test::Bytes;

// A DHCP message (RFC 2131 §2) from/to the client with MAC 02:00:00:00:00:<mac_last>.
Bytes dhcp_message(std::uint8_t op, std::uint8_t mac_last, std::uint8_t your_ip_last,
                   const std::vector<std::pair<std::uint8_t, Bytes>>& options) {
  Bytes message = {op, 1, 6, 0};
  test::put32(message, 0x12345678);  // xid
  test::put32(message, 0);           // secs, flags
  test::put32(message, 0);           // ciaddr
  if (your_ip_last != 0) {
    message.insert(message.end(), {10, 0, 0, your_ip_last});
  } else {
    test::put32(message, 0);
  }
  test::put32(message, 0);  // siaddr
  test::put32(message, 0);  // giaddr
  message.insert(message.end(), {0x02, 0, 0, 0, 0, mac_last});
  message.insert(message.end(), 10 + 64 + 128, 0);  // chaddr padding, sname, file
  test::put32(message, 0x63825363);
  for (const auto& [code, data] : options) {
    message.push_back(code);
    message.push_back(static_cast<std::uint8_t>(data.size()));
    message.insert(message.end(), data.begin(), data.end());
  }
  message.push_back(255);
  return message;
}

TEST(DhcpTest, ReadsARequestsMacAddressNameAndClientId) {
  const Bytes message = dhcp_message(1, 0x2a, 0,
                                     {{53, {3}},
                                      {50, {10, 0, 0, 77}},
                                      {12, test::bytes_of(std::string("pupil-ipad\0", 11))},
                                      {61, {0x01, 0x02, 0, 0, 0, 0, 0x2a}}});
  const auto parsed = parse_dhcp_message(message);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->complete);
  EXPECT_TRUE(parsed->from_client);
  EXPECT_EQ(parsed->type, DhcpMessageType::request);
  EXPECT_EQ(parsed->client_mac->to_string(), "02:00:00:00:00:2a");
  EXPECT_EQ(parsed->host_name, "pupil-ipad");  // up to the NUL some clients add
  EXPECT_EQ(parsed->client_id, "01:02:00:00:00:00:2a");
  ASSERT_TRUE(parsed->bound_ip());
  EXPECT_EQ(parsed->bound_ip()->to_string(), "10.0.0.77");
}

TEST(DhcpTest, AcksBindYiaddrAndDamagedOptionsAreMarked) {
  const auto ack = parse_dhcp_message(dhcp_message(2, 0x2a, 77, {{53, {5}}}));
  ASSERT_TRUE(ack);
  EXPECT_FALSE(ack->from_client);
  EXPECT_EQ(ack->bound_ip()->to_string(), "10.0.0.77");
  EXPECT_FALSE(parse_dhcp_message(dhcp_message(2, 0x2a, 77, {{53, {2}}})).value().bound_ip());

  Bytes damaged = dhcp_message(1, 0x2a, 0, {{53, {1}}, {12, test::bytes_of("name")}});
  damaged.erase(damaged.end() - 3, damaged.end());  // the host name option runs past the end
  const auto partial = parse_dhcp_message(damaged);
  ASSERT_TRUE(partial);
  EXPECT_FALSE(partial->complete);
  EXPECT_EQ(partial->type, DhcpMessageType::discover);
  EXPECT_FALSE(parse_dhcp_message(Bytes(100, 0)));  // no magic cookie: not DHCP
}

// A lease teaches the inspector who 10.0.0.77 is; a later query from that address,
// carried by a frame from the gateway's MAC, is attributed to the device.
TEST(DhcpTest, LeasesGiveLaterObservationsTheDevicesMacAndName) {
  Inspector inspector;
  std::vector<Observation> seen;
  const ObservationSink sink = [&](const Observation& o) { seen.push_back(o); };
  const test::Endpoint client_broadcast{0x2a, 0, 68}, server{0x01, 1, 67};
  const test::Endpoint broadcast{0xff, 255, 67};
  inspector.inspect(
      test::view(test::udp_frame(
          client_broadcast, broadcast,
          dhcp_message(1, 0x2a, 0,
                       {{53, {3}}, {50, {10, 0, 0, 77}}, {12, test::bytes_of("Year5-Laptop")}}))),
      sink);
  inspector.inspect(
      test::view(test::udp_frame(server, {0x2a, 77, 68}, dhcp_message(2, 0x2a, 77, {{53, {5}}}))),
      sink);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, ObservationKind::dhcp_lease);
  EXPECT_EQ(seen[0].text, "Year5-Laptop");
  EXPECT_EQ(seen[0].src_ip.to_string(), "10.0.0.77");
  EXPECT_EQ(seen[0].client_mac->to_string(), "02:00:00:00:00:2a");

  const test::Endpoint via_gateway{0x01, 77, 40000}, resolver{0x03, 53, 53};
  inspector.inspect(
      test::view(test::udp_frame(via_gateway, resolver, test::dns_query("example.org"))), sink);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].kind, ObservationKind::dns_query);
  EXPECT_EQ(seen[1].client_mac->to_string(), "02:00:00:00:00:2a");
  EXPECT_EQ(seen[1].client_name, "Year5-Laptop");
  EXPECT_EQ(inspector.host_table().size(), 1u);
}

TEST(DhcpTest, HostTableIsBoundedAndCountsEvictions) {
  HostTableSettings settings;
  settings.max_devices = 2;
  HostTable table(settings);
  decode::MacAddress mac;
  for (std::uint8_t i = 1; i <= 3; ++i) {
    mac.bytes[5] = i;
    table.learn_binding(decode::IpAddress::v4(0x0a000000u + i), mac, i);
  }
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.evictions(), 1u);
  EXPECT_FALSE(table.device_at(decode::IpAddress::v4(0x0a000001u), 4));  // the oldest went
  EXPECT_TRUE(table.device_at(decode::IpAddress::v4(0x0a000003u), 4));
}

}  // namespace
}  // namespace hm::dissect
