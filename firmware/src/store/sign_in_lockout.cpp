#include "store/sign_in_lockout.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "crypto/hash.h"

namespace hm::store {
namespace {

constexpr TimeUs to_us(std::chrono::microseconds duration) { return duration.count(); }

// Lower-cased and trimmed as user names are matched (COLLATE NOCASE), then hashed: the
// table never holds what was typed (a password typed into the name box, say).
std::string name_hash(std::string_view username) {
  const auto first = username.find_first_not_of(" \t\r\n");
  const auto last = username.find_last_not_of(" \t\r\n");
  std::string name = first == std::string_view::npos
                         ? std::string()
                         : std::string(username.substr(first, last - first + 1));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto digest = crypto::sha256(name);
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::span<const std::uint8_t> as_bytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::chrono::seconds seconds_until(TimeUs until, TimeUs now) {
  if (until <= now) return std::chrono::seconds{0};
  // Rounded up: "locked for 0 seconds" would be untrue.
  return std::chrono::seconds{(until - now + 999'999) / 1'000'000};
}

struct Failures {
  int failures = 0;
  int lockouts = 0;
  TimeUs locked_until_us = 0;
};

// The name's record, or a fresh one when it has none or was quiet for a day.
Failures read(Database& db, const std::string& hash, TimeUs now) {
  Statement query(db,
                  "SELECT failures, lockouts, locked_until_us, last_failure_us "
                  "FROM sign_in_failures WHERE name_hash = ?1;");
  query.bind_blob(1, as_bytes(hash));
  if (!query.step()) return {};
  if (query.column_int(3) + to_us(kFailureMemory) <= now && query.column_int(2) <= now) {
    return {};
  }
  return {static_cast<int>(query.column_int(0)), static_cast<int>(query.column_int(1)),
          query.column_int(2)};
}

}  // namespace

std::chrono::seconds SignInLockout::lockout_length(int earlier_lockouts) {
  std::chrono::seconds length = kFirstLockout;
  for (int i = 0; i < earlier_lockouts && length < kLongestLockout; ++i) length *= 2;
  return std::min<std::chrono::seconds>(length, kLongestLockout);
}

std::chrono::seconds SignInLockout::remaining(std::string_view username, TimeUs now) {
  return seconds_until(read(db_, name_hash(username), now).locked_until_us, now);
}

int SignInLockout::tries_left(std::string_view username, TimeUs now) {
  const Failures record = read(db_, name_hash(username), now);
  return kFailuresBeforeLockout - record.failures % kFailuresBeforeLockout;
}

std::chrono::seconds SignInLockout::record_failure(std::string_view username, TimeUs now) {
  const std::string hash = name_hash(username);
  Failures record = read(db_, hash, now);
  ++record.failures;
  std::chrono::seconds locked{0};
  if (record.failures % kFailuresBeforeLockout == 0) {
    locked = lockout_length(record.lockouts);
    ++record.lockouts;
    record.locked_until_us = now + to_us(locked);
  }
  Statement upsert(db_,
                   "INSERT OR REPLACE INTO sign_in_failures (name_hash, failures, lockouts, "
                   "locked_until_us, last_failure_us) VALUES (?1, ?2, ?3, ?4, ?5);");
  upsert.bind_blob(1, as_bytes(hash))
      .bind(2, record.failures)
      .bind(3, record.lockouts)
      .bind(4, record.locked_until_us)
      .bind(5, now);
  upsert.step();
  // Forget names quiet for a day, then the quietest unlocked ones beyond the cap.
  Statement forget(db_,
                   "DELETE FROM sign_in_failures WHERE last_failure_us <= ?1 "
                   "AND locked_until_us <= ?2;");
  forget.bind(1, now - to_us(kFailureMemory)).bind(2, now);
  forget.step();
  Statement cap(db_,
                "DELETE FROM sign_in_failures WHERE name_hash IN (SELECT name_hash FROM "
                "sign_in_failures WHERE locked_until_us <= ?1 ORDER BY last_failure_us DESC "
                "LIMIT -1 OFFSET ?2);");
  cap.bind(1, now).bind(2, kMaxRememberedNames);
  cap.step();
  return locked;
}

void SignInLockout::clear(std::string_view username) {
  Statement remove(db_, "DELETE FROM sign_in_failures WHERE name_hash = ?1;");
  remove.bind_blob(1, as_bytes(name_hash(username)));
  remove.step();
}

}  // namespace hm::store
