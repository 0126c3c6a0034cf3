#include "store/staff_accounts.h"

#include "store/audit_log.h"
#include "store/key_store.h"
#include "store/roles.h"
#include "store/sign_in_lockout.h"
#include "store/two_step.h"

namespace hm::store {
namespace {

bool sees_evidence(Role role) { return allows(role, Permission::see_evidence); }

std::string who(const User& user) {
  return user.username + " (" + std::string(to_string(user.role)) + ")";
}

Status key_needed() {
  return error(
      "Your session does not hold the evidence key, so it cannot be given to this account. "
      "Sign out and sign in again, then try once more.");
}

}  // namespace

int StaffAccounts::headteachers() {
  Statement query(db_, "SELECT count(*) FROM users WHERE role = ?1;");
  query.bind(1, to_string(Role::headteacher));
  return query.step() ? static_cast<int>(query.column_int(0)) : 0;
}

std::vector<AccountSummary> StaffAccounts::list(TimeUs now) {
  std::vector<AccountSummary> rows;
  KeyStore keys(db_);
  SignInLockout lockout(db_);
  Accounts accounts(db_);
  for (User& user : accounts.list_users()) {
    AccountSummary row;
    Statement query(db_,
                    "SELECT last_sign_in_us, totp_sealed IS NOT NULL FROM users WHERE id = ?1;");
    query.bind(1, user.id);
    if (query.step()) {
      if (!query.column_is_null(0)) row.last_sign_in_us = query.column_int(0);
      row.two_step = query.column_int(1) != 0;
    }
    const auto locked = lockout.remaining(user.username, now);
    if (locked.count() > 0) row.locked_until_us = now + locked.count() * 1'000'000;
    row.has_evidence_key = keys.has_wrap_for_user(user.id);
    row.user = std::move(user);
    rows.push_back(std::move(row));
  }
  return rows;
}

bool StaffAccounts::needs_password_for(std::int64_t user_id, Role role) {
  return sees_evidence(role) && !KeyStore(db_).has_wrap_for_user(user_id);
}

Result<User> StaffAccounts::add(const NewUser& user, const crypto::SecretBytes* private_key,
                                const User& actor) {
  if (sees_evidence(user.role) && private_key == nullptr) return Error{key_needed().error()};
  Transaction transaction(db_);
  PasswordKeys keys;
  auto created = Accounts(db_).create_user(user, &keys);
  if (!created) return created;
  std::string detail = "added " + who(*created);
  if (sees_evidence(user.role)) {
    auto wrapped = KeyStore(db_).wrap_for_user(created->id, *private_key, keys.wrapping_key.span());
    if (!wrapped) return Error{wrapped.error()};
    detail += "; evidence key wrapped for it";
  }
  if (auto audited = AuditLog(db_).append(actor.username, "account_change", detail); !audited) {
    return Error{audited.error()};
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return created;
}

Status StaffAccounts::change_role(std::int64_t user_id, Role role,
                                  const std::optional<std::string>& new_password,
                                  const crypto::SecretBytes* private_key, const User& actor) {
  Accounts accounts(db_);
  Transaction transaction(db_);
  const auto user = accounts.find_user(user_id);
  if (!user) return error("There is no such account.");
  if (user->id == actor.id) {
    return error("You cannot change your own role. Another headteacher account can.");
  }
  if (user->role == role) return Ok{};
  if (user->role == Role::headteacher && headteachers() <= 1) {
    return error("This is the only headteacher account: add another headteacher first.");
  }
  const bool gains_key = needs_password_for(user_id, role);
  if (gains_key && !new_password) {
    return error(
        "Moving someone into a role that sees evidence gives them the evidence key: "
        "choose a new first password for them.");
  }
  if (gains_key && private_key == nullptr) return key_needed();
  Statement update(db_, "UPDATE users SET role = ?2 WHERE id = ?1;");
  update.bind(1, user_id).bind(2, to_string(role));
  update.step();
  if (!update.ok()) return error("The role could not be saved: " + update.error());
  std::string detail = "changed the role of " + user->username + " from " +
                       std::string(to_string(user->role)) + " to " + std::string(to_string(role));
  if (gains_key) {
    if (auto reset = accounts.reset_password(user_id, *new_password, private_key); !reset) {
      return reset;
    }
    detail += "; new first password, evidence key wrapped for it";
  } else if (!sees_evidence(role) && KeyStore(db_).has_wrap_for_user(user_id)) {
    if (auto forgot = KeyStore(db_).forget_user_wrap(user_id); !forgot) return forgot;
    detail += "; its evidence key removed";
  }
  accounts.end_user_sessions(user_id);
  if (auto audited = AuditLog(db_).append(actor.username, "account_change", detail); !audited) {
    return audited;
  }
  return transaction.commit();
}

Status StaffAccounts::remove(std::int64_t user_id, const User& actor) {
  Accounts accounts(db_);
  Transaction transaction(db_);
  const auto user = accounts.find_user(user_id);
  if (!user) return error("There is no such account.");
  if (user->id == actor.id) {
    return error("You cannot remove your own account. Another headteacher account can.");
  }
  if (user->role == Role::headteacher && headteachers() <= 1) {
    return error("This is the only headteacher account, so it cannot be removed.");
  }
  // Explicitly, though the foreign keys cascade: what goes is what the audit entry says.
  if (auto forgot = KeyStore(db_).forget_user_wrap(user_id); !forgot) return forgot;
  accounts.end_user_sessions(user_id);
  Statement remove(db_, "DELETE FROM users WHERE id = ?1;");
  remove.bind(1, user_id);
  remove.step();
  if (!remove.ok()) return error("The account could not be removed: " + remove.error());
  SignInLockout(db_).clear(user->username);
  if (auto audited =
          AuditLog(db_).append(actor.username, "account_change",
                               "removed " + who(*user) + "; its evidence key and sessions deleted");
      !audited) {
    return audited;
  }
  return transaction.commit();
}

Status StaffAccounts::reset_password(std::int64_t user_id, std::string_view password,
                                     const crypto::SecretBytes* private_key, const User& actor) {
  Accounts accounts(db_);
  Transaction transaction(db_);
  const auto user = accounts.find_user(user_id);
  if (!user) return error("There is no such account.");
  if (user->id == actor.id) return error("Change your own password on your Account page.");
  const bool evidence = sees_evidence(user->role);
  if (evidence && private_key == nullptr) return key_needed();
  if (auto reset = accounts.reset_password(user_id, password, evidence ? private_key : nullptr);
      !reset) {
    return reset;
  }
  accounts.end_user_sessions(user_id);
  std::string detail = "set a new first password for " + user->username +
                       "; their sessions ended and the second step turned off";
  if (evidence) detail += "; evidence key wrapped again";
  if (auto audited = AuditLog(db_).append(actor.username, "account_change", detail); !audited) {
    return audited;
  }
  return transaction.commit();
}

Result<int> StaffAccounts::sign_out_everywhere(std::int64_t user_id, const User& actor) {
  Accounts accounts(db_);
  const auto user = accounts.find_user(user_id);
  if (!user) return error("There is no such account.");
  Transaction transaction(db_);
  const int ended = accounts.end_user_sessions(user_id);
  const std::string detail =
      user->id == actor.id
          ? "signed out everywhere (" + std::to_string(ended) + " sessions)"
          : "signed " + user->username + " out everywhere (" + std::to_string(ended) + " sessions)";
  if (auto audited = AuditLog(db_).append(actor.username, "sign_out_everywhere", detail);
      !audited) {
    return Error{audited.error()};
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return ended;
}

}  // namespace hm::store
