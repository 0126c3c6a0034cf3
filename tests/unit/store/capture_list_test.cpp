// The captures list's filters and keyset paging, the review marks and the dashboard's
// queries (store/capture_repository.h, store/capture_review.h, store/dashboard_queries.h).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "sealed_store_fixture.h"
#include "store/audit_log.h"
#include "store/capture_review.h"
#include "store/dashboard_queries.h"
#include "store/device_repository.h"
#include "store/group_repository.h"
#include "store/incident_repository.h"
#include "store/people_repository.h"
#include "store/stats_repository.h"

namespace hm::store {
namespace {

constexpr TimeUs kMinute = 60'000'000;

class CaptureListTest : public SealedStoreFixture {
 protected:
  // A capture with the fields the filters look at; sealed like the store thread does.
  std::int64_t add(TimeUs ts, int severity, const std::string& category, const std::string& mac,
                   const std::string& ip = "10.20.0.9") {
    evidence::Capture capture;
    capture.ts_us = ts;
    capture.client_ip = ip;
    capture.client_mac = mac;
    capture.category = category;
    capture.severity = severity;
    capture.phrase = "phrase";
    capture.entry_kind = "phrase";
    capture.observation_kind = "dns_query";
    capture.library_version = "test";
    capture.evidence = {"some text", "example.org", ""};
    CaptureRepository captures(*db_);
    capture.id = captures.last_id() + 1;
    evidence::seal_evidence(capture, public_key_);
    EXPECT_TRUE(captures.insert(capture));
    return capture.id;
  }

  static std::vector<std::int64_t> ids(const std::vector<evidence::Capture>& rows) {
    std::vector<std::int64_t> out;
    for (const auto& row : rows) out.push_back(row.id);
    return out;
  }

  // Every page of a filtered list, `page` rows at a time, through the cursor.
  std::vector<std::int64_t> all_pages(const CaptureRepository::Filter& filter, std::size_t page) {
    CaptureRepository captures(*db_);
    std::vector<std::int64_t> seen;
    std::optional<CaptureRepository::Cursor> after;
    while (true) {
      const auto rows = captures.list(filter, page, after);
      for (const auto& row : rows) seen.push_back(row.id);
      if (rows.size() < page) break;
      after = CaptureRepository::Cursor{rows.back().ts_us, rows.back().id};
    }
    return seen;
  }

