#include "alerts/report_schedule.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "alerts/alert_engine.h"
#include "alerts_fixture.h"
#include "reports/report_archive.h"

namespace hm::alerts {
namespace {

class ReportScheduleTest : public AlertsFixture {
 protected:
  ScheduledCounts run_at(TimeUs now) {
    auto counts = make_scheduled_reports(*db_, dir_, now);
    EXPECT_TRUE(counts) << counts.error();
    return counts ? *counts : ScheduledCounts{};
  }
};

TEST_F(ReportScheduleTest, TheWeeklyReportIsMadeOnMondayMorningOnceKeptAndEmailed) {
  EXPECT_EQ(run_at(monday_at(6, 59)).weekly, 0) << "not before 07:00";
  EXPECT_EQ(run_at(local_moment(2026, 11, 22, 12 * 60)).weekly, 0) << "not on a Sunday";
  EXPECT_EQ(run_at(monday_at(7, 0)).weekly, 1);
  EXPECT_EQ(run_at(monday_at(7, 1)).weekly, 0) << "once";
  EXPECT_EQ(run_at(monday_at(18, 0)).weekly, 0) << "once";

  const auto kept = reports::ReportArchive(*db_).list();
  ASSERT_EQ(kept.size(), 1U);
  EXPECT_EQ(kept[0].kind, "weekly");
  EXPECT_EQ(kept[0].from_us, local_moment(2026, 11, 16, 0)) << "Monday to Sunday before";
  EXPECT_EQ(kept[0].until_us, local_moment(2026, 11, 23, 0));
  EXPECT_EQ(kept[0].created_by, "schedule");
  const auto pdf = reports::ReportArchive(*db_).pdf(kept[0].id);
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");

  const auto emails = outbox("report");
  ASSERT_EQ(emails.size(), 1U);
  EXPECT_EQ(emails[0].recipients, std::vector<std::string>{"dsl"});
  EXPECT_EQ(emails[0].attachment_name, "weekly-report-2026-11-16.pdf");
  EXPECT_EQ(emails[0].attachment, *pdf);
  EXPECT_NE(emails[0].body.find("2026-11-16 to 2026-11-22"), std::string::npos) << emails[0].body;

  // The next Monday, the next week.
  EXPECT_EQ(run_at(local_moment(2026, 11, 30, 7 * 60 + 30)).weekly, 1);
  EXPECT_EQ(reports::ReportArchive(*db_).list().size(), 2U);
}

TEST_F(ReportScheduleTest, TheGovernorsReportFollowsTheEndOfATermOnceToTheRecipients) {
  store::SettingsRepository settings(*db_);
  ASSERT_TRUE(settings.set(kWeeklyTimeKey, "23:59"));  // keep the weekly report out of the way
  ASSERT_TRUE(settings.set(kReportRecipientsKey, "dsl,chair@governors.example"));
  ASSERT_TRUE(settings.set(kTermDatesKey, "2026-09-03..2026-11-20\n2027-01-05..2027-03-26"));
  EXPECT_EQ(run_at(local_moment(2026, 11, 20, 15 * 60)).termly, 0) << "the term's last day";
  EXPECT_EQ(run_at(local_moment(2026, 11, 21, 0)).termly, 1);
  EXPECT_EQ(run_at(monday_at(9)).termly, 0) << "once";

  const auto kept = reports::ReportArchive(*db_).list();
  ASSERT_EQ(kept.size(), 1U);
  EXPECT_EQ(kept[0].kind, "termly");
  EXPECT_EQ(kept[0].from_us, local_moment(2026, 9, 3, 0));
  EXPECT_EQ(kept[0].until_us, local_moment(2026, 11, 21, 0));
  const auto emails = outbox("report");
  ASSERT_EQ(emails.size(), 1U);
  EXPECT_EQ(emails[0].recipients, (std::vector<std::string>{"dsl", "chair@governors.example"}));
  EXPECT_EQ(emails[0].attachment_name, "governors-report-2026-09-03.pdf");
}

TEST_F(ReportScheduleTest, TheSchedulerMakesThemOnItsOwnThreadAndStops) {
  // The real clock: whatever today is, the governors' report of a term that ended
  // yesterday is due, so the scheduler's first look makes it.
  const LocalTime yesterday = add_days(local_time(SystemClock().now()), -1);
  const int last = yesterday.year * 10000 + yesterday.month * 100 + yesterday.day;
  const LocalTime first = add_days(yesterday, -30);
  const int start = first.year * 10000 + first.month * 100 + first.day;
  auto date = [](int yyyymmdd) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100,
                  yyyymmdd % 100);
    return std::string(text);
  };
  ASSERT_TRUE(store::SettingsRepository(*db_).set(kTermDatesKey, date(start) + ".." + date(last)));
  ReportScheduler scheduler(dir_, std::chrono::milliseconds(20));
  for (int i = 0; i < 500 && count("SELECT count(*) FROM reports WHERE kind = 'termly'") == 0;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  scheduler.stop();
  EXPECT_EQ(count("SELECT count(*) FROM reports WHERE kind = 'termly'"), 1);
  EXPECT_EQ(outbox("report").size() >= 1U, true);
}

}  // namespace
}  // namespace hm::alerts
