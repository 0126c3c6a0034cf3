#include "store/retention.h"

#include <array>
#include <iostream>
#include <utility>
#include <vector>

#include "store/audit_log.h"
#include "store/settings_repository.h"

namespace hm::store {
namespace {

constexpr TimeUs kDayUs = 86'400'000'000;

struct DefaultRetention {
  std::string_view category;
  int days;
};

// Why these figures: README.md "Retention".
constexpr std::array kDefaults = {
    // The most serious: police, LADO and Prevent referrals can take months, and a
    // pattern may only show across a school year.
    DefaultRetention{"suicide", 365},
    DefaultRetention{"grooming", 365},
    DefaultRetention{"sextortion", 365},
    DefaultRetention{"extremism", 365},
    DefaultRetention{"illegal", 365},
    DefaultRetention{"child-sexual-exploitation", 365},
    DefaultRetention{"self-harm", 365},
    // Harm between pupils, and a pupil's wellbeing: long enough to see a pattern over
    // a term and its holiday.
    DefaultRetention{"bullying", 120},
    DefaultRetention{"violence", 120},
    DefaultRetention{"weapons", 120},
    DefaultRetention{"gangs", 120},
    DefaultRetention{"discrimination", 120},
    DefaultRetention{"mental-health-and-wellbeing", 120},
    // Mostly low severity and high volume: four weekly reviews, then gone.
    DefaultRetention{"drugs", 30},
    DefaultRetention{"pornography", 30},
    DefaultRetention{"gambling", 30},
    DefaultRetention{"circumvention", 30},
};

std::string setting_key(std::string_view category) { return "retention." + std::string(category); }

}  // namespace

int default_retention_days(std::string_view category) {
  for (const auto& entry : kDefaults) {
    if (entry.category == category) return entry.days;
  }
  return kDefaultRetentionDays;
}

int retention_days(Database& db, std::string_view category) {
  if (const auto stored = SettingsRepository(db).get(setting_key(category))) {
    try {
      const int days = std::stoi(*stored);
      if (days >= kMinimumRetentionDays && days <= kMaximumRetentionDays) return days;
    } catch (const std::exception&) {
      // A damaged setting falls back to the default rather than purging early.
    }
  }
  return default_retention_days(category);
}

Status set_retention_days(Database& db, std::string_view category, int days,
                          std::string_view actor) {
  if (days < kMinimumRetentionDays || days > kMaximumRetentionDays) {
    return error("retention for " + std::string(category) + " must be from " +
                 std::to_string(kMinimumRetentionDays) + " to " +
                 std::to_string(kMaximumRetentionDays) + " days (got " + std::to_string(days) +
                 ")");
  }
  Transaction transaction(db);
  const int before = retention_days(db, category);
  if (auto set = SettingsRepository(db).set(setting_key(category), std::to_string(days)); !set) {
    return set;
  }
  if (auto audited =
          AuditLog(db).append(actor, "settings_change",
                              "retention of " + std::string(category) + ": " +
                                  std::to_string(before) + " -> " + std::to_string(days) + " days");
      !audited) {
    return audited;
  }
  return transaction.commit();
}

Result<PurgeSummary> purge_expired(Database& db, TimeUs now, const PurgeSettings& settings) {
  PurgeSummary summary;
  // The cut-off per category present in the store.
  std::vector<std::pair<std::string, TimeUs>> cutoffs;
  {
    Statement categories(db, "SELECT DISTINCT category FROM captures;");
    while (categories.step()) {
      const std::string category = categories.column_text(0);
      cutoffs.emplace_back(category, now - retention_days(db, category) * kDayUs);
    }
  }
  for (const auto& [category, cutoff] : cutoffs) {
    std::int64_t after_id = 0;  // held captures are skipped, not looked at again
    while (true) {
      std::vector<std::int64_t> ids;
      {
        Statement expired(db,
                          "SELECT id FROM captures WHERE category = ?1 AND ts_us < ?2 AND id > ?3 "
                          "ORDER BY id LIMIT ?4;");
        expired.bind(1, category)
            .bind(2, cutoff)
            .bind(3, after_id)
            .bind(4, static_cast<std::int64_t>(settings.batch));
        while (expired.step()) ids.push_back(expired.column_int(0));
        if (!expired.ok()) return error("cannot find expired captures: " + expired.error());
      }
      if (ids.empty()) break;
      after_id = ids.back();
      Transaction transaction(db);
      std::int64_t deleted = 0;
      for (const std::int64_t id : ids) {
        if (settings.held_by_open_incident && settings.held_by_open_incident(db, id)) {
          ++summary.held;
          continue;
        }
        Statement remove(db, "DELETE FROM captures WHERE id = ?1;");
        remove.bind(1, id);
        remove.step();
        if (!remove.ok()) return error("cannot delete an expired capture: " + remove.error());
        ++deleted;
      }
      if (auto committed = transaction.commit(); !committed) {
        return error("cannot commit a purge: " + committed.error());
      }
      ++summary.transactions;
      summary.deleted += deleted;
      if (deleted > 0) summary.deleted_by_category[category] += deleted;
    }
  }
  if (summary.deleted > 0 || summary.held > 0) {
    std::string detail = std::to_string(summary.deleted) + " captures past retention deleted";
    const char* separator = " (";
    for (const auto& [category, count] : summary.deleted_by_category) {
      detail += separator + category + " " + std::to_string(count);
      separator = ", ";
    }
    if (!summary.deleted_by_category.empty()) detail += ")";
    if (summary.held > 0) {
      detail += "; " + std::to_string(summary.held) + " held for open incidents";
    }
    if (auto audited = AuditLog(db).append("system", "purge", detail, now); !audited) {
      return Error{audited.error()};
    }
  }
  return summary;
}

RetentionPurger::RetentionPurger(std::filesystem::path data_dir, std::chrono::milliseconds every,
                                 Clock clock, PurgeSettings settings)
    : data_dir_(std::move(data_dir)),
      every_(every),
      clock_(std::move(clock)),
      settings_(std::move(settings)),
      thread_([this] { run(); }) {}

RetentionPurger::~RetentionPurger() { stop(); }

void RetentionPurger::stop() {
  stop_.raise();
  if (thread_.joinable()) thread_.join();
}

std::int64_t RetentionPurger::runs() const { return runs_.load(); }

void RetentionPurger::run() {
  auto db = Database::open(data_dir_);
  if (!db) {
    std::cerr << "hallmonitor: retention purge cannot open the database: " << db.error() << '\n';
    return;
  }
  while (!stop_.raised()) {
    if (auto purged = purge_expired(**db, clock_(), settings_); !purged) {
      std::cerr << "hallmonitor: retention purge: " << purged.error() << '\n';
    }
    ++runs_;
    stop_.wait_for(every_);
  }
}

}  // namespace hm::store
