#include "reports/report_data.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "report_test_support.h"

namespace hm::reports {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): the week's constants

ReportOptions options_for(Audience audience, const crypto::SecretBytes* key = nullptr) {
  ReportOptions options;
  options.audience = audience;
  options.data_dir = shared_week().data_dir;
  options.private_key = key;
  options.now_us = kReportMade;
  return options;
}

ReportFigures staff_figures(const crypto::SecretBytes* key = nullptr) {
  return gather_report(*shared_week().db, kWeek, options_for(Audience::staff, key));
}

const Trend& trend_of(const std::vector<Trend>& trends, const std::string& key) {
  const auto found = std::find_if(trends.begin(), trends.end(),
                                  [&](const Trend& trend) { return trend.key == key; });
  EXPECT_NE(found, trends.end()) << key;
  return *found;
}

TEST(ReportData, CountsTheWeeksConcernsByCategoryAndSeverity) {
  const ReportFigures figures = staff_figures();
  EXPECT_EQ(figures.school_name, kSchoolName);
  EXPECT_EQ(figures.concerns.counts.total, kConcerns);
  EXPECT_EQ(figures.concerns.counts.by_severity, kBySeverity);
  EXPECT_EQ(figures.concerns.counts.by_category, kByCategory);
  // Seven days, adding up to the week; Tuesday had Amelia's two, Maya's and Noah's.
  ASSERT_EQ(figures.concerns.by_day.size(), 7U);
  std::int64_t sum = 0;
  for (const DayCount& day : figures.concerns.by_day) sum += day.concerns;
  EXPECT_EQ(sum, kConcerns);
  EXPECT_EQ(figures.concerns.by_day[1].concerns, 4);
  EXPECT_EQ(figures.concerns.by_day[1].serious, 3);
}

TEST(ReportData, ComparesWithTheWeekBeforeAndTheAverageOfTheFourBefore) {
  const ReportFigures figures = staff_figures();
  EXPECT_EQ(figures.concerns.previous_total, kPreviousWeek);
  EXPECT_DOUBLE_EQ(figures.concerns.average_total_before, kAverageBefore);
  const Trend& bullying = trend_of(figures.concerns.by_category, "bullying");
  EXPECT_EQ(bullying.count, 4);
  EXPECT_EQ(bullying.previous, 2);
  EXPECT_DOUBLE_EQ(bullying.average_before, 1.5);  // 2 + 1 + 3 + 0 over 4 weeks
  const Trend& gambling = trend_of(figures.concerns.by_category, "gambling");
  EXPECT_EQ(gambling.previous, 3);
  EXPECT_DOUBLE_EQ(gambling.average_before, 1.0);
  const Trend& worst = trend_of(figures.concerns.by_severity, "5");
  EXPECT_EQ(worst.count, 3);
  EXPECT_EQ(worst.previous, 1);
  EXPECT_DOUBLE_EQ(worst.average_before, 0.25);
  EXPECT_EQ(figures.concerns.by_severity.size(), 5U);
  EXPECT_EQ(figures.concerns.by_category.front().key, "bullying");  // most first
}

TEST(ReportData, MeasuresHowQuicklyConcernsWereLookedAt) {
  const ReviewFigures review = staff_figures().review;
  EXPECT_EQ(review.captures, kConcerns);
  EXPECT_EQ(review.looked_at, kLookedAt);
  EXPECT_EQ(review.waiting, kWaiting);
  EXPECT_EQ(review.waiting_serious, kWaitingSerious);
  EXPECT_EQ(review.in_incident, 7);
  EXPECT_EQ(review.false_positive, 2);
  EXPECT_EQ(review.first_review.median_us, kMedianFirstLook);
  EXPECT_EQ(review.first_review.longest_us, kLongestFirstLook);
  EXPECT_EQ(review.serious_first_review.count, 6);
  EXPECT_EQ(review.serious_first_review.median_us, 20 * kMinuteUs);
  EXPECT_EQ(review.serious_first_review.longest_us, 17 * kHourUs);
}

