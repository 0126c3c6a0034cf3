#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/result.h"
#include "evidence/capture.h"
#include "store/database.h"

namespace hm::store {

struct CaptureWriterSettings {
  // A capture is durable within max_delay of being submitted (DESIGN.md: within a
  // second of its packet).
  std::size_t max_batch = 256;
  std::chrono::milliseconds max_delay{200};
  // Beyond this many waiting captures new ones are dropped and counted
  // (store_queue_full) rather than growing without bound.
  std::size_t max_queue = 100'000;
};

struct CaptureWriterCounters {
  std::uint64_t captures_stored = 0;
  std::uint64_t captures_failed = 0;
  std::uint64_t store_queue_full = 0;
  std::uint64_t batches = 0;
};

// The store thread: owns the write connection, numbers and seals each capture's
// evidence to the box's public key (made at first start if there is none yet) and
// commits them in batched transactions. Workers hand captures over through its queue.
class CaptureWriter {
 public:
  static Result<std::unique_ptr<CaptureWriter>> start(const std::filesystem::path& data_dir,
                                                      CaptureWriterSettings settings = {});
  ~CaptureWriter();
  CaptureWriter(const CaptureWriter&) = delete;
  CaptureWriter& operator=(const CaptureWriter&) = delete;

  // Thread-safe; never blocks on the disk.
  void submit(evidence::Capture capture);
  // Returns once everything submitted before the call is committed (or failed).
  void flush();
  // Flushes and ends the thread.
  void stop();

  CaptureWriterCounters counters() const;

 private:
  CaptureWriter(std::unique_ptr<Database> db, CaptureWriterSettings settings,
                std::vector<std::uint8_t> public_key, std::int64_t last_id);
  void run();
  void commit_batch(std::deque<evidence::Capture>& batch);

  std::unique_ptr<Database> db_;
  const CaptureWriterSettings settings_;
  // The evidence public key: the store thread can seal, never open.
  const std::vector<std::uint8_t> public_key_;
  std::int64_t last_id_;  // store thread only
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::deque<evidence::Capture> queue_;
  std::uint64_t submitted_ = 0;
  std::uint64_t completed_ = 0;
  bool stopping_ = false;
  CaptureWriterCounters counters_;
  std::thread thread_;
};

}  // namespace hm::store
