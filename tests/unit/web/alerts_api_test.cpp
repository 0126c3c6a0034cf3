// The Alerts page's API (web/api/alerts.cpp): the rules with their validation and
// audit entries, who may read and change them, the alerts' settings, the outbox and
// its "try again", the masthead's counts, and saving the mail server sending at once.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alerts/alert_engine.h"
#include "alerts/clock.h"
#include "alerts/outbox.h"
#include "store/settings_repository.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

class AlertsApiTest : public testing::ApiTest {
 protected:
  Result<alerts::EngineCounts> alerts_pass() {
    auto db = store::Database::open(data_dir_);
    alerts::SystemClock clock;
    return alerts::AlertEngine(**db, clock).process_new_captures();
  }

  static nlohmann::json a_rule() {
    return {{"name", "Bullying after school"},
            {"min_severity", 3},
            {"categories", {"bullying"}},
            {"group_ids", nlohmann::json::array()},
            {"repeat_count", 3},
            {"repeat_window_minutes", 60},
            {"active_hours", {{"from", "15:30"}, {"to", "22:00"}}},
            {"term_time_only", true},
            {"quiet_hours", nullptr},
            {"delivery", "immediate"},
            {"recipients", {"dsl", "head@stmarys.example"}}};
  }

  std::int64_t queue_email(std::string subject) {
    auto db = store::Database::open(data_dir_);
    alerts::NewMessage message;
    message.kind = "alert";
    message.recipients = {"dsl"};
    message.subject = std::move(subject);
    message.body = "the body stays on the box";
    message.attachment_name = "report.pdf";
    message.attachment = "%PDF-secret-bytes";
    auto id = alerts::Outbox(**db).enqueue(message, store::now_us());
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }

  std::optional<alerts::OutboxMessage> email(std::int64_t id) {
    auto db = store::Database::open(data_dir_);
    return alerts::Outbox(**db).find(id);
  }

  void fail_email(std::int64_t id, bool permanent) {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE(
        alerts::Outbox(**db)
            .mark_attempt_failed(id, store::now_us(), "No mail server is set yet", permanent)
            .ok());
  }
};

TEST_F(AlertsApiTest, ListsTheShippedRulesWithTheSettingsAndWhatAFormNeeds) {
  sign_in();
  const Response answer = call("GET", "/api/alerts/rules");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto body = json(answer);
  ASSERT_EQ(body["rules"].size(), 3u);
  const auto& first = body["rules"][0];
  EXPECT_EQ(first["min_severity"], 5);
  EXPECT_EQ(first["delivery"], "immediate");
  EXPECT_EQ(first["recipients"], nlohmann::json({"dsl"}));
  EXPECT_TRUE(first["active_hours"].is_null());
  EXPECT_FALSE(first["summary"].get<std::string>().empty());
  EXPECT_EQ(body["rules"][2]["delivery"], "digest");
  EXPECT_EQ(body["settings"]["group_window_minutes"], 30);
  EXPECT_EQ(body["settings"]["digest_time"], "16:00");
  EXPECT_EQ(body["settings"]["link_base"], "https://hallmonitor.local:8443");
  EXPECT_EQ(body["settings"]["term_dates"], "");
  EXPECT_GT(body["categories"].size(), 10u);
  EXPECT_TRUE(body["groups"].is_array());
  EXPECT_TRUE(body["can_edit"].get<bool>());
}

