#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace hm::crypto {

// Fills `out` from a CTR_DRBG (AES-256) seeded from the kernel's entropy source.
// Each thread has its own generator, seeded on first use, so calls need no lock.
// Failure to seed or generate means the box cannot make secrets safely: it aborts
// (STYLE.md "states that cannot happen assert and crash loudly").
void random_bytes(std::span<std::uint8_t> out);

std::vector<std::uint8_t> random_bytes(std::size_t count);

// A uniformly random integer in [0, bound), without modulo bias.
std::uint32_t random_below(std::uint32_t bound);

}  // namespace hm::crypto
