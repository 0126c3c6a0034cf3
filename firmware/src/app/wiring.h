#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "alerts/alert_service.h"
#include "base/result.h"
#include "base/stop_signal.h"
#include "match/matcher.h"
#include "web/server.h"

namespace hm::app {

// Loads a library source folder (empty: the built-in starter library) and compiles it.
Result<std::shared_ptr<const match::CompiledLibrary>> load_library(
    const std::filesystem::path& library_dir);

// The library the daemon starts with: an explicit source folder wins; otherwise the
// data folder's active bundle (library/bundle_store.h) when there is one; otherwise
// the starter library; then the school's own words on top (library/school_entries.h).
// An active bundle that no longer verifies, or school files that no longer read, are
// reported and left out, so the box keeps watching.
Result<std::shared_ptr<const match::CompiledLibrary>> load_library(
    const std::filesystem::path& library_dir, const std::filesystem::path& data_dir);

// Polls the data folder's active-bundle pointer and the school's own entries and hands
// each newly activated bundle (or the same one after a school edit), verified and
// compiled with the school's entries, to `on_change` (on the watcher's own thread), e.g.
// Pipeline::swap_library. A bundle that fails to load is reported and skipped.
class ActiveLibraryWatcher {
 public:
  using OnChange = std::function<void(std::shared_ptr<const match::CompiledLibrary>)>;
  ActiveLibraryWatcher(std::filesystem::path data_dir, OnChange on_change,
                       std::chrono::milliseconds interval = std::chrono::seconds(2));
  ~ActiveLibraryWatcher();
  ActiveLibraryWatcher(const ActiveLibraryWatcher&) = delete;
  ActiveLibraryWatcher& operator=(const ActiveLibraryWatcher&) = delete;

  void stop();

 private:
  void run();

  const std::filesystem::path data_dir_;
  const OnChange on_change_;
  const std::chrono::milliseconds interval_;
  std::string pointer_;  // the pointer file's contents last seen (watcher thread)
  std::string school_;   // library::school_entries_state() last seen (watcher thread)
  StopSignal stop_;
  std::thread thread_;
};

// Starts the alerts' thread (alerts/alert_service.h). A failure is reported and the
// box goes on watching without alerts (nullptr).
std::unique_ptr<alerts::AlertService> start_alerts(const std::filesystem::path& data_dir);

struct WebEndpoint {
  std::string address;
  std::uint16_t port = 8443;
};

// Starts the HTTPS web UI on the data folder and tells the person at the console
// where to go and, before setup, the one-time setup code.
Result<std::unique_ptr<web::Server>> start_web_ui(const std::filesystem::path& data_dir,
                                                  const WebEndpoint& endpoint);

}  // namespace hm::app
