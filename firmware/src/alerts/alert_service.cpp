#include "alerts/alert_service.h"

#include <iostream>

#include "alerts/alert_engine.h"
#include "alerts/outbox.h"

namespace hm::alerts {

Result<std::unique_ptr<AlertService>> AlertService::start(const std::filesystem::path& data_dir,
                                                          AlertServiceOptions options) {
  auto db = store::Database::open(data_dir);
  if (!db) return Error{"the alerts cannot open the database: " + db.error()};
  if (!options.send) {
    options.send = [](const mail::MailSettings& settings, const mail::MailMessage& message) {
      return mail::send_mail(settings, message);
    };
  }
  auto service =
      std::unique_ptr<AlertService>(new AlertService(data_dir, std::move(*db), std::move(options)));
  if (auto retried = Outbox(*service->db_).retry_all_now(service->clock_.now()); !retried) {
    std::cerr << "hallmonitor: alerts: " << retried.error() << '\n';
  }
  service->thread_ = std::thread([raw = service.get()] { raw->run(); });
  return service;
}

AlertService::AlertService(std::filesystem::path data_dir, std::unique_ptr<store::Database> db,
                           AlertServiceOptions options)
    : data_dir_(std::move(data_dir)),
      db_(std::move(db)),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : system_clock_) {}

AlertService::~AlertService() { stop(); }

void AlertService::stop() {
  stop_.raise();
  if (thread_.joinable()) thread_.join();
}

void AlertService::run_pass_now() { pass(); }

void AlertService::run() {
  while (!stop_.raised()) {
    pass();
    stop_.wait_for(options_.interval);
  }
}

void AlertService::pass() {
  std::lock_guard lock(pass_mutex_);
  AlertEngine engine(*db_, clock_);
  // Each step reports its own trouble and the others still run: a digest that cannot
  // be written must not hold back an alert's email.
  if (auto counts = engine.process_new_captures(); !counts) {
    std::cerr << "hallmonitor: alerts: " << counts.error() << '\n';
  }
  if (auto digests = engine.send_digest_if_due(); !digests) {
    std::cerr << "hallmonitor: alerts: " << digests.error() << '\n';
  }
  if (auto delivered = deliver_due(*db_, data_dir_, clock_, options_.send); !delivered) {
    std::cerr << "hallmonitor: alerts: " << delivered.error() << '\n';
  }
}

}  // namespace hm::alerts
