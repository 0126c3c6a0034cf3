#include "dissect/visibility.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "capture/pcap_file_source.h"
#include "dissect/inspector.h"
#include "frame_builder.h"

namespace hm::dissect {
namespace {

using test::Bytes;

// Flows and bytes by class over a whole run.
std::map<std::string, VisibilityMinute> totals(const std::vector<VisibilityMinute>& minutes) {
  std::map<std::string, VisibilityMinute> out;
  for (const auto& minute : minutes) {
    auto& total = out[std::string(to_string(minute.visibility))];
    total.flows += minute.flows;
    total.bytes += minute.bytes;
    total.packets += minute.packets;
  }
  return out;
}

std::map<std::string, VisibilityMinute> inspect_frames(const std::vector<Bytes>& frames) {
  Inspector inspector;
  const ObservationSink sink = [](const Observation&) {};
  capture::TimestampUs ts = 1'000'000;
  for (const auto& frame : frames) inspector.inspect(test::view(frame, ts += 1000), sink);
  inspector.finish(sink);
  return totals(inspector.take_visibility(0, true));
}

std::map<std::string, VisibilityMinute> inspect_pcap(const std::string& name) {
  auto source = capture::PcapFileSource::open(std::string(HM_TESTDATA_DIR) + "/pcaps/" + name);
  EXPECT_TRUE(source) << name;
  Inspector inspector;
  const ObservationSink sink = [](const Observation&) {};
  while (source) {
    auto packet = (*source)->next();
    if (!packet || !packet->has_value()) break;
    inspector.inspect(capture::view_of(**packet), sink);
  }
  inspector.finish(sink);
  return totals(inspector.take_visibility(0, true));
}

Bytes wireguard(std::uint8_t type, std::size_t length) {
  Bytes message(length, 0xAB);
  message[0] = type;
  message[1] = message[2] = message[3] = 0;
  return message;
}

TEST(VisibilityTest, WireGuardHandshakeAndDataOnAnyPort) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 12345};
  EXPECT_TRUE(looks_like_wireguard(wireguard(1, 148)));
  EXPECT_FALSE(looks_like_wireguard(wireguard(1, 149)));
  EXPECT_TRUE(looks_like_wireguard(wireguard(4, 96)));
  EXPECT_FALSE(looks_like_wireguard(wireguard(5, 96)));
  const auto seen = inspect_frames({test::udp_frame(client, server, wireguard(1, 148)),
                                    test::udp_frame(server, client, wireguard(2, 92)),
                                    test::udp_frame(client, server, wireguard(4, 128))});
  ASSERT_TRUE(seen.contains("vpn"));
  EXPECT_EQ(seen.at("vpn").flows, 1u);
  EXPECT_EQ(seen.at("vpn").packets, 3u);
}

TEST(VisibilityTest, NamedTlsPlainHttpDnsAndIke) {
  const test::Endpoint client{1, 1, 40000}, web{2, 2, 443}, http{3, 3, 80}, dns{4, 4, 53},
      ike{5, 5, 500};
  const auto seen = inspect_frames(
      {test::tcp_frame(client, web, 1, test::kSyn),
       test::tcp_frame(client, web, 2, test::kAck, test::tls_client_hello("school.example")),
       test::tcp_frame({1, 1, 40001}, http, 1, test::kAck,
                       test::bytes_of("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n")),
       test::udp_frame({1, 1, 40002}, dns, test::dns_query("school.example")),
       test::udp_frame({1, 1, 500}, ike, Bytes(40, 0x11))});
  EXPECT_EQ(seen.at("named_tls").flows, 1u);
  EXPECT_EQ(seen.at("named_tls").packets, 2u);
  EXPECT_EQ(seen.at("plain_http").flows, 1u);
  EXPECT_EQ(seen.at("dns").flows, 1u);
  EXPECT_EQ(seen.at("vpn").flows, 1u);
}

TEST(VisibilityTest, DohDotAndTlsWithoutName) {
  const test::Endpoint client{1, 1, 40000};
  // A ClientHello without server_name: the frame builder's with an empty name.
  Bytes nameless = test::tls_client_hello("");
  const auto seen = inspect_frames({
      test::tcp_frame(client, {2, 2, 853}, 1, test::kSyn),
      test::tcp_frame({1, 1, 40001}, {3, 3, 443}, 1, test::kAck,
                      test::tls_client_hello("dns.google")),
      test::tcp_frame({1, 1, 40002}, {4, 4, 443}, 1, test::kAck, nameless),
      test::udp_frame({1, 1, 40003}, {5, 5, 443}, Bytes{0xC3, 0, 0, 0, 1, 8, 1, 2, 3}),
      test::udp_frame({1, 1, 40004}, {6, 6, 9999}, Bytes{1, 2, 3}),
  });
  EXPECT_EQ(seen.at("dot").flows, 1u);
  EXPECT_EQ(seen.at("doh").flows, 1u);
  EXPECT_EQ(seen.at("tls_no_sni").flows, 1u);
  EXPECT_EQ(seen.at("quic_unknown").flows, 1u);
  EXPECT_EQ(seen.at("other").flows, 1u);
}

