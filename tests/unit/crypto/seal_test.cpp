#include "crypto/seal.h"

#include <gtest/gtest.h>

#include <string>

namespace hm::crypto {
namespace {

std::span<const std::uint8_t> bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

constexpr std::string_view kEvidence =
    R"({"text":"where to buy a zombie knife","host":"www.bing.com"})";
constexpr std::string_view kMetadata = R"(["capture",42,"weapons",4])";

TEST(Seal, RoundTripsWithTheMatchingPrivateKey) {
  const KeyPair pair = generate_key_pair();
  ASSERT_EQ(pair.public_key.size(), kPublicKeyBytes);
  ASSERT_EQ(pair.private_key.size(), kPrivateKeyBytes);
  EXPECT_TRUE(valid_public_key(pair.public_key));
  const auto sealed = seal(pair.public_key, bytes(kEvidence), bytes(kMetadata));
  const auto opened = open_sealed(pair.private_key, sealed, bytes(kMetadata));
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, kEvidence);
}

TEST(Seal, SealedBytesHideThePlaintextAndDifferEachTime) {
  const KeyPair pair = generate_key_pair();
  const auto first = seal(pair.public_key, bytes(kEvidence), bytes(kMetadata));
  const auto second = seal(pair.public_key, bytes(kEvidence), bytes(kMetadata));
  EXPECT_NE(first, second);  // fresh ephemeral key and nonce every time
  const std::string text(first.begin(), first.end());
  EXPECT_EQ(text.find("zombie"), std::string::npos);
  EXPECT_EQ(first.size(), 1 + kPublicKeyBytes + 12 + kEvidence.size() + 16);
}

TEST(Seal, AnyChangedByteOfTheSealedBlobIsRejected) {
  const KeyPair pair = generate_key_pair();
  const auto sealed = seal(pair.public_key, bytes(kEvidence), bytes(kMetadata));
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    auto tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(open_sealed(pair.private_key, tampered, bytes(kMetadata))) << "byte " << i;
  }
  auto truncated = sealed;
  truncated.pop_back();
  EXPECT_FALSE(open_sealed(pair.private_key, truncated, bytes(kMetadata)));
  EXPECT_FALSE(open_sealed(pair.private_key, std::span<const std::uint8_t>(), bytes(kMetadata)));
}

TEST(Seal, ChangedAssociatedDataIsRejected) {
  const KeyPair pair = generate_key_pair();
  const auto sealed = seal(pair.public_key, bytes(kEvidence), bytes(kMetadata));
  EXPECT_FALSE(open_sealed(pair.private_key, sealed, bytes(R"(["capture",43,"weapons",4])")));
  EXPECT_FALSE(open_sealed(pair.private_key, sealed, bytes(R"(["capture",42,"weapons",1])")));
  EXPECT_FALSE(open_sealed(pair.private_key, sealed, {}));
}

TEST(Seal, AnotherPrivateKeyCannotOpen) {
  const KeyPair pair = generate_key_pair();
  const KeyPair other = generate_key_pair();
  const auto sealed = seal(pair.public_key, bytes(kEvidence), bytes(kMetadata));
  EXPECT_FALSE(open_sealed(other.private_key, sealed, bytes(kMetadata)));
  const SecretBytes zero(kPrivateKeyBytes);
  EXPECT_FALSE(open_sealed(zero, sealed, bytes(kMetadata)));
}

TEST(Seal, InvalidPublicKeysAreRecognised) {
  std::vector<std::uint8_t> not_a_point(kPublicKeyBytes, 0x04);
  EXPECT_FALSE(valid_public_key(not_a_point));
  EXPECT_FALSE(valid_public_key({}));
}

TEST(KeyWrap, UnwrapsOnlyWithTheSameKeyAndLabel) {
  const KeyPair pair = generate_key_pair();
  const SecretBytes key = derive_subkey(bytes("a high-entropy secret"), "test wrap");
  const auto wrapped = wrap_secret(key.span(), pair.private_key.span(), "user:1");
  const auto unwrapped = unwrap_secret(key.span(), wrapped, "user:1");
  ASSERT_TRUE(unwrapped);
  EXPECT_TRUE(std::equal(unwrapped->span().begin(), unwrapped->span().end(),
                         pair.private_key.span().begin(), pair.private_key.span().end()));
  // Another holder's label, another key, a changed byte: all refused.
  EXPECT_FALSE(unwrap_secret(key.span(), wrapped, "user:2"));
  const SecretBytes other = derive_subkey(bytes("a high-entropy secret"), "other purpose");
  EXPECT_FALSE(unwrap_secret(other.span(), wrapped, "user:1"));
  auto tampered = wrapped;
  tampered.back() ^= 0x80;
  EXPECT_FALSE(unwrap_secret(key.span(), tampered, "user:1"));
}

TEST(SecretBytes, IsWipedAndMovedNotCopied) {
  SecretBytes secret(bytes("0123456789abcdef0123456789abcdef"));
  EXPECT_EQ(secret.size(), 32U);
  SecretBytes moved = std::move(secret);
  EXPECT_TRUE(secret.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  EXPECT_EQ(moved.data()[0], '0');
  moved.wipe();
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(moved.data(), nullptr);
}

}  // namespace
}  // namespace hm::crypto
