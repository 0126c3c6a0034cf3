#include "store/accounts.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <regex>

namespace hm::store {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-accounts-" + std::to_string(std::random_device{}()));
    auto opened = Database::open(dir_);
    ASSERT_TRUE(opened.ok()) << opened.error();
    db_ = std::move(opened.value());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  NewUser headteacher() const {
    return NewUser{"mrs.patel", "Anita Patel", Role::headteacher, "correct horse battery"};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(AccountsTest, SetupCodeIsMadeOnceReadableAndStable) {
  EXPECT_FALSE(setup_complete(*db_));
  const std::string code = ensure_setup_code(*db_);
  EXPECT_TRUE(std::regex_match(code, std::regex("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}"))) << code;
  for (const char c : std::string("01258BILOQSZ")) EXPECT_EQ(code.find(c), std::string::npos);
  EXPECT_EQ(ensure_setup_code(*db_), code);

  // A second connection (the command line beside the daemon) sees the same code.
  auto other = Database::open(dir_);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(ensure_setup_code(**other), code);
}

TEST_F(AccountsTest, SetupRejectsTheWrongCodeAndWeakPasswords) {
  const std::string code = ensure_setup_code(*db_);
  Accounts accounts(*db_);
  auto wrong = accounts.complete_setup("AAAA-AAAA-AAAA", headteacher());
  EXPECT_EQ(wrong.outcome, SetupResult::Outcome::wrong_code);
  EXPECT_NE(wrong.message.find("setup code"), std::string::npos);

  NewUser weak = headteacher();
  weak.password = "short";
  auto rejected = accounts.complete_setup(code, weak);
  EXPECT_EQ(rejected.outcome, SetupResult::Outcome::invalid);
  EXPECT_NE(rejected.message.find("at least 10"), std::string::npos);
  EXPECT_FALSE(setup_complete(*db_));
  EXPECT_EQ(ensure_setup_code(*db_), code);
}

TEST_F(AccountsTest, SetupCompletesOnceAndErasesTheCode) {
  const std::string code = ensure_setup_code(*db_);
  Accounts accounts(*db_);
  // Typed in lower case with spaces: still accepted.
  std::string typed = code;
  std::replace(typed.begin(), typed.end(), '-', ' ');
  std::transform(typed.begin(), typed.end(), typed.begin(), ::tolower);
  auto done = accounts.complete_setup(typed, headteacher());
  ASSERT_EQ(done.outcome, SetupResult::Outcome::done) << done.message;
  EXPECT_EQ(done.user->display_name, "Anita Patel");
  EXPECT_TRUE(setup_complete(*db_));
  EXPECT_EQ(ensure_setup_code(*db_), "");

  auto again = accounts.complete_setup(code, headteacher());
  EXPECT_EQ(again.outcome, SetupResult::Outcome::already_done);
}

TEST_F(AccountsTest, PasswordsVerifyAndAreNotStoredInTheClear) {
  Accounts accounts(*db_);
  auto created = accounts.create_user(headteacher());
  ASSERT_TRUE(created.ok()) << created.error();
  EXPECT_TRUE(accounts.verify_password("mrs.patel", "correct horse battery").has_value());
  EXPECT_TRUE(accounts.verify_password("MRS.PATEL", "correct horse battery").has_value());
  EXPECT_FALSE(accounts.verify_password("mrs.patel", "correct horse batterY").has_value());
  EXPECT_FALSE(accounts.verify_password("nobody", "correct horse battery").has_value());

  Statement row(*db_, "SELECT password_hash, password_salt, password_iterations FROM users;");
  ASSERT_TRUE(row.step());
  EXPECT_EQ(row.column_blob(0).size(), 32U);
  EXPECT_EQ(row.column_blob(1).size(), 16U);
  EXPECT_GE(row.column_int(2), 200000);

  auto duplicate = accounts.create_user(headteacher());
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.error().find("already taken"), std::string::npos);
}

TEST_F(AccountsTest, PasswordAndUsernameRules) {
  EXPECT_TRUE(password_problem("123456789", "x").has_value());
  EXPECT_TRUE(password_problem("aaaaaaaaaaaa", "x").has_value());
  EXPECT_TRUE(password_problem("mrs.patel-2024", "Mrs.Patel").has_value());
  EXPECT_FALSE(password_problem("the blue door at noon", "mrs.patel").has_value());
  EXPECT_TRUE(username_problem("a b").has_value());
  EXPECT_TRUE(username_problem("ab").has_value());
  EXPECT_FALSE(username_problem("a.patel_2").has_value());
}

TEST_F(AccountsTest, SessionsExpireAndTimeOutWhenIdle) {
  Accounts accounts(*db_);
  auto user = accounts.create_user(headteacher());
  ASSERT_TRUE(user.ok());
  const TimeUs t0 = 1'700'000'000'000'000;
  const TimeUs minute = 60'000'000;
  auto token = accounts.start_session(user->id, t0);
  ASSERT_TRUE(token.ok());

  // Only a digest of the token is stored.
  Statement stored(*db_, "SELECT token_hash FROM sessions;");
  ASSERT_TRUE(stored.step());
  EXPECT_EQ(stored.column_blob(0).size(), 32U);
  EXPECT_EQ(stored.column_blob(0).find(*token), std::string::npos);

  EXPECT_EQ(accounts.session_user(*token, t0 + minute)->username, "mrs.patel");
  EXPECT_FALSE(accounts.session_user("not-a-token", t0 + minute).has_value());
  // Active every 20 minutes: still signed in after 11 hours…
  TimeUs t = t0;
  for (int i = 0; i < 33; ++i) {
    t += 20 * minute;
    ASSERT_TRUE(accounts.session_user(*token, t).has_value()) << i;
  }
  // …but never past the 12-hour lifetime.
  EXPECT_FALSE(accounts.session_user(*token, t0 + 12 * 60 * minute + 1).has_value());

  // Idle for 31 minutes: signed out.
  auto idle = accounts.start_session(user->id, t0);
  ASSERT_TRUE(idle.ok());
  EXPECT_FALSE(accounts.session_user(*idle, t0 + 31 * minute).has_value());
  EXPECT_EQ(accounts.remove_stale_sessions(t0 + 13 * 60 * minute), 2);

  auto ended = accounts.start_session(user->id, t0);
  ASSERT_TRUE(ended.ok());
  accounts.end_session(*ended);
  EXPECT_FALSE(accounts.session_user(*ended, t0 + minute).has_value());
}

}  // namespace
}  // namespace hm::store
