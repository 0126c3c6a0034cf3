#include "store/stats_repository.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <vector>

namespace hm::store {
namespace {

class StatsRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-stats-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(StatsRepositoryTest, RowsOfOneMinuteAndClassAddUp) {
  auto db = Database::open(dir_);
  ASSERT_TRUE(db) << db.error();
  StatsRepository stats(**db);
  const std::vector<VisibilityRow> first = {{60'000'000, "named_tls", 2, 3000, 20},
                                            {60'000'000, "vpn", 1, 500, 4}};
  const std::vector<VisibilityRow> second = {{60'000'000, "named_tls", 1, 1000, 5},
                                             {0, "dns", 4, 400, 8}};
  ASSERT_TRUE(stats.add(first));
  ASSERT_TRUE(stats.add(second));
  const auto rows = stats.list();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].minute_start_us, 0);
  EXPECT_EQ(rows[0].visibility, "dns");
  EXPECT_EQ(rows[1].visibility, "named_tls");
  EXPECT_EQ(rows[1].flows, 3u);
  EXPECT_EQ(rows[1].bytes, 4000u);
  EXPECT_EQ(rows[1].packets, 25u);
  EXPECT_EQ(rows[2].visibility, "vpn");
}

TEST_F(StatsRepositoryTest, WriterThreadStoresWhatWorkersHandOver) {
  auto writer = StatsWriter::start(dir_);
  ASSERT_TRUE(writer) << writer.error();
  (*writer)->submit({{120'000'000, "ech", 1, 100, 2}});
  (*writer)->submit({{120'000'000, "ech", 2, 50, 1}, {120'000'000, "other", 1, 60, 1}});
  (*writer)->stop();
  EXPECT_EQ((*writer)->rows_stored(), 3u);
  EXPECT_EQ((*writer)->rows_failed(), 0u);
  auto db = Database::open(dir_, Database::Mode::read_only);
  ASSERT_TRUE(db) << db.error();
  const auto rows = StatsRepository(**db).list();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].flows, 3u);
  EXPECT_EQ(rows[0].bytes, 150u);
}

TEST_F(StatsRepositoryTest, FullQueueIsCounted) {
  auto writer = StatsWriter::start(dir_, /*max_queue=*/2);
  ASSERT_TRUE(writer) << writer.error();
  (*writer)->submit({{0, "dns", 1, 1, 1}, {0, "vpn", 1, 1, 1}, {0, "ech", 1, 1, 1}});
  (*writer)->stop();
  EXPECT_EQ((*writer)->stats_queue_full(), 1u);
  EXPECT_EQ((*writer)->rows_stored(), 2u);
}

}  // namespace
}  // namespace hm::store
