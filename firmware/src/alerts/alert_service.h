#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "alerts/clock.h"
#include "alerts/delivery.h"
#include "base/result.h"
#include "base/stop_signal.h"

namespace hm::alerts {

struct AlertServiceOptions {
  // How often new captures are checked and due emails tried. A capture is stored
  // within a second of its packet (DESIGN.md "store"), so an alert is out within ~2 s.
  std::chrono::milliseconds interval{1000};
  SendMail send;                 // empty: mail::send_mail
  const Clock* clock = nullptr;  // empty: the system clock
};

// The alerts' own thread, on its own database connection: checks new captures against
// the rules, makes the daily digest, and sends what is due from the outbox (the
// scheduled reports have their own thread: report_schedule.h). At start,
// everything waiting is tried at once: a restart is when a school has just fixed things.
class AlertService {
 public:
  static Result<std::unique_ptr<AlertService>> start(const std::filesystem::path& data_dir,
                                                     AlertServiceOptions options = {});
  ~AlertService();
  AlertService(const AlertService&) = delete;
  AlertService& operator=(const AlertService&) = delete;

  // Runs one pass now (the replay command's last word before it exits).
  void run_pass_now();
  void stop();

 private:
  AlertService(std::filesystem::path data_dir, std::unique_ptr<store::Database> db,
               AlertServiceOptions options);
  void run();
  void pass();

  const std::filesystem::path data_dir_;
  std::unique_ptr<store::Database> db_;
  AlertServiceOptions options_;
  SystemClock system_clock_;
  const Clock& clock_;
  std::mutex pass_mutex_;  // one pass at a time (the thread, run_pass_now)
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace hm::alerts
