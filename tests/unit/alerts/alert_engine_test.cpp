#include "alerts/alert_engine.h"

#include <gtest/gtest.h>

#include "alerts/rule_repository.h"
#include "alerts_fixture.h"
#include "store/device_repository.h"
#include "store/group_repository.h"

namespace hm::alerts {
namespace {

class AlertEngineTest : public AlertsFixture {
 protected:
  void SetUp() override {
    AlertsFixture::SetUp();
    engine_ = std::make_unique<AlertEngine>(*db_, clock_);
    // The daemon's first pass: nothing stored yet, so nothing is history.
    ASSERT_TRUE(engine_->process_new_captures());
  }
  EngineCounts process() {
    auto counts = engine_->process_new_captures();
    EXPECT_TRUE(counts) << counts.error();
    return counts ? *counts : EngineCounts{};
  }

  ManualClock clock_{monday_at(10)};
  std::unique_ptr<AlertEngine> engine_;  // on the fixture's database, made in SetUp
};

TEST_F(AlertEngineTest, TheShippedRulesAlertAtOnceForSeverityFiveAndTheGravestCategories) {
  const auto violence5 = add_capture(monday_at(9, 1), "violence", 5, "aa:00:00:00:00:01");
  add_capture(monday_at(9, 2), "self-harm", 4, "aa:00:00:00:00:02");
  add_capture(monday_at(9, 3), "bullying", 4, "aa:00:00:00:00:03");  // digest
  add_capture(monday_at(9, 4), "gambling", 2, "aa:00:00:00:00:04");  // digest
  const EngineCounts counts = process();
  EXPECT_EQ(counts.captures_checked, 4);
  EXPECT_EQ(counts.alerts_made, 4);

  const auto emails = outbox("alert");
  ASSERT_EQ(emails.size(), 2U);
  EXPECT_EQ(outbox().size(), 2U) << "the digest alerts wait for the digest";
  EXPECT_EQ(count("SELECT count(*) FROM alerts WHERE delivery = 'digest'"), 2);
  const OutboxMessage& first = emails.back();  // recent() is newest first
  EXPECT_EQ(first.recipients, std::vector<std::string>{"dsl"});
  EXPECT_EQ(first.subject, "Safeguarding alert: Violence, severity 5 (St Ffraid's Primary)");
  EXPECT_NE(
      first.body.find("https://box.school.example:8443/captures/" + std::to_string(violence5)),
      std::string::npos);
  EXPECT_NE(first.body.find("aa:00:00:00:00:01"), std::string::npos);
  EXPECT_EQ(first.body.find("a phrase"), std::string::npos) << "no evidence in an email";
  EXPECT_EQ(emails.front().next_attempt_us, clock_.now()) << "no quiet hours on the defaults";
}

TEST_F(AlertEngineTest, CapturesFromOneDeviceAndCategoryWithinTheWindowJoinOneAlert) {
  add_capture(monday_at(9, 0), "suicide", 5);
  add_capture(monday_at(9, 10), "suicide", 5);
  add_capture(monday_at(9, 35), "suicide", 4);   // 25 minutes after the last: joins
  add_capture(monday_at(9, 36), "violence", 5);  // another category: its own alert
  add_capture(monday_at(9, 37), "suicide", 5, "bb:00:00:00:00:09");  // another device
  EngineCounts counts = process();
  EXPECT_EQ(counts.alerts_made, 3);
  EXPECT_EQ(counts.captures_joined, 2);
  EXPECT_EQ(outbox("alert").size(), 3U);
  EXPECT_EQ(count("SELECT capture_count FROM alerts WHERE category = 'suicide' AND device = "
                  "'3c:22:fb:00:00:01'"),
            3);

  // Forty minutes of quiet, then the device again: a new alert and a new email.
  add_capture(monday_at(10, 16), "suicide", 5);
  counts = process();
  EXPECT_EQ(counts.alerts_made, 1);
  EXPECT_EQ(outbox("alert").size(), 4U);
}

TEST_F(AlertEngineTest, AnAlertGoesWithTheLastOfItsCaptures) {
  const auto first = add_capture(monday_at(9, 0), "suicide", 5);
  const auto second = add_capture(monday_at(9, 5), "suicide", 5);
  const auto other = add_capture(monday_at(9, 6), "violence", 5, "bb:00:00:00:00:01");
  process();
  ASSERT_EQ(outbox("alert").size(), 2U);
  auto remove = [&](std::int64_t id) {  // as the retention purge and an erasure do
    store::Statement erase(*db_, "DELETE FROM captures WHERE id = ?1");
    erase.bind(1, id);
    erase.step();
    ASSERT_TRUE(erase.ok()) << erase.error();
  };
  remove(first);
  EXPECT_EQ(count("SELECT capture_count FROM alerts WHERE device = '3c:22:fb:00:00:01'"), 1);
  EXPECT_EQ(outbox("alert").size(), 2U) << "one capture is left";
  remove(second);
  EXPECT_EQ(count("SELECT count(*) FROM alerts WHERE device = '3c:22:fb:00:00:01'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM alert_captures"), 1);
  const auto left = outbox("alert");
  ASSERT_EQ(left.size(), 1U) << "the email's record went with the alert";
  EXPECT_NE(left[0].body.find("bb:00:00:00:00:01"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM captures WHERE id = " + std::to_string(other)), 1);
}

TEST_F(AlertEngineTest, AMoreSeriousCaptureInAGroupIsEmailedAgain) {
  add_capture(monday_at(9, 0), "extremism", 4);
  add_capture(monday_at(9, 5), "extremism", 4);  // joins
  add_capture(monday_at(9, 6), "extremism", 5);  // more serious: a new email
  add_capture(monday_at(9, 7), "extremism", 4);  // joins the severity-5 alert
  const EngineCounts counts = process();
  EXPECT_EQ(counts.alerts_made, 2);
  EXPECT_EQ(counts.captures_joined, 2);
  const auto emails = outbox("alert");
  ASSERT_EQ(emails.size(), 2U);
  EXPECT_NE(emails.front().subject.find("severity 5"), std::string::npos);
}

TEST_F(AlertEngineTest, EachCaptureIsCheckedOnceAcrossPassesAndRestarts) {
  add_capture(monday_at(9, 0), "grooming", 5);
  EXPECT_EQ(process().captures_checked, 1);
  EXPECT_EQ(process().captures_checked, 0);
  {
    AlertEngine restarted(*db_, clock_);  // a new daemon on the same database
    auto counts = restarted.process_new_captures();
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->captures_checked, 0);
  }
  EXPECT_EQ(outbox("alert").size(), 1U);
}

TEST_F(AlertEngineTest, CapturesStoredBeforeTheFirstPassAreNotNews) {
  ASSERT_TRUE(store::SettingsRepository(*db_).erase(kLastCaptureKey));  // a box upgraded today
  add_capture(monday_at(8, 0), "suicide", 5);
  EXPECT_EQ(process().captures_checked, 0);
  add_capture(monday_at(9, 0), "suicide", 5);
  EXPECT_EQ(process().captures_checked, 1);
  EXPECT_EQ(outbox("alert").size(), 1U);
}

TEST_F(AlertEngineTest, ARepeatRuleFiresOnTheNthCaptureWithinItsWindow) {
  AlertRule repeated;
  repeated.name = "Bullying three times within an hour";
  repeated.min_severity = 2;
  repeated.categories = {"bullying"};
  repeated.repeat_count = 3;
  repeated.repeat_window = std::chrono::hours(1);
  repeated.recipients = {"dsl", "head@school.example"};
  ASSERT_TRUE(RuleRepository(*db_).create(repeated, "head", clock_.now()));

  add_capture(monday_at(9, 0), "bullying", 2);
  add_capture(monday_at(9, 20), "bullying", 3);
  process();
  EXPECT_TRUE(outbox("alert").empty()) << "two is not yet three";
  EXPECT_EQ(count("SELECT count(*) FROM alerts WHERE delivery = 'digest'"), 1)
      << "until then they go to the digest, grouped";

  add_capture(monday_at(9, 50), "bullying", 2);
  process();
  const auto emails = outbox("alert");
  ASSERT_EQ(emails.size(), 1U);
  EXPECT_EQ(emails[0].recipients, (std::vector<std::string>{"dsl", "head@school.example"}));
  EXPECT_NE(emails[0].body.find("Bullying three times within an hour"), std::string::npos);

  // Two hours later one more is only one within the hour.
  add_capture(monday_at(11, 55), "bullying", 2);
  process();
  EXPECT_EQ(outbox("alert").size(), 1U);
}

TEST_F(AlertEngineTest, QuietHoursHoldARulesEmailUntilTheyEnd) {
  RuleRepository rules(*db_);
  AlertRule evening = *rules.find(2);  // severity 4+ in the gravest categories
  evening.min_severity = 4;
  evening.quiet_hours = MinuteRange{18 * 60, 7 * 60};
  ASSERT_TRUE(rules.update(evening, "dsl", clock_.now()));

  clock_.set(monday_at(21, 30));
  add_capture(monday_at(21, 29), "self-harm", 4);
  add_capture(monday_at(21, 29), "violence", 5, "cc:00:00:00:00:01");  // rule 1: not held
  process();
  const auto emails = outbox("alert");
  ASSERT_EQ(emails.size(), 2U);
  const auto held =
      emails[0].subject.find("Self-harm") != std::string::npos ? emails[0] : emails[1];
  const auto sent =
      emails[0].subject.find("Self-harm") != std::string::npos ? emails[1] : emails[0];
  EXPECT_EQ(held.next_attempt_us, local_moment(2026, 11, 24, 7 * 60)) << "Tuesday 07:00";
  EXPECT_EQ(sent.next_attempt_us, clock_.now());
  EXPECT_EQ(Outbox(*db_).due(clock_.now()).size(), 1U);
  EXPECT_EQ(Outbox(*db_).due(local_moment(2026, 11, 24, 7 * 60)).size(), 2U);
}

TEST_F(AlertEngineTest, TheDigestGoesOnceADayAtItsTimeWithWhatWaited) {
  add_capture(monday_at(9, 0), "bullying", 3);
  add_capture(monday_at(9, 5), "bullying", 2);  // joins the first
  add_capture(monday_at(11, 0), "gambling", 1, "dd:00:00:00:00:01");
  process();
  clock_.set(monday_at(15, 59));
  auto sent = engine_->send_digest_if_due();
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 0) << "not before 16:00";

  clock_.set(monday_at(16, 0));
  sent = engine_->send_digest_if_due();
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 1);
  auto digests = outbox("digest");
  ASSERT_EQ(digests.size(), 1U);
  EXPECT_EQ(digests[0].subject,
            "Daily safeguarding digest for 2026-11-23: 3 captures (St Ffraid's Primary)");
  EXPECT_NE(digests[0].body.find("Bullying, severity 3, device 3c:22:fb:00:00:01, 2 captures"),
            std::string::npos)
      << digests[0].body;
  EXPECT_NE(digests[0].body.find("Gambling, severity 1"), std::string::npos);
  EXPECT_EQ(digests[0].body.find("a phrase"), std::string::npos);

