// The reports API (web/api/reports.cpp) through the router, as the Reports page calls it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "store/accounts.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

class ReportsApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    ApiTest::SetUp();
  }
  static bool is_pdf(const Response& response) {
    return response.status == 200 && response.content_type == "application/pdf" &&
           response.body.rfind("%PDF-", 0) == 0;
  }
};

TEST_F(ReportsApiTest, AReportForAnyPeriodIsKeptListedAndDownloadedWithAnAuditEntry) {
  sign_in();
  plant_capture(1'717'400'000'000'000, "suicide");  // 2024-06-03
  const Response made =
      call("POST", "/api/reports",
           {{"audience", "staff"}, {"first_day", "2024-06-03"}, {"last_day", "2024-06-09"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const auto report = json(made)["report"];
  EXPECT_EQ(report["first_day"], "2024-06-03");
  EXPECT_EQ(report["last_day"], "2024-06-09");
  EXPECT_EQ(report["kind"], "custom");
  EXPECT_GT(report["bytes"].get<std::int64_t>(), 1000);

  const auto listed = json(call("GET", "/api/reports"))["reports"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], report["id"]);

  EXPECT_TRUE(audit_details("report_download").empty());
  const Response pdf =
      call("GET", "/api/reports/" + std::to_string(report["id"].get<int>()) + "/pdf");
  EXPECT_TRUE(is_pdf(pdf)) << pdf.status << " " << pdf.content_type;
  EXPECT_EQ(audit_details("report_download").size(), 1u);
  EXPECT_EQ(call("GET", "/api/reports/999/pdf").status, 404);
}

TEST_F(ReportsApiTest, APeriodThatMakesNoSenseIsRefusedInPlainWords) {
  sign_in();
  auto refused =
      call("POST", "/api/reports", {{"first_day", "2024-06-09"}, {"last_day", "2024-06-03"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(json(refused)["message"].get<std::string>().find("before the first day"),
            std::string::npos);
  EXPECT_EQ(
      call("POST", "/api/reports", {{"first_day", "June"}, {"last_day", "2024-06-03"}}).status,
      400);
  EXPECT_EQ(call("POST", "/api/reports", {{"first_day", "2020-01-01"}, {"last_day", "2024-06-03"}})
                .status,
            400)
      << "over 400 days";
  EXPECT_EQ(call("POST", "/api/reports",
                 {{"audience", "parents"}, {"first_day", "2024-06-03"}, {"last_day", "2024-06-03"}})
                .status,
            400);
  EXPECT_TRUE(json(call("GET", "/api/reports"))["reports"].empty());
}

TEST_F(ReportsApiTest, TheNamedCopyIsAuditedAndNeverKept) {
  sign_in();
  const Response named =
      call("GET", "/api/reports/with-names.pdf?first_day=2024-06-03&last_day=2024-06-09");
  EXPECT_TRUE(is_pdf(named)) << named.status << " " << named.body.substr(0, 200);
  EXPECT_EQ(audit_details("report_with_names").size(), 1u);
  EXPECT_TRUE(json(call("GET", "/api/reports"))["reports"].empty()) << "not kept";
}

TEST_F(ReportsApiTest, TheEvidencePackAndTheNoticesDownload) {
  sign_in();
  const Response pack = call("GET", "/api/reports/evidence-pack.pdf");
  EXPECT_TRUE(is_pdf(pack)) << pack.status;
  EXPECT_EQ(audit_details("evidence_pack_export").size(), 1u);
  EXPECT_TRUE(is_pdf(call("GET", "/api/reports/notices/acceptable-use.pdf")));
  EXPECT_TRUE(is_pdf(call("GET", "/api/reports/notices/poster.pdf")));
  EXPECT_EQ(call("GET", "/api/reports/notices/leaflet.pdf").status, 404);
}

TEST_F(ReportsApiTest, TheAnnualReviewIsRecordedForTheEvidencePack) {
  sign_in();
  EXPECT_TRUE(json(call("GET", "/api/reports"))["annual_review"].is_null());
  const Response recorded =
      call("POST", "/api/reports/annual-review", {{"note", "Reviewed with the governors"}});
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  EXPECT_FALSE(json(call("GET", "/api/reports"))["annual_review"].is_null());
  EXPECT_EQ(audit_details("monitoring_review"),
            std::vector<std::string>{"a.patel Reviewed with the governors"});
  EXPECT_EQ(call("POST", "/api/reports/annual-review", {{"note", std::string(501, 'x')}}).status,
            400);
}

TEST_F(ReportsApiTest, ATechnicianMayNotSeeReports) {
  sign_in();
  sign_in_as(store::Role::technician, "t.jones");
  EXPECT_EQ(call("GET", "/api/reports").status, 403);
  EXPECT_EQ(call("GET", "/api/reports/evidence-pack.pdf").status, 403);
}

}  // namespace
}  // namespace hm::web
