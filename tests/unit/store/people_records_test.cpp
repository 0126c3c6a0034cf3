#include "store/people_records.h"

#include <gtest/gtest.h>

#include "sealed_store_fixture.h"
#include "store/audit_log.h"

namespace hm::store {
namespace {

class PeopleRecordsTest : public SealedStoreFixture {
 protected:
  void SetUp() override {
    SealedStoreFixture::SetUp();
    const std::vector<evidence::Person> school{
        {"Jolene Quartermaine", "5B", "A123", {"aa:bb:cc:dd:ee:01", "jolene-ipad"}},
        {"Sam Lee", "5B", "", {"aa:bb:cc:dd:ee:02"}},
        {"Sam Lee", "6A", "", {"aa:bb:cc:dd:ee:03"}}};
    ASSERT_TRUE(PeopleRepository(*db_).import(school, public_key_, false, "console", kNow));
    jolene_1_ = add_capture("aa:bb:cc:dd:ee:01", "jolene searched this", kNow - 10);
    jolene_2_ = add_capture("aa:bb:cc:dd:ee:01", "and later this", kNow);
    other_ = add_capture("aa:bb:cc:dd:ee:02", "sam searched", kNow);
  }
  std::int64_t jolene_1_ = 0, jolene_2_ = 0, other_ = 0;
};

TEST_F(PeopleRecordsTest, FindsAPersonByNameWithTheirCapturesOpenedOldestFirst) {
  auto records = find_subject(*db_, private_key_, {"jolene QUARTERMAINE", "", ""});
  ASSERT_TRUE(records) << records.error();
  ASSERT_EQ(records->people.size(), 1u);
  EXPECT_EQ(records->people[0].person.upn, "A123");
  EXPECT_EQ(records->audit_subject, "person 1");
  ASSERT_EQ(records->captures.size(), 2u);
  EXPECT_EQ(records->captures[0].capture.id, jolene_1_);
  EXPECT_TRUE(records->captures[0].opened);
  EXPECT_EQ(records->captures[0].capture.evidence.text, "jolene searched this");
  EXPECT_EQ(records->captures[1].capture.evidence.text, "and later this");
}

TEST_F(PeopleRecordsTest, AmbiguousOrUnknownNamesAreExplained) {
  auto two = find_subject(*db_, private_key_, {"Sam Lee", "", ""});
  ASSERT_FALSE(two);
  EXPECT_NE(two.error().find("2 people are named \"Sam Lee\" (groups: 5B, 6A)"), std::string::npos)
      << two.error();
  auto narrowed = find_subject(*db_, private_key_, {"Sam Lee", "5b", ""});
  ASSERT_TRUE(narrowed) << narrowed.error();
  EXPECT_EQ(narrowed->captures.size(), 1u);
  EXPECT_FALSE(find_subject(*db_, private_key_, {"Nobody", "", ""}));
}

TEST_F(PeopleRecordsTest, FindsADeviceAndWhoseItIs) {
  auto records = find_subject(*db_, private_key_, {"", "", "AA-BB-CC-DD-EE-01"});
  ASSERT_TRUE(records) << records.error();
  EXPECT_EQ(records->audit_subject, "device aa:bb:cc:dd:ee:01");
  ASSERT_EQ(records->people.size(), 1u);
  EXPECT_EQ(records->people[0].person.name, "Jolene Quartermaine");
  EXPECT_EQ(records->captures.size(), 2u);
  EXPECT_FALSE(find_subject(*db_, private_key_, {"", "", "not a device!"}));
}

TEST_F(PeopleRecordsTest, ErasureDeletesThePersonAndTheirCapturesAndIsAudited) {
  auto records = find_subject(*db_, private_key_, {"Jolene Quartermaine", "", ""});
  ASSERT_TRUE(records);
  auto erased = erase_subject(*db_, *records, false, "", "a.patel", kNow);
  ASSERT_TRUE(erased) << erased.error();
  EXPECT_EQ(erased->people, 1);
  EXPECT_EQ(erased->captures, 2);
  EXPECT_FALSE(CaptureRepository(*db_).find(jolene_1_));
  EXPECT_TRUE(CaptureRepository(*db_).find(other_));
  EXPECT_EQ(PeopleRepository(*db_).count(), 2);
  Statement entry(*db_, "SELECT actor, detail FROM audit_log WHERE action = 'erasure';");
  ASSERT_TRUE(entry.step());
  EXPECT_EQ(entry.column_text(0), "a.patel");
  EXPECT_EQ(entry.column_text(1), "person 1 erased: 1 person records, 2 captures of 2 devices");
  EXPECT_FALSE(AuditLog(*db_).verify().first_broken);
  EXPECT_FALSE(find_subject(*db_, private_key_, {"Jolene Quartermaine", "", ""}));
}

TEST_F(PeopleRecordsTest, ErasureRefusesCapturesOfAnOpenIncidentUnlessForcedWithAReason) {
  IncidentRepository incidents(*db_);
  auto id = incidents.open("Concern", public_key_, "a.patel", kNow);
  ASSERT_TRUE(id);
  ASSERT_TRUE(incidents.add_captures(*id, std::vector<std::int64_t>{jolene_2_}, "a.patel", kNow));
  auto records = find_subject(*db_, private_key_, {"", "", "aa:bb:cc:dd:ee:01"});
  ASSERT_TRUE(records);
  EXPECT_EQ(records->incidents.size(), 1u);
  auto refused = erase_subject(*db_, *records, false, "", "a.patel", kNow);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("open incident"), std::string::npos);
  EXPECT_TRUE(CaptureRepository(*db_).find(jolene_1_));  // nothing half done
  EXPECT_FALSE(erase_subject(*db_, *records, true, "", "a.patel", kNow));

  auto forced = erase_subject(*db_, *records, true, "court order 123", "a.patel", kNow);
  ASSERT_TRUE(forced) << forced.error();
  EXPECT_EQ(forced->captures, 2);
  EXPECT_EQ(forced->held, 1);
  EXPECT_EQ(forced->people, 0);  // a device's erasure keeps the person's record
  EXPECT_TRUE(incidents.capture_ids(*id).empty());
  Statement entry(*db_, "SELECT detail FROM audit_log WHERE action = 'erasure';");
  ASSERT_TRUE(entry.step());
  EXPECT_NE(entry.column_text(0).find("forced: court order 123"), std::string::npos);
}

}  // namespace
}  // namespace hm::store
