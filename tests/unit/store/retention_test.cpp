#include "store/retention.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "sealed_store_fixture.h"
#include "store/audit_log.h"
#include "store/capture_repository.h"
#include "store/key_store.h"

namespace hm::store {
namespace {

constexpr TimeUs kDay = 86'400'000'000;
// The fixture's kNow is the test's clock.
class RetentionTest : public SealedStoreFixture {
 protected:
  std::int64_t add(const std::string& category, TimeUs age) {
    return add_capture("aa:bb:cc:dd:ee:01", "text", kNow - age, category);
  }

  bool exists(std::int64_t id) { return CaptureRepository(*db_).find(id).has_value(); }
};

TEST_F(RetentionTest, DefaultsKeepSeriousCategoriesLonger) {
  EXPECT_EQ(default_retention_days("pornography"), 30);
  EXPECT_EQ(default_retention_days("bullying"), 120);
  EXPECT_EQ(default_retention_days("suicide"), 365);
  EXPECT_EQ(default_retention_days("child-sexual-exploitation"), 365);
  EXPECT_EQ(default_retention_days("self-harm"), 365);
  EXPECT_EQ(default_retention_days("mental-health-and-wellbeing"), 120);
  EXPECT_EQ(default_retention_days("a_category_added_later"), kDefaultRetentionDays);
}

TEST_F(RetentionTest, PurgeDeletesOnlyWhatIsPastItsCategorysRetention) {
  const auto old_porn = add("pornography", 31 * kDay);
  const auto new_porn = add("pornography", 29 * kDay);
  const auto old_suicide = add("suicide", 200 * kDay);
  const auto ancient_suicide = add("suicide", 366 * kDay);
  auto purged = purge_expired(*db_, kNow);
  ASSERT_TRUE(purged) << purged.error();
  EXPECT_EQ(purged->deleted, 2);
  EXPECT_FALSE(exists(old_porn));
  EXPECT_TRUE(exists(new_porn));
  EXPECT_TRUE(exists(old_suicide));
  EXPECT_FALSE(exists(ancient_suicide));

  // Time moves on: the clock, not the wall, decides.
  auto later = purge_expired(*db_, kNow + 2 * kDay);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->deleted, 1);
  EXPECT_FALSE(exists(new_porn));
  EXPECT_TRUE(exists(old_suicide));
}

TEST_F(RetentionTest, PurgeWorksInSmallTransactionsAndIsAudited) {
  for (int i = 0; i < 250; ++i) add("gambling", 40 * kDay);
  add("gambling", kDay);
  auto purged = purge_expired(*db_, kNow, PurgeSettings{50, {}});
  ASSERT_TRUE(purged) << purged.error();
  EXPECT_EQ(purged->deleted, 250);
  EXPECT_GE(purged->transactions, 5);
  EXPECT_EQ(CaptureRepository(*db_).count(), 1);
  Statement entry(*db_, "SELECT actor, detail FROM audit_log WHERE action = 'purge';");
  ASSERT_TRUE(entry.step());
  EXPECT_EQ(entry.column_text(0), "system");
  EXPECT_EQ(entry.column_text(1), "250 captures past retention deleted (gambling 250)");
  EXPECT_FALSE(AuditLog(*db_).verify().first_broken);
  // Nothing expired: no entry.
  ASSERT_TRUE(purge_expired(*db_, kNow));
  Statement count(*db_, "SELECT count(*) FROM audit_log WHERE action = 'purge';");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.column_int(0), 1);
}

TEST_F(RetentionTest, CapturesOfAnOpenIncidentAreHeld) {
  const auto held = add("drugs", 60 * kDay);
  const auto gone = add("drugs", 60 * kDay);
  PurgeSettings settings;
  settings.held_by_open_incident = [&](Database&, std::int64_t id) { return id == held; };
  auto purged = purge_expired(*db_, kNow, settings);
  ASSERT_TRUE(purged);
  EXPECT_EQ(purged->deleted, 1);
  EXPECT_EQ(purged->held, 1);
  EXPECT_TRUE(exists(held));
  EXPECT_FALSE(exists(gone));
  // Once the incident closes, the next purge takes it.
  ASSERT_TRUE(purge_expired(*db_, kNow));
  EXPECT_FALSE(exists(held));
}

TEST_F(RetentionTest, ASchoolsOwnPeriodIsCheckedStoredAndAudited) {
  auto too_short = set_retention_days(*db_, "pornography", 3, "a.patel");
  ASSERT_FALSE(too_short);
  EXPECT_NE(too_short.error().find("from 7 to 3650 days"), std::string::npos) << too_short.error();
  ASSERT_TRUE(set_retention_days(*db_, "pornography", 60, "a.patel"));
  EXPECT_EQ(retention_days(*db_, "pornography"), 60);
  const auto kept = add("pornography", 45 * kDay);
  ASSERT_TRUE(purge_expired(*db_, kNow));
  EXPECT_TRUE(exists(kept));
  Statement entry(*db_, "SELECT detail FROM audit_log WHERE action = 'settings_change';");
  ASSERT_TRUE(entry.step());
  EXPECT_EQ(entry.column_text(0), "retention of pornography: 30 -> 60 days");
}

TEST_F(RetentionTest, ThePurgerRunsOnItsOwnClockAndStops) {
  const auto expired = add("gambling", 31 * kDay);
  std::atomic<TimeUs> clock{kNow - 2 * kDay};  // not yet expired at first
  RetentionPurger purger(dir_, std::chrono::milliseconds(20), [&] { return clock.load(); });
  for (int i = 0; i < 200 && purger.runs() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(exists(expired));
  clock = kNow;
  const auto before = purger.runs();
  for (int i = 0; i < 400 && purger.runs() < before + 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  purger.stop();
  EXPECT_FALSE(exists(expired));
}

}  // namespace
}  // namespace hm::store