TEST(VisibilityTest, IpsecGreAndIcmpHaveFlowsToo) {
  const test::Endpoint client{1, 1, 0}, gateway{2, 2, 0}, router{3, 3, 0};
  constexpr std::uint8_t kIcmp = 1, kGre = 47, kEsp = 50;
  const Bytes esp(64, 0x5A);  // SPI, sequence number, ciphertext: opaque to us
  const auto seen = inspect_frames({test::ethernet_ipv4(client, gateway, kEsp, esp),
                                    test::ethernet_ipv4(gateway, client, kEsp, esp),
                                    test::ethernet_ipv4(client, gateway, kEsp, esp),
                                    test::ethernet_ipv4(client, {4, 4, 0}, kGre, Bytes(24, 0)),
                                    test::ethernet_ipv4(client, router, kIcmp, Bytes(8, 0))});
  ASSERT_TRUE(seen.contains("vpn"));
  EXPECT_EQ(seen.at("vpn").flows, 2u);  // the ESP pair, both directions, and the GRE one
  EXPECT_EQ(seen.at("vpn").packets, 4u);
  ASSERT_TRUE(seen.contains("other"));
  EXPECT_EQ(seen.at("other").flows, 1u);
}

TEST(VisibilityTest, TorLikeServerNames) {
  EXPECT_TRUE(looks_like_tor_server_name("www.q4rtjz7kd2xf.com"));
  EXPECT_TRUE(looks_like_tor_server_name("www.bqvhjmdxfwlk.net"));
  EXPECT_FALSE(looks_like_tor_server_name("www.wikipedia.com"));
  EXPECT_FALSE(looks_like_tor_server_name("www.bbc.com"));
  EXPECT_FALSE(looks_like_tor_server_name("www.minecraft.net"));
  EXPECT_FALSE(looks_like_tor_server_name("www.q4rtjz7kd2xf.org"));
  EXPECT_FALSE(looks_like_tor_server_name("mail.q4rtjz7kd2xf.com"));
  EXPECT_FALSE(looks_like_tor_server_name("www.q4rtjz9kd2xf.com"));  // 9 is not base32
  const auto seen = inspect_frames({test::tcp_frame({1, 1, 40000}, {2, 2, 9001}, 1, test::kAck,
                                                    test::tls_client_hello("www.q4rtjz7kd2xf.com")),
                                    test::tcp_frame({1, 1, 40001}, {3, 3, 443}, 1, test::kAck,
                                                    test::tls_client_hello("www.minecraft.net"))});
  EXPECT_EQ(seen.at("vpn").flows, 1u);
  EXPECT_EQ(seen.at("named_tls").flows, 1u);
}

TEST(VisibilityTest, ResolverTables) {
  EXPECT_TRUE(is_doh_resolver_name("dns.google"));
  EXPECT_TRUE(is_doh_resolver_name("mozilla.cloudflare-dns.com."));
  EXPECT_FALSE(is_doh_resolver_name("notcloudflare-dns.com"));
  EXPECT_TRUE(is_doh_resolver_address(decode::IpAddress::v4(0x01010101)));
  EXPECT_FALSE(is_doh_resolver_address(decode::IpAddress::v4(0x0A000001)));
  EXPECT_EQ(visibility_from_string("tls_no_sni"), Visibility::tls_no_sni);
  EXPECT_EQ(visibility_from_string("nonsense"), std::nullopt);
}

TEST(VisibilityTest, BytesGoToTheMinuteTheyFlowedIn) {
  VisibilityStats stats;
  FlowVisibility flow;
  stats.on_packet(flow, 100, 59'000'000);
  stats.on_packet(flow, 200, 61'000'000);
  const auto first = stats.take(61'000'000);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].minute_start_us, 0);
  EXPECT_EQ(first[0].bytes, 100u);
  EXPECT_EQ(first[0].flows, 1u);
  stats.on_flow_end(flow);
  const auto second = stats.take(0, true);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].minute_start_us, 60'000'000);
  EXPECT_EQ(second[0].bytes, 200u);
  EXPECT_EQ(second[0].flows, 0u);  // the flow was counted once, in its first minute
}

TEST(VisibilityTest, ProtonVpnCapture) {
  // A TLS ClientHello to vpn-api.proton.me, then 14 WireGuard packets (tshark: wg(14)).
  const auto seen = inspect_pcap("category-vpn-protonvpn-tls.pcapng");
  ASSERT_TRUE(seen.contains("vpn"));
  EXPECT_EQ(seen.at("vpn").packets, 14u);
  EXPECT_EQ(seen.at("named_tls").flows, 1u);
}

TEST(VisibilityTest, EchCapture) {
  // Two ECH connections to cloudflare-ech.com (its outer, public name).
  const auto seen = inspect_pcap("tls13-ech-cloudflare.pcap");
  ASSERT_TRUE(seen.contains("ech"));
  EXPECT_EQ(seen.at("ech").flows, 2u);
  EXPECT_FALSE(seen.contains("named_tls"));
}

}  // namespace
}  // namespace hm::dissect
