#include "store/audit_log.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

namespace hm::store {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-audit-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto db = Database::open(dir_);
    ASSERT_TRUE(db) << db.error();
    db_ = std::move(*db);
    AuditLog log(*db_);
    ASSERT_TRUE(log.append("a.patel", "login", "evidence key unwrapped", 1000));
    ASSERT_TRUE(log.append("a.patel", "evidence_view", "captures 3,2,1", 2000));
    ASSERT_TRUE(log.append("system", "purge", "12 captures past retention", 3000));
    ASSERT_TRUE(log.append("a.patel", "logout", "signed out", 4000));
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(AuditLogTest, AnUntouchedChainVerifies) {
  const auto result = AuditLog(*db_).verify();
  EXPECT_EQ(result.entries, 4);
  EXPECT_FALSE(result.first_broken) << result.reason;
}

TEST_F(AuditLogTest, TheTableRefusesUpdatesAndDeletes) {
  EXPECT_FALSE(db_->exec("UPDATE audit_log SET detail = 'nothing' WHERE id = 2;"));
  EXPECT_FALSE(db_->exec("DELETE FROM audit_log WHERE id = 2;"));
}

TEST_F(AuditLogTest, AnEditedEntryIsNamed) {
  // Someone with the database file drops the trigger and edits a row.
  ASSERT_TRUE(db_->exec("DROP TRIGGER audit_log_no_update;"));
  ASSERT_TRUE(db_->exec("UPDATE audit_log SET detail = 'captures 1' WHERE id = 2;"));
  const auto result = AuditLog(*db_).verify();
  ASSERT_TRUE(result.first_broken);
  EXPECT_EQ(*result.first_broken, 2);
  EXPECT_NE(result.reason.find("edited"), std::string::npos) << result.reason;
}

TEST_F(AuditLogTest, ARehashedEditBreaksTheNextLink) {
  ASSERT_TRUE(db_->exec("DROP TRIGGER audit_log_no_update;"));
  // Changing the hash too (to hide the edit) breaks the link from entry 3.
  ASSERT_TRUE(db_->exec("UPDATE audit_log SET hash = zeroblob(32) WHERE id = 2;"));
  const auto result = AuditLog(*db_).verify();
  ASSERT_TRUE(result.first_broken);
  EXPECT_EQ(*result.first_broken, 2);
}

TEST_F(AuditLogTest, ADeletedEntryIsNamed) {
  ASSERT_TRUE(db_->exec("DROP TRIGGER audit_log_no_delete;"));
  ASSERT_TRUE(db_->exec("DELETE FROM audit_log WHERE id = 3;"));
  const auto result = AuditLog(*db_).verify();
  ASSERT_TRUE(result.first_broken);
  EXPECT_EQ(*result.first_broken, 3);
  EXPECT_NE(result.reason.find("missing"), std::string::npos) << result.reason;
}

TEST_F(AuditLogTest, AppendJoinsAnOpenTransactionAndRollsBackWithIt) {
  {
    Transaction transaction(*db_);
    ASSERT_TRUE(AuditLog(*db_).append("a.patel", "settings_change", "retention", 5000));
    // Not committed: rolled back with the action it recorded.
  }
  EXPECT_EQ(AuditLog(*db_).verify().entries, 4);
}

}  // namespace
}  // namespace hm::store
