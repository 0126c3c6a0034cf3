#include "web/session_keys.h"

#include <chrono>
#include <set>

#include "crypto/hash.h"

namespace hm::web {
namespace {

std::string token_digest(std::string_view token) {
  const auto digest = crypto::sha256(token);
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

constexpr store::TimeUs to_us(std::chrono::microseconds duration) { return duration.count(); }

}  // namespace

SessionKeys& SessionKeys::instance() {
  static SessionKeys keys;
  return keys;
}

void SessionKeys::put(std::string_view token, crypto::SecretBytes private_key, store::TimeUs now) {
  std::lock_guard lock(mutex_);
  sweep_locked(now);
  held_[token_digest(token)] =
      Held{std::make_shared<const crypto::SecretBytes>(std::move(private_key)), now, now};
}

std::shared_ptr<const crypto::SecretBytes> SessionKeys::find(std::string_view token,
                                                             store::TimeUs now) {
  std::lock_guard lock(mutex_);
  sweep_locked(now);
  const auto found = held_.find(token_digest(token));
  if (found == held_.end()) return nullptr;
  found->second.last_seen_us = now;
  return found->second.key;
}

void SessionKeys::erase(std::string_view token) {
  std::lock_guard lock(mutex_);
  held_.erase(token_digest(token));
}

void SessionKeys::keep_only(const std::vector<std::string>& live_digests) {
  const std::set<std::string_view> live(live_digests.begin(), live_digests.end());
  std::lock_guard lock(mutex_);
  std::erase_if(held_, [&](const auto& entry) { return !live.contains(entry.first); });
}

void SessionKeys::sweep(store::TimeUs now) {
  std::lock_guard lock(mutex_);
  sweep_locked(now);
}

void SessionKeys::sweep_locked(store::TimeUs now) {
  const store::TimeUs lifetime = to_us(store::kSessionLifetime);
  const store::TimeUs idle = to_us(store::kSessionIdleTimeout);
  std::erase_if(held_, [&](const auto& entry) {
    return entry.second.created_us + lifetime <= now || entry.second.last_seen_us + idle <= now;
  });
}

void SessionKeys::clear() {
  std::lock_guard lock(mutex_);
  held_.clear();
}

std::size_t SessionKeys::size() {
  std::lock_guard lock(mutex_);
  return held_.size();
}

}  // namespace hm::web
