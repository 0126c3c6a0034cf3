#include "alerts/report_schedule.h"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "alerts/alert_engine.h"
#include "alerts/outbox.h"
#include "alerts/rules.h"
#include "reports/live_health.h"
#include "reports/report_archive.h"
#include "reports/report_data.h"
#include "reports/report_pdf.h"
#include "store/settings_repository.h"

namespace hm::alerts {
namespace {

LocalTime date_of(int yyyymmdd) {
  LocalTime day;
  day.year = yyyymmdd / 10000;
  day.month = yyyymmdd / 100 % 100;
  day.day = yyyymmdd % 100;
  return day;
}

TimeUs start_of(const LocalTime& day) { return local_moment(day.year, day.month, day.day, 0); }

std::vector<std::string> recipients(store::SettingsRepository& settings) {
  std::vector<std::string> to =
      split_list(settings.get(kReportRecipientsKey).value_or(std::string(kDslRecipient)));
  if (to.empty()) to.emplace_back(kDslRecipient);
  return to;
}

// Makes, keeps and emails one report; the settings key records it was made.
Status make_one(store::Database& db, const std::filesystem::path& data_dir, reports::Period period,
                reports::ReportKind kind, std::string_view made_key, const std::string& made_value,
                TimeUs now) {
  reports::ReportOptions options;
  options.audience =
      kind == reports::ReportKind::termly ? reports::Audience::governors : reports::Audience::staff;
  options.data_dir = data_dir;
  options.now_us = now;
  options.live = reports::live_health();
  const reports::ReportFigures figures = reports::gather_report(db, period, options);
  auto pdf = kind == reports::ReportKind::termly ? reports::governors_report_pdf(figures, kind)
                                                 : reports::weekly_report_pdf(figures, kind);
  if (!pdf) return error("the scheduled report was not drawn: " + pdf.error());
  const std::string title = reports::report_title(kind, options.audience);
  const LocalTime first = local_time(period.from_us);
  const std::string name =
      std::string(kind == reports::ReportKind::termly ? "governors-report-" : "weekly-report-") +
      date_text(first) + ".pdf";

  store::SettingsRepository settings(db);
  store::Transaction transaction(db);
  if (!transaction.active()) return error("the scheduled report could not start a transaction");
  auto kept = reports::ReportArchive(db).keep(
      reports::StoredReport{0, kind == reports::ReportKind::termly ? "termly" : "weekly",
                            period.from_us, period.until_us, now, "schedule", title, 0},
      *pdf);
  if (!kept) return error(kept.error());
  const std::string school = settings.get(kSchoolNameKey).value_or("");
  const std::string body =
      title + " for " + date_text(first) + " to " + date_text(local_time(period.until_us - 1)) +
      " is attached" + (school.empty() ? "" : " (" + school + ")") +
      ".\n\nPupils are referred to by reference, not by name. To see names, sign in to "
      "hallmonitor as the DSL and open the Reports page.\n";
  auto queued =
      Outbox(db).enqueue(NewMessage{"report", recipients(settings), title + " " + date_text(first),
                                    body, name, *pdf, now},
                         now);
  if (!queued) return error(queued.error());
  if (auto saved = settings.set(made_key, made_value); !saved) return saved;
  return transaction.commit();
}

}  // namespace

Result<ScheduledCounts> make_scheduled_reports(store::Database& db,
                                               const std::filesystem::path& data_dir, TimeUs now) {
  ScheduledCounts counts;
  store::SettingsRepository settings(db);
  const LocalTime today = local_time(now);

  // The weekly report: Monday at the weekly time, for the seven days before.
  const int weekly_minute =
      clock_minute(settings.get(kWeeklyTimeKey).value_or("")).value_or(kDefaultWeeklyMinute);
  if (today.weekday == 1 && today.minute_of_day >= weekly_minute &&
      settings.get(kLastWeeklyKey).value_or("") != date_text(today)) {
    const reports::Period week{start_of(add_days(today, -7)), start_of(today)};
    if (auto made = make_one(db, data_dir, week, reports::ReportKind::weekly, kLastWeeklyKey,
                             date_text(today), now);
        !made) {
      return Error{made.error()};
    }
    ++counts.weekly;
  }

  // The governors' report: the latest term that has ended, once.
  auto terms = TermCalendar::parse(settings.get(kTermDatesKey).value_or(""));
  const int today_number = today.year * 10000 + today.month * 100 + today.day;
  if (terms) {
    const TermCalendar::Term* ended = nullptr;
    for (const TermCalendar::Term& term : terms->terms()) {
      if (term.last < today_number && (ended == nullptr || term.last > ended->last)) ended = &term;
    }
    if (ended != nullptr &&
        settings.get(kLastTermlyKey).value_or("") != std::to_string(ended->last)) {
      const reports::Period term{start_of(date_of(ended->first)),
                                 start_of(add_days(date_of(ended->last), 1))};
      if (auto made = make_one(db, data_dir, term, reports::ReportKind::termly, kLastTermlyKey,
                               std::to_string(ended->last), now);
          !made) {
        return Error{made.error()};
      }
      ++counts.termly;
    }
  }
  return counts;
}

ReportScheduler::ReportScheduler(std::filesystem::path data_dir, std::chrono::milliseconds every)
    : data_dir_(std::move(data_dir)), every_(every), thread_([this] { run(); }) {}

ReportScheduler::~ReportScheduler() { stop(); }

void ReportScheduler::stop() {
  stop_.raise();
  if (thread_.joinable()) thread_.join();
}

void ReportScheduler::run() {
  auto db = store::Database::open(data_dir_);
  if (!db) {
    std::cerr << "hallmonitor: scheduled reports are not running: " << db.error() << '\n';
    return;
  }
  const SystemClock clock;
  while (!stop_.raised()) {
    if (auto made = make_scheduled_reports(**db, data_dir_, clock.now()); !made) {
      std::cerr << "hallmonitor: scheduled reports: " << made.error() << '\n';
    }
    stop_.wait_for(every_);
  }
}

}  // namespace hm::alerts