  std::string plan(const CaptureRepository::Filter& filter) {
    Statement explain(*db_, "EXPLAIN QUERY PLAN " + CaptureRepository::list_sql(filter));
    std::string text;
    while (explain.step()) text += explain.column_text(3) + "\n";
    return text;
  }
};

TEST_F(CaptureListTest, EachFilterAloneAndCombinedNewestFirstAcrossPages) {
  const auto a = add(kNow + 1, 5, "suicide", "aa:00:00:00:00:01");
  const auto b = add(kNow + 2, 3, "bullying", "aa:00:00:00:00:02");
  const auto c = add(kNow + 3, 5, "bullying", "aa:00:00:00:00:01");
  const auto d = add(kNow + 3, 5, "suicide", "", "10.20.0.77");  // same time as c: by id
  const auto e = add(kNow + 10 * kMinute, 2, "gambling", "aa:00:00:00:00:02");

  EXPECT_EQ(all_pages({}, 2), (std::vector<std::int64_t>{e, d, c, b, a}));
  CaptureRepository::Filter critical;
  critical.severity = 5;
  EXPECT_EQ(all_pages(critical, 1), (std::vector<std::int64_t>{d, c, a}));
  CaptureRepository::Filter suicide;
  suicide.category = "suicide";
  EXPECT_EQ(all_pages(suicide, 1), (std::vector<std::int64_t>{d, a}));
  CaptureRepository::Filter device;
  device.device = "aa:00:00:00:00:01";
  EXPECT_EQ(all_pages(device, 1), (std::vector<std::int64_t>{c, a}));
  CaptureRepository::Filter by_ip;
  by_ip.device = "10.20.0.77";
  EXPECT_EQ(all_pages(by_ip, 5), (std::vector<std::int64_t>{d}));
  CaptureRepository::Filter window;
  window.from_us = kNow + 2;
  window.until_us = kNow + 4;
  EXPECT_EQ(all_pages(window, 2), (std::vector<std::int64_t>{d, c, b}));
  CaptureRepository::Filter devices;
  devices.devices = std::vector<std::string>{"aa:00:00:00:00:02"};
  EXPECT_EQ(all_pages(devices, 1), (std::vector<std::int64_t>{e, b}));
  devices.devices = std::vector<std::string>{};
  EXPECT_TRUE(all_pages(devices, 3).empty());

  CaptureRepository::Filter combined;
  combined.severity = 5;
  combined.category = "bullying";
  combined.device = "aa:00:00:00:00:01";
  EXPECT_EQ(all_pages(combined, 3), (std::vector<std::int64_t>{c}));
  combined.category = "gambling";
  EXPECT_TRUE(all_pages(combined, 3).empty());
}

TEST_F(CaptureListTest, ReviewStatusFiltersAndIncidentsOutrankMarks) {
  const auto a = add(kNow + 1, 5, "suicide", "aa:00:00:00:00:01");
  const auto b = add(kNow + 2, 3, "bullying", "aa:00:00:00:00:02");
  const auto c = add(kNow + 3, 4, "bullying", "aa:00:00:00:00:03");
  const auto d = add(kNow + 4, 2, "gambling", "aa:00:00:00:00:04");
  CaptureReviews reviews(*db_);
  ASSERT_TRUE(reviews.mark(b, "reviewed", "a.patel", kNow + kMinute));
  ASSERT_TRUE(reviews.mark(d, "false_positive", "a.patel", kNow + kMinute));
  auto incident = IncidentRepository(*db_).open("Concern", public_key_, "a.patel", kNow);
  ASSERT_TRUE(incident) << incident.error();
  const std::int64_t linked[] = {c};
  ASSERT_TRUE(IncidentRepository(*db_).add_captures(*incident, linked, "a.patel", kNow));

  const auto with_status = [&](std::string status) {
    CaptureRepository::Filter filter;
    filter.status = std::move(status);
    return all_pages(filter, 2);
  };
  EXPECT_EQ(with_status("new"), (std::vector<std::int64_t>{a}));
  EXPECT_EQ(with_status("reviewed"), (std::vector<std::int64_t>{b}));
  EXPECT_EQ(with_status("false_positive"), (std::vector<std::int64_t>{d}));
  EXPECT_EQ(with_status("incident"), (std::vector<std::int64_t>{c}));
  EXPECT_TRUE(CaptureRepository::is_status("incident"));
  EXPECT_FALSE(CaptureRepository::is_status("closed"));

  const auto each = reviews.of_each(std::vector<std::int64_t>{a, c, 999});
  ASSERT_EQ(each.size(), 2U);
  EXPECT_EQ(each.at(a).status, "new");
  EXPECT_TRUE(each.at(c).in_incident);
}

TEST_F(CaptureListTest, TheFirstReviewTimeStaysAndEveryMarkIsAudited) {
  const auto id = add(kNow, 5, "suicide", "aa:00:00:00:00:01");
  CaptureReviews reviews(*db_);
  EXPECT_EQ(reviews.of(id)->status, "new");
  EXPECT_EQ(reviews.of(id)->first_reviewed_us, 0);

  auto first = reviews.mark(id, "reviewed", "a.patel", kNow + 5 * kMinute);
  ASSERT_TRUE(first) << first.error();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->first_reviewed_us, kNow + 5 * kMinute);
  auto second = reviews.mark(id, "false_positive", "j.okafor", kNow + 60 * kMinute);
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)->status, "false_positive");
  EXPECT_EQ((*second)->first_reviewed_us, kNow + 5 * kMinute);
  EXPECT_EQ((*second)->reviewed_us, kNow + 60 * kMinute);
  EXPECT_EQ((*second)->reviewed_by, "j.okafor");

  auto missing = reviews.mark(999, "reviewed", "a.patel");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  EXPECT_FALSE(reviews.mark(id, "new", "a.patel"));

  Statement audit(*db_,
                  "SELECT actor, detail FROM audit_log WHERE action = 'capture_review' "
                  "ORDER BY id;");
  std::vector<std::string> entries;
  while (audit.step()) entries.push_back(audit.column_text(0) + " " + audit.column_text(1));
  EXPECT_EQ(entries, (std::vector<std::string>{
                         "a.patel capture " + std::to_string(id) + " marked reviewed",
                         "j.okafor capture " + std::to_string(id) + " marked false positive"}));
  EXPECT_FALSE(AuditLog(*db_).verify().first_broken);

  // Marking changes metadata outside the sealed blob's associated data: it still opens.
  const auto stored = CaptureRepository(*db_).find(id);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(evidence::open_evidence(*stored, private_key_));

  const ReviewTimes times = review_times(*db_, kNow);
  EXPECT_EQ(times.reviewed, 1);
  EXPECT_EQ(times.median_wait_us, 5 * kMinute);
}

