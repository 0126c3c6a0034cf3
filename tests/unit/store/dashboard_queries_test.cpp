#include "store/dashboard_queries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "sealed_store_fixture.h"
#include "store/capture_review.h"
#include "store/incident_repository.h"
#include "store/retention.h"
#include "store/stats_repository.h"

namespace hm::store {
namespace {

constexpr TimeUs kMinute = 60'000'000;
constexpr TimeUs kHour = 60 * kMinute;
constexpr TimeUs kDay = 24 * kHour;

// The answers the dashboard's queries must give, counted one capture at a time from
// the captures table itself, as they were before migration 9's sums.
ConcernCounts counted_between(Database& db, TimeUs from_us, TimeUs until_us) {
  ConcernCounts counts;
  Statement query(db,
                  "SELECT severity, category, count(*) FROM captures "
                  "WHERE ts_us >= ?1 AND ts_us < ?2 GROUP BY severity, category;");
  query.bind(1, from_us).bind(2, until_us);
  while (query.step()) {
    const std::int64_t n = query.column_int(2);
    counts.by_severity[static_cast<int>(query.column_int(0))] += n;
    counts.by_category[query.column_text(1)] += n;
    counts.total += n;
  }
  return counts;
}

ReviewBacklog counted_backlog(Database& db) {
  ReviewBacklog backlog;
  Statement query(db,
                  "SELECT count(*), coalesce(sum(severity >= 4), 0), "
                  "coalesce(min(CASE WHEN severity >= 4 THEN ts_us END), 0) FROM captures "
                  "WHERE review_status = 'new' "
                  "AND id NOT IN (SELECT capture_id FROM incident_captures);");
  EXPECT_TRUE(query.step());
  backlog.waiting = query.column_int(0);
  backlog.serious = query.column_int(1);
  backlog.oldest_serious_us = query.column_int(2);
  return backlog;
}

std::vector<VisibilityTotal> summed_minutes(Database& db, TimeUs since_us) {
  Statement query(db,
                  "SELECT class, sum(flows), sum(bytes), sum(packets) FROM visibility_minutes "
                  "WHERE minute_start_us >= ?1 GROUP BY class ORDER BY sum(bytes) DESC;");
  query.bind(1, since_us);
  std::vector<VisibilityTotal> totals;
  while (query.step()) {
    totals.push_back(
        {query.column_text(0), query.column_int(1), query.column_int(2), query.column_int(3)});
  }
  return totals;
}

// Each (capture, group) pair counted by joining every serious capture to its device's
// assignment at the time — the query most_concerning_groups replaced.
std::vector<GroupConcern> counted_groups(Database& db, TimeUs since_us) {
  Statement query(db,
                  "SELECT g.id, g.name, g.kind, count(*) AS n FROM captures c "
                  "JOIN device_assignments a ON a.mac = c.client_mac AND a.from_us <= c.ts_us "
                  "  AND (a.until_us IS NULL OR c.ts_us < a.until_us) "
                  "JOIN people_groups g ON g.id = a.group_id OR g.id IN "
                  "  (SELECT group_id FROM group_members m WHERE m.person_id = a.person_id) "
                  "WHERE c.ts_us >= ?1 AND c.severity >= 4 AND c.client_mac IS NOT NULL "
                  "GROUP BY g.id ORDER BY n DESC, g.id;");
  query.bind(1, since_us);
  std::vector<GroupConcern> groups;
  while (query.step()) {
    groups.push_back({query.column_int(0), query.column_text(1), query.column_text(2),
                      query.column_int(3), query.column_int(3)});
  }
  return groups;
}

void expect_same(const ConcernCounts& got, const ConcernCounts& counted, const std::string& what) {
  EXPECT_EQ(got.total, counted.total) << what;
  EXPECT_EQ(got.by_severity, counted.by_severity) << what;
  EXPECT_EQ(got.by_category, counted.by_category) << what;
}

void expect_same(const ReviewBacklog& got, const ReviewBacklog& counted) {
  EXPECT_EQ(got.waiting, counted.waiting);
  EXPECT_EQ(got.serious, counted.serious);
  EXPECT_EQ(got.oldest_serious_us, counted.oldest_serious_us);
}

void expect_same(const std::vector<VisibilityTotal>& got,
                 const std::vector<VisibilityTotal>& summed, const std::string& what) {
  ASSERT_EQ(got.size(), summed.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].visibility, summed[i].visibility) << what;
    EXPECT_EQ(got[i].flows, summed[i].flows) << what << " " << got[i].visibility;
    EXPECT_EQ(got[i].bytes, summed[i].bytes) << what << " " << got[i].visibility;
    EXPECT_EQ(got[i].packets, summed[i].packets) << what << " " << got[i].visibility;
  }
}

