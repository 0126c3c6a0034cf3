#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace hm::trafficgen {

// SplitMix64's finaliser: a good 64-bit mix, used both to seed Rng and as a
// counter-based generator (random bytes at any offset without keeping state).
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// xoshiro256** (Blackman & Vigna). Our own generator and our own integer range
// reduction, because std::uniform_int_distribution's output differs between
// standard libraries and the sample must be byte-identical everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& word : state_) {
      seed = mix64(seed);
      word = seed;
    }
  }

  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n), n > 0; rejection sampling keeps it unbiased.
  uint64_t below(uint64_t n) {
    if (n == 0) return 0;  // an empty range: callers never ask, but never divide by zero
    const uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
    uint64_t value = next();
    while (value >= limit) value = next();
    return value % n;
  }

  // Uniform in [lo, hi], inclusive.
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }

  bool chance_per_mille(uint32_t per_mille) { return below(1000) < per_mille; }

  // An independent stream, so adding draws in one part of the generator does not
  // shift every later packet of another part.
  Rng fork(uint64_t stream) { return Rng(next() ^ mix64(stream)); }

  void fill(std::span<uint8_t> out) {
    size_t i = 0;
    while (i < out.size()) {
      uint64_t word = next();
      for (int b = 0; b < 8 && i < out.size(); ++b, ++i) {
        out[i] = static_cast<uint8_t>(word);
        word >>= 8;
      }
    }
  }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4]{};
};

}  // namespace hm::trafficgen
