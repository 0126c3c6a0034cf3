#include "dissect/dns.h"

#include <gtest/gtest.h>

#include "dissect/inspector.h"
#include "frame_builder.h"

namespace hm::dissect {
namespace {

using test::Bytes;

TEST(DnsTest, ParsesQueryName) {
  const Bytes message = test::dns_query("www.example.org");
  const auto parsed = parse_dns_message(message);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->is_response);
  EXPECT_TRUE(parsed->complete);
  ASSERT_EQ(parsed->question_names.size(), 1u);
  EXPECT_EQ(parsed->question_names[0], "www.example.org");
}

TEST(DnsTest, FollowsCompressionPointers) {
  // Two questions; the second is "mail" + pointer to "example.org" in the first.
  Bytes message = test::dns_query("www.example.org");
  message[5] = 2;                                                      // QDCOUNT
  const Bytes second = {4, 'm', 'a', 'i', 'l', 0xc0, 16, 0, 1, 0, 1};  // 16: "example"
  message.insert(message.end(), second.begin(), second.end());
  const auto parsed = parse_dns_message(message);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->complete);
  ASSERT_EQ(parsed->question_names.size(), 2u);
  EXPECT_EQ(parsed->question_names[1], "mail.example.org");
}

TEST(DnsTest, RejectsPointerLoopsAndForwardPointers) {
  Bytes message = test::dns_query("a");
  message.resize(12);
  const Bytes looping = {0xc0, 12, 0, 1, 0, 1};  // points at itself
  message.insert(message.end(), looping.begin(), looping.end());
  auto parsed = parse_dns_message(message);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->complete);
  EXPECT_TRUE(parsed->question_names.empty());

  message[13] = 40;  // forward, past the end
  parsed = parse_dns_message(message);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->complete);
}

TEST(DnsTest, TruncatedMessagesAreMalformedNotCrashes) {
  const Bytes message = test::dns_query("www.example.org");
  EXPECT_FALSE(parse_dns_message(std::span(message).subspan(0, 11)));
  for (std::size_t length = 12; length < message.size(); ++length) {
    const auto parsed = parse_dns_message(std::span(message).subspan(0, length));
    ASSERT_TRUE(parsed) << length;
    EXPECT_FALSE(parsed->complete) << length;
    EXPECT_TRUE(parsed->question_names.empty()) << length;
  }
}

TEST(DnsTest, EscapesDotsAndControlCharactersInLabels) {
  Bytes message = test::dns_query("x");
  message.resize(12);
  const Bytes question = {3, 'a', '.', 0x01, 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
  message.insert(message.end(), question.begin(), question.end());
  const auto parsed = parse_dns_message(message);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->question_names.size(), 1u);
  EXPECT_EQ(parsed->question_names[0], "a\\046\\001.com");
}

TEST(DnsTest, ResponseFlagIsRead) {
  Bytes message = test::dns_query("example.org");
  message[2] |= 0x80;
  const auto parsed = parse_dns_message(message);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->is_response);
}

TEST(DnsTest, DnsOverTcpSplitsLengthPrefixedMessages) {
  const Bytes first = test::dns_query("one.example");
  const Bytes second = test::dns_query("two.example");
  Bytes stream;
  test::put16(stream, static_cast<std::uint16_t>(first.size()));
  stream.insert(stream.end(), first.begin(), first.end());
  test::put16(stream, static_cast<std::uint16_t>(second.size()));
  stream.insert(stream.end(), second.begin(), second.end());
  DnsOverTcpStream dns;
  std::vector<std::string> names;
  auto collect = [&names](std::span<const std::uint8_t> message) {
    names.push_back(parse_dns_message(message)->question_names.at(0));
  };
  dns.feed(std::span(stream).subspan(0, 5), collect);  // split inside the first message
  EXPECT_TRUE(names.empty());
  dns.feed(std::span(stream).subspan(5), collect);
  EXPECT_EQ(names, (std::vector<std::string>{"one.example", "two.example"}));
}