TEST(ReportData, CountsIncidentsOpenedClosedAndOpenAndTheirFollowUp) {
  const IncidentFigures incidents = staff_figures().incidents;
  EXPECT_EQ(incidents.opened, kIncidentsOpened);
  EXPECT_EQ(incidents.closed, kIncidentsClosed);
  EXPECT_EQ(incidents.open_at_end, kIncidentsOpenAtEnd);
  EXPECT_EQ(incidents.rows.size(), 4U);  // the one from the week before is still open
  EXPECT_EQ(incidents.escalated_to, (std::map<std::string, std::int64_t>{{"social_care", 1}}));
  EXPECT_EQ(incidents.with_intervention, 2);
  // Opening to first review: 5, 40 and 30 minutes.
  EXPECT_EQ(incidents.first_review.count, 3);
  EXPECT_EQ(incidents.first_review.median_us, 30 * kMinuteUs);
  EXPECT_EQ(incidents.first_review.longest_us, 40 * kMinuteUs);
  for (const IncidentRow& row : incidents.rows) {
    EXPECT_TRUE(row.title.empty());  // sealed: no key given
    EXPECT_TRUE(row.intervention.empty());
  }
}

TEST(ReportData, RanksPupilsByReferenceWithoutTheKey) {
  const ReportFigures figures = staff_figures();
  EXPECT_EQ(figures.pupils_with_concerns, kPupilsWithConcerns);
  EXPECT_EQ(figures.pupils_with_serious, kPupilsWithSerious);
  ASSERT_EQ(figures.pupils.size(), 6U);
  std::vector<std::string> order;
  for (const PupilConcern& pupil : figures.pupils) {
    order.push_back(pupil.reference);
    EXPECT_TRUE(pupil.name.empty());
  }
  EXPECT_EQ(order, (std::vector<std::string>{"Pupil P-1 (Year 6)", "Pupil P-2 (Year 5)",
                                             "Pupil P-3 (Year 5)", "Pupil P-6 (Year 3)",
                                             "Pupil P-4 (Year 4)", "Pupil P-5 (Year 6)"}));
  const PupilConcern& amelia = figures.pupils.front();
  EXPECT_EQ(amelia.captures, 3);
  EXPECT_EQ(amelia.serious, 3);
  EXPECT_EQ(amelia.highest_severity, 5);
  EXPECT_EQ(amelia.categories, (std::vector<std::string>{"suicide", "self-harm"}));
  ASSERT_EQ(amelia.incidents.size(), 1U);
  const IncidentRow& response = amelia.incidents.front();
  EXPECT_EQ(response.status, store::IncidentStatus::escalated);
  EXPECT_EQ(response.escalated_to, "social_care");
  EXPECT_TRUE(response.intervention_recorded);
  EXPECT_EQ(response.notes, 2);
  EXPECT_EQ(response.last_note_us, kWeekStart + 3 * kDayUs + 9 * kHourUs + 30 * kMinuteUs);
  EXPECT_TRUE(figures.pupils[3].incidents.empty());  // Noah's was reviewed, no incident
  EXPECT_EQ(figures.pupils[3].marked_reviewed, 1);
  EXPECT_EQ(figures.pupils[4].marked_false_alarm, 2);  // Leo's gambling
}

TEST(ReportData, OpensNamesSitesAndInterventionsOnlyWithTheKey) {
  GeneratedWeek& week = shared_week();
  const ReportFigures figures = staff_figures(&week.private_key);
  EXPECT_TRUE(figures.names_opened);
  ASSERT_FALSE(figures.pupils.empty());
  EXPECT_EQ(figures.pupils[0].name, kAmelia);
  EXPECT_EQ(figures.pupils[1].name, kOliver);
  EXPECT_NE(figures.pupils[0].incidents.at(0).intervention.find("children's social care"),
            std::string::npos);
  ASSERT_TRUE(figures.sites.opened);
  ASSERT_FALSE(figures.sites.sites.empty());
  EXPECT_EQ(figures.sites.sites[0].host, "www.google.com");
  EXPECT_EQ(figures.sites.sites[0].captures, 5);
  EXPECT_EQ(figures.sites.captures_read, kConcerns);
  EXPECT_FALSE(figures.sites.limited);

  const ReportFigures closed = staff_figures();
  EXPECT_FALSE(closed.sites.opened);
  EXPECT_TRUE(closed.sites.sites.empty());
}

