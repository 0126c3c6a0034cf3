#include "alerts/alert_engine.h"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

#include "alerts/alert_email.h"
#include "alerts/outbox.h"
#include "alerts/rule_repository.h"
#include "alerts/rules.h"
#include "store/device_repository.h"
#include "store/group_repository.h"
#include "store/settings_repository.h"

namespace hm::alerts {
namespace {

constexpr int kBatch = 500;
constexpr TimeUs kMinuteUs = 60'000'000;

std::int64_t setting_int(store::SettingsRepository& settings, std::string_view key,
                         std::int64_t fallback) {
  const auto text = settings.get(key);
  std::int64_t value = 0;
  if (!text ||
      std::from_chars(text->data(), text->data() + text->size(), value).ec != std::errc{}) {
    return fallback;
  }
  return value;
}

// Everything a pass needs from the settings, read once.
struct PassSettings {
  std::string school_name;
  std::string link_base;
  int group_window_minutes = kDefaultGroupWindowMinutes;
  TermCalendar terms;
};

PassSettings read_pass_settings(store::Database& db) {
  store::SettingsRepository settings(db);
  PassSettings pass;
  pass.school_name = settings.get(kSchoolNameKey).value_or("");
  pass.link_base = settings.get(kLinkBaseKey).value_or(std::string(kDefaultLinkBase));
  pass.group_window_minutes = static_cast<int>(std::clamp<std::int64_t>(
      setting_int(settings, kGroupWindowKey, kDefaultGroupWindowMinutes), 0, 24 * 60));
  if (auto terms = TermCalendar::parse(settings.get(kTermDatesKey).value_or(""))) {
    pass.terms = std::move(*terms);
  }
  return pass;
}

struct StoredCapture {
  CaptureFacts facts;
  std::string group_name;
};

// The holder's groups when the capture was made (issue 6's device assignments).
void add_groups(store::Database& db, StoredCapture& capture, const std::string& mac) {
  if (mac.empty()) return;
  const auto assignment = store::DeviceRepository(db).assignment_at(mac, capture.facts.ts_us);
  if (!assignment) return;
  store::GroupRepository groups(db);
  if (assignment->person_id != 0) {
    capture.facts.group_ids = groups.groups_of(assignment->person_id);
  } else if (assignment->group_id != 0) {
    capture.facts.group_ids = {assignment->group_id};
  }
  std::vector<std::string> names;
  for (std::int64_t id : capture.facts.group_ids) {
    if (auto group = groups.find(id)) names.push_back(group->name);
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (!capture.group_name.empty()) capture.group_name += ", ";
    capture.group_name += name;
  }
}

// How many captures from the device meet the rule's severity and category within
// its repeat window up to this one (this one included).
int repeats(store::Database& db, const AlertRule& rule, const CaptureFacts& capture) {
  store::Statement select(
      db,
      "SELECT category FROM captures WHERE ts_us BETWEEN ?1 AND ?2 AND id <= ?3 "
      "AND severity >= ?4 AND coalesce(client_mac, client_ip) = ?5");
  const TimeUs window_us =
      std::chrono::duration_cast<std::chrono::microseconds>(rule.repeat_window).count();
  select.bind(1, capture.ts_us - window_us)
      .bind(2, capture.ts_us)
      .bind(3, capture.capture_id)
      .bind(4, std::int64_t{rule.min_severity})
      .bind(5, capture.device);
  int count = 0;
  while (select.step()) {
    const std::string category = select.column_text(0);
    if (rule.categories.empty() || std::find(rule.categories.begin(), rule.categories.end(),
                                             category) != rule.categories.end()) {
      ++count;
    }
  }
  return count;
}

struct Decision {
  std::optional<std::int64_t> rule_id;
  std::string rule_name;
  Delivery delivery = Delivery::digest;
  std::vector<std::string> recipients;
  std::optional<MinuteRange> quiet_hours;
};

std::optional<Decision> decide(store::Database& db, const std::vector<AlertRule>& rules,
                               const StoredCapture& capture, const TermCalendar& terms) {
  const CaptureFacts& facts = capture.facts;
  bool immediate_allowed = true;
  if (!facts.group_ids.empty()) {
    if (auto threshold = store::alert_threshold(db, facts.group_ids, facts.category)) {
      if (*threshold != store::kNeverAlert && facts.severity >= *threshold) {
        return Decision{std::nullopt,
                        "The alert profile of " + capture.group_name,
                        Delivery::immediate,
                        {std::string(kDslRecipient)},
                        std::nullopt};
      }
      immediate_allowed = false;  // the profile says this is not for an alert at once
    }
  }
  for (const Delivery pass : {Delivery::immediate, Delivery::digest}) {
    if (pass == Delivery::immediate && !immediate_allowed) continue;
    for (const AlertRule& rule : rules) {
      if (rule.delivery != pass || !meets_conditions(rule, facts, terms)) continue;
      if (rule.repeat_count > 1 && repeats(db, rule, facts) < rule.repeat_count) continue;
      return Decision{rule.id, rule.name, rule.delivery, rule.recipients, rule.quiet_hours};
    }
  }
  return std::nullopt;
}

struct OpenAlert {
  std::int64_t id = 0;
  int max_severity = 0;
};

// The alert this capture joins: same device, category and delivery, its last capture
// within the window, not yet in a digest; an immediate alert only if this capture is
// no more serious (a more serious one is worth a new email).
std::optional<OpenAlert> alert_to_join(store::Database& db, const CaptureFacts& facts,
                                       Delivery delivery, TimeUs window_us) {
  store::Statement select(db,
                          "SELECT id, max_severity FROM alerts WHERE device = ?1 AND category = ?2 "
                          "AND delivery = ?3 AND last_ts_us >= ?4 AND digested_us IS NULL "
                          "ORDER BY id DESC LIMIT 1");
  select.bind(1, facts.device)
      .bind(2, facts.category)
      .bind(3, to_string(delivery))
      .bind(4, facts.ts_us - window_us);
  if (!select.step()) return std::nullopt;
  OpenAlert open{select.column_int(0), static_cast<int>(select.column_int(1))};
  if (delivery == Delivery::immediate && facts.severity > open.max_severity) return std::nullopt;
  return open;
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    if (!text.empty()) text += ',';
    text += item;
  }
  return text;
}

Status record_capture(store::Database& db, std::int64_t alert_id, std::int64_t capture_id) {
  store::Statement link(
      db, "INSERT OR IGNORE INTO alert_captures (capture_id, alert_id) VALUES (?1, ?2)");
  link.bind(1, capture_id).bind(2, alert_id);
  link.step();
  return link.ok() ? Status(Ok{}) : error("the alert's capture was not recorded: " + link.error());
}

// Records what `decision` says about the capture: joins an open alert or makes one
// (and, for an immediate one, its email). Returns whether a new alert was made.
Result<bool> act_on(store::Database& db, const StoredCapture& capture, const Decision& decision,
                    const PassSettings& pass, TimeUs now) {
  const CaptureFacts& facts = capture.facts;
  const TimeUs window_us = pass.group_window_minutes * kMinuteUs;
  if (auto open = alert_to_join(db, facts, decision.delivery, window_us)) {
    store::Statement join_alert(
        db,
        "UPDATE alerts SET capture_count = capture_count + 1, last_ts_us = max(last_ts_us, ?2), "
        "max_severity = max(max_severity, ?3) WHERE id = ?1");
    join_alert.bind(1, open->id).bind(2, facts.ts_us).bind(3, std::int64_t{facts.severity});
    join_alert.step();
    if (!join_alert.ok()) return Error{"the alert was not updated: " + join_alert.error()};
    if (auto linked = record_capture(db, open->id, facts.capture_id); !linked) {
      return Error{linked.error()};
    }
    return false;
  }
  store::Statement insert(
      db,
      "INSERT INTO alerts (rule_id, rule_name, device, category, group_name, max_severity, "
      "delivery, recipients, first_capture_id, first_ts_us, last_ts_us, created_us) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)");
  if (decision.rule_id) {
    insert.bind(1, *decision.rule_id);
  } else {
    insert.bind_null(1);
  }
  insert.bind(2, decision.rule_name)
      .bind(3, facts.device)
      .bind(4, facts.category)
      .bind(5, capture.group_name)
      .bind(6, std::int64_t{facts.severity})
      .bind(7, to_string(decision.delivery))
      .bind(8, join(decision.recipients))
      .bind(9, facts.capture_id)
      .bind(10, facts.ts_us)
      .bind(11, now);
  insert.step();
  if (!insert.ok()) return Error{"the alert was not recorded: " + insert.error()};
  const std::int64_t alert_id = sqlite3_last_insert_rowid(db.handle());
  if (auto linked = record_capture(db, alert_id, facts.capture_id); !linked) {
    return Error{linked.error()};
  }
  if (decision.delivery == Delivery::immediate) {
    const AlertSummary summary{alert_id,           facts.capture_id,   facts.ts_us,
                               facts.category,     facts.severity,     facts.device,
                               capture.group_name, decision.rule_name, 1};
    const EmailText text =
        alert_email(summary, pass.school_name, pass.link_base, pass.group_window_minutes);
    auto queued = Outbox(db).enqueue(NewMessage{"alert",
                                                decision.recipients,
                                                text.subject,
                                                text.body,
                                                {},
                                                {},
                                                release_time(decision.quiet_hours, now)},
                                     now);
    if (!queued) return Error{queued.error()};
    store::Statement link(db, "UPDATE alerts SET outbox_id = ?2 WHERE id = ?1");
    link.bind(1, alert_id).bind(2, *queued);
    link.step();
    if (!link.ok()) return Error{"the alert's email was not recorded: " + link.error()};
  }
  return true;
}

}  // namespace

