#include "store/people_repository.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/seal.h"
#include "sealed_store_fixture.h"
#include "store/audit_log.h"
#include "store/device_repository.h"
#include "store/group_repository.h"

namespace hm::store {
namespace {

using PeopleRepositoryTest = SealedStoreFixture;

std::vector<evidence::Person> school() {
  return {{"Jolene Quartermaine", "5B", "A123", {"3c:22:fb:01:02:03", "jolene-ipad"}},
          {"Amir Featherstonehaugh", "6A", "", {"aa:bb:cc:dd:ee:ff"}}};
}

TEST_F(PeopleRepositoryTest, ImportSealsNamesSoNoFileHoldsThem) {
  PeopleRepository people(*db_);
  auto imported = people.import(school(), public_key_, false, "console", kNow);
  ASSERT_TRUE(imported) << imported.error();
  EXPECT_EQ(imported->imported, 2);
  EXPECT_EQ(people.count(), 2);
  // Checkpoint too, so the main file is searched as well as the WAL.
  ASSERT_TRUE(db_->exec("PRAGMA wal_checkpoint(TRUNCATE);"));
  const std::string bytes = folder_bytes();
  for (const char* secret : {"Jolene", "Quartermaine", "Featherstonehaugh", "jolene-ipad",
                             "3c:22:fb:01:02:03", "A123"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " is readable on disk";
  }
  Statement entry(*db_, "SELECT actor, detail FROM audit_log WHERE action = 'people_import';");
  ASSERT_TRUE(entry.step());
  EXPECT_EQ(entry.column_text(0), "console");
  EXPECT_EQ(entry.column_text(1), "2 people imported, names sealed");
  EXPECT_FALSE(AuditLog(*db_).verify().first_broken);
}

TEST_F(PeopleRepositoryTest, OpensOnlyWithThePrivateKeyAndInItsOwnRow) {
  PeopleRepository people(*db_);
  ASSERT_TRUE(people.import(school(), public_key_, false, "console", kNow));
  auto opened = people.open_all(private_key_);
  EXPECT_EQ(opened.unreadable, 0);
  ASSERT_EQ(opened.people.size(), 2u);
  EXPECT_EQ(opened.people[0].person.name, "Jolene Quartermaine");
  EXPECT_EQ(opened.people[0].person.devices[1], "jolene-ipad");
  EXPECT_EQ(opened.people[1].person.group, "6A");

  crypto::SecretBytes wrong(crypto::kPrivateKeyBytes);
  wrong.data()[31] = 1;
  EXPECT_EQ(people.open_all(wrong).people.size(), 0u);
  // A sealed record moved to another row does not open there.
  ASSERT_TRUE(
      db_->exec("UPDATE people SET sealed = (SELECT sealed FROM people WHERE id = 1) "
                "WHERE id = 2;"));
  EXPECT_EQ(people.open_all(private_key_).unreadable, 1);
}

TEST_F(PeopleRepositoryTest, ReplaceDropsTheEarlierImport) {
  PeopleRepository people(*db_);
  ASSERT_TRUE(people.import(school(), public_key_, false, "console", kNow));
  auto again = people.import(school(), public_key_, false, "console", kNow);
  ASSERT_TRUE(again);
  EXPECT_EQ(people.count(), 4);
  const std::vector<evidence::Person> one{school().front()};
  auto replaced = people.import(one, public_key_, true, "console", kNow);
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->replaced, 4);
  EXPECT_EQ(people.count(), 1);
  EXPECT_EQ(audit_count("people_import"), 3);
  EXPECT_FALSE(people.import(school(), std::vector<std::uint8_t>(65, 0), false, "console"));
}

}  // namespace
}  // namespace hm::store

namespace hm::store {
namespace {

using PeopleMergeTest = SealedStoreFixture;

// The web UI's import keeps everyone's id (and so their devices and groups) when the
// same pupils come again, matched by UPN.
TEST_F(PeopleMergeTest, AnImportAgainKeepsIdsAndAssignsTheirDevices) {
  std::vector<evidence::Person> first(2);
  first[0] = {"Ada Lovelace", "4B", "A100", {"3c:22:fb:01:02:03", "ada-ipad"}, "Year 4", false};
  first[1] = {"Alan Turing", "5A", "A200", {}, "Year 5", false};
  PeopleRepository people(*db_);
  auto merged = people.merge(first, public_key_, private_key_, "head", kNow);
  ASSERT_TRUE(merged) << merged.error();
  EXPECT_EQ(merged->added, 2);
  DeviceRepository devices(*db_);
  ASSERT_TRUE(devices.assignment_at("3c:22:fb:01:02:03", kNow));
  EXPECT_EQ(devices.assignment_at("3c:22:fb:01:02:03", kNow)->person_id, 1);

  std::vector<evidence::Person> second(2);
  second[0] = {"Ada Lovelace", "5B", "a100", {"3c:22:fb:01:02:03"}, "Year 5", false};  // moved up
  second[1] = {"Grace Hopper", "", "S1", {}, "", true};
  merged = people.merge(second, public_key_, private_key_, "head", kNow + 1);
  ASSERT_TRUE(merged) << merged.error();
  EXPECT_EQ(merged->added, 1);
  EXPECT_EQ(merged->updated, 1);
  EXPECT_EQ(merged->kept, 1);
  EXPECT_EQ(people.open_one(1, private_key_)->person.group, "5B");
  EXPECT_EQ(people.open_one(3, private_key_)->person.name, "Grace Hopper");
  EXPECT_EQ(devices.assignments_of_device("3c:22:fb:01:02:03").size(), 1u)
      << "the same device for the same person is not assigned again";
  std::vector<std::int64_t> ada_groups = GroupRepository(*db_).groups_of(1);
  std::vector<std::string> names;
  for (const auto id : ada_groups) names.push_back(GroupRepository(*db_).find(id)->name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"5B", "Year 5"})) << "she left Year 4 and 4B";

  std::vector<evidence::Person> twice(2, first[1]);
  EXPECT_FALSE(people.merge(twice, public_key_, private_key_, "head", kNow + 2));
  EXPECT_EQ(people.count(), 3);
  EXPECT_EQ(audit_count("people_import"), 2);
}

}  // namespace
}  // namespace hm::store
