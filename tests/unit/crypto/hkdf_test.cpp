#include "crypto/hkdf.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hm::crypto {
namespace {

std::vector<std::uint8_t> hex(std::string_view text) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    bytes.push_back(
        static_cast<std::uint8_t>(std::stoul(std::string(text.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

// RFC 5869 Appendix A.1.
TEST(Hkdf, ExtractMatchesRfc5869TestCase1) {
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  const auto prk = hkdf_extract_sha256(hex("000102030405060708090a0b0c"), ikm);
  EXPECT_EQ(std::vector<std::uint8_t>(prk.begin(), prk.end()),
            hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
}

// RFC 9001 Appendix A.1: initial_secret → client_initial_secret → client key, iv, hp.
TEST(Hkdf, ExpandLabelMatchesRfc9001InitialSecrets) {
  const auto initial_secret =
      hkdf_extract_sha256(hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"), hex("8394c8f03e515708"));
  EXPECT_EQ(std::vector<std::uint8_t>(initial_secret.begin(), initial_secret.end()),
            hex("7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44"));
  const auto client = hkdf_expand_label_sha256(initial_secret, "client in", 32);
  EXPECT_EQ(client, hex("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea"));
  EXPECT_EQ(hkdf_expand_label_sha256(client, "quic key", 16),
            hex("1f369613dd76d5467730efcbe3b1a22d"));
  EXPECT_EQ(hkdf_expand_label_sha256(client, "quic iv", 12), hex("fa044b2f42a3fd3b46fb255c"));
  EXPECT_EQ(hkdf_expand_label_sha256(client, "quic hp", 16),
            hex("9f50449e04a0e810283a1e9933adedd2"));
}

}  // namespace
}  // namespace hm::crypto