Result<EngineCounts> AlertEngine::process_new_captures() {
  EngineCounts counts;
  store::SettingsRepository settings(db_);
  if (!settings.get(kLastCaptureKey)) {
    // The first pass on this box: captures from before alerts existed are history,
    // not news (the dashboard shows them).
    store::Statement newest(db_, "SELECT coalesce(max(id), 0) FROM captures");
    const std::int64_t last = newest.step() ? newest.column_int(0) : 0;
    if (auto saved = settings.set(kLastCaptureKey, std::to_string(last)); !saved) {
      return Error{saved.error()};
    }
  }
  {
    // Most passes find nothing new: answer that with one read, without taking the
    // write lock the store thread and the web UI also need.
    store::Statement newer(db_, "SELECT 1 FROM captures WHERE id > ?1 LIMIT 1");
    newer.bind(1, setting_int(settings, kLastCaptureKey, 0));
    if (!newer.step()) return counts;
  }
  const PassSettings pass = read_pass_settings(db_);
  const std::vector<AlertRule> rules = RuleRepository(db_).list();
  while (true) {
    store::Transaction transaction(db_);
    if (!transaction.active()) return Error{"the alerts could not start a transaction"};
    std::int64_t cursor = setting_int(settings, kLastCaptureKey, 0);
    store::Statement select(db_,
                            "SELECT id, ts_us, client_ip, coalesce(client_mac, ''), category, "
                            "severity FROM captures WHERE id > ?1 ORDER BY id LIMIT ?2");
    select.bind(1, cursor).bind(2, std::int64_t{kBatch});
    std::vector<std::pair<StoredCapture, std::string>> batch;
    while (select.step()) {
      StoredCapture capture;
      const std::string mac = select.column_text(3);
      capture.facts.capture_id = select.column_int(0);
      capture.facts.ts_us = select.column_int(1);
      capture.facts.device = mac.empty() ? select.column_text(2) : mac;
      capture.facts.category = select.column_text(4);
      capture.facts.severity = static_cast<int>(select.column_int(5));
      batch.emplace_back(std::move(capture), mac);
    }
    if (!select.ok()) return Error{"the alerts could not read captures: " + select.error()};
    if (batch.empty()) return counts;
    const TimeUs now = clock_.now();
    for (auto& [capture, mac] : batch) {
      add_groups(db_, capture, mac);
      ++counts.captures_checked;
      cursor = capture.facts.capture_id;
      const auto decision = decide(db_, rules, capture, pass.terms);
      if (!decision) continue;
      auto made = act_on(db_, capture, *decision, pass, now);
      if (!made) return Error{made.error()};
      ++(*made ? counts.alerts_made : counts.captures_joined);
    }
    if (auto saved = settings.set(kLastCaptureKey, std::to_string(cursor)); !saved) {
      return Error{saved.error()};
    }
    if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
    if (static_cast<int>(batch.size()) < kBatch) return counts;
  }
}

