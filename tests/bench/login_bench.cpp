// How long a login's key derivation takes (issue 5: "iterations set so a login takes
// about half a second on the box"): PBKDF2-HMAC-SHA256 at kPasswordIterations, as
// Accounts does it, timed over several runs. Run it on the box (or the cross-built
// binary on the board) for the figure that matters; on a developer's x86 machine it
// shows the ratio.
//
// usage: login_bench [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "crypto/kdf.h"

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const std::vector<std::uint8_t> salt(hm::crypto::kPasswordSaltBytes, 0x5a);
  std::vector<double> seconds;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto derived = hm::crypto::pbkdf2_hmac_sha256("the blue door at noon", salt,
                                                        hm::crypto::kPasswordIterations, 32);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (derived.size() != 32) return 1;
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("PBKDF2-HMAC-SHA256, %u iterations: median %.3f s per login (%d runs, min %.3f s)\n",
              hm::crypto::kPasswordIterations, seconds[seconds.size() / 2], runs, seconds.front());
  return 0;
}