// The sums tables hold exactly what a GROUP BY over their source gives: no row missing,
// none extra, none left at zero.
void expect_sums_exact(Database& db) {
  const auto rows = [&](const std::string& sql) {
    std::vector<std::string> all;
    Statement query(db, sql);
    EXPECT_TRUE(query.ok()) << query.error();
    while (query.step()) {
      std::string row;
      for (int column = 0; column < 5; ++column) row += query.column_text(column) + "|";
      all.push_back(row);
    }
    return all;
  };
  EXPECT_EQ(rows("SELECT hour_start_us, severity, category, captures, '' FROM capture_hours "
                 "ORDER BY 1, 2, 3;"),
            rows("SELECT ts_us - (ts_us % 3600000000 + 3600000000) % 3600000000 AS hour, "
                 "severity, category, count(*), '' FROM captures GROUP BY 1, 2, 3 "
                 "ORDER BY 1, 2, 3;"));
  EXPECT_EQ(rows("SELECT review_status, severity, captures, '', '' FROM capture_review_counts "
                 "ORDER BY 1, 2;"),
            rows("SELECT review_status, severity, count(*), '', '' FROM captures "
                 "GROUP BY 1, 2 ORDER BY 1, 2;"));
  EXPECT_EQ(rows("SELECT hour_start_us, class, flows, bytes, packets FROM visibility_hours "
                 "ORDER BY 1, 2;"),
            rows("SELECT minute_start_us - minute_start_us % 3600000000, class, sum(flows), "
                 "sum(bytes), sum(packets) FROM visibility_minutes GROUP BY 1, 2 "
                 "ORDER BY 1, 2;"));
}

const char* const kCategories[] = {"gambling", "bullying", "suicide", "pornography", "grooming"};

class DashboardQueriesTest : public SealedStoreFixture {
 protected:
  // A sealed capture as the store thread writes it.
  std::int64_t add(TimeUs ts, int severity, const std::string& category, const std::string& mac) {
    evidence::Capture capture;
    capture.ts_us = ts;
    capture.client_ip = "10.20.0." + std::to_string(mac.empty() ? 250 : mac.back() - '0' + 10);
    if (!mac.empty()) capture.client_mac = mac;
    capture.category = category;
    capture.severity = severity;
    capture.phrase = "phrase";
    capture.entry_kind = "word";
    capture.observation_kind = "http_search";
    capture.library_version = "test";
    capture.evidence = {"text", "search.example", "https://search.example/?q=text"};
    CaptureRepository captures(*db_);
    capture.id = captures.last_id() + 1;
    evidence::seal_evidence(capture, public_key_);
    auto id = captures.insert(capture);
    EXPECT_TRUE(id) << id.error();
    return capture.id;
  }

  // `n` captures at random times of the `days` days before kNow (minutes and seconds
  // too), of every severity and category, on a few devices and one without a MAC.
  std::vector<std::int64_t> add_many(int n, int days, unsigned seed) {
    std::mt19937_64 random(seed);
    std::vector<TimeUs> times;
    for (int i = 0; i < n; ++i) {
      times.push_back(kNow - 1 -
                      static_cast<TimeUs>(random() % static_cast<std::uint64_t>(days * kDay)));
    }
    std::sort(times.begin(), times.end());  // ids in time order, as the store thread
    std::vector<std::int64_t> ids;
    // One transaction, as the store thread batches them (and no fsync per capture).
    EXPECT_TRUE(db_->exec("BEGIN;"));
    for (const TimeUs ts : times) {
      const int device = static_cast<int>(random() % 5);
      ids.push_back(add(ts, 1 + static_cast<int>(random() % 5), kCategories[random() % 5],
                        device == 4 ? "" : "aa:bb:cc:dd:ee:0" + std::to_string(device)));
    }
    EXPECT_TRUE(db_->exec("COMMIT;"));
    return ids;
  }

