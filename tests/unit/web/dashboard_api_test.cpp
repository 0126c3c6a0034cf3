// The dashboard's figures (web/api/dashboard.cpp): concerns today and this week, what
// waits for review, open incidents, devices, what the box could see and its health —
// metadata only, for every role that may see the dashboard.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/capture_review.h"
#include "store/capture_status.h"
#include "store/incident_repository.h"
#include "store/stats_repository.h"
#include "web/api/handlers.h"
#include "web/session_keys.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

constexpr std::int64_t kMinute = 60'000'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

class DashboardApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    SessionKeys::instance().clear();
    store::CaptureStatus::instance().reset();
  }
  void TearDown() override {
    store::CaptureStatus::instance().reset();
    ApiTest::TearDown();
  }

  std::int64_t plant(std::int64_t ts, int severity, const std::string& category,
                     const std::string& mac) {
    auto db = store::Database::open(data_dir_);
    evidence::Capture capture;
    capture.ts_us = ts;
    capture.client_ip = "10.20.0.31";
    capture.client_mac = mac;
    capture.category = category;
    capture.severity = severity;
    capture.phrase = "secret phrase " + category;
    capture.entry_kind = "phrase";
    capture.observation_kind = "http_search";
    capture.library_version = "test";
    capture.evidence = {"what the pupil typed", "search.example", ""};
    auto key = store::KeyStore(**db).ensure_key_pair();
    capture.id = store::CaptureRepository(**db).last_id() + 1;
    evidence::seal_evidence(capture, *key);
    EXPECT_TRUE(store::CaptureRepository(**db).insert(capture).ok());
    return capture.id;
  }

  nlohmann::json dashboard(std::int64_t day_start, std::int64_t week_start) {
    Request request;
    request.method = "GET";
    request.path = "/api/dashboard";
    request.query = {{"day_start_us", std::to_string(day_start)},
                     {"week_start_us", std::to_string(week_start)}};
    request.cookie = cookie_;
    request.host = "127.0.0.1:8443";
    const Response answer = router_->handle(request);
    EXPECT_EQ(answer.status, 200) << answer.body;
    last_body_ = answer.body;
    return json(answer);
  }

  std::string last_body_;
};

std::int64_t count_of(const nlohmann::json& rows, const std::string& key,
                      const nlohmann::json& value) {
  for (const auto& row : rows) {
    if (row[key] == value) return row["count"];
  }
  return -1;
}

TEST_F(DashboardApiTest, ConcernsReviewIncidentsDevicesVisibilityAndHealth) {
  sign_in();
  const std::int64_t now = store::now_us();
  const std::int64_t day = now - 2 * 60 * kMinute;  // "today" began two hours ago
  const std::int64_t week = now - 3 * kDay;
  plant(now - 2 * kDay, 5, "suicide", "aa:00:00:00:00:01");   // this week, not today
  plant(now - 10 * kDay, 5, "suicide", "aa:00:00:00:00:01");  // neither
  const auto critical = plant(now - kMinute, 5, "suicide", "aa:00:00:00:00:02");
  plant(now - 2 * kMinute, 4, "bullying", "aa:00:00:00:00:02");
  const auto low = plant(now - 3 * kMinute, 2, "gambling", "aa:00:00:00:00:03");
  {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE(store::CaptureReviews(**db).mark(low, "reviewed", "a.patel", now));
    auto key = store::KeyStore(**db).ensure_key_pair();
    ASSERT_TRUE(store::IncidentRepository(**db).open("Concern", *key, "a.patel", now - 2 * kDay));
    const std::int64_t minute = now / kMinute * kMinute;
    const std::vector<store::VisibilityRow> rows = {
        {minute - 2 * kMinute, "named_tls", 10, 9'000'000, 9000},
        {minute - 2 * kMinute, "vpn", 2, 1'000'000, 1000},
    };
    ASSERT_TRUE(store::StatsRepository(**db).add(rows));
  }

  const auto board = dashboard(day, week);
  EXPECT_EQ(board["today"]["total"], 3);
  EXPECT_EQ(count_of(board["today"]["by_severity"], "severity", 5), 1);
  EXPECT_EQ(count_of(board["today"]["by_severity"], "severity", 3), 0);
  EXPECT_EQ(count_of(board["today"]["by_category"], "category", "gambling"), 1);
  EXPECT_EQ(board["week"]["total"], 4);
  EXPECT_EQ(count_of(board["week"]["by_category"], "category", "suicide"), 2);

  EXPECT_EQ(board["review"]["waiting"], 4);
  EXPECT_EQ(board["review"]["serious"], 4);
  EXPECT_EQ(board["review"]["reviewed_last_30_days"], 1);
  EXPECT_EQ(board["review"]["median_minutes_to_first_review"], 3);

  ASSERT_EQ(board["incidents"].size(), 1U);
  EXPECT_EQ(board["incidents"][0]["age_days"], 2);

  ASSERT_GE(board["devices"].size(), 2U);
  EXPECT_EQ(board["devices"][0]["mac"], "aa:00:00:00:00:02");
  EXPECT_EQ(board["devices"][0]["serious"], 2);

  ASSERT_EQ(board["visibility"].size(), 2U);
  EXPECT_EQ(board["visibility"][0]["visibility"], "named_tls");
  EXPECT_EQ(board["health"]["mirror"]["recent_packets"], 10000);
  EXPECT_TRUE(board["health"]["mirror"]["last_traffic"].is_string());
  EXPECT_GT(board["health"]["disk"]["total_bytes"].get<std::int64_t>(), 0);
  EXPECT_EQ(board["health"]["library"]["source"], "starter");
  EXPECT_EQ(board["health"]["store"]["state"], "ok");

  // Reviewing the critical one takes it off the backlog.
  {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE(store::CaptureReviews(**db).mark(critical, "reviewed", "a.patel"));
  }
  EXPECT_EQ(dashboard(day, week)["review"]["serious"], 3);

  // The dashboard never opens evidence, so viewing it is not an evidence view.
  EXPECT_EQ(last_body_.find("what the pupil typed"), std::string::npos);
  EXPECT_TRUE(audit_details("evidence_view").empty());
}

