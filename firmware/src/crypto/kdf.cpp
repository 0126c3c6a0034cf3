#include "crypto/kdf.h"

#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>

#include <cstdlib>

namespace hm::crypto {

std::vector<std::uint8_t> pbkdf2_hmac_sha256(std::string_view password,
                                             std::span<const std::uint8_t> salt,
                                             std::uint32_t iterations, std::size_t length) {
  std::vector<std::uint8_t> key(length);
  mbedtls_md_context_t md;
  mbedtls_md_init(&md);
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  int rc = mbedtls_md_setup(&md, info, /*hmac=*/1);
  if (rc == 0) {
    rc = mbedtls_pkcs5_pbkdf2_hmac(&md, reinterpret_cast<const unsigned char*>(password.data()),
                                   password.size(), salt.data(), salt.size(), iterations,
                                   static_cast<std::uint32_t>(length), key.data());
  }
  mbedtls_md_free(&md);
  // Fails only on allocation failure or bad parameters we never pass.
  if (rc != 0) std::abort();
  return key;
}

}  // namespace hm::crypto
