#pragma once

#include <chrono>
#include <filesystem>
#include <string_view>
#include <thread>

#include "alerts/clock.h"
#include "base/result.h"
#include "base/stop_signal.h"
#include "store/database.h"

namespace hm::alerts {

inline constexpr std::string_view kWeeklyTimeKey = "reports.weekly_time";       // Monday "07:00"
inline constexpr std::string_view kReportRecipientsKey = "reports.recipients";  // "dsl,head@…"
inline constexpr std::string_view kLastWeeklyKey = "reports.last_weekly";       // its Monday
inline constexpr std::string_view kLastTermlyKey = "reports.last_termly";  // the term's last day
inline constexpr int kDefaultWeeklyMinute = 7 * 60;

struct ScheduledCounts {
  int weekly = 0;
  int termly = 0;
};

// The scheduled reports (issue 7 item 3), on the alerts' thread: on Monday morning
// (07:00 by default) the weekly report of the week before, Monday to Sunday; on the
// first day after a term in Settings' term dates, the governors' report of that term
// (no names, no pupils). Each is made once, kept (reports/report_archive.h) and emailed
// as a PDF through the outbox to the report recipients (the DSL by default).
Result<ScheduledCounts> make_scheduled_reports(store::Database& db,
                                               const std::filesystem::path& data_dir, TimeUs now);

// make_scheduled_reports every minute on its own thread and database connection: a
// report over a large database takes seconds (tests/bench/report_bench), and the alerts'
// thread must not hold a capture's email back behind it.
class ReportScheduler {
 public:
  explicit ReportScheduler(std::filesystem::path data_dir,
                           std::chrono::milliseconds every = std::chrono::minutes(1));
  ~ReportScheduler();
  ReportScheduler(const ReportScheduler&) = delete;
  ReportScheduler& operator=(const ReportScheduler&) = delete;
  void stop();

 private:
  void run();

  const std::filesystem::path data_dir_;
  const std::chrono::milliseconds every_;
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace hm::alerts
