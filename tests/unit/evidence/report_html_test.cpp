#include "evidence/report_html.h"

#include <gtest/gtest.h>

namespace hm::evidence {
namespace {

ReportCapture capture(std::int64_t id, std::string text) {
  ReportCapture item;
  item.capture.id = id;
  item.capture.ts_us = 1'800'000'000'000'000;
  item.capture.client_ip = "10.20.16.29";
  item.capture.client_mac = "aa:bb:cc:dd:ee:ff";
  item.capture.category = "suicide";
  item.capture.severity = 5;
  item.capture.phrase = "kill myself";
  item.capture.entry_kind = "phrase";
  item.capture.observation_kind = "http_search";
  item.capture.evidence = {std::move(text), "www.google.com", "https://www.google.com/search"};
  item.opened = true;
  return item;
}

TEST(ReportHtml, IncidentRecordHoldsTheTimelineNotesAndWhoExported) {
  IncidentReport report;
  report.incident = {7,         "Searches <late> at night", false,    1'799'000'000'000'000,
                     "a.patel", 1'800'100'000'000'000,      "b.jones"};
  report.captures.push_back(capture(3, "how to Kill Myself painlessly"));
  report.captures.push_back(capture(4, "x"));
  report.captures.back().opened = false;
  report.deleted_captures = {2};
  report.notes.push_back({1'800'000'000'000'000, "a.patel", "Spoke to <parent>", true});
  report.exported_by = "a.patel";
  report.exported_us = 1'800'200'000'000'000;
  const std::string html = render_incident_html(report);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("Searches &lt;late&gt; at night"), std::string::npos);
  EXPECT_NE(html.find("how to <mark>Kill Myself</mark> painlessly"), std::string::npos);
  EXPECT_NE(html.find("did not open"), std::string::npos);
  EXPECT_NE(html.find("Captures 2 were linked"), std::string::npos);
  EXPECT_NE(html.find("Spoke to &lt;parent&gt;"), std::string::npos);
  EXPECT_NE(html.find("Closed 2027-01-16"), std::string::npos);
  EXPECT_NE(html.find("Exported from hallmonitor by a.patel at 2027-01-17"), std::string::npos);
  // Self-contained: no script, nothing fetched.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<parent>"), std::string::npos);
}

TEST(ReportHtml, SubjectAccessRecordHoldsThePersonCapturesAndIncidents) {
  SubjectAccessReport report;
  report.subject = "Jo & Sam";
  report.people.push_back({"Jo & Sam", "5B", "A1", {"aa:bb:cc:dd:ee:ff", "jo-ipad"}});
  report.devices = {"aa:bb:cc:dd:ee:ff", "jo-ipad"};
  report.captures.push_back(capture(3, "text"));
  report.incidents.push_back({7, "Late searches", true, 1'799'000'000'000'000, "a.patel", 0, ""});
  report.exported_by = "recovery key";
  const std::string html = render_subject_access_html(report);
  EXPECT_NE(html.find("Jo &amp; Sam"), std::string::npos);
  EXPECT_NE(html.find("aa:bb:cc:dd:ee:ff, jo-ipad"), std::string::npos);
  EXPECT_NE(html.find("Captures (1)"), std::string::npos);
  EXPECT_NE(html.find("7: Late searches"), std::string::npos);
  EXPECT_NE(html.find("https://www.google.com/search"), std::string::npos);
}

TEST(ReportHtml, FormatsTimesInUtc) {
  EXPECT_EQ(format_utc(0), "1970-01-01 00:00:00 UTC");
  EXPECT_EQ(escape_html("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
}

}  // namespace
}  // namespace hm::evidence
