#include "reports/notices.h"

#include <gtest/gtest.h>

#include "report_test_support.h"

namespace hm::reports {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): the week's constants

class NoticesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(have_poppler())
        << "pdftotext and pdftoppm are missing: install poppler-utils (tools/install-deps)";
  }
};

TEST_F(NoticesTest, PosterIsOnePageInTheSchoolsName) {
  const auto pdf = monitoring_poster_pdf(kSchoolName);
  ASSERT_TRUE(pdf.ok()) << pdf.error();
  const ReadBack read = keep_and_read("poster", *pdf);
  EXPECT_EQ(read.pages, 1);
  EXPECT_TRUE(contains(read.text, kSchoolName));
  EXPECT_TRUE(contains(read.text, "Tell a grown-up you trust."));
  EXPECT_TRUE(contains(read.text, "Staff, parents and visitors"));
}

TEST_F(NoticesTest, AcceptableUseStatementSpeaksToPupilsStaffAndVisitors) {
  const auto pdf = acceptable_use_statement_pdf(kSchoolName);
  ASSERT_TRUE(pdf.ok()) << pdf.error();
  const ReadBack read = keep_and_read("acceptable-use", *pdf);
  EXPECT_LE(read.pages, 2);
  EXPECT_TRUE(contains(read.text, std::string("Using the internet safely at ") + kSchoolName));
  EXPECT_TRUE(contains(read.text, "For pupils"));
  EXPECT_TRUE(contains(read.text, "I will not be in trouble for telling"));
  EXPECT_TRUE(contains(read.text, "For staff"));
  EXPECT_TRUE(contains(read.text, "For visitors, parents and guests"));
}

TEST_F(NoticesTest, WithoutASchoolNameTheyStillRead) {
  const auto pdf = monitoring_poster_pdf("");
  ASSERT_TRUE(pdf.ok()) << pdf.error();
  EXPECT_TRUE(contains(keep_and_read("poster-unnamed", *pdf).text, "our school"));
}

}  // namespace
}  // namespace hm::reports
