#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "evidence/capture.h"
#include "store/database.h"

namespace hm::store {

// One committed batch: ids first_id..last_id, all of them, are on disk (synchronous=FULL).
struct CommitReport {
  std::int64_t first_id = 0;
  std::int64_t last_id = 0;
  std::size_t captures = 0;
};

struct CaptureWriterSettings {
  // Group commit: the store thread commits as soon as captures wait, taking what
  // queued up during the previous commit (at most max_batch). Sealing a batch stops
  // after max_delay and leaves the rest for the next one, so a capture is on disk
  // well within a second of being submitted (DESIGN.md: within a second of its packet).
  std::size_t max_batch = 256;
  std::chrono::milliseconds max_delay{200};
  // Beyond this many waiting captures new ones are dropped and counted
  // (store_queue_full) rather than growing without bound.
  std::size_t max_queue = 100'000;
  // 0, or a cap on the database's size in pages (PRAGMA max_page_count): beyond it
  // SQLite answers SQLITE_FULL, exactly as on a full disk (the unit tests use it).
  std::int64_t max_database_pages = 0;
  // Called on the store thread after each committed batch (replay --report-commits).
  std::function<void(const CommitReport&)> on_commit = nullptr;
};

struct CaptureWriterCounters {
  std::uint64_t captures_stored = 0;
  std::uint64_t captures_failed = 0;
  std::uint64_t store_queue_full = 0;
  // Skipped: the same capture was stored already (CaptureRepository::contains_same).
  std::uint64_t captures_duplicate = 0;
  // Not stored because the disk (or the database) was full; since the data folder
  // was made, not only by this process (settings key store.captures_unstored_disk_full).
  std::uint64_t captures_unstored_disk_full = 0;
  std::uint64_t batches = 0;
  // DHCP sightings not kept because max_queue of them already waited (a flood of
  // leases for made-up MACs): the devices' names wait for their next lease.
  std::uint64_t device_sightings_dropped = 0;
};

// The store's health as the writer last saw it. A full disk: captures are not stored
// but counted (dropped: a batch that cannot be committed is rolled back whole, never
// half-written, and not retried; the packets it came from are gone anyway). Every
// new batch tries again, so storing resumes by itself when space returns.
//
// Where it is visible: the file store-health.json in the data folder, rewritten in
// place by the running writer (1 KiB allocated when the writer starts, so it can
// still be written when the disk is full), read by `admin status` and `stats`; and
// the settings row health.store (JSON, written when a batch commits after a change,
// so it records the last full-disk episode for the web UI).
struct StoreHealth {
  enum class State { ok, disk_full };
  State state = State::ok;
  std::int64_t since_us = 0;  // when this state began
  std::uint64_t captures_unstored_disk_full = 0;
  std::string message;
};

std::string_view to_string(StoreHealth::State state);
std::string to_json(const StoreHealth& health);
// The health file of a data folder, as JSON text; nullopt if no writer ever ran there.
std::optional<std::string> read_store_health(const std::filesystem::path& data_dir);
std::filesystem::path store_health_path(const std::filesystem::path& data_dir);

// A device a DHCP message named (the dissectors' dhcp_lease observations): the device
// list (the People page) learns it, and its host name, even if it never makes a capture.
struct DeviceSighting {
  std::string mac;            // aa:bb:cc:dd:ee:ff
  std::string host_name;      // DHCP option 12; empty when the message did not name it
  std::int64_t first_us = 0;  // the first message's time
  std::int64_t ts_us = 0;     // the latest message's time
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
  // Thread-safe; never blocks on the disk. Workers hand over what DHCP taught them in
  // batches; a device's name is sealed again only when it changes.
  void submit_devices(std::vector<DeviceSighting> sightings);
  // Returns once everything submitted before the call is committed (or failed).
  void flush();
  // Flushes and ends the thread.
  void stop();

  CaptureWriterCounters counters() const;
  StoreHealth health() const;

 private:
  CaptureWriter(std::unique_ptr<Database> db, CaptureWriterSettings settings,
                std::vector<std::uint8_t> public_key, std::int64_t last_id,
                std::uint64_t unstored_before, bool was_full, int health_fd);
  void run();
  void commit_batch(std::deque<evidence::Capture>& batch);
  Status record_device(const evidence::Capture& capture);               // store thread
  void record_sightings(const std::vector<DeviceSighting>& sightings);  // store thread
  // Store thread: the new state, in memory and in the health file (the settings row
  // is written with the next commit).
  void set_health(StoreHealth health);
  void write_health_file(const StoreHealth& health);

  std::unique_ptr<Database> db_;
  const CaptureWriterSettings settings_;
  // The evidence public key: the store thread can seal, never open.
  const std::vector<std::uint8_t> public_key_;
  std::int64_t last_id_;  // store thread only
  // Store thread only: the health row waits for a commit; the file stays open.
  bool health_row_dirty_ = true;
  std::uint64_t unstored_recorded_ = 0;  // what store.captures_unstored_disk_full says
  int health_fd_ = -1;
  // Store thread only: each device's DHCP name as last sealed into the device list, so
  // a name is sealed again only when it changes.
  std::map<std::string, std::string> device_names_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::deque<evidence::Capture> queue_;
  std::vector<DeviceSighting> sightings_;  // waiting for the store thread
  std::uint64_t submitted_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t sightings_submitted_ = 0;
  std::uint64_t sightings_completed_ = 0;
  bool stopping_ = false;
  CaptureWriterCounters counters_;
  StoreHealth health_;
  std::thread thread_;
};

}  // namespace hm::store
