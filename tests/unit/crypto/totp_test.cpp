#include "crypto/totp.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hm::crypto {
namespace {

std::vector<std::uint8_t> ascii(std::string_view text) { return {text.begin(), text.end()}; }

// RFC 4226 Appendix D: HOTP values for counters 0–9 of the secret "12345678901234567890".
TEST(Hotp, MatchesRfc4226AppendixD) {
  const auto secret = ascii("12345678901234567890");
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(hotp(secret, counter), expected[counter]) << "counter " << counter;
  }
}

// RFC 6238 Appendix B: 8-digit TOTP values with each hash's own seed.
TEST(Totp, MatchesRfc6238AppendixB) {
  const auto sha1 = ascii("12345678901234567890");
  const auto sha256 = ascii("12345678901234567890123456789012");
  const auto sha512 = ascii("1234567890123456789012345678901234567890123456789012345678901234");
  struct Vector {
    std::int64_t time;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  };
  const Vector vectors[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const Vector& v : vectors) {
    EXPECT_EQ(totp(sha1, v.time, 8, TotpHash::sha1), v.sha1) << v.time;
    EXPECT_EQ(totp(sha256, v.time, 8, TotpHash::sha256), v.sha256) << v.time;
    EXPECT_EQ(totp(sha512, v.time, 8, TotpHash::sha512), v.sha512) << v.time;
  }
  // The step of the first vector (RFC 6238 Appendix B's table: T = 0x01).
  EXPECT_EQ(totp_step(59), 1U);
  EXPECT_EQ(totp_step(1111111109), 0x023523ECU);
}

TEST(Totp, SixDigitCodesAreTheLastSixOfTheEightDigitOnes) {
  const auto secret = ascii("12345678901234567890");
  // HOTP truncates modulo 10^digits, so the 6-digit code is the 8-digit one's tail.
  EXPECT_EQ(totp(secret, 59), "287082");
  EXPECT_EQ(totp(secret, 1111111109), "081804");
}

TEST(Totp, AcceptsOneStepEitherSideAndNoMore) {
  const auto secret = ascii("12345678901234567890");
  const std::int64_t now = 1'700'000'000;
  const std::uint64_t step = totp_step(now);
  EXPECT_EQ(totp_matching_step(secret, totp(secret, now), now), step);
  EXPECT_EQ(totp_matching_step(secret, totp(secret, now - 30), now), step - 1);
  EXPECT_EQ(totp_matching_step(secret, totp(secret, now + 30), now), step + 1);
  EXPECT_FALSE(totp_matching_step(secret, totp(secret, now - 60), now).has_value());
  EXPECT_FALSE(totp_matching_step(secret, totp(secret, now + 60), now).has_value());
  // Typed with a space, as apps show it: still right.
  const std::string code = totp(secret, now);
  EXPECT_EQ(totp_matching_step(secret, code.substr(0, 3) + " " + code.substr(3), now), step);
}

TEST(Totp, RefusesMalformedCodes) {
  const auto secret = ascii("12345678901234567890");
  const std::int64_t now = 1'700'000'000;
  const std::string code = totp(secret, now);
  EXPECT_FALSE(totp_matching_step(secret, "", now));
  EXPECT_FALSE(totp_matching_step(secret, code.substr(0, 5), now));
  EXPECT_FALSE(totp_matching_step(secret, code + "0", now));
  EXPECT_FALSE(totp_matching_step(secret, "12a456", now));
}

TEST(Totp, OtpauthUriCarriesTheSecretInBase32) {
  const auto secret = ascii("12345678901234567890");
  EXPECT_EQ(otpauth_uri("hallmonitor", "a.patel", secret),
            "otpauth://totp/hallmonitor:a.patel?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=hallmonitor&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(otpauth_uri("St Mary's", "j smith", secret).substr(0, 38),
            "otpauth://totp/St%20Mary%27s:j%20smith");
}

}  // namespace
}  // namespace hm::crypto
