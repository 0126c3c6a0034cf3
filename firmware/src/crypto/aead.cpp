#include "crypto/aead.h"

#include <mbedtls/aes.h>
#include <mbedtls/gcm.h>

#include <cstdlib>

namespace hm::crypto {

namespace {

// mbedTLS contexts cleaned up on every path.
class Gcm {
 public:
  explicit Gcm(const Aes128Key& key) {
    mbedtls_gcm_init(&context_);
    if (mbedtls_gcm_setkey(&context_, MBEDTLS_CIPHER_ID_AES, key.data(), 128) != 0) std::abort();
  }
  ~Gcm() { mbedtls_gcm_free(&context_); }
  Gcm(const Gcm&) = delete;
  Gcm& operator=(const Gcm&) = delete;
  mbedtls_gcm_context* get() { return &context_; }

 private:
  mbedtls_gcm_context context_;
};

}  // namespace

AesBlock aes128_encrypt_block(const Aes128Key& key, const AesBlock& block) {
  mbedtls_aes_context aes;
  mbedtls_aes_init(&aes);
  AesBlock output{};
  const bool ok =
      mbedtls_aes_setkey_enc(&aes, key.data(), 128) == 0 &&
      mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, block.data(), output.data()) == 0;
  mbedtls_aes_free(&aes);
  if (!ok) std::abort();  // fails only on a key size we never pass
  return output;
}

bool aes128_gcm_open(const Aes128Key& key, std::span<const std::uint8_t> nonce,
                     std::span<const std::uint8_t> associated_data,
                     std::span<const std::uint8_t> ciphertext_and_tag,
                     std::span<std::uint8_t> plaintext) {
  if (ciphertext_and_tag.size() < kGcmTagBytes || nonce.empty()) return false;
  const std::size_t length = ciphertext_and_tag.size() - kGcmTagBytes;
  if (plaintext.size() < length) return false;
  Gcm gcm(key);
  return mbedtls_gcm_auth_decrypt(gcm.get(), length, nonce.data(), nonce.size(),
                                  associated_data.data(), associated_data.size(),
                                  ciphertext_and_tag.data() + length, kGcmTagBytes,
                                  ciphertext_and_tag.data(), plaintext.data()) == 0;
}

bool aes128_gcm_seal(const Aes128Key& key, std::span<const std::uint8_t> nonce,
                     std::span<const std::uint8_t> associated_data,
                     std::span<const std::uint8_t> plaintext,
                     std::span<std::uint8_t> ciphertext_and_tag) {
  if (ciphertext_and_tag.size() < plaintext.size() + kGcmTagBytes || nonce.empty()) return false;
  Gcm gcm(key);
  return mbedtls_gcm_crypt_and_tag(gcm.get(), MBEDTLS_GCM_ENCRYPT, plaintext.size(), nonce.data(),
                                   nonce.size(), associated_data.data(), associated_data.size(),
                                   plaintext.data(), ciphertext_and_tag.data(), kGcmTagBytes,
                                   ciphertext_and_tag.data() + plaintext.size()) == 0;
}

}  // namespace hm::crypto
