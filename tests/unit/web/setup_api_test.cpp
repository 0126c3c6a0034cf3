// The setup wizard after the account (firmware/src/web/api/setup.cpp): the steps in
// order, each marked done or skipped and remembered, the wizard finished; only for
// roles that run the box.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "web_fixture.h"

namespace hm::web {
namespace {

class SetupWizardApiTest : public testing::ApiTest {};

TEST_F(SetupWizardApiTest, NeedsASession) {
  EXPECT_EQ(call("GET", "/api/setup/wizard").status, 401);
  EXPECT_EQ(call("PUT", "/api/setup/wizard", {{"step", "school"}, {"state", "done"}}).status, 401);
}

TEST_F(SetupWizardApiTest, StartsAtTheSchoolsNameWithEveryStepToDo) {
  sign_in();
  const Response answer = call("GET", "/api/setup/wizard");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto body = json(answer);
  EXPECT_EQ(body["next"], "school");
  EXPECT_FALSE(body["finished"].get<bool>());
  std::vector<std::string> ids;
  for (const auto& step : body["steps"]) {
    ids.push_back(step["id"]);
    EXPECT_EQ(step["state"], "todo");
    EXPECT_FALSE(step["title"].get<std::string>().empty());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"school", "retention", "dsl", "mail", "mirror"}));
}

TEST_F(SetupWizardApiTest, RemembersWhereItGotToAcrossSessions) {
  sign_in();
  ASSERT_EQ(call("PUT", "/api/setup/wizard", {{"step", "school"}, {"state", "done"}}).status, 200);
  const Response skipped =
      call("PUT", "/api/setup/wizard", {{"step", "retention"}, {"state", "skipped"}});
  ASSERT_EQ(skipped.status, 200);
  EXPECT_EQ(json(skipped)["next"], "dsl");

  // Signed out and in again (another browser): the same place.
  ASSERT_EQ(call("POST", "/api/logout", nlohmann::json::object()).status, 200);
  const Response login =
      call("POST", "/api/login", {{"username", "a.patel"}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200);
  for (const auto& [name, value] : login.headers) {
    if (name == "Set-Cookie") cookie_ = value.substr(0, value.find(';'));
  }
  const auto body = json(call("GET", "/api/setup/wizard"));
  EXPECT_EQ(body["next"], "dsl");
  EXPECT_EQ(body["steps"][0]["state"], "done");
  EXPECT_EQ(body["steps"][1]["state"], "skipped");

  for (const char* step : {"dsl", "mail", "mirror"}) {
    ASSERT_EQ(call("PUT", "/api/setup/wizard", {{"step", step}, {"state", "done"}}).status, 200);
  }
  EXPECT_TRUE(json(call("GET", "/api/setup/wizard"))["next"].is_null());
  EXPECT_FALSE(json(call("GET", "/api/setup/wizard"))["finished"].get<bool>());
  const Response finished = call("PUT", "/api/setup/wizard", {{"finished", true}});
  ASSERT_EQ(finished.status, 200);
  EXPECT_TRUE(json(finished)["finished"].get<bool>());
}

TEST_F(SetupWizardApiTest, OnlyTheSetupPageStartsTheWizard) {
  sign_in();  // through the API, as a script would: not sent to the wizard
  EXPECT_FALSE(json(call("GET", "/api/setup/wizard"))["started"].get<bool>());
}

TEST_F(SetupWizardApiTest, TheSetupPageStartsTheWizardForAfterSigningIn) {
  std::string code;
  {
    auto db = store::Database::open(data_dir_);
    code = store::ensure_setup_code(**db);
  }
  ASSERT_EQ(call("POST", "/api/setup",
                 {{"setup_code", code},
                  {"display_name", "Anita Patel"},
                  {"username", "a.patel"},
                  {"password", kPassword},
                  {"wizard", true}})
                .status,
            201);
  const Response login =
      call("POST", "/api/login", {{"username", "a.patel"}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200);
  for (const auto& [name, value] : login.headers) {
    if (name == "Set-Cookie") cookie_ = value.substr(0, value.find(';'));
  }
  const auto body = json(call("GET", "/api/setup/wizard"));
  EXPECT_TRUE(body["started"].get<bool>());
  EXPECT_FALSE(body["finished"].get<bool>());
  EXPECT_EQ(body["next"], "school");
}

TEST_F(SetupWizardApiTest, RefusesUnknownStepsAndStates) {
  sign_in();
  EXPECT_EQ(call("PUT", "/api/setup/wizard", {{"step", "nonsense"}, {"state", "done"}}).status,
            400);
  EXPECT_EQ(call("PUT", "/api/setup/wizard", {{"step", "mail"}, {"state", "half"}}).status, 400);
  EXPECT_EQ(call("PUT", "/api/setup/wizard", {{"state", "done"}}).status, 400);
  EXPECT_EQ(call("PUT", "/api/setup/wizard", {{"finished", "yes"}}).status, 400);
  EXPECT_EQ(json(call("GET", "/api/setup/wizard"))["next"], "school");
}

TEST_F(SetupWizardApiTest, TheAccountStepStillGivesTheRecoveryKeyOnce) {
  std::string code;
  {
    auto db = store::Database::open(data_dir_);
    code = store::ensure_setup_code(**db);
  }
  const Response made = call("POST", "/api/setup",
                             {{"setup_code", code},
                              {"display_name", "Anita Patel"},
                              {"username", "a.patel"},
                              {"password", kPassword}});
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_FALSE(json(made)["recovery_key"].get<std::string>().empty());
  EXPECT_EQ(call("POST", "/api/setup",
                 {{"setup_code", code},
                  {"display_name", "Someone Else"},
                  {"username", "s.else"},
                  {"password", kPassword}})
                .status,
            409);
  EXPECT_FALSE(json(call("GET", "/api/setup/status"))["setup_needed"].get<bool>());
}

}  // namespace
}  // namespace hm::web
