#include "alerts/report_schedule.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace hm::alerts
