// How long captures are kept, set from the browser (firmware/src/web/api/settings.cpp):
// every category with its default, a change stored and audited, bad values refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store/retention.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

class SettingsApiTest : public testing::ApiTest {};

TEST_F(SettingsApiTest, NeedsASession) {
  EXPECT_EQ(call("GET", "/api/settings/retention").status, 401);
  EXPECT_EQ(call("PUT", "/api/settings/retention", {{"category", "drugs"}, {"days", 60}}).status,
            401);
}

TEST_F(SettingsApiTest, ListsEveryCategoryWithItsDefault) {
  sign_in();
  const Response answer = call("GET", "/api/settings/retention");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto body = json(answer);
  EXPECT_EQ(body["categories"].size(), 17U);
  EXPECT_EQ(body["min_days"], store::kMinimumRetentionDays);
  EXPECT_EQ(body["max_days"], store::kMaximumRetentionDays);
  EXPECT_TRUE(body["can_edit"].get<bool>());
  for (const auto& category : body["categories"]) {
    EXPECT_EQ(category["days"], category["default_days"]) << category.dump();
    if (category["id"] == "suicide") {
      EXPECT_EQ(category["default_days"], 365);
    }
    if (category["id"] == "drugs") {
      EXPECT_EQ(category["default_days"], 30);
    }
  }
}

TEST_F(SettingsApiTest, AChangeIsStoredUsedByThePurgeAndAudited) {
  sign_in();
  const Response changed =
      call("PUT", "/api/settings/retention", {{"category", "drugs"}, {"days", 60}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json(changed)["days"], 60);
  const auto listed = json(call("GET", "/api/settings/retention"));
  for (const auto& category : listed["categories"]) {
    if (category["id"] == "drugs") {
      EXPECT_EQ(category["days"], 60);
    }
  }
  {
    auto db = store::Database::open(data_dir_);
    EXPECT_EQ(store::retention_days(**db, "drugs"), 60);  // what the hourly purge reads
  }
  EXPECT_EQ(audit_details("settings_change"),
            std::vector<std::string>{"a.patel retention of drugs: 30 -> 60 days"});
}

TEST_F(SettingsApiTest, RefusesUnknownCategoriesAndDaysOutOfRange) {
  sign_in();
  const auto put = [&](const nlohmann::json& body) {
    return call("PUT", "/api/settings/retention", body);
  };
  EXPECT_EQ(put({{"category", "drugs"}, {"days", 6}}).status, 400);
  EXPECT_EQ(put({{"category", "drugs"}, {"days", 3651}}).status, 400);
  EXPECT_EQ(put({{"category", "drugs"}, {"days", "60"}}).status, 400);
  EXPECT_EQ(put({{"category", "homework"}, {"days", 60}}).status, 400);
  EXPECT_EQ(put({{"days", 60}}).status, 400);
  const Response out_of_range = put({{"category", "suicide"}, {"days", 2}});
  EXPECT_NE(json(out_of_range)["message"].get<std::string>().find("7 to 3650 days"),
            std::string::npos)
      << out_of_range.body;
  EXPECT_TRUE(audit_details("settings_change").empty());
}

}  // namespace
}  // namespace hm::web

namespace hm::web {
namespace {

// The school's name and the DSL's email address (issue 6 item 1): set in the setup
// wizard or on the Settings page by the headteacher; checked, audited, and the DSL's
// address shown only to roles that see people.
class SchoolSettingsApiTest : public testing::ApiTest {};

TEST_F(SchoolSettingsApiTest, SavesTheSchoolsNameAndTheDslsAddress) {
  sign_in();
  EXPECT_EQ(json(call("GET", "/api/settings/school"))["school_name"], "");
  const Response saved = call("PUT", "/api/settings/school",
                              {{"school_name", "  Ysgol Gynradd Llanfair – Ñandú  "},
                               {"dsl_email", "dsl@llanfair.sch.uk"}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  const auto body = json(call("GET", "/api/settings/school"));
  EXPECT_EQ(body["school_name"], "Ysgol Gynradd Llanfair – Ñandú");
  EXPECT_EQ(body["dsl_email"], "dsl@llanfair.sch.uk");
  EXPECT_TRUE(body["can_edit"].get<bool>());
  EXPECT_EQ(audit_details("school_name").size(), 1u);
  EXPECT_EQ(audit_details("dsl_email").size(), 1u);

  // One field alone leaves the other.
  ASSERT_EQ(
      call("PUT", "/api/settings/school", {{"dsl_email", "safeguarding@llanfair.sch.uk"}}).status,
      200);
  EXPECT_EQ(json(call("GET", "/api/settings/school"))["school_name"],
            "Ysgol Gynradd Llanfair – Ñandú");
}

TEST_F(SchoolSettingsApiTest, RefusesHeaderInjectionAndBadAddresses) {
  sign_in();
  const Response injected = call("PUT", "/api/settings/school",
                                 {{"school_name", "St Mary's\r\nBcc: all@elsewhere.example"}});
  EXPECT_EQ(injected.status, 400);
  EXPECT_NE(json(injected)["message"].get<std::string>().find("line breaks"), std::string::npos);
  EXPECT_EQ(call("PUT", "/api/settings/school", {{"school_name", "   "}}).status, 400);
  EXPECT_EQ(call("PUT", "/api/settings/school", {{"dsl_email", "anita"}}).status, 400);
  EXPECT_EQ(
      call("PUT", "/api/settings/school", {{"dsl_email", "a@b.example\nBcc: c@d.example"}}).status,
      400);
  EXPECT_EQ(call("PUT", "/api/settings/school", nlohmann::json::object()).status, 400);
  EXPECT_EQ(json(call("GET", "/api/settings/school"))["school_name"], "");
}

}  // namespace
}  // namespace hm::web
