#include "store/capture_writer.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "store/capture_repository.h"
#include "store/database.h"
#include "store/settings_repository.h"

namespace hm::store {
namespace {

using Clock = std::chrono::steady_clock;

// DESIGN.md "store": a capture is durable within a second of its packet; the store
// survives a full disk (issue 5 item 5).
class CaptureWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-writer-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static evidence::Capture capture_at(std::int64_t ts_us) {
    evidence::Capture capture;
    capture.ts_us = ts_us;
    capture.client_ip = "10.20.0.7";
    capture.client_mac = "02:00:00:00:00:07";
    capture.category = "pornography";
    capture.severity = 4;
    capture.phrase = "pornhub.com";
    capture.entry_kind = "domain";
    capture.observation_kind = "dns_query";
    capture.library_version = "test";
    // A few hundred bytes of evidence, like an HTTP URL with its context.
    capture.evidence = {"www.pornhub.com " + std::string(300, 'a'), "www.pornhub.com", ""};
    return capture;
  }

  std::int64_t stored_count() {
    auto reader = Database::open(dir_, Database::Mode::read_only);
    EXPECT_TRUE(reader) << reader.error();
    return reader ? CaptureRepository(**reader).count() : -1;
  }

  std::filesystem::path dir_;
};

TEST_F(CaptureWriterTest, ATrickleOfCapturesIsOnDiskWithinASecondEach) {
  auto writer = CaptureWriter::start(dir_);
  ASSERT_TRUE(writer) << writer.error();
  auto reader = Database::open(dir_, Database::Mode::read_only);
  ASSERT_TRUE(reader) << reader.error();
  for (int i = 0; i < 5; ++i) {
    const auto submitted = Clock::now();
    (*writer)->submit(capture_at(1000 + i));
    // Visible to another connection: committed (synchronous=FULL: on disk).
    while (CaptureRepository(**reader).count() < i + 1 &&
           Clock::now() - submitted < std::chrono::seconds(2)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const auto waited = Clock::now() - submitted;
    EXPECT_LT(waited, std::chrono::seconds(1))
        << "capture " << i << " took " << std::chrono::duration<double>(waited).count()
        << " s to reach the disk";
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
}

TEST_F(CaptureWriterTest, ABurstIsBatchedAndEachCaptureCommittedWithinASecond) {
  std::mutex mutex;
  std::vector<std::pair<Clock::time_point, CommitReport>> reports;
  CaptureWriterSettings settings;
  settings.on_commit = [&](const CommitReport& report) {
    std::lock_guard lock(mutex);
    reports.emplace_back(Clock::now(), report);
  };
  auto writer = CaptureWriter::start(dir_, settings);
  ASSERT_TRUE(writer) << writer.error();
  // Small enough for a loaded test machine to seal in well under a second: the bound
  // holds while the store keeps up (a box that cannot falls behind, up to max_queue).
  constexpr int kCaptures = 12;
  std::vector<Clock::time_point> submitted;
  for (int i = 0; i < kCaptures; ++i) {
    submitted.push_back(Clock::now());
    (*writer)->submit(capture_at(2000 + i));
  }
  (*writer)->flush();
  (*writer)->stop();
  EXPECT_EQ((*writer)->counters().captures_stored, static_cast<std::uint64_t>(kCaptures));
  EXPECT_LT((*writer)->counters().batches, static_cast<std::uint64_t>(kCaptures)) << "no batching";
  // Ids are given in submission order, 1..kCaptures; the reports cover them all, in
  // order, each id once.
  std::lock_guard lock(mutex);
  std::int64_t next = 1;
  for (const auto& [when, report] : reports) {
    EXPECT_EQ(report.first_id, next);
    EXPECT_EQ(report.last_id - report.first_id + 1, static_cast<std::int64_t>(report.captures));
    for (std::int64_t id = report.first_id; id <= report.last_id; ++id) {
      const auto waited = when - submitted[static_cast<std::size_t>(id - 1)];
      EXPECT_LT(waited, std::chrono::seconds(1))
          << "capture " << id << " committed after "
          << std::chrono::duration<double>(waited).count() << " s";
    }
    next = report.last_id + 1;
  }
  EXPECT_EQ(next, kCaptures + 1);
}

TEST_F(CaptureWriterTest, ACaptureStoredAlreadyIsSkippedSoARestartedReplayStoresItOnce) {
  {
    auto writer = CaptureWriter::start(dir_);
    ASSERT_TRUE(writer) << writer.error();
    for (int i = 0; i < 10; ++i) (*writer)->submit(capture_at(3000 + i));
    (*writer)->stop();
  }
  auto writer = CaptureWriter::start(dir_);
  ASSERT_TRUE(writer) << writer.error();
  for (int i = 0; i < 15; ++i) (*writer)->submit(capture_at(3000 + i));
  (*writer)->submit(capture_at(3014));  // the same packet twice in one batch
  (*writer)->stop();
  EXPECT_EQ((*writer)->counters().captures_stored, 5U);
  EXPECT_EQ((*writer)->counters().captures_duplicate, 11U);
  EXPECT_EQ(stored_count(), 15);
}

TEST_F(CaptureWriterTest, AFullDiskStopsStoringCountsWhatIsLostAndResumesWhenSpaceReturns) {
  std::int64_t pages = 0;
  {
    // Made, with its key pair, before the cap.
    auto writer = CaptureWriter::start(dir_);
    ASSERT_TRUE(writer) << writer.error();
    (*writer)->submit(capture_at(1));
    (*writer)->stop();
    auto db = Database::open(dir_);
    ASSERT_TRUE(db);
    Statement count(**db, "PRAGMA page_count;");
    ASSERT_TRUE(count.step());
    pages = count.column_int(0);
  }
  CaptureWriterSettings settings;
  settings.max_database_pages = pages + 6;  // room for a few dozen captures, then full
  settings.max_batch = 8;
  auto writer = CaptureWriter::start(dir_, settings);
  ASSERT_TRUE(writer) << writer.error();
  for (int i = 0; i < 200; ++i) {
    (*writer)->submit(capture_at(10 + i));
    if (i % 8 == 7) (*writer)->flush();
  }
  (*writer)->flush();
  auto counters = (*writer)->counters();
  EXPECT_GT(counters.captures_stored, 0U);
  EXPECT_GT(counters.captures_unstored_disk_full, 0U);
  EXPECT_EQ(counters.captures_failed, 0U);
  EXPECT_EQ(counters.captures_stored + counters.captures_unstored_disk_full, 200U);
  // The health says what could not be stored: still "disk_full", or — when SQLite
  // reused pages a rolled-back batch freed and a later batch fitted — "storing
  // captures again; N could not be stored while the disk was full". Which one depends
  // on how the batches fell, so both are accepted; the count must be right either way.
  const StoreHealth health = (*writer)->health();
  EXPECT_TRUE(health.state == StoreHealth::State::disk_full ||
              health.message.find("could not be stored while the disk was full") !=
                  std::string::npos)
      << health.message;
  EXPECT_EQ(health.captures_unstored_disk_full, counters.captures_unstored_disk_full);
  // Visible to other processes.
  auto file = read_store_health(dir_);
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->find(R"("state":"disk_full")") != std::string::npos ||
              file->find("could not be stored while the disk was full") != std::string::npos)
      << *file;
  // Nothing half-written: whole batches only, the database intact.
  const std::int64_t stored_while_full = stored_count();
  EXPECT_EQ(stored_while_full, 1 + static_cast<std::int64_t>(counters.captures_stored));
  {
    auto db = Database::open(dir_);
    ASSERT_TRUE(db);
    Statement integrity(**db, "PRAGMA integrity_check;");
    ASSERT_TRUE(integrity.step());
    EXPECT_EQ(integrity.column_text(0), "ok");
    // Space returns: another connection deletes captures (their pages are reused).
    ASSERT_TRUE((*db)->exec("DELETE FROM captures WHERE id > 1;"));
  }
  for (int i = 0; i < 5; ++i) (*writer)->submit(capture_at(1000 + i));
  (*writer)->stop();
  const auto after = (*writer)->counters();
  EXPECT_EQ(after.captures_stored, counters.captures_stored + 5);
  EXPECT_EQ(after.captures_unstored_disk_full, counters.captures_unstored_disk_full);
  EXPECT_EQ((*writer)->health().state, StoreHealth::State::ok);
  EXPECT_EQ(stored_count(), 1 + 5);
  file = read_store_health(dir_);
  ASSERT_TRUE(file);
  EXPECT_NE(file->find(R"("state":"ok")"), std::string::npos) << *file;
  // The counter and the health row are kept in the database, for the web UI.
  auto db = Database::open(dir_, Database::Mode::read_only);
  ASSERT_TRUE(db);
  SettingsRepository settings_rows(**db);
  EXPECT_EQ(settings_rows.get("store.captures_unstored_disk_full"),
            std::to_string(after.captures_unstored_disk_full));
  const auto row = settings_rows.get("health.store");
  ASSERT_TRUE(row);
  EXPECT_NE(row->find(R"("state":"ok")"), std::string::npos) << *row;
  EXPECT_NE(row->find("while the disk was full"), std::string::npos) << *row;
}

}  // namespace
}  // namespace hm::store