// A person's captures are those from the devices they had at the time: a laptop passed
// on keeps its earlier captures with its earlier holder.
TEST_F(CaptureListTest, PersonAndGroupFollowWhoHadTheDeviceAtTheTime) {
  const std::vector<evidence::Person> people = {{"Amy Pupil", "4B", "", {}, "Year 4", false},
                                                {"Ben Pupil", "5A", "", {}, "Year 5", false}};
  ASSERT_TRUE(PeopleRepository(*db_).import(people, public_key_, false, "a.patel"));
  const std::int64_t amy = 1;
  const std::int64_t ben = 2;
  DeviceRepository devices(*db_);
  const std::string laptop = "aa:00:00:00:00:01";
  ASSERT_TRUE(devices.seen(laptop, kNow - 10));
  ASSERT_TRUE(devices.seen("aa:00:00:00:00:02", kNow - 10));
  const auto first = devices.assign(laptop, amy, "", 0, kNow, "a.patel");
  ASSERT_TRUE(first) << first.error();
  ASSERT_TRUE(devices.assign(laptop, ben, "", 0, kNow + 100, "a.patel"));
  ASSERT_TRUE(devices.assign("aa:00:00:00:00:02", 0, "Library iPads", 0, kNow, "a.patel"));
  auto group = GroupRepository(*db_).create("Year 4 readers", GroupKind::custom, "a.patel");
  ASSERT_TRUE(group) << group.error();
  ASSERT_TRUE(GroupRepository(*db_).add_member(*group, amy));

  const auto before = add(kNow - 1, 3, "bullying", laptop);  // nobody had it yet
  const auto amys = add(kNow + 50, 4, "bullying", laptop);
  const auto bens = add(kNow + 150, 5, "suicide", laptop);
  add(kNow + 60, 2, "gambling", "aa:00:00:00:00:02");  // the shared pool
  (void)before;

  CaptureRepository::Filter person;
  person.person_id = amy;
  EXPECT_EQ(all_pages(person, 5), std::vector<std::int64_t>{amys});
  person.person_id = ben;
  EXPECT_EQ(all_pages(person, 5), std::vector<std::int64_t>{bens});
  CaptureRepository::Filter in_group;
  in_group.group_id = *group;
  EXPECT_EQ(all_pages(in_group, 5), std::vector<std::int64_t>{amys});
  in_group.severity = 5;
  EXPECT_TRUE(all_pages(in_group, 5).empty());

  bool found = false;
  for (const GroupConcern& concern : most_concerning_groups(*db_, kNow, 10)) {
    if (concern.name != "Year 4 readers") continue;
    found = true;
    EXPECT_EQ(concern.captures, 1);  // Amy's; Ben's came after the laptop moved on
    EXPECT_EQ(concern.serious, 1);
  }
  EXPECT_TRUE(found);
}

// With a filter, a page walks that filter's index newest first and stops: no sort of
// every matching row (which a million captures would make slow).
TEST_F(CaptureListTest, EachSingleFilterReadsItsIndexWithoutSorting) {
  for (int i = 0; i < 50; ++i)
    add(kNow + i, 1 + i % 5, i % 2 ? "suicide" : "drugs",
        "aa:00:00:00:00:0" + std::to_string(i % 4));
  // No ANALYZE: the box never runs it, so the planner must get there on its own.
  const auto expect_index = [&](const CaptureRepository::Filter& filter, const std::string& index) {
    const std::string text = plan(filter);
    EXPECT_NE(text.find(index), std::string::npos) << text;
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << text;
  };
  expect_index({}, "captures_by_time");
  CaptureRepository::Filter f;
  f.severity = 5;
  expect_index(f, "captures_by_severity");
  f = {};
  f.category = "suicide";
  expect_index(f, "captures_by_category");
  f = {};
  f.device = "aa:00:00:00:00:01";
  expect_index(f, "captures_by_device");
  f = {};
  f.status = "new";
  expect_index(f, "captures_by_review");
}

