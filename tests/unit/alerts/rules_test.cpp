#include "alerts/rules.h"

#include <gtest/gtest.h>

#include "alerts_fixture.h"

namespace hm::alerts {
namespace {

class RulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
};

TEST_F(RulesTest, MinuteRangesWrapPastMidnight) {
  const MinuteRange evening{18 * 60, 7 * 60};
  EXPECT_TRUE(evening.contains(23 * 60));
  EXPECT_TRUE(evening.contains(0));
  EXPECT_TRUE(evening.contains(6 * 60 + 59));
  EXPECT_FALSE(evening.contains(7 * 60));
  EXPECT_FALSE(evening.contains(12 * 60));
  const MinuteRange lunch{12 * 60, 13 * 60};
  EXPECT_TRUE(lunch.contains(12 * 60 + 30));
  EXPECT_FALSE(lunch.contains(13 * 60));
}

TEST_F(RulesTest, ReleaseTimeIsTheEndOfTheQuietHoursANowFallsIn) {
  const std::optional<MinuteRange> quiet = MinuteRange{18 * 60, 7 * 60};
  EXPECT_EQ(release_time(quiet, monday_at(12)), monday_at(12));
  EXPECT_EQ(release_time(quiet, monday_at(21)), local_moment(2026, 11, 24, 7 * 60));
  EXPECT_EQ(release_time(quiet, monday_at(3)), monday_at(7));
  EXPECT_EQ(release_time(std::nullopt, monday_at(21)), monday_at(21));
  // Across a month's end.
  EXPECT_EQ(release_time(quiet, local_moment(2026, 11, 30, 22 * 60)),
            local_moment(2026, 12, 1, 7 * 60));
}

AlertRule valid_rule() {
  AlertRule rule;
  rule.name = "Bullying";
  rule.min_severity = 3;
  rule.categories = {"bullying"};
  rule.recipients = {"dsl"};
  return rule;
}

TEST_F(RulesTest, RuleProblemsSayWhatToPutRight) {
  EXPECT_EQ(rule_problem(valid_rule()), std::nullopt);
  AlertRule rule = valid_rule();
  rule.categories = {"bulying"};
  EXPECT_NE(rule_problem(rule)->find("\"bulying\" is not a category"), std::string::npos);
  rule = valid_rule();
  rule.recipients = {"dsl", "head@school.example\r\nBcc: x@y"};
  EXPECT_NE(rule_problem(rule)->find("is not an email address"), std::string::npos);
  rule = valid_rule();
  rule.recipients = {};
  EXPECT_TRUE(rule_problem(rule));
  rule = valid_rule();
  rule.repeat_count = 3;
  EXPECT_NE(rule_problem(rule)->find("within how long"), std::string::npos);
  rule.repeat_window = std::chrono::hours(2);
  EXPECT_EQ(rule_problem(rule), std::nullopt);
  rule.quiet_hours = MinuteRange{18 * 60, 24 * 60};
  EXPECT_TRUE(rule_problem(rule));
  rule = valid_rule();
  rule.min_severity = 0;
  EXPECT_TRUE(rule_problem(rule));
  rule = valid_rule();
  rule.name = "";
  EXPECT_TRUE(rule_problem(rule));
}

TEST_F(RulesTest, TermDatesParseOrSayWhichLineIsWrong) {
  std::string problem;
  auto terms =
      TermCalendar::parse("2026-09-03..2026-12-18\n\n2027-01-05 .. 2027-03-27\n", &problem);
  ASSERT_TRUE(terms) << problem;
  EXPECT_EQ(terms->terms().size(), 2U);
  EXPECT_TRUE(terms->in_term(monday_at(10)));
  EXPECT_FALSE(terms->in_term(local_moment(2026, 12, 25, 600)));
  EXPECT_FALSE(TermCalendar::parse("2026-09-03..2026-12-18\n2027-13-01..2027-03-01", &problem));
  EXPECT_NE(problem.find("line 2"), std::string::npos);
  EXPECT_FALSE(TermCalendar::parse("2026-12-18..2026-09-03", &problem)) << "ends before it starts";
  // None set: weekdays.
  const TermCalendar weekdays;
  EXPECT_TRUE(weekdays.in_term(monday_at(10)));
  EXPECT_FALSE(weekdays.in_term(local_moment(2026, 11, 22, 600)));  // a Sunday
}

TEST_F(RulesTest, ConditionsCheckSeverityCategoryGroupAndEnabled) {
  AlertRule rule = valid_rule();
  rule.group_ids = {7};
  CaptureFacts capture{1, monday_at(10), "aa", "bullying", 3, {4, 7}};
  const TermCalendar terms;
  EXPECT_TRUE(meets_conditions(rule, capture, terms));
  capture.severity = 2;
  EXPECT_FALSE(meets_conditions(rule, capture, terms));
  capture.severity = 3;
  capture.category = "drugs";
  EXPECT_FALSE(meets_conditions(rule, capture, terms));
  capture.category = "bullying";
  capture.group_ids = {4};
  EXPECT_FALSE(meets_conditions(rule, capture, terms));
  capture.group_ids = {7};
  rule.enabled = false;
  EXPECT_FALSE(meets_conditions(rule, capture, terms));
}

}  // namespace
}  // namespace hm::alerts