  clock_.set(monday_at(17, 0));
  add_capture(monday_at(16, 30), "bullying", 3);  // after the digest: a new alert
  process();
  EXPECT_EQ(*engine_->send_digest_if_due(), 0) << "one digest a day";

  clock_.set(local_moment(2026, 11, 24, 16 * 60));
  EXPECT_EQ(*engine_->send_digest_if_due(), 1);
  digests = outbox("digest");
  ASSERT_EQ(digests.size(), 2U);
  EXPECT_NE(digests[0].subject.find("2026-11-24: 1 capture "), std::string::npos);

  clock_.set(local_moment(2026, 11, 25, 16 * 60));
  EXPECT_EQ(*engine_->send_digest_if_due(), 0) << "nothing waited: no email";
}

TEST_F(AlertEngineTest, TimeOfDayAndTermTimeConditions) {
  ASSERT_TRUE(store::SettingsRepository(*db_).set(kTermDatesKey, "2026-09-03..2026-11-20\n"));
  AlertRule after_school;
  after_school.name = "Drugs after school in term time";
  after_school.min_severity = 3;
  after_school.categories = {"drugs"};
  after_school.active_hours = MinuteRange{15 * 60 + 30, 18 * 60};
  after_school.term_time_only = true;
  after_school.recipients = {"dsl"};
  ASSERT_TRUE(RuleRepository(*db_).create(after_school, "head", clock_.now()));

  add_capture(local_moment(2026, 11, 20, 16 * 60), "drugs", 3);  // Friday, in term, 16:00
  add_capture(local_moment(2026, 11, 20, 12 * 60), "drugs", 3, "ee:00:00:00:00:01");  // noon
  add_capture(monday_at(16, 0), "drugs", 3, "ee:00:00:00:00:02");  // after term ended
  process();
  const auto emails = outbox("alert");
  ASSERT_EQ(emails.size(), 1U);
  EXPECT_NE(emails[0].body.find("2026-11-20 16:00"), std::string::npos) << emails[0].body;
}

TEST_F(AlertEngineTest, AGroupsAlertProfileDecidesForItsMembers) {
  store::GroupRepository groups(*db_);
  auto year1 = groups.create("Year 1", store::GroupKind::year, "head");
  ASSERT_TRUE(year1) << year1.error();
  ASSERT_TRUE(
      groups.set_profile(*year1, {{"violence", 3}, {"gambling", store::kNeverAlert}}, "head"));
  store::Statement person(*db_, "INSERT INTO people (imported_us, sealed) VALUES (0, x'00')");
  person.step();
  ASSERT_TRUE(person.ok()) << person.error();
  const std::int64_t pupil = count("SELECT max(id) FROM people");
  ASSERT_TRUE(groups.add_member(*year1, pupil));
  store::DeviceRepository devices(*db_);
  ASSERT_TRUE(devices.seen("3c:22:fb:00:00:01", monday_at(8)));
  ASSERT_TRUE(devices.assign("3c:22:fb:00:00:01", pupil, "", 0, monday_at(8), "head"));

  add_capture(monday_at(9, 0), "violence", 3);  // profile: severity 3 alerts for Year 1
  add_capture(monday_at(9, 1), "gambling", 5);  // profile: never at once
  add_capture(monday_at(9, 2), "violence", 3, "ff:00:00:00:00:01");  // not in Year 1: digest
  process();
  const auto emails = outbox("alert");
  ASSERT_EQ(emails.size(), 1U);
  EXPECT_NE(emails[0].body.find("Group:     Year 1"), std::string::npos) << emails[0].body;
  EXPECT_NE(emails[0].body.find("The alert profile of Year 1"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM alerts WHERE delivery = 'digest'"), 2);
}

}  // namespace
}  // namespace hm::alerts
