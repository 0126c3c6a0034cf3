#include "store/capture_repository.h"

#include <gtest/gtest.h>

#include <cstdio>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "store/accounts.h"
#include "store/capture_writer.h"
#include "store/database.h"
#include "store/key_store.h"

namespace hm::store {
namespace {

class CaptureStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static evidence::Capture capture_at(std::int64_t ts_us, std::string category) {
    evidence::Capture capture;
    capture.ts_us = ts_us;
    capture.client_ip = "10.20.0.7";
    capture.client_mac = "02:00:00:00:00:07";
    capture.category = std::move(category);
    capture.severity = 4;
    capture.phrase = "pornhub.com";
    capture.entry_kind = "domain";
    capture.observation_kind = "dns_query";
    capture.library_version = "test";
    capture.evidence = {"www.pornhub.com", "www.pornhub.com", ""};
    return capture;
  }

  // Numbers and seals a capture as the store thread does.
  static evidence::Capture sealed(Database& db, evidence::Capture capture) {
    auto public_key = KeyStore(db).ensure_key_pair();
    EXPECT_TRUE(public_key) << public_key.error();
    capture.id = CaptureRepository(db).last_id() + 1;
    evidence::seal_evidence(capture, *public_key);
    return capture;
  }

  std::filesystem::path dir_;
};

TEST_F(CaptureStoreTest, NewDatabaseIsMigratedToTheLatestSchemaInWalMode) {
  auto db = Database::open(dir_);
  ASSERT_TRUE(db) << db.error();
  EXPECT_GE((*db)->schema_version(), 1);
  Statement mode(**db, "PRAGMA journal_mode;");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.column_text(0), "wal");
}

TEST_F(CaptureStoreTest, ReopeningDoesNotMigrateTwice) {
  { ASSERT_TRUE(Database::open(dir_)); }
  auto again = Database::open(dir_);
  ASSERT_TRUE(again) << again.error();
}

TEST_F(CaptureStoreTest, ReadOnlyOpenOfAMissingDatabaseSaysWhatToDo) {
  auto db = Database::open(dir_, Database::Mode::read_only);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().find("no hallmonitor database"), std::string::npos) << db.error();
}

TEST_F(CaptureStoreTest, NewerSchemaIsRefused) {
  {
    auto db = Database::open(dir_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->exec("PRAGMA user_version = 999;"));
  }
  auto db = Database::open(dir_);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().find("newer than this firmware"), std::string::npos) << db.error();
}