TEST_F(AlertsApiTest, ARuleIsAddedChangedTurnedOffAndRemovedWithAuditEntries) {
  sign_in();
  const Response added = call("POST", "/api/alerts/rules", a_rule());
  ASSERT_EQ(added.status, 201) << added.body;
  const auto id = json(added)["id"].get<std::int64_t>();
  EXPECT_EQ(json(added)["active_hours"], nlohmann::json({{"from", "15:30"}, {"to", "22:00"}}));
  EXPECT_EQ(json(added)["repeat_window_minutes"], 60);
  ASSERT_EQ(audit_details("alert_rule_add").size(), 1u);
  EXPECT_NE(audit_details("alert_rule_add")[0].find("a.patel rule " + std::to_string(id)),
            std::string::npos);

  auto changed = a_rule();
  changed["quiet_hours"] = {{"from", "22:00"}, {"to", "07:00"}};
  changed["delivery"] = "digest";
  const Response updated = call("PUT", "/api/alerts/rules/" + std::to_string(id), changed);
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(json(updated)["quiet_hours"], nlohmann::json({{"from", "22:00"}, {"to", "07:00"}}));
  EXPECT_EQ(json(updated)["delivery"], "digest");

  // "Turn off" sends the one field; the rest of the rule stays.
  const Response off = call("PUT", "/api/alerts/rules/" + std::to_string(id), {{"enabled", false}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(json(off)["enabled"].get<bool>());
  EXPECT_EQ(json(off)["name"], "Bullying after school");
  EXPECT_EQ(json(off)["repeat_count"], 3);
  EXPECT_EQ(audit_details("alert_rule_change").size(), 2u);

  const auto listed = json(call("GET", "/api/alerts/rules"))["rules"];
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[3]["id"], id);
  EXPECT_FALSE(listed[3]["enabled"].get<bool>());

  EXPECT_EQ(call("DELETE", "/api/alerts/rules/" + std::to_string(id)).status, 200);
  EXPECT_EQ(json(call("GET", "/api/alerts/rules"))["rules"].size(), 3u);
  EXPECT_EQ(audit_details("alert_rule_remove").size(), 1u);
  EXPECT_EQ(call("DELETE", "/api/alerts/rules/" + std::to_string(id)).status, 404);
  EXPECT_EQ(call("PUT", "/api/alerts/rules/" + std::to_string(id), a_rule()).status, 404);
}

TEST_F(AlertsApiTest, ABadRuleIsRefusedInWordsAndNotSaved) {
  sign_in();
  auto bad_address = a_rule();
  bad_address["recipients"] = {"dsl", "head at stmarys"};
  const Response refused = call("POST", "/api/alerts/rules", bad_address);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(json(refused)["message"].get<std::string>().find("\"head at stmarys\" is not an email"),
            std::string::npos)
      << refused.body;

  const std::pair<const char*, nlohmann::json> cases[] = {
      {"name", ""},
      {"min_severity", 7},
      {"categories", {"not-a-category"}},
      {"group_ids", {424242}},
      {"repeat_window_minutes", 0},
      {"active_hours", {{"from", "25:00"}, {"to", "07:00"}}},
      {"quiet_hours", {{"from", "7pm"}, {"to", "07:00"}}},
      {"delivery", "weekly"},
      {"recipients", nlohmann::json::array()},
      {"recipients", "dsl"},
      {"enabled", "yes"},
  };
  for (const auto& [field, value] : cases) {
    auto rule = a_rule();
    rule[field] = value;
    const Response answer = call("POST", "/api/alerts/rules", rule);
    EXPECT_EQ(answer.status, 400) << field << " = " << value.dump();
    EXPECT_FALSE(json(answer)["message"].get<std::string>().empty());
  }
  EXPECT_EQ(json(call("GET", "/api/alerts/rules"))["rules"].size(), 3u);
  EXPECT_TRUE(audit_details("alert_rule_add").empty());
}

TEST_F(AlertsApiTest, TheDslAndDeputyEditTheRulesATechnicianAndAViewerCannotSeeThem) {
  sign_in();
  for (const auto& [role, name] :
       {std::pair{store::Role::dsl, "dsl"}, std::pair{store::Role::deputy_dsl, "deputy"}}) {
    sign_in_as(role, name);
    EXPECT_EQ(call("GET", "/api/alerts/rules").status, 200) << name;
    EXPECT_EQ(call("POST", "/api/alerts/rules", a_rule()).status, 201) << name;
    EXPECT_EQ(call("GET", "/api/alerts/outbox").status, 200) << name;
  }
  for (const auto& [role, name] :
       {std::pair{store::Role::technician, "tech"}, std::pair{store::Role::viewer, "viewer"}}) {
    sign_in_as(role, name);
    EXPECT_EQ(call("GET", "/api/alerts/rules").status, 403) << name;
    EXPECT_EQ(call("POST", "/api/alerts/rules", a_rule()).status, 403) << name;
    EXPECT_EQ(call("PUT", "/api/alerts/settings", {{"digest_time", "09:00"}}).status, 403) << name;
    EXPECT_EQ(call("GET", "/api/alerts/outbox").status, 403) << name;
    // The masthead's counts name nothing: every role that sees the dashboard gets them.
    EXPECT_EQ(call("GET", "/api/alerts/summary").status, 200) << name;
  }
}

TEST_F(AlertsApiTest, SettingsAreCheckedSavedAndAudited) {
  sign_in();
  const Response saved = call("PUT", "/api/alerts/settings",
                              {{"group_window_minutes", 45},
                               {"digest_time", "15:45"},
                               {"link_base", "https://monitor.stmarys.example:8443/"},
                               {"term_dates", "2026-09-03..2026-12-18\n2027-01-05..2027-03-26\n"}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(json(saved)["group_window_minutes"], 45);
  EXPECT_EQ(json(saved)["digest_time"], "15:45");
  EXPECT_EQ(json(saved)["link_base"], "https://monitor.stmarys.example:8443");
  EXPECT_EQ(json(call("GET", "/api/alerts/rules"))["settings"], json(saved));
  {
    auto db = store::Database::open(data_dir_);
    EXPECT_EQ(store::SettingsRepository(**db).get(alerts::kGroupWindowKey), "45");
    EXPECT_EQ(store::SettingsRepository(**db).get(alerts::kDigestTimeKey), "15:45");
  }
  ASSERT_EQ(audit_details("alert_settings").size(), 1u);
  EXPECT_NE(audit_details("alert_settings")[0].find("2 term(s)"), std::string::npos);

  const std::pair<nlohmann::json, std::string> refused[] = {
      {{{"group_window_minutes", 1441}}, "0 to 1440"},
      {{{"group_window_minutes", -1}}, "0 to 1440"},
      {{{"digest_time", "4pm"}}, "like 16:00"},
      {{{"digest_time", "24:00"}}, "like 16:00"},
      {{{"link_base", "http://monitor.example"}}, "https://"},
      {{{"link_base", "https://" + std::string(300, 'a')}}, "too long"},
      {{{"link_base", "https://bad host"}}, "spaces"},
      {{{"term_dates", "2026-09-03..2026-12-18\nautumn half term"}}, "line 2"},
      {nlohmann::json::object(), "Give"},
  };
  for (const auto& [body, words] : refused) {
    const Response answer = call("PUT", "/api/alerts/settings", body);
    EXPECT_EQ(answer.status, 400) << body.dump();
    EXPECT_NE(json(answer)["message"].get<std::string>().find(words), std::string::npos)
        << answer.body;
  }
  // A refused change leaves every setting as it was.
  EXPECT_EQ(json(call("GET", "/api/alerts/rules"))["settings"], json(saved));
  EXPECT_EQ(audit_details("alert_settings").size(), 1u);
}

TEST_F(AlertsApiTest, TheOutboxListsEmailsWithoutTheirContentAndRetriesAFailedOne) {
  sign_in();
  const auto waiting = queue_email("Alert: Self-harm, severity 5");
  const auto failed = queue_email("Alert: Bullying, severity 4");
  fail_email(waiting, false);
  fail_email(failed, true);

  const Response answer = call("GET", "/api/alerts/outbox");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.body.find("the body stays on the box"), std::string::npos);
  EXPECT_EQ(answer.body.find("PDF-secret-bytes"), std::string::npos);
  const auto body = json(answer);
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["id"], failed);
  EXPECT_EQ(body["messages"][0]["state"], "failed");
  EXPECT_TRUE(body["messages"][0]["next_attempt"].is_null());
  EXPECT_EQ(body["messages"][0]["last_answer"], "No mail server is set yet");
  EXPECT_EQ(body["messages"][1]["state"], "retrying");
  EXPECT_TRUE(body["messages"][1]["next_attempt"].is_string());
  EXPECT_EQ(body["messages"][1]["recipients"], nlohmann::json({"dsl"}));
  EXPECT_EQ(body["counts"]["waiting"], 1);
  EXPECT_EQ(body["counts"]["retrying"], 1);
  EXPECT_EQ(body["counts"]["failed"], 1);
  EXPECT_EQ(body["counts"]["sent_last_day"], 0);

  const auto only_failed = json(call("GET", "/api/alerts/outbox?state=failed"));
  ASSERT_EQ(only_failed["messages"].size(), 1u);
  EXPECT_EQ(only_failed["messages"][0]["id"], failed);
  EXPECT_EQ(call("GET", "/api/alerts/outbox?state=lost").status, 400);

  const Response retried = call("POST", "/api/alerts/outbox/" + std::to_string(failed) + "/retry");
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(json(retried)["state"], "retrying");
  EXPECT_EQ(email(failed)->state, alerts::OutboxState::retrying);
  EXPECT_LE(email(failed)->next_attempt_us, store::now_us());
  EXPECT_EQ(audit_details("alert_email_retry").size(), 1u);
  EXPECT_EQ(call("POST", "/api/alerts/outbox/999999/retry").status, 404);
  {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE(alerts::Outbox(**db).mark_sent(failed, store::now_us(), "250 OK").ok());
  }
  EXPECT_EQ(call("POST", "/api/alerts/outbox/" + std::to_string(failed) + "/retry").status, 409);
  EXPECT_EQ(json(call("GET", "/api/alerts/outbox"))["counts"]["sent_last_day"], 1);
}

TEST_F(AlertsApiTest, TheSummaryCountsRecentAlertsAwaitingReviewAndFailingEmails) {
  sign_in();
  EXPECT_EQ(json(call("GET", "/api/alerts/summary")),
            nlohmann::json({{"notifications", 0}, {"failed", 0}, {"retrying", 0}}));
  // The first pass marks where the alerts start (earlier captures are history).
  ASSERT_TRUE(alerts_pass().ok());
  plant_capture(store::now_us() - 60'000'000);
  const auto pass = alerts_pass();
  ASSERT_TRUE(pass.ok()) << pass.error();
  ASSERT_EQ(pass->alerts_made, 1);
  auto summary = json(call("GET", "/api/alerts/summary"));
  EXPECT_EQ(summary["notifications"], 1);
  EXPECT_EQ(summary["retrying"], 0);  // queued: not yet tried
  const auto emails = json(call("GET", "/api/alerts/outbox"))["messages"];
  ASSERT_EQ(emails.size(), 1u);
  fail_email(emails[0]["id"].get<std::int64_t>(), false);
  EXPECT_EQ(json(call("GET", "/api/alerts/summary"))["retrying"], 1);

  // Reviewing the capture takes it off the count.
  const auto capture = json(call("GET", "/api/captures"))["captures"][0]["id"].get<std::int64_t>();
  ASSERT_EQ(
      call("POST", "/api/captures/" + std::to_string(capture) + "/review", {{"status", "reviewed"}})
          .status,
      200);
  EXPECT_EQ(json(call("GET", "/api/alerts/summary"))["notifications"], 0);
}

TEST_F(AlertsApiTest, SavingTheMailServerSendsWaitingEmailsAtOnce) {
  sign_in();
  const auto id = queue_email("Alert: Suicide, severity 5");
  fail_email(id, false);
  ASSERT_GT(email(id)->next_attempt_us, store::now_us());
  const Response saved = call("PUT", "/api/system/mail",
                              {{"host", "127.0.0.1"},
                               {"port", 25},
                               {"security", "none"},
                               {"username", ""},
                               {"from_address", "box@stmarys.example"}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_LE(email(id)->next_attempt_us, store::now_us());
  EXPECT_EQ(email(id)->state, alerts::OutboxState::retrying);
}

}  // namespace
}  // namespace hm::web
