#include "dissect/tls.h"

#include <gtest/gtest.h>

#include "dissect/inspector.h"
#include "frame_builder.h"

namespace hm::dissect {
namespace {

using test::Bytes;

TEST(TlsTest, ParsesServerNameFromOneRecord) {
  const Bytes record = test::tls_client_hello("www.example.org");
  ClientHelloCollector collector;
  ASSERT_EQ(collector.feed(record), ClientHelloCollector::Progress::done);
  EXPECT_EQ(collector.client_hello().server_names, std::vector<std::string>{"www.example.org"});
}

TEST(TlsTest, EveryTruncationOfAClientHelloNeedsMoreAndNeverReadsPast) {
  const Bytes record = test::tls_client_hello("www.example.org");
  for (std::size_t length = 0; length < record.size(); ++length) {
    ClientHelloCollector collector;
    const Bytes part(record.begin(), record.begin() + static_cast<long>(length));
    EXPECT_EQ(collector.feed(part), ClientHelloCollector::Progress::need_more) << length;
  }
}

TEST(TlsTest, HandshakeSpanningTwoRecords) {
  const Bytes record = test::tls_client_hello("split.example");
  const std::size_t handshake_length = record.size() - 5;
  const std::size_t first = handshake_length / 2;
  Bytes two_records = {22, 3, 1, 0, static_cast<std::uint8_t>(first)};
  two_records.insert(two_records.end(), record.begin() + 5,
                     record.begin() + 5 + static_cast<long>(first));
  Bytes second_header = {22, 3, 1};
  test::put16(second_header, static_cast<std::uint16_t>(handshake_length - first));
  two_records.insert(two_records.end(), second_header.begin(), second_header.end());
  two_records.insert(two_records.end(), record.begin() + 5 + static_cast<long>(first),
                     record.end());
  ClientHelloCollector collector;
  ASSERT_EQ(collector.feed(two_records), ClientHelloCollector::Progress::done);
  EXPECT_EQ(collector.client_hello().server_names, std::vector<std::string>{"split.example"});
}

TEST(TlsTest, MalformedExtensionsAreReported) {
  Bytes record = test::tls_client_hello("www.example.org");
  record[record.size() - 22] = 0xff;  // the server_name extension's length, now too long
  ClientHelloCollector collector;
  EXPECT_EQ(collector.feed(record), ClientHelloCollector::Progress::malformed);
}

TEST(TlsTest, NotTlsIsRecognisedFromTheFirstBytes) {
  EXPECT_EQ(ClientHelloCollector::looks_like_tls(test::bytes_of("GET / HTTP/1.1\r\n")), false);
  EXPECT_EQ(ClientHelloCollector::looks_like_tls(Bytes{22, 3}), std::nullopt);
  EXPECT_EQ(ClientHelloCollector::looks_like_tls(test::tls_client_hello("a")), true);
}

TEST(TlsTest, ClientHelloSplitAcrossTwoTcpSegments) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 443};
  const Bytes record = test::tls_client_hello("segments.example.org");
  const Bytes first(record.begin(), record.begin() + 20);
  const Bytes second(record.begin() + 20, record.end());
  Inspector inspector;
  std::vector<Observation> seen;
  const ObservationSink sink = [&seen](const Observation& o) { seen.push_back(o); };
  inspector.inspect(test::view(test::tcp_frame(client, server, 1000, test::kSyn)), sink);
  inspector.inspect(
      test::view(test::tcp_frame(server, client, 5000, test::kSyn | test::kAck, {}, 1001)), sink);
  inspector.inspect(
      test::view(test::tcp_frame(client, server, 1001, test::kAck | test::kPsh, first)), sink);
  EXPECT_TRUE(seen.empty());
  inspector.inspect(
      test::view(test::tcp_frame(client, server, 1021, test::kAck | test::kPsh, second)), sink);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, ObservationKind::tls_sni);
  EXPECT_EQ(seen[0].text, "segments.example.org");
  EXPECT_EQ(decode::endpoint_text(seen[0].src_ip, seen[0].src_port), "10.0.0.1:40000");
  EXPECT_EQ(decode::endpoint_text(seen[0].dst_ip, seen[0].dst_port), "10.0.0.2:443");
  ASSERT_TRUE(seen[0].client_mac);
  EXPECT_EQ(seen[0].client_mac->to_string(), "02:00:00:00:00:01");
}

// A ClientHello body with the given (type, data) extensions.
Bytes client_hello_body(const std::vector<std::pair<std::uint16_t, Bytes>>& extensions) {
  Bytes encoded;
  for (const auto& [type, data] : extensions) {
    test::put16(encoded, type);
    test::put16(encoded, static_cast<std::uint16_t>(data.size()));
    encoded.insert(encoded.end(), data.begin(), data.end());
  }
  Bytes body;
  test::put16(body, 0x0303);
  body.insert(body.end(), 32, 0x11);
  body.push_back(0);
  test::put16(body, 2);
  test::put16(body, 0x1301);
  body.push_back(1);
  body.push_back(0);
  test::put16(body, static_cast<std::uint16_t>(encoded.size()));
  body.insert(body.end(), encoded.begin(), encoded.end());
  return body;
}

Bytes server_name_extension(std::string_view host) {
  Bytes data;
  test::put16(data, static_cast<std::uint16_t>(host.size() + 3));
  data.push_back(0);
  test::put16(data, static_cast<std::uint16_t>(host.size()));
  data.insert(data.end(), host.begin(), host.end());
  return data;
}

const Bytes kAlpnH2Http11 = {0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h',
                             't',  't',  'p',  '/', '1', '.',  '1'};

TEST(ClientHelloAttributes, ReadsAlpnAndTellsEchFromGrease) {
  // Chrome's shape: GREASE first and last, ALPN, and the ECH extension.
  const auto hello =
      parse_client_hello(client_hello_body({{0x0a0a, {}},
                                            {0x0000, server_name_extension("cloudflare-ech.com")},
                                            {0x0010, kAlpnH2Http11},
                                            {0xfe0d, {0x00, 0x00, 0x01, 0x00, 0x01}},
                                            {0xbaba, {0x00}}}));
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_TRUE(hello->ech_extension);
  EXPECT_EQ(hello->grease_extensions, 2);
  const auto attributes = attributes_of(*hello, hello->server_names.at(0));
  EXPECT_TRUE(attributes.ech_extension);
  EXPECT_TRUE(attributes.ech_public_name);

  // GREASE extensions alone are not ECH, and an ordinary name is not a public name.
  const auto plain = parse_client_hello(client_hello_body(
      {{0x1a1a, {}}, {0x0000, server_name_extension("www.example.org")}, {0xfafa, {}}}));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->ech_extension);
  EXPECT_TRUE(plain->alpn.empty());
  EXPECT_FALSE(attributes_of(*plain, "www.example.org").ech_public_name);
  EXPECT_TRUE(is_ech_public_name("Cloudflare-ECH.com"));
  EXPECT_FALSE(is_ech_public_name("cloudflare-ech.com.evil.example"));
}

TEST(ClientHelloAttributes, MalformedAlpnKeepsTheNameAndDropsTheRest) {
  const Bytes bad_alpn = {0x00, 0x05, 0x02, 'h', '2', 0x20, 'x'};  // entry past its list
  const auto hello = parse_client_hello(
      client_hello_body({{0x0010, bad_alpn}, {0x0000, server_name_extension("a.example")}}));
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->alpn, std::vector<std::string>{"h2"});
  EXPECT_EQ(hello->server_names, std::vector<std::string>{"a.example"});
}

}  // namespace
}  // namespace hm::dissect
