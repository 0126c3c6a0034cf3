#include "store/capture_writer.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include "store/accounts.h"
#include "store/capture_repository.h"
#include "store/device_repository.h"
#include "store/key_store.h"
#include "store/settings_repository.h"

namespace hm::store {
namespace {

// The health file's fixed size: written in place, so a full disk cannot stop it.
constexpr std::size_t kHealthFileBytes = 1024;
constexpr std::string_view kUnstoredKey = "store.captures_unstored_disk_full";
constexpr std::string_view kHealthKey = "health.store";

std::string json_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      out += c;
    }
  }
  return out;
}

std::uint64_t parse_count(std::string_view text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::uint64_t parse_count(const std::optional<std::string>& text) {
  return text ? parse_count(std::string_view(*text)) : 0;
}

// Which captures are the same capture (CaptureRepository::contains_same).
using SameKey =
    std::tuple<std::int64_t, std::string, std::string, std::string, std::string, std::string>;
SameKey same_key(const evidence::Capture& capture) {
  return {capture.ts_us,    capture.client_ip,  capture.phrase,
          capture.category, capture.entry_kind, capture.observation_kind};
}

}  // namespace

std::string_view to_string(StoreHealth::State state) {
  return state == StoreHealth::State::ok ? "ok" : "disk_full";
}

std::string to_json(const StoreHealth& health) {
  std::ostringstream out;
  out << R"({"state":")" << to_string(health.state) << R"(","since_us":)" << health.since_us
      << R"(,"captures_unstored_disk_full":)" << health.captures_unstored_disk_full
      << R"(,"message":")" << json_escape(health.message) << R"("})";
  return out.str();
}

std::filesystem::path store_health_path(const std::filesystem::path& data_dir) {
  return data_dir / "store-health.json";
}

std::optional<std::string> read_store_health(const std::filesystem::path& data_dir) {
  std::ifstream file(store_health_path(data_dir));
  if (!file) {
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) {
    text.pop_back();
  }
  if (text.empty()) {
    return std::nullopt;
  }
  return text;
}

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
  if (settings.max_database_pages > 0) {
    if (auto capped = (*db)->exec(
            "PRAGMA max_page_count = " + std::to_string(settings.max_database_pages) + ";");
        !capped) {
      return Error{capped.error()};
    }
  }
  const std::int64_t last_id = CaptureRepository(**db).last_id();
  std::uint64_t unstored = parse_count(SettingsRepository(**db).get(kUnstoredKey));
  // The last writer's health file knows more if it stopped with the disk full: what it
  // could not store then was never committed to the counter.
  bool was_full = false;
  if (auto last = read_store_health(data_dir)) {
    constexpr std::string_view kField = R"("captures_unstored_disk_full":)";
    if (const auto at = last->find(kField); at != std::string::npos) {
      unstored =
          std::max(unstored, parse_count(std::string_view(*last).substr(at + kField.size())));
    }
    was_full = last->find(R"("state":"disk_full")") != std::string::npos;
  }
  const int fd = ::open(store_health_path(data_dir).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return error("cannot write " + store_health_path(data_dir).string());
  }
  return std::unique_ptr<CaptureWriter>(new CaptureWriter(std::move(*db), std::move(settings),
                                                          std::move(*public_key), last_id, unstored,
                                                          was_full, fd));
}

CaptureWriter::CaptureWriter(std::unique_ptr<Database> db, CaptureWriterSettings settings,
                             std::vector<std::uint8_t> public_key, std::int64_t last_id,
                             std::uint64_t unstored_before, bool was_full, int health_fd)
    : db_(std::move(db)),
      settings_(std::move(settings)),
      public_key_(std::move(public_key)),
      last_id_(last_id),
      unstored_recorded_(unstored_before),
      health_fd_(health_fd) {
  counters_.captures_unstored_disk_full = unstored_before;
  health_.since_us = now_us();
  health_.captures_unstored_disk_full = unstored_before;
  health_.message = "storing captures";
  if (was_full) {
    // Until a batch commits, the disk counts as still full.
    health_.state = StoreHealth::State::disk_full;
    health_.message = "the disk was full when the store last stopped";
  }
  write_health_file(health_);
  thread_ = std::thread([this] { run(); });
}

CaptureWriter::~CaptureWriter() {
  stop();
  if (health_fd_ >= 0) {
    ::close(health_fd_);
  }
}

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

void CaptureWriter::submit_devices(std::vector<DeviceSighting> sightings) {
  if (sightings.empty()) return;
  {
    std::lock_guard lock(mutex_);
    if (sightings_.size() >= settings_.max_queue) {
      counters_.device_sightings_dropped += sightings.size();
      return;
    }
    sightings_submitted_ += sightings.size();
    sightings_.insert(sightings_.end(), std::make_move_iterator(sightings.begin()),
                      std::make_move_iterator(sightings.end()));
  }
  wake_.notify_one();
}

