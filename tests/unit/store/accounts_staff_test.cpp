// The headteacher's care of accounts (store/staff_accounts.h): the evidence key is
// wrapped for roles that see evidence and for no other, removed with the role or the
// account, and the last headteacher can be neither removed nor demoted.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/key_store.h"
#include "store/staff_accounts.h"

namespace hm::store {
namespace {

constexpr std::string_view kPassword = "the blue door at noon";

class AccountsStaffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-accounts-staff-" + std::to_string(std::random_device{}()));
    auto opened = Database::open(dir_);
    ASSERT_TRUE(opened.ok()) << opened.error();
    db_ = std::move(opened.value());
    Accounts accounts(*db_);
    const auto done = accounts.complete_setup(
        ensure_setup_code(*db_),
        {"a.patel", "Anita Patel", Role::headteacher, std::string(kPassword)});
    ASSERT_EQ(done.outcome, SetupResult::Outcome::done) << done.message;
    head_ = *done.user;
    private_key_ = key_of("a.patel", kPassword);
    ASSERT_TRUE(private_key_);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The evidence private key as the account's own sign-in unwraps it.
  std::optional<crypto::SecretBytes> key_of(std::string_view name, std::string_view password) {
    auto signed_in = Accounts(*db_).sign_in(name, password);
    if (!signed_in) return std::nullopt;
    return KeyStore(*db_).unwrap_for_user(signed_in->user.id, signed_in->wrapping_key.span());
  }

