#include "store/group_repository.h"

#include <gtest/gtest.h>

#include "sealed_store_fixture.h"
#include "store/people_repository.h"

namespace hm::store {
namespace {

using GroupRepositoryTest = SealedStoreFixture;

TEST_F(GroupRepositoryTest, StoresShowsAndReplacesAnAgeProfile) {
  GroupRepository groups(*db_);
  auto vulnerable = groups.create("Vulnerable / high-risk", GroupKind::vulnerable, "head");
  ASSERT_TRUE(vulnerable) << vulnerable.error();
  EXPECT_FALSE(groups.create("vulnerable / HIGH-risk", GroupKind::custom, "head"))
      << "names are unique without case";
  EXPECT_FALSE(groups.create("", GroupKind::custom, "head"));
  EXPECT_TRUE(groups.profile(*vulnerable).empty());

  ASSERT_TRUE(
      groups.set_profile(*vulnerable, {{"self_harm", 1}, {"gambling", kNeverAlert}}, "head"));
  EXPECT_EQ(groups.profile(*vulnerable),
            (std::map<std::string, int>{{"self_harm", 1}, {"gambling", kNeverAlert}}));
  EXPECT_FALSE(groups.set_profile(*vulnerable, {{"self_harm", 0}}, "head"));
  EXPECT_FALSE(groups.set_profile(*vulnerable, {{"self_harm", 7}}, "head"));
  EXPECT_FALSE(groups.set_profile(404, {{"self_harm", 2}}, "head"));
  ASSERT_TRUE(groups.set_profile(*vulnerable, {{"bullying", 2}}, "head"));
  EXPECT_EQ(groups.profile(*vulnerable), (std::map<std::string, int>{{"bullying", 2}}))
      << "a profile is replaced whole";

  // The most sensitive profile of a person's groups decides (issue 7).
  auto year6 = groups.create("Year 6", GroupKind::year, "head");
  ASSERT_TRUE(year6);
  ASSERT_TRUE(groups.set_profile(*year6, {{"bullying", 4}, {"drugs", 3}}, "head"));
  EXPECT_EQ(alert_threshold(*db_, {*year6, *vulnerable}, "bullying"), 2);
  EXPECT_EQ(alert_threshold(*db_, {*year6, *vulnerable}, "drugs"), 3);
  EXPECT_EQ(alert_threshold(*db_, {*year6, *vulnerable}, "violence"), std::nullopt);

  ASSERT_TRUE(groups.remove(*year6, "head"));
  EXPECT_FALSE(groups.find(*year6));
  EXPECT_EQ(alert_threshold(*db_, {*year6}, "drugs"), std::nullopt) << "its profile went with it";
  EXPECT_EQ(audit_count("people_change"), 6);
}

TEST_F(GroupRepositoryTest, ImportMakesYearGroupsClassesAndStaffAndMembershipsFollow) {
  std::vector<evidence::Person> people(3);
  people[0] = {"Ada", "4B", "", {}, "Year 4", false};
  people[1] = {"Alan", "4B", "", {}, "Year 4", false};
  people[2] = {"Ms Hopper", "", "", {}, "", true};
  ASSERT_TRUE(PeopleRepository(*db_).import(people, public_key_, false, "head"));
  GroupRepository groups(*db_);
  std::map<std::string, Group> by_name;
  for (const auto& group : groups.list()) by_name[group.name] = group;
  ASSERT_EQ(by_name.size(), 3u);
  EXPECT_EQ(by_name["Year 4"].kind, GroupKind::year);
  EXPECT_EQ(by_name["Year 4"].members, 2);
  EXPECT_EQ(by_name["4B"].kind, GroupKind::class_group);
  EXPECT_EQ(by_name["Staff"].kind, GroupKind::staff);
  EXPECT_EQ(groups.members(by_name["Staff"].id), std::vector<std::int64_t>{3});

  auto vulnerable = groups.create("Vulnerable", GroupKind::vulnerable, "head");
  ASSERT_TRUE(vulnerable);
  ASSERT_TRUE(groups.set_membership(*vulnerable, 2, true, "head"));
  EXPECT_FALSE(groups.set_membership(*vulnerable, 99, true, "head"));
  EXPECT_EQ(groups.groups_of(2).size(), 3u);
  ASSERT_TRUE(groups.set_membership(*vulnerable, 2, false, "head"));
  EXPECT_EQ(groups.groups_of(2).size(), 2u);
}

}  // namespace
}  // namespace hm::store
