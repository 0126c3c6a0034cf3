#include "reports/report_pdf.h"

#include <gtest/gtest.h>

#include <regex>

#include "report_test_support.h"

namespace hm::reports {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): the week's constants

const char* const kEveryName[] = {kAmelia, kOliver, kMaya, kLeo,
                                  kIsla,   kNoah,   kAva,  "Sam Staffordshire"};

ReportFigures figures_for(Audience audience, const crypto::SecretBytes* key) {
  ReportOptions options;
  options.audience = audience;
  options.data_dir = shared_week().data_dir;
  options.private_key = key;
  options.now_us = kReportMade;
  return gather_report(*shared_week().db, kWeek, options);
}

// pdftotext -layout keeps a table's row on one line: the label, then its figures.
bool has_row(const std::string& text, const std::string& label, const std::string& figures) {
  const std::regex row(std::regex_replace(label, std::regex(R"([()])"), R"(\$&)") +
                       R"( {2,}[^\n]*?)" + figures);
  return std::regex_search(text, row);
}

class ReportPdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(have_poppler())
        << "pdftotext and pdftoppm are missing: install poppler-utils (tools/install-deps)";
  }
};

TEST_F(ReportPdfTest, WeeklyReportShowsThePlantedFiguresByReference) {
  const auto pdf = weekly_report_pdf(figures_for(Audience::staff, nullptr));
  ASSERT_TRUE(pdf.ok()) << pdf.error();
  const ReadBack read = keep_and_read("weekly", *pdf);
  const std::string& text = read.text;
  EXPECT_GE(read.pages, 3);
  EXPECT_TRUE(contains(text, "Weekly safeguarding report"));
  EXPECT_TRUE(contains(text, kSchoolName));
  EXPECT_TRUE(contains(text, "Monday 16 November 2026 to Sunday 22 November 2026"));
  EXPECT_TRUE(contains(text, "Page 1 of " + std::to_string(read.pages)));
  EXPECT_TRUE(contains(text, "21 concerns this week (6 last week; 3.0 on average"));
  // Severity 5: 3 this week, 1 last week, 0.25 → "0.3" on average; the total row.
  EXPECT_TRUE(has_row(text, "5 (most serious)", "3 +1 +0.3")) << text;
  EXPECT_TRUE(has_row(text, "Total", "21 +6 +3.0"));
  EXPECT_TRUE(has_row(text, "Bullying", "4 +2 +1.5"));
  EXPECT_TRUE(contains(text, "Pupil P-1 (Year 6)"));
  EXPECT_TRUE(contains(text, "children's social care"));
  EXPECT_TRUE(contains(text, "Intervention recorded (sealed"));
  EXPECT_TRUE(contains(text, "everyone hates you"));
  EXPECT_TRUE(contains(text, "sites are in the sealed evidence"));
  EXPECT_TRUE(contains(text, "Class 4W iPads (shared)"));
  EXPECT_TRUE(contains(text, "43 minutes (longest 2 days 2 hours)"));
  EXPECT_TRUE(contains(text, "Serious concerns are waiting"));
  EXPECT_TRUE(contains(text, "Edition 42 from Safer Schools Library"));
  EXPECT_TRUE(contains(text, "Updated to edition 42 (from edition 41)"));
  EXPECT_TRUE(contains(text, "56 of 168"));
  EXPECT_TRUE(contains(text, "Hidden site names (Encrypted Client Hello)"));
  for (const char* name : kEveryName) EXPECT_FALSE(contains(text, name)) << name;
}

TEST_F(ReportPdfTest, WeeklyReportWithTheKeyNamesPupilsAndSites) {
  const auto pdf = weekly_report_pdf(figures_for(Audience::staff, &shared_week().private_key));
  ASSERT_TRUE(pdf.ok()) << pdf.error();
  const ReadBack read = keep_and_read("weekly-with-names", *pdf);
  EXPECT_TRUE(contains(read.text, kAmelia));
  EXPECT_TRUE(contains(read.text, "referral made to children's social care"));
  EXPECT_TRUE(contains(read.text, "www.google.com"));
  EXPECT_TRUE(contains(read.text, "It names pupils"));
}

TEST_F(ReportPdfTest, GovernorsReportNamesNobody) {
  // Gathered with the key on purpose: the governors' figures and report ignore it.
  const auto pdf =
      governors_report_pdf(figures_for(Audience::governors, &shared_week().private_key));
  ASSERT_TRUE(pdf.ok()) << pdf.error();
  const ReadBack read = keep_and_read("governors", *pdf);
  const std::string& text = read.text;
  EXPECT_TRUE(contains(text, "Safeguarding report for governors") ||
              contains(text, "Termly safeguarding report for governors"));
  EXPECT_TRUE(contains(text, "Page 1 of"));
  EXPECT_TRUE(has_row(text, "5 (most serious)", "3 +1 +0.3"));
  EXPECT_TRUE(contains(text, "Year 5"));
  for (const char* name : kEveryName) EXPECT_FALSE(contains(text, name)) << name;
  EXPECT_FALSE(contains(text, "P-1"));
  EXPECT_FALSE(contains(text, "3c:22:fb"));
  EXPECT_FALSE(contains(text, "Pupils at risk"));  // a small group could point to a child
  EXPECT_FALSE(contains(text, "www.google.com"));
  EXPECT_TRUE(contains(text, "Questions governors may wish to ask"));
}

TEST_F(ReportPdfTest, AnEmptyPeriodSaysSoInEverySection) {
  ReportOptions options;
  options.data_dir = shared_week().data_dir;
  options.now_us = kReportMade;
  const Period long_ago{kWeekStart - 400 * kDayUs, kWeekStart - 399 * kDayUs};
  const auto pdf =
      weekly_report_pdf(gather_report(*shared_week().db, long_ago, options), ReportKind::daily);
  ASSERT_TRUE(pdf.ok()) << pdf.error();
  const ReadBack read = keep_and_read("empty-day", *pdf);
  EXPECT_TRUE(contains(read.text, "Daily safeguarding digest"));
  EXPECT_TRUE(contains(read.text, "No concerns were recorded in any category"));
  EXPECT_TRUE(contains(read.text, "No incident was open at any time today"));
  EXPECT_TRUE(contains(read.text, "There were no concerns to look at today"));
  EXPECT_TRUE(contains(read.text, "No phrase from the library matched"));
  EXPECT_TRUE(contains(read.text, "recorded no network traffic today"));
}

}  // namespace
}  // namespace hm::reports
