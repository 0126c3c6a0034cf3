// Sign-in security at the store: lockout with back-off on a controllable clock (the
// same for unknown names), the second step's secret sealed under the password, codes
// never accepted twice, and a password change keeping the second step.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "crypto/totp.h"
#include "store/accounts.h"
#include "store/sign_in_lockout.h"
#include "store/two_step.h"

namespace hm::store {
namespace {

constexpr TimeUs kSecond = 1'000'000;
constexpr TimeUs kStart = 1'750'000'000 * kSecond;
constexpr std::string_view kPassword = "correct horse battery";

class AccountsSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-accounts-security-" + std::to_string(std::random_device{}()));
    auto opened = Database::open(dir_);
    ASSERT_TRUE(opened.ok()) << opened.error();
    db_ = std::move(opened.value());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Fails `times` in a row at `now`, returning the last lockout length.
  std::chrono::seconds fail(std::string_view name, int times, TimeUs now) {
    std::chrono::seconds locked{0};
    for (int i = 0; i < times; ++i) locked = SignInLockout(*db_).record_failure(name, now);
    return locked;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(AccountsSecurityTest, FiveFailuresLockForAMinuteThenTheLockDoublesUpToAnHour) {
  SignInLockout lockout(*db_);
  EXPECT_EQ(fail("mrs.patel", 4, kStart).count(), 0);
  EXPECT_EQ(lockout.remaining("mrs.patel", kStart).count(), 0);
  EXPECT_EQ(lockout.tries_left("mrs.patel", kStart), 1);
  EXPECT_EQ(fail("mrs.patel", 1, kStart), std::chrono::minutes(1));
  EXPECT_EQ(lockout.remaining("mrs.patel", kStart + 20 * kSecond).count(), 40);
  // Names match as user names do: case and surrounding spaces do not matter.
  EXPECT_EQ(lockout.remaining(" MRS.Patel ", kStart + 20 * kSecond).count(), 40);
  EXPECT_EQ(lockout.remaining("mrs.patel", kStart + 60 * kSecond).count(), 0);

  // Each further lockout doubles: 2, 4, 8, 16, 32 minutes, then never beyond an hour.
  TimeUs now = kStart + 60 * kSecond;
  const int expected_minutes[] = {2, 4, 8, 16, 32, 60, 60};
  for (const int minutes : expected_minutes) {
    EXPECT_EQ(fail("mrs.patel", 4, now).count(), 0);
    EXPECT_EQ(fail("mrs.patel", 1, now), std::chrono::minutes(minutes));
    EXPECT_EQ(lockout.remaining("mrs.patel", now).count(), minutes * 60);
    now += minutes * 60 * kSecond;
  }
  // A success starts the name afresh.
  lockout.clear("mrs.patel");
  EXPECT_EQ(fail("mrs.patel", 5, now), std::chrono::minutes(1));
}

TEST_F(AccountsSecurityTest, AQuietDayForgetsEarlierFailures) {
  SignInLockout lockout(*db_);
  fail("mr.jones", 4, kStart);
  const TimeUs next_day = kStart + 24 * 3600 * kSecond;
  EXPECT_EQ(fail("mr.jones", 1, next_day).count(), 0);
  EXPECT_EQ(lockout.tries_left("mr.jones", next_day), 4);
}

TEST_F(AccountsSecurityTest, AnUnknownNameLocksExactlyLikeAKnownOne) {
  Accounts accounts(*db_);
  ASSERT_TRUE(accounts.create_user(
      {"mrs.patel", "Anita Patel", Role::headteacher, std::string(kPassword)}));
  for (const std::string_view name : {"mrs.patel", "nobody.here"}) {
    EXPECT_EQ(fail(name, 5, kStart), std::chrono::minutes(1)) << name;
    EXPECT_EQ(SignInLockout(*db_).remaining(name, kStart).count(), 60) << name;
  }
  // What is stored says nothing of either name.
  Statement rows(*db_, "SELECT count(*) FROM sign_in_failures WHERE name_hash LIKE '%patel%';");
  ASSERT_TRUE(rows.step());
  EXPECT_EQ(rows.column_int(0), 0);
}

TEST_F(AccountsSecurityTest, TheSecondStepIsSealedUnderThePasswordAndCodesWorkOnce) {
  Accounts accounts(*db_);
  auto user =
      accounts.create_user({"mrs.patel", "Anita Patel", Role::headteacher, std::string(kPassword)});
  ASSERT_TRUE(user);
  auto signed_in = accounts.sign_in("mrs.patel", kPassword);
  ASSERT_TRUE(signed_in);
  TwoStep two_step(*db_);
  auto secret = two_step.start_enrolment(user->id, signed_in->two_step_key.span());
  ASSERT_TRUE(secret);
  EXPECT_FALSE(two_step.enabled(user->id));  // not until a code confirms it
  const std::int64_t t = kStart / kSecond;
  std::string wrong = crypto::totp(*secret, t);
  wrong.back() = wrong.back() == '9' ? '0' : static_cast<char>(wrong.back() + 1);
  EXPECT_FALSE(two_step.confirm_enrolment(user->id, signed_in->two_step_key.span(), wrong, kStart));
  ASSERT_TRUE(two_step.confirm_enrolment(user->id, signed_in->two_step_key.span(),
                                         crypto::totp(*secret, t), kStart));
  EXPECT_TRUE(two_step.enabled(user->id));

  // The database holds no copy of the secret in the clear.
  Statement raw(*db_, "SELECT totp_sealed FROM users WHERE id = ?1;");
  raw.bind(1, user->id);
  ASSERT_TRUE(raw.step());
  const std::string sealed = raw.column_blob(0);
  EXPECT_EQ(sealed.find(std::string(secret->begin(), secret->end())), std::string::npos);

  // The confirming code's step is used: the same code is refused, the next one works,
  // once; a code two steps away is refused.
  const TimeUs later = kStart + 30 * kSecond;
  EXPECT_FALSE(two_step.accept_code(user->id, signed_in->two_step_key.span(),
                                    crypto::totp(*secret, t), later));
  const std::string next = crypto::totp(*secret, t + 30);
  EXPECT_TRUE(two_step.accept_code(user->id, signed_in->two_step_key.span(), next, later));
  EXPECT_FALSE(two_step.accept_code(user->id, signed_in->two_step_key.span(), next, later));
  EXPECT_FALSE(two_step.accept_code(user->id, signed_in->two_step_key.span(),
                                    crypto::totp(*secret, t + 120), later));
  // Another password's key does not open it.
  ASSERT_TRUE(accounts.create_user({"mr.jones", "Tom Jones", Role::viewer, "another long one"}));
  auto other = accounts.sign_in("mr.jones", "another long one");
  ASSERT_TRUE(other);
  EXPECT_FALSE(two_step.accept_code(user->id, other->two_step_key.span(),
                                    crypto::totp(*secret, t + 60), kStart + 60 * kSecond));

  // A password change re-seals it: the new password's key opens it.
  ASSERT_TRUE(accounts.change_password(user->id, kPassword, "a brand new sentence"));
  auto renewed = accounts.sign_in("mrs.patel", "a brand new sentence");
  ASSERT_TRUE(renewed);
  EXPECT_TRUE(two_step.enabled(user->id));
  EXPECT_TRUE(two_step.accept_code(user->id, renewed->two_step_key.span(),
                                   crypto::totp(*secret, t + 90), kStart + 90 * kSecond));
}

TEST_F(AccountsSecurityTest, APasswordResetTurnsTheSecondStepOffAndLiftsTheLock) {
  Accounts accounts(*db_);
  auto user = accounts.create_user({"mr.jones", "Tom Jones", Role::viewer, std::string(kPassword)});
  ASSERT_TRUE(user);
  auto signed_in = accounts.sign_in("mr.jones", kPassword);
  ASSERT_TRUE(signed_in);
  TwoStep two_step(*db_);
  auto secret = two_step.start_enrolment(user->id, signed_in->two_step_key.span());
  ASSERT_TRUE(secret);
  ASSERT_TRUE(two_step.confirm_enrolment(user->id, signed_in->two_step_key.span(),
                                         crypto::totp(*secret, kStart / kSecond), kStart));
  fail("mr.jones", 5, now_us());
  ASSERT_GT(SignInLockout(*db_).remaining("mr.jones").count(), 0);
  ASSERT_TRUE(accounts.reset_password(user->id, "a fresh first password", nullptr));
  EXPECT_FALSE(two_step.enabled(user->id));
  EXPECT_EQ(SignInLockout(*db_).remaining("mr.jones").count(), 0);
  EXPECT_TRUE(accounts.sign_in("mr.jones", "a fresh first password"));
}

TEST_F(AccountsSecurityTest, SignOutEverywhereEndsEverySessionButTheOneKept) {
  Accounts accounts(*db_);
  auto user = accounts.create_user({"mr.jones", "Tom Jones", Role::viewer, std::string(kPassword)});
  ASSERT_TRUE(user);
  const auto here = accounts.start_session(user->id);
  const auto phone = accounts.start_session(user->id);
  const auto laptop = accounts.start_session(user->id);
  ASSERT_TRUE(here && phone && laptop);
  EXPECT_EQ(accounts.end_user_sessions(user->id, *here), 2);
  EXPECT_TRUE(accounts.session_user(*here));
  EXPECT_FALSE(accounts.session_user(*phone));
  EXPECT_EQ(accounts.end_user_sessions(user->id), 1);
  EXPECT_FALSE(accounts.session_user(*here));
}

}  // namespace
}  // namespace hm::store