  // Ranges a browser might send: local midnights on and off the UTC hour, ends mid-hour,
  // one within a single hour, one on exact hours, an empty one, everything.
  void expect_counts_match(const std::string& when) {
    const TimeUs now = kNow;
    const std::vector<std::pair<TimeUs, TimeUs>> ranges = {
        {now - 1 * kDay + 30 * kMinute, now + 1},
        {now - 7 * kDay + 30 * kMinute, now + 1},
        {now - 7 * kDay, now + 1},
        {now - 3 * kDay - 17 * kMinute - 3, now - kDay + 41 * kMinute + 7},
        {now - 2 * kDay + 5 * kMinute, now - 2 * kDay + 55 * kMinute},
        {now - 2 * kDay + 50 * kMinute, now - 2 * kDay + 70 * kMinute},
        {now - 5 * kHour, now - 2 * kHour},
        {now - kDay, now - kDay},
        {0, now + kDay},
    };
    for (const auto& [from, until] : ranges) {
      expect_same(
          concerns_between(*db_, from, until), counted_between(*db_, from, until),
          when + ": [" + std::to_string(from - now) + ", " + std::to_string(until - now) + ")");
    }
    expect_same(review_backlog(*db_), counted_backlog(*db_));
    expect_sums_exact(*db_);
  }
};

TEST_F(DashboardQueriesTest, CountsEqualCountingEveryCaptureForRangesThatStartAndEndMidHour) {
  add_many(400, 9, 1);
  // Exactly on an hour's first and last microsecond.
  add(kNow - 2 * kHour, 5, "suicide", "aa:bb:cc:dd:ee:01");
  add(kNow - kHour - 1, 4, "suicide", "aa:bb:cc:dd:ee:01");
  expect_counts_match("after inserts");
  const ConcernCounts week = concerns_between(*db_, kNow - 7 * kDay + 30 * kMinute, kNow + 1);
  EXPECT_GT(week.total, 250);  // the ranges are not trivially empty
}

TEST_F(DashboardQueriesTest, CountsFollowARetentionPurge) {
  // Pornography is kept 30 days, bullying 120: a purge deletes part of each hour.
  std::mt19937_64 random(2);
  ASSERT_TRUE(db_->exec("BEGIN;"));
  for (int i = 0; i < 150; ++i) {
    const TimeUs ts = kNow - 20 * kDay - static_cast<TimeUs>(random() % (30 * kDay));
    add(ts, 1 + static_cast<int>(random() % 5), i % 2 ? "pornography" : "bullying",
        "aa:bb:cc:dd:ee:01");
  }
  ASSERT_TRUE(db_->exec("COMMIT;"));
  add_many(100, 3, 3);
  const ConcernCounts before = concerns_between(*db_, 0, kNow + 1);
  auto purged = purge_expired(*db_, kNow, PurgeSettings{7, {}});
  ASSERT_TRUE(purged) << purged.error();
  ASSERT_GT(purged->deleted, 20);
  EXPECT_EQ(concerns_between(*db_, 0, kNow + 1).total, before.total - purged->deleted);
  expect_counts_match("after a purge");
  Statement older(*db_,
                  "SELECT count(*) FROM capture_hours WHERE category = 'pornography' "
                  "AND hour_start_us < ?1;");
  older.bind(1, kNow - 31 * kDay);
  ASSERT_TRUE(older.step());
  EXPECT_EQ(older.column_int(0), 0) << "purged hours leave no rows behind";
}

TEST_F(DashboardQueriesTest, TheBacklogFollowsReviewsFalseAlarmsAndIncidents) {
  const auto ids = add_many(200, 5, 4);
  CaptureReviews reviews(*db_);
  for (std::size_t i = 0; i < ids.size(); i += 3) {
    ASSERT_TRUE(reviews.mark(ids[i], i % 2 ? "reviewed" : "false_positive", "head", kNow));
  }
  // Marking again, and changing one's mind, count once.
  ASSERT_TRUE(reviews.mark(ids[0], "false_positive", "head", kNow));
  ASSERT_TRUE(reviews.mark(ids[3], "false_positive", "head", kNow));
  expect_counts_match("after reviews");

  // The oldest serious waiting capture goes into an incident: the next one is oldest.
  const ReviewBacklog before = review_backlog(*db_);
  ASSERT_GT(before.serious, 2);
  Statement oldest(*db_, "SELECT id FROM captures WHERE ts_us = ?1;");
  oldest.bind(1, before.oldest_serious_us);
  ASSERT_TRUE(oldest.step());
  const std::int64_t oldest_id = oldest.column_int(0);
  const std::int64_t twice_linked[] = {oldest_id, ids[1]};
  ASSERT_TRUE(
      IncidentRepository(*db_).open_from_captures("one", twice_linked, public_key_, "head", kNow));
  ASSERT_TRUE(
      IncidentRepository(*db_).open_from_captures("two", twice_linked, public_key_, "head", kNow));
  const ReviewBacklog after = review_backlog(*db_);
  EXPECT_GT(after.oldest_serious_us, before.oldest_serious_us);
  EXPECT_LT(after.waiting, before.waiting);
  expect_counts_match("after incidents");

  // Nothing in the code changes a capture's time, severity or category, but if
  // anything does, the sums follow.
  ASSERT_TRUE(
      db_->exec("UPDATE captures SET severity = 5, ts_us = ts_us - 3 * 3600000000 "
                "WHERE id % 7 = 0;"));
  ASSERT_TRUE(db_->exec("UPDATE captures SET category = 'gambling' WHERE id % 5 = 0;"));
  expect_counts_match("after an update");
}

