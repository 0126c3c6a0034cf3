#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "alerts/clock.h"
#include "alerts/outbox.h"
#include "store/database.h"
#include "store/settings_repository.h"

namespace hm::alerts {

// A clock the test moves by hand: grouping windows, digests and quiet hours are
// checked in hours of box time that pass in microseconds.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeUs now) : now_(now) {}
  TimeUs now() const override { return now_; }
  void set(TimeUs now) { now_ = now; }
  void advance_minutes(int minutes) { now_ += TimeUs{minutes} * 60'000'000; }

 private:
  TimeUs now_;
};

// Monday 2026-11-23 at hh:mm, box time (the tests run the box in UTC).
inline TimeUs monday_at(int hours, int minutes = 0) {
  return local_moment(2026, 11, 23, hours * 60 + minutes);
}

// A fresh data folder with the shipped rules (migration 10) and a DSL address.
class AlertsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-alerts-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto db = store::Database::open(dir_);
    ASSERT_TRUE(db) << db.error();
    db_ = std::move(*db);
    store::SettingsRepository settings(*db_);
    ASSERT_TRUE(settings.set("school.name", "St Ffraid's Primary"));
    ASSERT_TRUE(settings.set("school.dsl_email", "dsl@school.example"));
    ASSERT_TRUE(settings.set("web.link_base", "https://box.school.example:8443"));
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A capture's metadata as the store thread writes it (the alerts never read evidence).
  std::int64_t add_capture(TimeUs ts, const std::string& category, int severity,
                           const std::string& mac = "3c:22:fb:00:00:01") {
    store::Statement insert(
        *db_,
        "INSERT INTO captures (ts_us, client_ip, client_mac, category, severity, phrase, "
        "entry_kind, observation_kind, library_version, evidence) "
        "VALUES (?1, '10.20.0.9', ?2, ?3, ?4, 'a phrase', 'phrase', 'http_search', 'test', x'00')");
    insert.bind(1, ts).bind(2, mac).bind(3, category).bind(4, std::int64_t{severity});
    insert.step();
    EXPECT_TRUE(insert.ok()) << insert.error();
    store::Statement last(*db_, "SELECT last_insert_rowid()");
    return last.step() ? last.column_int(0) : 0;
  }

  std::vector<OutboxMessage> outbox(const std::string& kind = "") {
    std::vector<OutboxMessage> messages;
    for (OutboxMessage& message : Outbox(*db_).recent(1000)) {
      if (kind.empty() || message.kind == kind) messages.push_back(std::move(message));
    }
    return messages;
  }

  std::int64_t count(const std::string& sql) {
    store::Statement select(*db_, sql);
    return select.step() ? select.column_int(0) : -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace hm::alerts
