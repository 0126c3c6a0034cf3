#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/secret.h"
#include "store/accounts.h"

namespace hm::web {

// The evidence private key of each signed-in session, in this process's memory only
// (DESIGN.md "Evidence is sealed": a login unwraps it into that session's memory,
// locked, wiped at logout or timeout). Keys are held in crypto::SecretBytes (mlock'd,
// zeroed when freed) under the SHA-256 of the session token, and dropped at logout,
// when the session's lifetime or idle limit passes (checked on every request), and
// when the server stops. One per process: every server thread sees the same sessions.
class SessionKeys {
 public:
  static SessionKeys& instance();

  void put(std::string_view token, crypto::SecretBytes private_key,
           store::TimeUs now = store::now_us());
  // The session's key, if it holds one and is still live; a lookup counts as activity.
  // Shared so that a request in flight keeps it until done; wiped when the last holder
  // lets go.
  std::shared_ptr<const crypto::SecretBytes> find(std::string_view token,
                                                  store::TimeUs now = store::now_us());
  void erase(std::string_view token);
  // Drops every key whose session is not among `live_digests` (SHA-256 of the tokens
  // still in the database): sessions another request ended — an account removed, a
  // password reset, "sign out everywhere" — lose their keys at once, not at the sweep.
  void keep_only(const std::vector<std::string>& live_digests);
  // Drops every key whose session has expired or been idle too long.
  void sweep(store::TimeUs now = store::now_us());
  void clear();
  std::size_t size();

 private:
  struct Held {
    std::shared_ptr<const crypto::SecretBytes> key;
    store::TimeUs created_us = 0;
    store::TimeUs last_seen_us = 0;
  };
  void sweep_locked(store::TimeUs now);

  std::mutex mutex_;
  std::map<std::string, Held> held_;
};

}  // namespace hm::web
