#include "crypto/random.h"

#include "crypto/mbedtls_support.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace hm::crypto {
namespace {

using detail::die_on_mbedtls_error;

class Drbg {
 public:
  Drbg() {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    static constexpr unsigned char kPersonalisation[] = "hallmonitor-drbg";
    const int rc = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, kPersonalisation,
                                         sizeof kPersonalisation - 1);
    // mbedTLS reseeds from the entropy source every MBEDTLS_CTR_DRBG_RESEED_INTERVAL calls.
    if (rc != 0) die_on_mbedtls_error("seeding the random generator", rc);
  }
  ~Drbg() {
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
  }
  Drbg(const Drbg&) = delete;
  Drbg& operator=(const Drbg&) = delete;

  void fill(std::span<std::uint8_t> out) {
    // mbedTLS caps one request at MBEDTLS_CTR_DRBG_MAX_REQUEST bytes.
    while (!out.empty()) {
      const std::size_t chunk = std::min<std::size_t>(out.size(), MBEDTLS_CTR_DRBG_MAX_REQUEST);
      const int rc = mbedtls_ctr_drbg_random(&drbg_, out.data(), chunk);
      if (rc != 0) die_on_mbedtls_error("generating random bytes", rc);
      out = out.subspan(chunk);
    }
  }

 private:
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
};

}  // namespace

void random_bytes(std::span<std::uint8_t> out) {
  thread_local Drbg drbg;
  drbg.fill(out);
}

std::vector<std::uint8_t> random_bytes(std::size_t count) {
  std::vector<std::uint8_t> out(count);
  random_bytes(std::span(out));
  return out;
}

std::uint32_t random_below(std::uint32_t bound) {
  if (bound <= 1) return 0;
  // Reject values in the incomplete last block so every residue is equally likely.
  const std::uint32_t limit = UINT32_MAX - (UINT32_MAX % bound);
  for (;;) {
    std::uint32_t value = 0;
    random_bytes(std::span(reinterpret_cast<std::uint8_t*>(&value), sizeof value));
    if (value < limit) return value % bound;
  }
}

}  // namespace hm::crypto

namespace hm::crypto::detail {

void die_on_mbedtls_error(const char* what, int code) {
  std::fprintf(stderr, "hallmonitor: fatal: %s failed (mbedTLS error -0x%04x)\n", what, -code);
  std::abort();
}

int mbedtls_random(void* /*unused*/, unsigned char* out, std::size_t length) {
  random_bytes(std::span(out, length));
  return 0;
}

}  // namespace hm::crypto::detail
