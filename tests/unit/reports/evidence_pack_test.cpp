#include "reports/evidence_pack.h"

#include <gtest/gtest.h>

#include "report_test_support.h"

namespace hm::reports {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): the week's constants

EvidencePackFacts pack_facts() {
  GeneratedWeek& week = shared_week();
  return gather_evidence_pack(*week.db, week.data_dir, kReportMade);
}

TEST(EvidencePack, GathersTheBoxsOwnRecords) {
  const EvidencePackFacts facts = pack_facts();
  EXPECT_EQ(facts.school_name, kSchoolName);
  EXPECT_EQ(facts.dsl_email, "dsl@st-aidans.example");
  ASSERT_EQ(facts.accounts.size(), 5U);
  EXPECT_EQ(facts.accounts[0].role, store::Role::headteacher);  // by role, then name
  EXPECT_EQ(facts.accounts[1].display_name, "David Leadbetter");
  EXPECT_TRUE(facts.accounts[1].sees_evidence);
  EXPECT_TRUE(facts.accounts[1].has_evidence_key);
  EXPECT_FALSE(facts.accounts[3].sees_evidence);  // the technician
  EXPECT_EQ(facts.annual_review.count, 1);
  EXPECT_EQ(facts.annual_review.last_actor, "head");
  EXPECT_EQ(facts.evidence_views.count, 1);
  EXPECT_EQ(facts.report_views.count, 1);
  EXPECT_TRUE(facts.audit_intact) << facts.audit_problem;
  EXPECT_GT(facts.audit_entries, 10);
  EXPECT_EQ(facts.figures.audience, Audience::governors);
  EXPECT_TRUE(facts.figures.pupils.empty());
  EXPECT_EQ(facts.figures.health.library.version, kLibraryVersion);
  // Every incident of the last 12 months: the four of the week's report and the older one.
  EXPECT_EQ(facts.figures.incidents.opened, 5);
  EXPECT_EQ(facts.incidents_with_notes, 2);
  bool bullying = false;
  for (const RetentionFact& fact : facts.retention) {
    if (fact.category != "bullying") continue;
    bullying = true;
    EXPECT_EQ(fact.days, 180);
    EXPECT_EQ(fact.default_days, 120);
  }
  EXPECT_TRUE(bullying);
}

TEST(EvidencePack, PdfAnswersEachPointAndLeavesTheSchoolsBlanks) {
  ASSERT_TRUE(have_poppler())
      << "pdftotext and pdftoppm are missing: install poppler-utils (tools/install-deps)";
  const auto pdf = evidence_pack_pdf(pack_facts());
  ASSERT_TRUE(pdf.ok()) << pdf.error();
  const ReadBack read = keep_and_read("evidence-pack", *pdf);
  const std::string& text = read.text;
  EXPECT_TRUE(contains(text, "Filtering and monitoring: evidence pack"));
  EXPECT_TRUE(contains(text, kSchoolName));
  EXPECT_TRUE(contains(text, "Page 1 of " + std::to_string(read.pages)));
  EXPECT_TRUE(contains(text, "To be answered by the school"));
  EXPECT_TRUE(contains(text, "The senior leader responsible for filtering and monitoring"));
  EXPECT_TRUE(contains(text, "David Leadbetter"));
  EXPECT_TRUE(contains(text, "Designated safeguarding lead"));
  EXPECT_TRUE(contains(text, "annual review of filtering and monitoring"));
  EXPECT_TRUE(contains(text, "Edition 42 from Safer Schools Library"));
  EXPECT_TRUE(contains(text, "Refused an update"));
  EXPECT_TRUE(contains(text, "180 days"));
  EXPECT_TRUE(contains(text, "Hidden site names (Encrypted Client Hello)"));
  EXPECT_TRUE(contains(text, "Complete and unaltered"));
  EXPECT_TRUE(contains(text, "Sign-off"));
  for (const char* name : {kAmelia, kOliver, kMaya, kLeo, kIsla, kNoah}) {
    EXPECT_FALSE(contains(text, name)) << name;
  }
}

}  // namespace
}  // namespace hm::reports
