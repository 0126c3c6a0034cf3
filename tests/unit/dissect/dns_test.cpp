#include "dissect/dns.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace hm::dissect
