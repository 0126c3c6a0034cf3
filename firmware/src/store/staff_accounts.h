#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/secret.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

// One row of the Users page.
struct AccountSummary {
  User user;
  std::optional<TimeUs> last_sign_in_us;
  bool two_step = false;
  TimeUs locked_until_us = 0;  // 0 when not locked
  bool has_evidence_key = false;
};

// The headteacher's care of staff accounts (the Users page). Every change is audited
// with who made it. A role that may see evidence (store/roles.h see_evidence) gets its
// own wrap of the evidence private key, made from the headteacher's session's copy
// (DESIGN.md "Evidence is sealed"); a role without it never holds one.
class StaffAccounts {
 public:
  explicit StaffAccounts(Database& db) : db_(db) {}

  std::vector<AccountSummary> list(TimeUs now = now_us());

  // `private_key` is the acting headteacher's session's copy; needed (and only used)
  // when the new role sees evidence.
  Result<User> add(const NewUser& user, const crypto::SecretBytes* private_key, const User& actor);
  // A move into a role that sees evidence needs a new first password for the account
  // (its wrap derives from a password the headteacher does not know otherwise); a move
  // out of one deletes its wrap. The account's sessions end either way.
  Status change_role(std::int64_t user_id, Role role,
                     const std::optional<std::string>& new_password,
                     const crypto::SecretBytes* private_key, const User& actor);
  // Not yourself, not the last headteacher. Deletes the account's wrap and sessions.
  Status remove(std::int64_t user_id, const User& actor);
  // A new first password for someone else (the Account page changes your own).
  Status reset_password(std::int64_t user_id, std::string_view password,
                        const crypto::SecretBytes* private_key, const User& actor);
  // Ends every session of the account; returns how many.
  Result<int> sign_out_everywhere(std::int64_t user_id, const User& actor);

  // Whether a role change to `role` needs a new password (it would gain the evidence key).
  bool needs_password_for(std::int64_t user_id, Role role);

 private:
  int headteachers();
  Database& db_;
};

}  // namespace hm::store