TEST(ReportData, GivesGovernorsCountsAndNoPupilOrDeviceRowsEvenWithTheKey) {
  GeneratedWeek& week = shared_week();
  const ReportFigures figures =
      gather_report(*week.db, kWeek, options_for(Audience::governors, &week.private_key));
  EXPECT_FALSE(figures.names_opened);
  EXPECT_TRUE(figures.pupils.empty());
  EXPECT_TRUE(figures.devices.empty());
  EXPECT_TRUE(figures.incidents.rows.empty());
  EXPECT_FALSE(figures.sites.opened);
  EXPECT_EQ(figures.pupils_with_concerns, kPupilsWithConcerns);
  EXPECT_EQ(figures.concerns.counts.total, kConcerns);
  EXPECT_EQ(figures.incidents.opened, kIncidentsOpened);
}

TEST(ReportData, ListsPhrasesDevicesAndGroups) {
  const ReportFigures figures = staff_figures();
  ASSERT_FALSE(figures.phrases.empty());
  EXPECT_EQ(figures.phrases[0].phrase, "everyone hates you");
  EXPECT_EQ(figures.phrases[0].captures, 4);
  EXPECT_EQ(figures.phrases[0].highest_severity, 4);

  ASSERT_GE(figures.devices.size(), 3U);
  EXPECT_EQ(figures.devices[0].holder, "Pupil P-1 (Year 6)");  // 3 serious, then by address
  EXPECT_EQ(figures.devices[0].device.serious, 3);
  const auto pool =
      std::find_if(figures.devices.begin(), figures.devices.end(),
                   [](const DeviceRow& row) { return row.device.mac == "3c:22:fb:99:00:01"; });
  ASSERT_NE(pool, figures.devices.end());
  EXPECT_EQ(pool->holder, "Class 4W iPads (shared)");

  std::map<std::string, std::int64_t> groups;
  for (const store::GroupConcern& group : figures.groups) groups[group.name] = group.serious;
  EXPECT_EQ(groups["Year 5"], 4);  // Oliver 3, Maya 1
  EXPECT_EQ(groups["Year 6"], 3);
  EXPECT_EQ(groups["Pupils at risk"], 3);
  EXPECT_EQ(groups["4W"], 1);  // the class's shared iPads
}

TEST(ReportData, SaysWhatTheBoxCouldNotSeeAndHowHealthyItWas) {
  const ReportFigures figures = staff_figures();
  EXPECT_EQ(figures.visibility.flows, kHoursWithTraffic * 337);
  EXPECT_EQ(figures.visibility.unseen_flows, kHoursWithTraffic * 27);
  const HealthFigures& health = figures.health;
  EXPECT_EQ(health.hours, 168);
  EXPECT_EQ(health.hours_with_traffic, kHoursWithTraffic);
  EXPECT_EQ(health.school_hours, 40);
  EXPECT_EQ(health.school_hours_without_traffic, kSchoolHoursWithoutTraffic);
  EXPECT_EQ(health.captures_unstored_disk_full, 3);
  EXPECT_EQ(health.store_state, "ok");
  EXPECT_FALSE(health.live.has_value());
  ASSERT_TRUE(health.library.readable) << health.library.problem;
  EXPECT_TRUE(health.library.bundle_active);
  EXPECT_EQ(health.library.version, kLibraryVersion);
  EXPECT_EQ(health.library.publisher, "Safer Schools Library");
  EXPECT_EQ(health.library.installed_unix, (kWeekStart + 2 * kDayUs + 9 * kHourUs) / 1'000'000);
  ASSERT_EQ(health.library.history.size(), 3U);
  EXPECT_EQ(health.library.history[2].action, "reject");
  EXPECT_EQ(health.library.versions_used, (std::vector<std::string>{"bundle-41", "bundle-42"}));
}

TEST(ReportData, APeriodEndsBeforeItsUntilTime) {
  GeneratedWeek& week = shared_week();
  ReportOptions options = options_for(Audience::staff);
  const ReportFigures next = gather_report(*week.db, kWeek.earlier(-1), options);
  EXPECT_EQ(next.concerns.counts.total, 1);  // Monday morning's, after the week
  EXPECT_EQ(next.concerns.previous_total, kConcerns);
  const ReportFigures monday = gather_report(*week.db, {kWeekStart, kWeekStart + kDayUs}, options);
  EXPECT_EQ(monday.concerns.counts.total, 3);  // Oliver, Maya, Isla
}

}  // namespace
}  // namespace hm::reports
