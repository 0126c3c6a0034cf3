#include "evidence/people_csv.h"

#include <gtest/gtest.h>

namespace hm::evidence {
namespace {

TEST(PeopleCsv, ReadsAnExportWithBomCrlfQuotesAndExtraColumns) {
  const auto people = parse_people_csv(
      "\xEF\xBB\xBFName,Class,MAC Address,Host name,UPN,Date of birth\r\n"
      "\"Smith, Jo\",5B,3C-22-FB-01-02-03,JO-iPad,A123,2015-01-01\r\n"
      "\r\n"
      "   \r\n"
      "Amir Khan,6A,\"aabb.ccdd.eeff; amir-laptop\",,,\r\n");
  ASSERT_TRUE(people) << people.error();
  ASSERT_EQ(people->size(), 2u);
  const Person& jo = (*people)[0];
  EXPECT_EQ(jo.name, "Smith, Jo");
  EXPECT_EQ(jo.group, "5B");
  EXPECT_EQ(jo.upn, "A123");
  EXPECT_EQ(jo.devices, (std::vector<std::string>{"3c:22:fb:01:02:03", "jo-ipad"}));
  const Person& amir = (*people)[1];
  EXPECT_EQ(amir.name, "Amir Khan");
  EXPECT_EQ(amir.devices, (std::vector<std::string>{"aa:bb:cc:dd:ee:ff", "amir-laptop"}));
  EXPECT_TRUE(amir.upn.empty());
}

TEST(PeopleCsv, JoinsFirstNameAndSurnameAndKeepsQuotesAndLineBreaks) {
  const auto people = parse_people_csv(
      "Forename,Surname,Tutor group,Device\n"
      "\"Sam \"\"Sammy\"\"\",O'Neil,4,001122334455\n"
      "Mia,\"Li\nWong\",3,mia-cb\n"
      "Lone,,2,\n");
  ASSERT_TRUE(people) << people.error();
  ASSERT_EQ(people->size(), 3u);
  EXPECT_EQ((*people)[0].name, "Sam \"Sammy\" O'Neil");
  EXPECT_EQ((*people)[0].devices.front(), "00:11:22:33:44:55");
  EXPECT_EQ((*people)[1].name, "Mia Li\nWong");
  EXPECT_EQ((*people)[2].name, "Lone");
  EXPECT_TRUE((*people)[2].devices.empty());
}

TEST(PeopleCsv, NamesTheLineOfAMalformedRow) {
  // The unclosed quote starts on line 3 (after a quoted line break on line 2).
  auto unclosed = parse_people_csv("name,mac\n\"A\nB\",aa:bb:cc:dd:ee:ff\n\"C,aa\n");
  ASSERT_FALSE(unclosed);
  EXPECT_NE(unclosed.error().find("line 4"), std::string::npos) << unclosed.error();
  EXPECT_NE(unclosed.error().find("never closed"), std::string::npos);

  auto after_quote = parse_people_csv("name,mac\nok,\n\"Jo\"x,aa\n");
  ASSERT_FALSE(after_quote);
  EXPECT_NE(after_quote.error().find("line 3"), std::string::npos) << after_quote.error();

  auto no_name = parse_people_csv("name,class\nJo,1\n,2\n");
  ASSERT_FALSE(no_name);
  EXPECT_NE(no_name.error().find("line 3: no name"), std::string::npos) << no_name.error();

  auto bad_device = parse_people_csv("name,device\nJo,not a/device\n");
  ASSERT_FALSE(bad_device);
  EXPECT_NE(bad_device.error().find("line 2"), std::string::npos) << bad_device.error();
}

TEST(PeopleCsv, RefusesFilesWithoutANameColumnOrAnyLines) {
  auto empty = parse_people_csv("\n\r\n");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().find("empty"), std::string::npos);
  auto no_name = parse_people_csv("class,mac\n5B,aa:bb:cc:dd:ee:ff\n");
  ASSERT_FALSE(no_name);
  EXPECT_NE(no_name.error().find("line 1: the header has no name column"), std::string::npos);
  auto too_long = parse_people_csv("name\n" + std::string(kMaxPeopleCsvField + 1, 'a') + "\n");
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().find("line 2"), std::string::npos);
}

TEST(PeopleCsv, ShortRowsAndNoFinalLineEndAreFine) {
  const auto people = parse_people_csv("name,class,mac\nJo");
  ASSERT_TRUE(people) << people.error();
  ASSERT_EQ(people->size(), 1u);
  EXPECT_EQ((*people)[0].name, "Jo");
  EXPECT_TRUE((*people)[0].group.empty());
}

TEST(PeopleCsv, NormalisesMacAddressesAndHostNames) {
  EXPECT_EQ(normalise_mac("AA-BB-CC-DD-EE-FF"), "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(normalise_mac("aabb.ccdd.eeff"), "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(normalise_mac("AABBCCDDEEFF"), "aa:bb:cc:dd:ee:ff");
  EXPECT_FALSE(normalise_mac("aa:bb:cc:dd:ee"));
  EXPECT_FALSE(normalise_mac("gg:bb:cc:dd:ee:ff"));
  EXPECT_EQ(normalise_device(" Pupil-iPad_12 "), "pupil-ipad_12");
  EXPECT_FALSE(normalise_device(""));
  EXPECT_FALSE(normalise_device("two words"));
}

TEST(PeopleCsv, APersonSurvivesSerialisingForSealing) {
  const Person person{"Zoë \"Z\" Adams", "Year 6", "Z99", {"aa:bb:cc:dd:ee:ff", "zoe-cb"}};
  const auto back = parse_person(serialize(person));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->name, person.name);
  EXPECT_EQ(back->group, person.group);
  EXPECT_EQ(back->upn, person.upn);
  EXPECT_EQ(back->devices, person.devices);
  EXPECT_FALSE(parse_person("not json"));
  EXPECT_FALSE(parse_person("{\"group\":\"1\"}"));
}

}  // namespace
}  // namespace hm::evidence
