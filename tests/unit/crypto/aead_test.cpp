#include "crypto/aead.h"

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

template <std::size_t N>
std::array<std::uint8_t, N> array_of(std::string_view text) {
  std::array<std::uint8_t, N> out{};
  const auto bytes = hex(text);
  std::copy_n(bytes.begin(), N, out.begin());
  return out;
}

// FIPS-197 Appendix C.1.
TEST(Aead, AesBlockMatchesFips197) {
  const auto out = aes128_encrypt_block(array_of<16>("000102030405060708090a0b0c0d0e0f"),
                                        array_of<16>("00112233445566778899aabbccddeeff"));
  EXPECT_EQ(std::vector<std::uint8_t>(out.begin(), out.end()),
            hex("69c4e0d86a7b0430d8cdb78070b4c55a"));
}

// RFC 9001 Appendix A.2: the header-protection mask of the client's Initial.
TEST(Aead, QuicHeaderProtectionMaskMatchesRfc9001) {
  const auto mask = aes128_encrypt_block(array_of<16>("9f50449e04a0e810283a1e9933adedd2"),
                                         array_of<16>("d1b1c98dd7689fb8ec11d242b123dc9b"));
  EXPECT_EQ(std::vector<std::uint8_t>(mask.begin(), mask.begin() + 5), hex("437b9aec36"));
}

// The GCM specification's test case 2 (zero key, zero IV, one zero block).
TEST(Aead, GcmSealAndOpenMatchGcmTestCase2) {
  const Aes128Key key{};
  const std::vector<std::uint8_t> nonce(12, 0), plaintext(16, 0);
  std::vector<std::uint8_t> sealed(plaintext.size() + kGcmTagBytes);
  ASSERT_TRUE(aes128_gcm_seal(key, nonce, {}, plaintext, sealed));
  EXPECT_EQ(sealed, hex("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf"));
  std::vector<std::uint8_t> opened(16);
  ASSERT_TRUE(aes128_gcm_open(key, nonce, {}, sealed, opened));
  EXPECT_EQ(opened, plaintext);
}

TEST(Aead, GcmOpenRejectsTamperingAndShortInput) {
  const Aes128Key key{};
  const std::vector<std::uint8_t> nonce(12, 1), aad = {1, 2, 3};
  const std::vector<std::uint8_t> plaintext = {'h', 'e', 'l', 'l', 'o'};
  std::vector<std::uint8_t> sealed(plaintext.size() + kGcmTagBytes);
  ASSERT_TRUE(aes128_gcm_seal(key, nonce, aad, plaintext, sealed));
  std::vector<std::uint8_t> opened(plaintext.size());
  EXPECT_TRUE(aes128_gcm_open(key, nonce, aad, sealed, opened));
  sealed[0] ^= 1;
  EXPECT_FALSE(aes128_gcm_open(key, nonce, aad, sealed, opened));
  sealed[0] ^= 1;
  EXPECT_FALSE(aes128_gcm_open(key, nonce, std::vector<std::uint8_t>{1, 2, 4}, sealed, opened));
  EXPECT_FALSE(aes128_gcm_open(key, nonce, aad, std::span(sealed).first(10), opened));
}

}  // namespace
}  // namespace hm::crypto
