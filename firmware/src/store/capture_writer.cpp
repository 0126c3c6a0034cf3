#include "store/capture_writer.h"

#include <algorithm>
#include <iostream>
#include <utility>

#include "store/capture_repository.h"
#include "store/key_store.h"

namespace hm::store {

Result<std::unique_ptr<CaptureWriter>> CaptureWriter::start(const std::filesystem::path& data_dir,
                                                            CaptureWriterSettings settings) {
  auto db = Database::open(data_dir);
  if (!db) {
    return Error{db.error()};
  }
  auto public_key = KeyStore(**db).ensure_key_pair();
  if (!public_key) {
    return Error{public_key.error()};
  }
  const std::int64_t last_id = CaptureRepository(**db).last_id();
  return std::unique_ptr<CaptureWriter>(
      new CaptureWriter(std::move(*db), settings, std::move(*public_key), last_id));
}

CaptureWriter::CaptureWriter(std::unique_ptr<Database> db, CaptureWriterSettings settings,
                             std::vector<std::uint8_t> public_key, std::int64_t last_id)
    : db_(std::move(db)),
      settings_(settings),
      public_key_(std::move(public_key)),
      last_id_(last_id),
      thread_([this] { run(); }) {}

CaptureWriter::~CaptureWriter() { stop(); }

void CaptureWriter::submit(evidence::Capture capture) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= settings_.max_queue) {
      ++counters_.store_queue_full;
      return;
    }
    queue_.push_back(std::move(capture));
    ++submitted_;
  }
  wake_.notify_one();
}

void CaptureWriter::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = submitted_;
  wake_.notify_one();
  flushed_.wait(lock, [&] { return completed_ >= target || !thread_.joinable(); });
}

void CaptureWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
  flushed_.notify_all();
}

CaptureWriterCounters CaptureWriter::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void CaptureWriter::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    // Wait for a full batch, the batch deadline, a flush or the stop.
    wake_.wait_for(lock, settings_.max_delay, [&] {
      return stopping_ || queue_.size() >= settings_.max_batch || submitted_ > completed_;
    });
    if (!queue_.empty()) {
      std::deque<evidence::Capture> batch;
      while (!queue_.empty() && batch.size() < settings_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      lock.unlock();
      commit_batch(batch);
      lock.lock();
      completed_ += batch.size();
      flushed_.notify_all();
      continue;
    }
    if (stopping_) {
      return;
    }
  }
}

void CaptureWriter::commit_batch(std::deque<evidence::Capture>& batch) {
  CaptureRepository captures(*db_);
  // Sealing (an ECDH each) happens before the transaction, so the write lock is held
  // only for the inserts.
  for (evidence::Capture& capture : batch) {
    capture.id = ++last_id_;
    evidence::seal_evidence(capture, public_key_);
  }
  Transaction transaction(*db_);
  std::uint64_t stored = 0;
  std::uint64_t failed = 0;
  for (const evidence::Capture& capture : batch) {
    if (auto id = captures.insert(capture); id) {
      ++stored;
    } else {
      ++failed;
    }
  }
  auto committed = transaction.commit();
  if (!committed) {
    // Nothing of the batch is on disk: count it all as failed (never half-written).
    failed += stored;
    stored = 0;
    std::cerr << "hallmonitor: could not store " << batch.size()
              << " captures: " << committed.error() << '\n';
    // Ids of a failed batch are skipped; re-read in case something else wrote.
    last_id_ = std::max(last_id_, captures.last_id());
  }
  std::lock_guard lock(mutex_);
  counters_.captures_stored += stored;
  counters_.captures_failed += failed;
  ++counters_.batches;
}

}  // namespace hm::store
