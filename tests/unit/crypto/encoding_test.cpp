#include "crypto/encoding.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "crypto/random.h"

namespace hm::crypto {
namespace {

std::span<const std::uint8_t> bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(Hex, RoundTripsAndRejectsBadInput) {
  const std::vector<std::uint8_t> data{0x00, 0x7f, 0x80, 0xff, 0x1a};
  EXPECT_EQ(to_hex(data), "007f80ff1a");
  EXPECT_EQ(from_hex("007F80ff1a"), data);
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
  EXPECT_EQ(from_hex("")->size(), 0U);
}

// RFC 4648 §10 test vectors, without the padding.
TEST(Base32, MatchesRfc4648Vectors) {
  EXPECT_EQ(to_base32(bytes("")), "");
  EXPECT_EQ(to_base32(bytes("f")), "MY");
  EXPECT_EQ(to_base32(bytes("fo")), "MZXQ");
  EXPECT_EQ(to_base32(bytes("foo")), "MZXW6");
  EXPECT_EQ(to_base32(bytes("foob")), "MZXW6YQ");
  EXPECT_EQ(to_base32(bytes("fooba")), "MZXW6YTB");
  EXPECT_EQ(to_base32(bytes("foobar")), "MZXW6YTBOI");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal(std::string_view("secret"), std::string_view("secret")));
  EXPECT_FALSE(constant_time_equal(std::string_view("secret"), std::string_view("secreT")));
  EXPECT_FALSE(constant_time_equal(std::string_view("secret"), std::string_view("secrets")));
  EXPECT_TRUE(constant_time_equal(std::string_view(""), std::string_view("")));
}

TEST(Random, ProducesDistinctBytesAndUnbiasedRange) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(to_hex(random_bytes(16)));
  EXPECT_EQ(seen.size(), 100U);
  // Larger than one CTR_DRBG request, to exercise the chunking.
  EXPECT_EQ(random_bytes(5000).size(), 5000U);

  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 3000; ++i) {
    const auto v = random_below(3);
    ASSERT_LT(v, 3U);
    ++counts[v];
  }
  for (const int c : counts) EXPECT_GT(c, 800);
  EXPECT_EQ(random_below(1), 0U);
}

}  // namespace
}  // namespace hm::crypto