TEST_F(DashboardQueriesTest, VisibilityFromHoursEqualsSummingTheMinutes) {
  std::vector<VisibilityRow> rows;
  const TimeUs first_minute = kNow - 30 * kHour;
  for (TimeUs minute = first_minute; minute < kNow; minute += kMinute) {
    rows.push_back({minute, "named_tls", 3, 9000, 12});
    if (minute % (7 * kMinute) == 0) rows.push_back({minute, "ech", 1, 400, 2});
  }
  ASSERT_TRUE(db_->exec("BEGIN;"));  // as the statistics writer batches them
  ASSERT_TRUE(StatsRepository(*db_).add(rows));
  ASSERT_TRUE(db_->exec("COMMIT;"));
  // A minute arriving in parts (the writer's upsert): the hours follow its UPDATE too.
  const VisibilityRow more[] = {{kNow - 10 * kMinute, "named_tls", 2, 100, 1},
                                {kNow - 10 * kMinute, "vpn", 1, 50, 1},
                                {kNow - 25 * kHour + 13 * kMinute, "ech", 5, 5, 5}};
  ASSERT_TRUE(StatsRepository(*db_).add(more));
  for (const TimeUs since : {kNow - 24 * kHour, kNow - 24 * kHour + 30 * kMinute,
                             kNow - 10 * kMinute + 1, kNow, first_minute - kDay}) {
    expect_same(visibility_since(*db_, since), summed_minutes(*db_, since),
                "since " + std::to_string(since - kNow));
  }
  ASSERT_TRUE(db_->exec("DELETE FROM visibility_minutes WHERE class = 'vpn';"));
  expect_same(visibility_since(*db_, kNow - kDay), summed_minutes(*db_, kNow - kDay), "deleted");
  expect_sums_exact(*db_);
}

TEST_F(DashboardQueriesTest, DevicesAndGroupsRankAsCountingEachSeriousCapture) {
  // Five pupils, one device each; device 3 changes hands (to a class's shared pool) two
  // days ago; groups: a year, two classes, the vulnerable.
  ASSERT_TRUE(db_->exec(
      "INSERT INTO people_groups (id, name, kind, created_us) VALUES "
      "(1, 'Year 5', 'year', 0), (2, '5A', 'class', 0), (3, '5B', 'class', 0), "
      "(4, 'Vulnerable', 'vulnerable', 0);"
      "INSERT INTO people (id, imported_us, sealed) VALUES (1, 0, x'01'), (2, 0, x'01'), "
      "(3, 0, x'01'), (4, 0, x'01'), (5, 0, x'01');"
      "INSERT INTO group_members (group_id, person_id) VALUES (1, 1), (1, 2), (1, 3), (1, 4), "
      "(2, 1), (2, 2), (3, 3), (3, 4), (4, 2);"));
  Statement assign(*db_,
                   "INSERT INTO device_assignments (mac, person_id, pool, group_id, from_us, "
                   "until_us, assigned_by) VALUES (?1, ?2, ?3, ?4, 0, ?5, 'head');");
  for (int device = 0; device < 4; ++device) {
    assign.reset();
    assign.bind(1, "aa:bb:cc:dd:ee:0" + std::to_string(device)).bind(2, device + 1);
    assign.bind_null(3).bind_null(4);
    if (device == 3) {
      assign.bind(5, kNow - 2 * kDay);
    } else {
      assign.bind_null(5);
    }
    ASSERT_FALSE(assign.step());
    ASSERT_TRUE(assign.ok()) << assign.error();
  }
  ASSERT_TRUE(db_->exec(
      "INSERT INTO device_assignments (mac, person_id, pool, group_id, from_us, assigned_by) "
      "VALUES ('aa:bb:cc:dd:ee:03', NULL, 'Spare laptops', 2, " +
      std::to_string(kNow - 2 * kDay) + ", 'head');"));
  add_many(300, 10, 5);

  for (const TimeUs since : {kNow - 7 * kDay + 30 * kMinute, kNow - 2 * kDay - 1, kNow - kHour}) {
    SCOPED_TRACE("since " + std::to_string(since - kNow));
    const auto groups = most_concerning_groups(*db_, since, 100);
    const auto counted = counted_groups(*db_, since);
    ASSERT_EQ(groups.size(), counted.size());
    for (std::size_t i = 0; i < groups.size(); ++i) {
      EXPECT_EQ(groups[i].id, counted[i].id);
      EXPECT_EQ(groups[i].name, counted[i].name);
      EXPECT_EQ(groups[i].serious, counted[i].serious);
      EXPECT_EQ(groups[i].captures, counted[i].captures);
    }
    EXPECT_EQ(most_concerning_groups(*db_, since, 2).size(),
              std::min<std::size_t>(2, counted.size()));

    // Devices: serious captures per MAC (or IP without one), most first.
    Statement per_device(*db_,
                         "SELECT coalesce(client_mac, client_ip), count(*), max(severity) "
                         "FROM captures WHERE ts_us >= ?1 AND severity >= 4 "
                         "GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1;");
    per_device.bind(1, since);
    const auto devices = most_concerning_devices(*db_, since, 100);
    std::size_t i = 0;
    for (; per_device.step(); ++i) {
      ASSERT_LT(i, devices.size());
      const std::string key = devices[i].mac.empty() ? devices[i].ip : devices[i].mac;
      EXPECT_EQ(key, per_device.column_text(0));
      EXPECT_EQ(devices[i].serious, per_device.column_int(1));
      EXPECT_EQ(devices[i].highest_severity, per_device.column_int(2));
    }
    EXPECT_EQ(i, devices.size());
  }
  const auto week = most_concerning_groups(*db_, kNow - 7 * kDay, 100);
  ASSERT_FALSE(week.empty());
}

