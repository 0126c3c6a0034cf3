#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <thread>

#include "base/result.h"
#include "base/stop_signal.h"
#include "store/accounts.h"
#include "store/database.h"
#include "store/incident_repository.h"

namespace hm::store {

// Retention (issue 5 item 2): how many days captures of each category are kept. The
// defaults and why are in README.md "Retention"; a school changes them per category
// (settings `retention.<category>`, each change audited).
inline constexpr int kMinimumRetentionDays = 7;     // a week: at least one weekly review
inline constexpr int kMaximumRetentionDays = 3650;  // ten years
inline constexpr int kDefaultRetentionDays = 90;    // a category with no default of its own
// Captures outlive their retention by at most this long.
inline constexpr std::chrono::hours kPurgeInterval{1};

int default_retention_days(std::string_view category);
int retention_days(Database& db, std::string_view category);
// Checks the range, stores it and audits the change (actor: who changed it).
Status set_retention_days(Database& db, std::string_view category, int days,
                          std::string_view actor);

struct PurgeSettings {
  // Captures deleted per transaction: small, so the store thread's next batch waits
  // for at most one short transaction (its busy timeout is 5 s).
  std::size_t batch = 100;
  // True holds a capture back from the purge until its incident closes. By default
  // the incidents table decides (store/incident_repository.h); a test may pass its own.
  std::function<bool(Database& db, std::int64_t capture_id)> held_by_open_incident =
      capture_held_by_open_incident;
};

struct PurgeSummary {
  std::int64_t deleted = 0;
  std::int64_t held = 0;
  std::map<std::string, std::int64_t> deleted_by_category;
  int transactions = 0;
};

// Deletes every capture older than its category's retention at `now` (row and
// sealed evidence together; secure_delete is on, so the bytes are overwritten), in
// transactions of settings.batch rows, and summarises the run in the audit log.
Result<PurgeSummary> purge_expired(Database& db, TimeUs now, const PurgeSettings& settings = {});

// Runs purge_expired on its own connection at start and then every `every`, until
// stopped. `clock` gives "now" (a test passes its own).
class RetentionPurger {
 public:
  using Clock = std::function<TimeUs()>;
  RetentionPurger(std::filesystem::path data_dir, std::chrono::milliseconds every,
                  Clock clock = now_us, PurgeSettings settings = {});
  ~RetentionPurger();
  RetentionPurger(const RetentionPurger&) = delete;
  RetentionPurger& operator=(const RetentionPurger&) = delete;
  void stop();
  std::int64_t runs() const;

 private:
  void run();
  const std::filesystem::path data_dir_;
  const std::chrono::milliseconds every_;
  const Clock clock_;
  const PurgeSettings settings_;
  StopSignal stop_;
  std::atomic<std::int64_t> runs_{0};  // rounds finished
  std::thread thread_;
};

}  // namespace hm::store