void CaptureWriter::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = submitted_;
  const std::uint64_t sightings_target = sightings_submitted_;
  wake_.notify_one();
  flushed_.wait(lock, [&] {
    return (completed_ >= target && sightings_completed_ >= sightings_target) ||
           !thread_.joinable();
  });
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

StoreHealth CaptureWriter::health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

void CaptureWriter::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    // Group commit: whatever is waiting goes now (see CaptureWriterSettings).
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty() || !sightings_.empty(); });
    if (queue_.empty() && sightings_.empty()) {
      return;  // stopping, and everything is written
    }
    if (!sightings_.empty()) {
      std::vector<DeviceSighting> sightings;
      sightings.swap(sightings_);
      lock.unlock();
      record_sightings(sightings);
      lock.lock();
      sightings_completed_ += sightings.size();
      flushed_.notify_all();
      if (queue_.empty()) continue;
    }
    std::deque<evidence::Capture> batch;
    while (!queue_.empty() && batch.size() < settings_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    commit_batch(batch);
    lock.lock();
    // What sealing had no time for (id still 0) goes back to the front, in order.
    std::size_t requeued = 0;
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
      if (it->id == 0) {
        queue_.push_front(std::move(*it));
        ++requeued;
      }
    }
    completed_ += batch.size() - requeued;
    flushed_.notify_all();
  }
}

void CaptureWriter::commit_batch(std::deque<evidence::Capture>& batch) {
  CaptureRepository captures(*db_);
  // Skip what is stored already (a restarted replay) and repeats within the batch;
  // marked with id -1 so run() does not queue them again.
  std::set<SameKey> in_batch;
  std::vector<evidence::Capture*> fresh;
  std::uint64_t duplicates = 0;
  for (evidence::Capture& capture : batch) {
    if (!in_batch.insert(same_key(capture)).second || captures.contains_same(capture)) {
      capture.id = -1;
      ++duplicates;
    } else {
      fresh.push_back(&capture);
    }
  }
  // Sealing (an ECDH each) happens before the transaction, so the write lock is held
  // only for the inserts; it stops at max_delay and leaves the rest (id 0) for the
  // next batch, so no capture waits long behind a big batch.
  const auto deadline = std::chrono::steady_clock::now() + settings_.max_delay;
  const std::int64_t first_id = last_id_ + 1;
  std::size_t sealed = 0;
  for (evidence::Capture* capture : fresh) {
    if (sealed > 0 && std::chrono::steady_clock::now() >= deadline) {
      break;
    }
    capture->id = ++last_id_;
    evidence::seal_evidence(*capture, public_key_);
    ++sealed;
  }
  fresh.resize(sealed);

  bool committed = fresh.empty();
  bool recovering = false;
  StoreHealth recovered;
  int error_code = SQLITE_OK;
  std::string reason;
  if (!fresh.empty()) {
    Transaction transaction(*db_);
    bool written = transaction.active();
    if (!written) {
      error_code = db_->last_error_code();
      reason = "could not begin a transaction";
    }
    for (const evidence::Capture* capture : fresh) {
      if (!written) {
        break;
      }
      if (auto id = captures.insert(*capture); !id) {
        // All or nothing: on SQLITE_FULL SQLite may already have rolled back, and a
        // further insert would commit on its own.
        error_code = db_->last_error_code();
        reason = id.error();
        written = false;
      } else if (auto seen = record_device(*capture); !seen) {
        error_code = db_->last_error_code();
        reason = seen.error();
        written = false;
      }
    }
    // The health row says what will be true once this batch commits: after a full
    // disk, that storing works again (and how much was lost).
    StoreHealth health = this->health();
    recovering = health.state != StoreHealth::State::ok;
    if (recovering) {
      health.state = StoreHealth::State::ok;
      health.since_us = now_us();
      health.message = "storing captures again; " +
                       std::to_string(health.captures_unstored_disk_full) +
                       " could not be stored while the disk was full";
    }
    const bool record_unstored = health.captures_unstored_disk_full != unstored_recorded_;
    if (written && (health_row_dirty_ || recovering || record_unstored)) {
      SettingsRepository settings(*db_);
      auto saved = settings.set(kUnstoredKey, std::to_string(health.captures_unstored_disk_full));
      if (saved) {
        saved = settings.set(kHealthKey, to_json(health));
      }
      if (!saved) {
        error_code = db_->last_error_code();
        reason = saved.error();
        written = false;
      }
    }
    if (written) {
      if (auto done = transaction.commit(); done) {
        committed = true;
        health_row_dirty_ = false;
        unstored_recorded_ = health.captures_unstored_disk_full;
        recovered = health;
      } else {
        error_code = transaction.error_code();
        reason = done.error();
      }
    }
  }  // an uncommitted transaction rolls back here

  std::uint64_t unstored_total = 0;
  {
    std::lock_guard lock(mutex_);
    counters_.captures_duplicate += duplicates;
    if (committed) {
      counters_.captures_stored += fresh.size();
    } else if ((error_code & 0xff) == SQLITE_FULL) {
      counters_.captures_unstored_disk_full += fresh.size();
    } else {
      counters_.captures_failed += fresh.size();
    }
    ++counters_.batches;
    unstored_total = counters_.captures_unstored_disk_full;
  }
  if (committed) {
    if (recovering) {
      std::cerr << "hallmonitor: " << recovered.message << " (captures_unstored_disk_full)\n";
      set_health(recovered);
    }
    if (!fresh.empty() && settings_.on_commit) {
      settings_.on_commit(CommitReport{first_id, last_id_, fresh.size()});
    }
    return;
  }
  // Nothing of the batch is on disk. Its ids are free again (the store thread is the
  // only writer of captures), so committed ids stay contiguous.
  device_names_.clear();  // names sealed in this batch were rolled back too
  last_id_ = std::max(first_id - 1, captures.last_id());
  if ((error_code & 0xff) == SQLITE_FULL) {
    if (health().state != StoreHealth::State::disk_full) {
      std::cerr << "hallmonitor: the disk is full: captures are not stored, only counted "
                   "(captures_unstored_disk_full), until space is freed\n";
      set_health(StoreHealth{StoreHealth::State::disk_full, now_us(), unstored_total,
                             "the disk is full: captures are not being stored; free space on "
                             "the data partition (storing resumes by itself)"});
    } else {
      std::lock_guard lock(mutex_);
      health_.captures_unstored_disk_full = unstored_total;
      write_health_file(health_);
    }
    return;
  }
  std::cerr << "hallmonitor: could not store " << fresh.size() << " captures: " << reason << '\n';
}