TEST_F(CaptureListTest, DashboardCountsBacklogAndDevices) {
  add(kNow - 2 * 24 * 60 * kMinute, 5, "suicide", "aa:00:00:00:00:01");  // before the day
  const auto serious = add(kNow + 1, 5, "suicide", "aa:00:00:00:00:02");
  add(kNow + 2, 4, "bullying", "aa:00:00:00:00:02");
  add(kNow + 3, 2, "gambling", "aa:00:00:00:00:03");
  add(kNow + 4, 2, "gambling", "", "10.20.0.50");
  const auto reviewed = add(kNow + 5, 4, "bullying", "aa:00:00:00:00:03");
  ASSERT_TRUE(CaptureReviews(*db_).mark(reviewed, "reviewed", "a.patel", kNow + kMinute));

  const ConcernCounts today = concerns_between(*db_, kNow, kNow + kMinute);
  EXPECT_EQ(today.total, 5);
  EXPECT_EQ(today.by_severity.at(5), 1);
  EXPECT_EQ(today.by_severity.at(4), 2);
  EXPECT_EQ(today.by_severity.at(2), 2);
  EXPECT_EQ(today.by_category.at("gambling"), 2);
  EXPECT_EQ(today.by_category.at("bullying"), 2);
  EXPECT_EQ(concerns_between(*db_, 0, kNow + kMinute).total, 6);

  const ReviewBacklog backlog = review_backlog(*db_);
  EXPECT_EQ(backlog.waiting, 5);
  EXPECT_EQ(backlog.serious, 3);  // the older suicide, the new one, the bullying
  EXPECT_EQ(backlog.oldest_serious_us, kNow - 2 * 24 * 60 * kMinute);
  (void)serious;

  // Serious captures only: the IP-only device's gambling look-up does not rank it.
  // Equal counts: the worse severity first.
  add(kNow + 6, 5, "weapons", "", "10.20.0.51");
  const auto devices = most_concerning_devices(*db_, kNow, 10);
  ASSERT_EQ(devices.size(), 3U);
  EXPECT_EQ(devices[0].mac, "aa:00:00:00:00:02");
  EXPECT_EQ(devices[0].serious, 2);
  EXPECT_EQ(devices[0].highest_severity, 5);
  EXPECT_EQ(devices[1].mac, "");
  EXPECT_EQ(devices[1].ip, "10.20.0.51");
  EXPECT_EQ(devices[2].mac, "aa:00:00:00:00:03");
  EXPECT_EQ(devices[2].highest_severity, 4);
  EXPECT_EQ(most_concerning_devices(*db_, kNow, 1).size(), 1U);
}

TEST_F(CaptureListTest, VisibilityAndMirrorTrafficByMinute) {
  const TimeUs minute = kNow / kMinute * kMinute;
  const std::vector<VisibilityRow> rows = {
      {minute - 20 * kMinute, "named_tls", 5, 5000, 50},
      {minute - 2 * kMinute, "named_tls", 10, 10000, 100},
      {minute - 2 * kMinute, "ech", 2, 3000, 30},
      {minute - kMinute, "plain_http", 1, 700, 7},
  };
  ASSERT_TRUE(StatsRepository(*db_).add(rows));
  const auto totals = visibility_since(*db_, minute - 5 * kMinute);
  ASSERT_EQ(totals.size(), 3U);
  EXPECT_EQ(totals[0].visibility, "named_tls");
  EXPECT_EQ(totals[0].bytes, 10000);
  const MirrorTraffic traffic = mirror_traffic(*db_, minute - 5 * kMinute);
  EXPECT_EQ(traffic.packets_by_minute.size(), 2U);
  EXPECT_EQ(traffic.packets_by_minute.at(minute - 2 * kMinute), 130);
  EXPECT_EQ(traffic.last_minute_us, minute - kMinute);
}

}  // namespace
}  // namespace hm::store