// A response to dns_query(name): a CNAME to cdn.example.net, then an A and an AAAA.
Bytes dns_response_with_cname(std::string_view name) {
  Bytes message = test::dns_query(name);
  message[2] = 0x81;  // QR, RD
  message[3] = 0x80;  // RA
  message[7] = 3;     // ANCOUNT
  const Bytes cname_target = {3,   'c', 'd', 'n', 7,   'e', 'x', 'a', 'm',
                              'p', 'l', 'e', 3,   'n', 'e', 't', 0};
  message.insert(message.end(), {0xc0, 0x0c});  // the question's name
  test::put16(message, 5);                      // CNAME
  test::put16(message, 1);
  test::put32(message, 300);
  test::put16(message, static_cast<std::uint16_t>(cname_target.size()));
  const std::size_t target_offset = message.size();
  message.insert(message.end(), cname_target.begin(), cname_target.end());
  message.insert(message.end(), {0xc0, static_cast<std::uint8_t>(target_offset)});
  test::put16(message, 1);  // A
  test::put16(message, 1);
  test::put32(message, 60);
  test::put16(message, 4);
  message.insert(message.end(), {93, 184, 216, 34});
  message.insert(message.end(), {0xc0, static_cast<std::uint8_t>(target_offset)});
  test::put16(message, 28);  // AAAA
  test::put16(message, 1);
  test::put32(message, 60);
  test::put16(message, 16);
  message.insert(message.end(), {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  return message;
}

TEST(DnsAnswers, ReadsAddressesThroughCnames) {
  const auto parsed = parse_dns_message(dns_response_with_cname("www.example.org"));
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->is_response);
  ASSERT_EQ(parsed->answer_addresses.size(), 2u);
  EXPECT_EQ(parsed->answer_addresses[0].to_string(), "93.184.216.34");
  EXPECT_EQ(parsed->answer_addresses[1].to_string(), "2001:db8::1");

  Bytes cut = dns_response_with_cname("www.example.org");
  cut.erase(cut.end() - 20, cut.end());  // the AAAA record is damaged: the A before it stays
  const auto partial = parse_dns_message(cut);
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->answer_addresses.size(), 1u);
}

// A later connection without a name can be attributed through the answer (issue 3).
TEST(DnsAnswers, InspectorRemembersAddressesForAShortWhile) {
  InspectorSettings settings;
  settings.hosts.dns_address_timeout_us = 5'000'000;
  Inspector inspector(settings);
  const test::Endpoint resolver{3, 53, 53}, client{1, 10, 40000};
  inspector.inspect(
      test::view(test::udp_frame(resolver, client, dns_response_with_cname("video.example.org")),
                 1'000'000),
      {});
  const auto address = decode::IpAddress::v4(0x5db8d822u);  // 93.184.216.34
  EXPECT_EQ(inspector.address_names().name_of(address, 2'000'000), "video.example.org");
  EXPECT_FALSE(inspector.address_names().name_of(address, 7'000'000));  // too old
  EXPECT_FALSE(inspector.address_names().name_of(decode::IpAddress::v4(0x01020304u), 2'000'000));
}

TEST(DnsAnswers, AddressMapIsBoundedAndCountsEvictions) {
  HostTableSettings settings;
  settings.max_dns_addresses = 2;
  AddressNames names(settings);
  for (std::uint32_t i = 1; i <= 3; ++i) names.learn(decode::IpAddress::v4(i), "n.example", i);
  EXPECT_EQ(names.size(), 2u);
  EXPECT_EQ(names.evictions(), 1u);
  EXPECT_FALSE(names.name_of(decode::IpAddress::v4(1), 4));
}

TEST(DnsQueries, DohCanariesAreFlagged) {
  EXPECT_TRUE(is_doh_canary("use-application-dns.net"));
  EXPECT_TRUE(is_doh_canary("Mask.iCloud.com."));
  EXPECT_TRUE(is_doh_canary("mask-h2.icloud.com"));
  EXPECT_FALSE(is_doh_canary("not-use-application-dns.net"));
  Inspector inspector;
  std::vector<Observation> seen;
  const test::Endpoint client{1, 10, 40000}, resolver{3, 53, 53};
  const ObservationSink sink = [&](const Observation& o) { seen.push_back(o); };
  inspector.inspect(
      test::view(test::udp_frame(client, resolver, test::dns_query("mask.icloud.com"))), sink);
  inspector.inspect(test::view(test::udp_frame(client, resolver, test::dns_query("www.bbc.co.uk"))),
                    sink);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[0].attributes.doh_canary);
  EXPECT_FALSE(seen[1].attributes.doh_canary);
}

}  // namespace
}  // namespace hm::dissect
