#pragma once

#include <chrono>
#include <string_view>

#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

// After kFailuresBeforeLockout wrong sign-ins in a row a name is locked for
// kFirstLockout, then twice as long at each further lockout, up to kLongestLockout —
// enough to make guessing a password over the network hopeless, short enough that a
// teacher who mistyped can carry on after a cup of tea. A successful sign-in, or a
// day without a failure, starts the name afresh.
inline constexpr int kFailuresBeforeLockout = 5;
inline constexpr std::chrono::minutes kFirstLockout{1};
inline constexpr std::chrono::minutes kLongestLockout{60};
inline constexpr std::chrono::hours kFailureMemory{24};
// Names remembered at most; beyond it the longest-quiet unlocked ones are forgotten, so
// names made up by the thousand cannot fill the disk.
inline constexpr int kMaxRememberedNames = 10'000;

// Sign-in lockout by the name typed, known or not (migration 8's sign_in_failures):
// an unknown name is locked exactly like a known one, so neither the answer nor its
// timing says which names have accounts.
class SignInLockout {
 public:
  explicit SignInLockout(Database& db) : db_(db) {}

  // How long the name is still locked; zero if it may try now.
  std::chrono::seconds remaining(std::string_view username, TimeUs now = now_us());
  // Counts a wrong password (or code) for the name; returns how long it is now locked
  // (zero if not locked by this failure).
  std::chrono::seconds record_failure(std::string_view username, TimeUs now = now_us());
  // Wrong tries left before the next lockout (for "2 more wrong tries will …").
  int tries_left(std::string_view username, TimeUs now = now_us());
  // A successful sign-in, or the headteacher reset the password: the name starts afresh.
  void clear(std::string_view username);

  // How long the lockout after `lockouts` earlier ones lasts.
  static std::chrono::seconds lockout_length(int earlier_lockouts);

 private:
  Database& db_;
};

}  // namespace hm::store
