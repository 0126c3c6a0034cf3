#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "store/database.h"

namespace hm::store {

// One minute's flows and bytes of one visibility class (dissect/visibility.h names).
struct VisibilityRow {
  std::int64_t minute_start_us = 0;
  std::string visibility;
  std::uint64_t flows = 0;
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
};

// The visibility_minutes table: what was seen and not seen, per minute.
class StatsRepository {
 public:
  explicit StatsRepository(Database& db) : db_(db) {}

  // Adds rows to what is stored for their minute and class (a minute can arrive in
  // parts: from several workers, and from flows that end later).
  Status add(std::span<const VisibilityRow> rows);
  // Every row, oldest minute first, classes by name.
  std::vector<VisibilityRow> list();

 private:
  Database& db_;
};

// Writes statistics on a thread of its own that owns its connection (workers hand
// rows over through its queue). A minute's rows are few, so one transaction a second
// at most; the queue is bounded (stats_queue_full counts what did not fit).
class StatsWriter {
 public:
  static Result<std::unique_ptr<StatsWriter>> start(const std::filesystem::path& data_dir,
                                                    std::size_t max_queue = 100'000);
  ~StatsWriter();
  StatsWriter(const StatsWriter&) = delete;
  StatsWriter& operator=(const StatsWriter&) = delete;

  // Thread-safe; never blocks on the disk.
  void submit(std::vector<VisibilityRow> rows);
  // Writes what is queued and ends the thread.
  void stop();

  std::uint64_t rows_stored() const;
  std::uint64_t stats_queue_full() const;
  std::uint64_t rows_failed() const;

 private:
  StatsWriter(std::unique_ptr<Database> db, std::size_t max_queue);
  void run();

  std::unique_ptr<Database> db_;
  const std::size_t max_queue_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<VisibilityRow> queue_;
  bool stopping_ = false;
  std::uint64_t stored_ = 0;
  std::uint64_t queue_full_ = 0;
  std::uint64_t failed_ = 0;
  std::thread thread_;
};

}  // namespace hm::store
