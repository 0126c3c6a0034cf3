#include "store/audit_trail.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "store/audit_log.h"

namespace hm::store {
namespace {

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-audit-trail-" + std::to_string(std::random_device{}()));
    auto opened = Database::open(dir_);
    ASSERT_TRUE(opened.ok()) << opened.error();
    db_ = std::move(opened.value());
    // 120 entries: every third a login by a.patel, the rest evidence views by d.okafor.
    AuditLog log(*db_);
    for (int i = 1; i <= 120; ++i) {
      const bool login = i % 3 == 0;
      ASSERT_TRUE(log.append(login ? "a.patel" : "d.okafor", login ? "login" : "evidence_view",
                             "entry " + std::to_string(i), 1'750'000'000'000'000 + i));
    }
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(AuditTrailTest, PagesNewestFirstWithoutGapsOrRepeats) {
  AuditTrail trail(*db_);
  std::vector<std::int64_t> seen;
  AuditQuery query;
  query.limit = 50;
  int pages = 0;
  for (;;) {
    const auto page = trail.page(query);
    ++pages;
    for (const auto& entry : page.entries) seen.push_back(entry.id);
    if (!page.next_before_id) break;
    query.before_id = page.next_before_id;
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 120U);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 120 - static_cast<int>(i));
}

TEST_F(AuditTrailTest, FiltersByActionAndByPerson) {
  AuditTrail trail(*db_);
  AuditQuery logins;
  logins.action = "login";
  logins.limit = 30;
  const auto first = trail.page(logins);
  ASSERT_EQ(first.entries.size(), 30U);
  EXPECT_EQ(first.entries.front().id, 120);
  EXPECT_EQ(first.entries.front().detail, "entry 120");
  ASSERT_TRUE(first.next_before_id);
  logins.before_id = first.next_before_id;
  const auto second = trail.page(logins);
  EXPECT_EQ(second.entries.size(), 10U);
  EXPECT_FALSE(second.next_before_id);
  for (const auto& entry : second.entries) EXPECT_EQ(entry.actor, "a.patel");

  AuditQuery both;
  both.action = "login";
  both.actor = "d.okafor";
  EXPECT_TRUE(trail.page(both).entries.empty());
  AuditQuery person;
  person.actor = "d.okafor";
  person.limit = 200;
  EXPECT_EQ(trail.page(person).entries.size(), 80U);
  EXPECT_EQ(trail.actions(), (std::vector<std::string>{"evidence_view", "login"}));
}

TEST_F(AuditTrailTest, ThePageSizeIsBounded) {
  AuditQuery query;
  query.limit = 100000;
  EXPECT_EQ(AuditTrail(*db_).page(query).entries.size(),
            static_cast<std::size_t>(AuditTrail::kMaxPage) > 120 ? 120U : 200U);
  query.limit = 0;
  EXPECT_EQ(AuditTrail(*db_).page(query).entries.size(), 1U);
}

}  // namespace
}  // namespace hm::store