// The device list (the People page) learns each device, and its DHCP name, from its
// captures.
Status CaptureWriter::record_device(const evidence::Capture& capture) {
  DeviceRepository devices(*db_);
  if (capture.client_mac.empty()) return Ok{};
  if (capture.client_name.empty() || device_names_[capture.client_mac] == capture.client_name) {
    return devices.seen(capture.client_mac, capture.ts_us);
  }
  auto named = devices.name(capture.client_mac, capture.client_name, public_key_, capture.ts_us);
  if (named) device_names_[capture.client_mac] = capture.client_name;
  return named;
}

// Devices DHCP named, in one transaction: each seen once per batch, its name sealed
// only when it differs from the one last sealed (device_names_, updated once the
// transaction commits). Best effort: a failed batch is reported, never retried.
void CaptureWriter::record_sightings(const std::vector<DeviceSighting>& sightings) {
  // Each device once: its first and latest times, and the latest name a message gave it (a later
  // message without option 12 does not forget it). Workers batch per minute, so this
  // folds a device two workers saw.
  struct Latest {
    TimeUs first_us = 0;
    TimeUs ts_us = 0;
    TimeUs named_us = 0;
    std::string_view host_name;
  };
  std::map<std::string_view, Latest> latest;
  for (const DeviceSighting& sighting : sightings) {
    if (sighting.mac.empty()) continue;
    Latest& kept = latest[sighting.mac];
    kept.first_us =
        kept.first_us == 0 ? sighting.first_us : std::min(kept.first_us, sighting.first_us);
    kept.ts_us = std::max(kept.ts_us, sighting.ts_us);
    if (!sighting.host_name.empty() &&
        (kept.host_name.empty() || sighting.ts_us >= kept.named_us)) {
      kept.host_name = sighting.host_name;
      kept.named_us = sighting.ts_us;
    }
  }
  if (latest.empty()) return;
  DeviceRepository devices(*db_);
  std::map<std::string, std::string> named;
  Transaction transaction(*db_);
  Status written = Ok{};
  if (!transaction.active()) written = error("could not begin a transaction");
  for (const auto& [mac, sighting] : latest) {
    if (!written) break;
    if (sighting.first_us < sighting.ts_us) written = devices.seen(mac, sighting.first_us);
    if (!written) break;
    const auto known = device_names_.find(std::string(mac));
    if (sighting.host_name.empty() ||
        (known != device_names_.end() && known->second == sighting.host_name)) {
      written = devices.seen(mac, sighting.ts_us);
    } else {
      written = devices.name(mac, sighting.host_name, public_key_, sighting.ts_us);
      named.emplace(mac, sighting.host_name);
    }
  }
  if (written) written = transaction.commit();
  if (!written) {
    std::cerr << "hallmonitor: could not record " << latest.size()
              << " devices seen through DHCP: " << written.error() << '\n';
    return;
  }
  for (auto& [mac, host_name] : named) device_names_[mac] = std::move(host_name);
}

void CaptureWriter::set_health(StoreHealth health) {
  std::lock_guard lock(mutex_);
  health_ = std::move(health);
  write_health_file(health_);
}

void CaptureWriter::write_health_file(const StoreHealth& health) {
  if (health_fd_ < 0) {
    return;
  }
  std::string text = to_json(health);
  text.resize(kHealthFileBytes - 1, ' ');
  text += '\n';
  // Best effort: the health file must never stop the store.
  (void)::pwrite(health_fd_, text.data(), text.size(), 0);
}

}  // namespace hm::store