TEST_F(DashboardApiTest, ViewerAndTechnicianSeeFiguresWithoutEvidenceOrPhrases) {
  sign_in();
  const std::int64_t now = store::now_us();
  plant(now - kMinute, 5, "suicide", "aa:00:00:00:00:02");
  for (const auto& [role, name] :
       {std::pair{store::Role::viewer, "viewer1"}, std::pair{store::Role::technician, "tech1"},
        std::pair{store::Role::dsl, "dsl1"}}) {
    sign_in_as(role, name);
    const auto board = dashboard(now - kDay, now - 7 * kDay);
    EXPECT_EQ(board["today"]["total"], 1) << name;
    EXPECT_EQ(last_body_.find("secret phrase"), std::string::npos) << name;
    EXPECT_EQ(last_body_.find("what the pupil typed"), std::string::npos) << name;
  }
}

TEST_F(DashboardApiTest, ReplayingARecordingTheFiguresAreAsOfItsEnd) {
  sign_in();
  // A recording made in March, replayed months later: its captures carry its times.
  const std::int64_t recorded = (store::now_us() - 200 * kDay) / kDay * kDay + 10 * 60 * kMinute;
  plant(recorded - 30 * kMinute, 5, "suicide", "aa:00:00:00:00:02");
  plant(recorded - 2 * kDay, 3, "bullying", "aa:00:00:00:00:02");
  {
    auto db = store::Database::open(data_dir_);
    const std::vector<store::VisibilityRow> rows = {
        {recorded / kMinute * kMinute - 3 * kMinute, "named_tls", 4, 4'000'000, 4000},
        {recorded / kMinute * kMinute, "dns", 1, 1000, 10}};
    ASSERT_TRUE(store::StatsRepository(**db).add(rows));
  }
  const std::int64_t recording_day = recorded / kDay * kDay;

  // Capturing live (or serving only), "today" is the wall clock's: nothing then.
  const std::int64_t wall_day = store::now_us() / kDay * kDay;
  auto board = dashboard(wall_day, wall_day - 6 * kDay);
  EXPECT_TRUE(board["recording_as_of"].is_null());
  EXPECT_EQ(board["today"]["total"], 0);

  // Replaying, the dashboard says when the recording ends, and the browser's day and
  // week of that time count its captures and its last minutes' traffic.
  store::CaptureStatus::instance().start(store::CaptureStatus::Mode::replay, "march.pcap");
  board = dashboard(wall_day, wall_day - 6 * kDay);
  const std::int64_t end = recorded / kMinute * kMinute + kMinute - 1;
  EXPECT_EQ(board["recording_as_of"], api::iso_time(end));
  board = dashboard(recording_day, recording_day - 6 * kDay);
  EXPECT_EQ(board["today"]["total"], 1);
  EXPECT_EQ(board["week"]["total"], 2);
  EXPECT_EQ(board["health"]["mirror"]["recent_packets"], 4010);
  // The box's own clock is still the wall clock's.
  EXPECT_NE(board["now"], board["recording_as_of"]);
}

TEST_F(DashboardApiTest, RefusesTimesItCannotUse) {
  sign_in();
  for (const char* bad : {"yesterday", "-1", "99999999999999999999"}) {
    Request request;
    request.method = "GET";
    request.path = "/api/dashboard";
    request.query = {{"day_start_us", bad}};
    request.cookie = cookie_;
    request.host = "127.0.0.1:8443";
    EXPECT_EQ(router_->handle(request).status, 400) << bad;
  }
  // A start in the future cannot be "today".
  Request future;
  future.method = "GET";
  future.path = "/api/dashboard";
  future.query = {{"week_start_us", std::to_string(store::now_us() + kDay)}};
  future.cookie = cookie_;
  EXPECT_EQ(router_->handle(future).status, 400);
  // Without the browser's times: UTC midnight and the six days before.
  EXPECT_TRUE(dashboard(0, 0)["today"]["total"].is_number());
}

}  // namespace
}  // namespace hm::web