// A data folder that had captures, reviews and statistics before migration 9 gets sums
// that equal counting them.
class DashboardSumsMigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-dashboard-migration-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(DashboardSumsMigrationTest, TheBackfillGivesTheSameCounts) {
  constexpr TimeUs now = 1'800'000'000'000'000;
  const auto all = migrations();
  const auto sums = std::find_if(all.begin(), all.end(), [](const Migration& migration) {
    return std::string(migration.purpose).find("dashboard's sums") != std::string::npos;
  });
  ASSERT_NE(sums, all.end());
  {
    // The schema just before the sums.
    auto old = Database::open(dir_, Database::Mode::read_write,
                              all.first(static_cast<std::size_t>(sums->version - 1)));
    ASSERT_TRUE(old) << old.error();
    ASSERT_TRUE((*old)->exec("BEGIN;"));
    std::mt19937_64 random(6);
    Statement insert(**old,
                     "INSERT INTO captures (ts_us, client_ip, client_mac, category, severity, "
                     "phrase, entry_kind, observation_kind, library_version, evidence, "
                     "review_status) VALUES (?1, '10.0.0.1', ?2, ?3, ?4, 'p', 'word', "
                     "'http_url', 'test', x'00', ?5);");
    for (int i = 0; i < 500; ++i) {
      insert.reset();
      insert.bind(1, now - static_cast<TimeUs>(random() % (8 * kDay)))
          .bind(2, "aa:bb:cc:dd:ee:0" + std::to_string(random() % 4))
          .bind(3, kCategories[random() % 5])
          .bind(4, static_cast<std::int64_t>(1 + random() % 5))
          .bind(5, random() % 3 == 0 ? "new" : "reviewed");
      ASSERT_FALSE(insert.step());
      ASSERT_TRUE(insert.ok()) << insert.error();
    }
    std::vector<VisibilityRow> rows;
    for (TimeUs minute = now - 5 * kHour; minute < now; minute += kMinute) {
      rows.push_back({minute, minute % (3 * kMinute) ? "named_tls" : "doh", 1, 100, 2});
    }
    ASSERT_TRUE(StatsRepository(**old).add(rows));
    ASSERT_TRUE((*old)->exec("COMMIT;"));
  }
  auto db = Database::open(dir_);
  ASSERT_TRUE(db) << db.error();
  expect_sums_exact(**db);
  for (const auto& [from, until] :
       std::vector<std::pair<TimeUs, TimeUs>>{{now - kDay + 30 * kMinute, now + 1},
                                              {now - 7 * kDay + 45 * kMinute, now - 13},
                                              {0, now + 1}}) {
    expect_same(concerns_between(**db, from, until), counted_between(**db, from, until),
                "[" + std::to_string(from - now) + ", " + std::to_string(until - now) + ")");
  }
  expect_same(review_backlog(**db), counted_backlog(**db));
  expect_same(visibility_since(**db, now - 3 * kHour + 20 * kMinute),
              summed_minutes(**db, now - 3 * kHour + 20 * kMinute), "visibility");
}

}  // namespace
}  // namespace hm::store
