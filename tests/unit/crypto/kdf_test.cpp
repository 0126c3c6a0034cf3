#include "crypto/kdf.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/encoding.h"

namespace hm::crypto {
namespace {

std::span<const std::uint8_t> bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

struct Vector {
  std::string password;
  std::string salt;
  std::uint32_t iterations;
  std::string expected_hex;
};

// RFC 6070's cases re-derived for HMAC-SHA256 (as published alongside RFC 7914), plus
// RFC 7914 §11's own PBKDF2-HMAC-SHA256 vector.
TEST(Pbkdf2HmacSha256, MatchesPublishedVectors) {
  const Vector vectors[] = {
      {"password", "salt", 1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"},
      {"password", "salt", 2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"},
      {"password", "salt", 4096,
       "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"},
      {"passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096,
       "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"},
      {std::string("pass\0word", 9), std::string("sa\0lt", 5), 4096,
       "89b69d0516f829893c696226650a8687"},
      {"passwd", "salt", 1,
       "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
       "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"},
  };
  for (const auto& v : vectors) {
    const auto key =
        pbkdf2_hmac_sha256(v.password, bytes(v.salt), v.iterations, v.expected_hex.size() / 2);
    EXPECT_EQ(to_hex(key), v.expected_hex) << v.password << " / " << v.iterations;
  }
}

TEST(Pbkdf2HmacSha256, WorkFactorIsAtLeastTheDocumentedFloor) {
  static_assert(kPasswordIterations >= 200'000);
  static_assert(kPasswordSaltBytes >= 16);
}

}  // namespace
}  // namespace hm::crypto
