#include "store/stats_repository.h"

#include <chrono>
#include <iostream>

namespace hm::store {
namespace {

constexpr auto kMaxDelay = std::chrono::seconds(1);

}  // namespace

Status StatsRepository::add(std::span<const VisibilityRow> rows) {
  Statement upsert(db_,
                   "INSERT INTO visibility_minutes (minute_start_us, class, flows, bytes, packets) "
                   "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (minute_start_us, class) DO UPDATE SET "
                   "flows = flows + excluded.flows, bytes = bytes + excluded.bytes, "
                   "packets = packets + excluded.packets");
  for (const VisibilityRow& row : rows) {
    upsert.reset();
    upsert.bind(1, row.minute_start_us)
        .bind(2, row.visibility)
        .bind(3, static_cast<std::int64_t>(row.flows))
        .bind(4, static_cast<std::int64_t>(row.bytes))
        .bind(5, static_cast<std::int64_t>(row.packets));
    upsert.step();
    if (!upsert.ok()) return error("storing visibility statistics: " + upsert.error());
  }
  return Ok{};
}

std::vector<VisibilityRow> StatsRepository::list() {
  Statement select(db_,
                   "SELECT minute_start_us, class, flows, bytes, packets FROM visibility_minutes "
                   "ORDER BY minute_start_us, class");
  std::vector<VisibilityRow> rows;
  while (select.step()) {
    rows.push_back({select.column_int(0), select.column_text(1),
                    static_cast<std::uint64_t>(select.column_int(2)),
                    static_cast<std::uint64_t>(select.column_int(3)),
                    static_cast<std::uint64_t>(select.column_int(4))});
  }
  return rows;
}

Result<std::unique_ptr<StatsWriter>> StatsWriter::start(const std::filesystem::path& data_dir,
                                                        std::size_t max_queue) {
  auto db = Database::open(data_dir);
  if (!db) return Error{db.error()};
  return std::unique_ptr<StatsWriter>(new StatsWriter(std::move(*db), max_queue));
}

StatsWriter::StatsWriter(std::unique_ptr<Database> db, std::size_t max_queue)
    : db_(std::move(db)), max_queue_(max_queue), thread_([this] { run(); }) {}

StatsWriter::~StatsWriter() { stop(); }

void StatsWriter::submit(std::vector<VisibilityRow> rows) {
  if (rows.empty()) return;
  std::lock_guard lock(mutex_);
  for (VisibilityRow& row : rows) {
    if (queue_.size() >= max_queue_) {
      ++queue_full_;
      continue;
    }
    queue_.push_back(std::move(row));
  }
}

void StatsWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t StatsWriter::rows_stored() const {
  std::lock_guard lock(mutex_);
  return stored_;
}

std::uint64_t StatsWriter::stats_queue_full() const {
  std::lock_guard lock(mutex_);
  return queue_full_;
}

std::uint64_t StatsWriter::rows_failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

void StatsWriter::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_for(lock, kMaxDelay, [&] { return stopping_; });
    std::vector<VisibilityRow> batch = std::move(queue_);
    queue_.clear();
    const bool last = stopping_;
    if (!batch.empty()) {
      lock.unlock();
      StatsRepository repository(*db_);
      Transaction transaction(*db_);
      Status written = repository.add(batch);
      if (written) written = transaction.commit();
      if (!written) std::cerr << "hallmonitor: " << written.error() << '\n';
      lock.lock();
      (written ? stored_ : failed_) += batch.size();
    }
    if (last) return;
  }
}

}  // namespace hm::store