Result<int> AlertEngine::send_digest_if_due() {
  store::SettingsRepository settings(db_);
  const TimeUs now = clock_.now();
  const LocalTime today = local_time(now);
  const int digest_minute =
      clock_minute(settings.get(kDigestTimeKey).value_or("")).value_or(kDefaultDigestMinute);
  if (today.minute_of_day < digest_minute) return 0;
  const std::string date = date_text(today);
  if (settings.get(kLastDigestKey).value_or("") == date) return 0;

  const PassSettings pass = read_pass_settings(db_);
  store::Transaction transaction(db_);
  if (!transaction.active()) return Error{"the digest could not start a transaction"};
  store::Statement select(
      db_,
      "SELECT id, first_capture_id, first_ts_us, category, max_severity, device, group_name, "
      "rule_name, capture_count, recipients FROM alerts "
      "WHERE delivery = 'digest' AND digested_us IS NULL ORDER BY first_ts_us, id");
  std::map<std::string, std::vector<AlertSummary>> by_recipients;
  while (select.step()) {
    AlertSummary alert{select.column_int(0),
                       select.column_int(1),
                       select.column_int(2),
                       select.column_text(3),
                       static_cast<int>(select.column_int(4)),
                       select.column_text(5),
                       select.column_text(6),
                       select.column_text(7),
                       static_cast<int>(select.column_int(8))};
    by_recipients[select.column_text(9)].push_back(std::move(alert));
  }
  if (!select.ok()) return Error{"the digest could not read alerts: " + select.error()};
  int emails = 0;
  for (const auto& [recipients, alerts] : by_recipients) {
    const EmailText text = digest_email(alerts, pass.school_name, pass.link_base, today);
    const std::vector<std::string> to = split_list(recipients);
    auto queued =
        Outbox(db_).enqueue(NewMessage{"digest", to, text.subject, text.body, {}, {}, now}, now);
    if (!queued) return Error{queued.error()};
    for (const AlertSummary& alert : alerts) {
      store::Statement mark(db_,
                            "UPDATE alerts SET digested_us = ?2, outbox_id = ?3 WHERE id = ?1");
      mark.bind(1, alert.alert_id).bind(2, now).bind(3, *queued);
      mark.step();
      if (!mark.ok()) return Error{"the digest was not recorded: " + mark.error()};
    }
    ++emails;
  }
  if (auto saved = settings.set(kLastDigestKey, date); !saved) return Error{saved.error()};
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return emails;
}

}  // namespace hm::alerts