  std::vector<std::string> audit_details() {
    Statement rows(*db_,
                   "SELECT detail FROM audit_log WHERE action = 'account_change' ORDER BY id;");
    std::vector<std::string> details;
    while (rows.step()) details.push_back(rows.column_text(0));
    return details;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  User head_;
  std::optional<crypto::SecretBytes> private_key_;
};

TEST_F(AccountsStaffTest, OnlyRolesThatSeeEvidenceGetTheKey) {
  StaffAccounts staff(*db_);
  const struct {
    const char* name;
    Role role;
    bool gets_key;
  } cases[] = {{"d.okafor", Role::dsl, true},
               {"s.lee", Role::deputy_dsl, true},
               {"b.head2", Role::headteacher, true},
               {"v.viewer", Role::viewer, false},
               {"t.tech", Role::technician, false}};
  for (const auto& c : cases) {
    auto added = staff.add({c.name, c.name, c.role, "a first password ok"}, &*private_key_, head_);
    ASSERT_TRUE(added) << added.error();
    EXPECT_EQ(KeyStore(*db_).has_wrap_for_user(added->id), c.gets_key) << c.name;
    const auto key = key_of(c.name, "a first password ok");
    EXPECT_EQ(key.has_value(), c.gets_key) << c.name;
    if (key) {
      EXPECT_TRUE(std::equal(key->span().begin(), key->span().end(), private_key_->span().begin(),
                             private_key_->span().end()));
    }
  }
  // A session without the key cannot add a DSL (nothing to wrap), but can add a viewer.
  EXPECT_FALSE(staff.add({"x.dsl", "X", Role::dsl, "a first password ok"}, nullptr, head_));
  EXPECT_TRUE(staff.add({"x.viewer", "X", Role::viewer, "a first password ok"}, nullptr, head_));
  const auto details = audit_details();
  ASSERT_EQ(details.size(), 6U);
  EXPECT_EQ(details[0], "added d.okafor (dsl); evidence key wrapped for it");
  EXPECT_EQ(details[3], "added v.viewer (viewer)");
}

TEST_F(AccountsStaffTest, RoleChangesGiveAndTakeTheKey) {
  StaffAccounts staff(*db_);
  auto viewer = staff.add({"v.viewer", "Val", Role::viewer, "a first password ok"}, nullptr, head_);
  ASSERT_TRUE(viewer);
  const auto session = Accounts(*db_).start_session(viewer->id);
  ASSERT_TRUE(session);
  // Into the DSL role: a new first password is needed, and the key comes with it.
  EXPECT_TRUE(staff.needs_password_for(viewer->id, Role::dsl));
  EXPECT_FALSE(staff.change_role(viewer->id, Role::dsl, std::nullopt, &*private_key_, head_));
  ASSERT_TRUE(
      staff.change_role(viewer->id, Role::dsl, "now a dsl password", &*private_key_, head_));
  EXPECT_TRUE(key_of("v.viewer", "now a dsl password").has_value());
  EXPECT_FALSE(Accounts(*db_).session_user(*session)) << "a role change ends the sessions";
  // Back to technician: the key goes.
  ASSERT_TRUE(staff.change_role(viewer->id, Role::technician, std::nullopt, nullptr, head_));
  EXPECT_FALSE(KeyStore(*db_).has_wrap_for_user(viewer->id));
  EXPECT_EQ(Accounts(*db_).find_user(viewer->id)->role, Role::technician);
}

TEST_F(AccountsStaffTest, TheLastHeadteacherAndYourselfAreProtected) {
  StaffAccounts staff(*db_);
  auto other = staff.add({"b.head2", "Ben", Role::headteacher, "a first password ok"},
                         &*private_key_, head_);
  ASSERT_TRUE(other);
  // Nobody removes or demotes themselves.
  EXPECT_FALSE(staff.remove(head_.id, head_));
  EXPECT_FALSE(staff.change_role(head_.id, Role::viewer, std::nullopt, nullptr, head_));
  // With two headteachers one may remove the other; then the last one stays.
  ASSERT_TRUE(staff.remove(head_.id, *other));
  const auto last_remove = staff.remove(other->id, head_);
  ASSERT_FALSE(last_remove);
  const auto last_demote = staff.change_role(other->id, Role::dsl, "x", nullptr, head_);
  ASSERT_FALSE(last_demote);
  EXPECT_NE(last_demote.error().find("only headteacher"), std::string::npos) << last_demote.error();
  EXPECT_TRUE(Accounts(*db_).find_user(other->id));
}

TEST_F(AccountsStaffTest, RemovingAnAccountDeletesItsKeyAndSessions) {
  StaffAccounts staff(*db_);
  auto dsl =
      staff.add({"d.okafor", "Dee", Role::dsl, "a first password ok"}, &*private_key_, head_);
  ASSERT_TRUE(dsl);
  const auto session = Accounts(*db_).start_session(dsl->id);
  ASSERT_TRUE(session);
  ASSERT_TRUE(staff.remove(dsl->id, head_));
  EXPECT_FALSE(Accounts(*db_).find_user(dsl->id));
  EXPECT_FALSE(KeyStore(*db_).has_wrap_for_user(dsl->id));
  EXPECT_FALSE(Accounts(*db_).session_user(*session));
  EXPECT_EQ(audit_details().back(),
            "removed d.okafor (dsl); its evidence key and sessions deleted");
  EXPECT_FALSE(AuditLog(*db_).verify().first_broken.has_value());
}

TEST_F(AccountsStaffTest, AResetPasswordWrapsAgainForEvidenceRolesOnly) {
  StaffAccounts staff(*db_);
  auto dsl =
      staff.add({"d.okafor", "Dee", Role::dsl, "a first password ok"}, &*private_key_, head_);
  auto tech = staff.add({"t.tech", "Tia", Role::technician, "a first password ok"}, nullptr, head_);
  ASSERT_TRUE(dsl && tech);
  EXPECT_FALSE(staff.reset_password(dsl->id, "forgot it so new one", nullptr, head_));
  ASSERT_TRUE(staff.reset_password(dsl->id, "forgot it so new one", &*private_key_, head_));
  EXPECT_TRUE(key_of("d.okafor", "forgot it so new one").has_value());
  ASSERT_TRUE(staff.reset_password(tech->id, "forgot it so new one", &*private_key_, head_));
  EXPECT_FALSE(KeyStore(*db_).has_wrap_for_user(tech->id));
  EXPECT_TRUE(Accounts(*db_).sign_in("t.tech", "forgot it so new one"));
  EXPECT_FALSE(staff.reset_password(head_.id, "my own new password", &*private_key_, head_));
}

TEST_F(AccountsStaffTest, TheListSaysWhoHasWhat) {
  StaffAccounts staff(*db_);
  ASSERT_TRUE(
      staff.add({"t.tech", "Tia", Role::technician, "a first password ok"}, nullptr, head_));
  Accounts(*db_).record_sign_in(head_.id, 1'750'000'000'000'000);
  const auto rows = staff.list();
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].user.username, "a.patel");
  EXPECT_EQ(rows[0].last_sign_in_us, 1'750'000'000'000'000);
  EXPECT_TRUE(rows[0].has_evidence_key);
  EXPECT_EQ(rows[1].user.username, "t.tech");
  EXPECT_FALSE(rows[1].last_sign_in_us.has_value());
  EXPECT_FALSE(rows[1].has_evidence_key);
  EXPECT_FALSE(rows[1].two_step);
  EXPECT_EQ(rows[1].locked_until_us, 0);
}

}  // namespace
}  // namespace hm::store
