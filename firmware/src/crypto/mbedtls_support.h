#pragma once

#include <cstddef>

// What every mbedTLS wrapper in crypto/ needs; not for use outside crypto/.
namespace hm::crypto::detail {

// An mbedTLS call that cannot fail with valid input failed: the box cannot make or
// check secrets safely, so it stops loudly (STYLE.md "states that cannot happen").
[[noreturn]] void die_on_mbedtls_error(const char* what, int code);

// mbedTLS's f_rng signature over random_bytes() (random.h).
int mbedtls_random(void* unused, unsigned char* out, std::size_t length);

}  // namespace hm::crypto::detail