TEST_F(CaptureStoreTest, InsertedCaptureReadsBackWithItsEvidence) {
  auto db = Database::open(dir_);
  ASSERT_TRUE(db);
  CaptureRepository captures(**db);
  auto id = captures.insert(sealed(**db, capture_at(1'700'000'000'000'000, "pornography")));
  ASSERT_TRUE(id) << id.error();
  auto found = captures.find(*id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->category, "pornography");
  EXPECT_EQ(found->client_mac, "02:00:00:00:00:07");
  // Only sealed evidence comes back; it opens with the private key (here via the
  // setup code, as before setup).
  EXPECT_TRUE(found->evidence.host.empty());
  const auto key = KeyStore(**db).unwrap_with_setup_code(ensure_setup_code(**db));
  ASSERT_TRUE(key);
  const auto opened = evidence::open_evidence(*found, *key);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->host, "www.pornhub.com");
  EXPECT_EQ(captures.count(), 1);
}

TEST_F(CaptureStoreTest, UnsealedEvidenceIsRefused) {
  auto db = Database::open(dir_);
  ASSERT_TRUE(db);
  auto capture = capture_at(1, "drugs");
  capture.id = 1;
  auto id = CaptureRepository(**db).insert(capture);
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().find("not sealed"), std::string::npos) << id.error();
}

TEST_F(CaptureStoreTest, ListIsNewestFirstAndPagesWithoutGapsOrRepeats) {
  auto db = Database::open(dir_);
  ASSERT_TRUE(db);
  CaptureRepository captures(**db);
  for (int i = 0; i < 25; ++i) {
    // Several captures share a timestamp: paging must still see each once.
    ASSERT_TRUE(captures.insert(sealed(**db, capture_at(1000 + i / 3, "gambling"))));
  }
  std::vector<std::int64_t> seen;
  std::optional<CaptureRepository::Cursor> cursor;
  while (true) {
    auto page = captures.list_recent(7, cursor);
    if (page.empty()) {
      break;
    }
    for (const auto& capture : page) {
      if (!seen.empty()) {
        const auto previous = captures.find(seen.back());
        ASSERT_GE(previous->ts_us, capture.ts_us);
      }
      seen.push_back(capture.id);
    }
    cursor = CaptureRepository::Cursor{page.back().ts_us, page.back().id};
  }
  ASSERT_EQ(seen.size(), 25U);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
}

TEST_F(CaptureStoreTest, WriterCommitsEverythingSubmittedBeforeFlush) {
  auto writer =
      CaptureWriter::start(dir_, CaptureWriterSettings{16, std::chrono::seconds(10), 1000});
  ASSERT_TRUE(writer) << writer.error();
  for (int i = 0; i < 100; ++i) {
    (*writer)->submit(capture_at(i, "drugs"));
  }
  (*writer)->flush();
  // Visible to another connection, as the web server would read it.
  auto reader = Database::open(dir_, Database::Mode::read_only);
  ASSERT_TRUE(reader) << reader.error();
  EXPECT_EQ(CaptureRepository(**reader).count(), 100);
  (*writer)->stop();
  const auto counters = (*writer)->counters();
  EXPECT_EQ(counters.captures_stored, 100U);
  EXPECT_EQ(counters.captures_failed, 0U);
  EXPECT_GE(counters.batches, 100U / 16);
}

TEST_F(CaptureStoreTest, WriterCommitsWithinTheDelayWithoutAFlush) {
  auto writer =
      CaptureWriter::start(dir_, CaptureWriterSettings{256, std::chrono::milliseconds(50), 1000});
  ASSERT_TRUE(writer);
  (*writer)->submit(capture_at(1, "violence"));
  auto reader = Database::open(dir_, Database::Mode::read_only);
  ASSERT_TRUE(reader);
  std::int64_t count = 0;
  for (int attempt = 0; attempt < 100 && count == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    count = CaptureRepository(**reader).count();
  }
  EXPECT_EQ(count, 1);
}

TEST_F(CaptureStoreTest, WriterDropsAndCountsBeyondItsQueueBound) {
  auto writer =
      CaptureWriter::start(dir_, CaptureWriterSettings{1000, std::chrono::seconds(30), 5});
  ASSERT_TRUE(writer);
  // The store thread may take some before the bound is reached; at most 5 wait.
  for (int i = 0; i < 50; ++i) {
    (*writer)->submit(capture_at(i, "bullying"));
  }
  (*writer)->stop();
  const auto counters = (*writer)->counters();
  EXPECT_EQ(counters.captures_stored + counters.store_queue_full, 50U);
  EXPECT_GT(counters.store_queue_full, 0U);
}

TEST_F(CaptureStoreTest, WriterDropsAndCountsDhcpSightingsBeyondItsQueueBound) {
  auto writer =
      CaptureWriter::start(dir_, CaptureWriterSettings{1000, std::chrono::seconds(30), 5});
  ASSERT_TRUE(writer);
  // A flood of leases for made-up MACs: the first is always kept, and once 5 wait the
  // rest are dropped and counted, not queued without bound.
  for (int i = 0; i < 50; ++i) {
    char mac[18];
    std::snprintf(mac, sizeof mac, "02:00:00:00:00:%02x", i);
    (*writer)->submit_devices({DeviceSighting{mac, "tablet", 1'000'000, 1'000'000}});
  }
  (*writer)->stop();
  const auto dropped = (*writer)->counters().device_sightings_dropped;
  EXPECT_GT(dropped, 0U);
  EXPECT_LT(dropped, 50U);
}

}  // namespace
}  // namespace hm::store
