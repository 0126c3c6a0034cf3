#include "crypto/hash.h"

#include <mbedtls/sha256.h>

#include <cstdlib>

namespace hm::crypto {

Sha256Digest sha256(std::span<const std::uint8_t> data) {
  Sha256Digest digest{};
  // Only fails on a hardware-accelerator error; a wrong hash is never acceptable.
  if (mbedtls_sha256_ret(data.data(), data.size(), digest.data(), /*is224=*/0) != 0) std::abort();
  return digest;
}

Sha256Digest sha256(std::string_view text) {
  return sha256(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace hm::crypto
