#include "crypto/signature.h"

#include <gtest/gtest.h>

#include <string>

namespace hm::crypto {
namespace {

std::span<const std::uint8_t> bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

constexpr std::string_view kMessage = "library bundle v7 from the publisher";

TEST(Signature, KeygenWritesPemThatSignsAndVerifies) {
  const SigningKeyPair pair = generate_signing_key();
  EXPECT_NE(pair.private_pem.find("-----BEGIN EC PRIVATE KEY-----"), std::string::npos);
  EXPECT_NE(pair.public_pem.find("-----BEGIN PUBLIC KEY-----"), std::string::npos);
  const auto signature = sign(pair.private_pem, bytes(kMessage));
  ASSERT_TRUE(signature) << signature.error();
  EXPECT_LE(signature->size(), kMaxSignatureBytes);
  EXPECT_TRUE(verify(pair.public_pem, bytes(kMessage), *signature));
}

TEST(Signature, KeyIdsOfBothHalvesAgree) {
  const SigningKeyPair pair = generate_signing_key();
  const auto from_public = key_id_of_public_pem(pair.public_pem);
  const auto from_private = key_id_of_private_pem(pair.private_pem);
  ASSERT_TRUE(from_public && from_private);
  EXPECT_EQ(*from_public, *from_private);
  EXPECT_EQ(short_key_id(*from_public).size(), 16U);
  const auto derived = public_pem_of_private_pem(pair.private_pem);
  ASSERT_TRUE(derived);
  EXPECT_EQ(*derived, pair.public_pem);
  EXPECT_NE(*key_id_of_public_pem(generate_signing_key().public_pem), *from_public);
}

TEST(Signature, RejectsATamperedMessageOrSignature) {
  const SigningKeyPair pair = generate_signing_key();
  auto signature = *sign(pair.private_pem, bytes(kMessage));
  std::string tampered(kMessage);
  tampered[3] ^= 1;
  EXPECT_FALSE(verify(pair.public_pem, bytes(tampered), signature));
  signature[signature.size() / 2] ^= 0x40;
  EXPECT_FALSE(verify(pair.public_pem, bytes(kMessage), signature));
}

TEST(Signature, RejectsAnotherKeysSignature) {
  const SigningKeyPair publisher = generate_signing_key();
  const SigningKeyPair stranger = generate_signing_key();
  const auto signature = *sign(stranger.private_pem, bytes(kMessage));
  EXPECT_FALSE(verify(publisher.public_pem, bytes(kMessage), signature));
}

TEST(Signature, GarbageKeysAndSignaturesAreFalseNotFatal) {
  const SigningKeyPair pair = generate_signing_key();
  const auto signature = *sign(pair.private_pem, bytes(kMessage));
  EXPECT_FALSE(verify("not a key", bytes(kMessage), signature));
  EXPECT_FALSE(verify(pair.private_pem, bytes(kMessage), signature));
  EXPECT_FALSE(verify(pair.public_pem, bytes(kMessage), {}));
  const std::vector<std::uint8_t> junk(200, 0x30);
  EXPECT_FALSE(verify(pair.public_pem, bytes(kMessage), junk));
  EXPECT_FALSE(
      key_id_of_public_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
  const auto unsigned_key = sign("nonsense", bytes(kMessage));
  ASSERT_FALSE(unsigned_key);
  EXPECT_NE(unsigned_key.error().find("private key"), std::string::npos);
}

}  // namespace
}  // namespace hm::crypto
