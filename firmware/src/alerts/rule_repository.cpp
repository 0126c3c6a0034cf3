#include "alerts/rule_repository.h"

#include <sqlite3.h>

#include <charconv>
#include <type_traits>

#include "store/audit_log.h"

namespace hm::alerts {
namespace {

constexpr std::string_view kColumns =
    "id, name, enabled, min_severity, categories, group_ids, repeat_count, repeat_window_s, "
    "active_from_minute, active_to_minute, term_time_only, quiet_from_minute, quiet_to_minute, "
    "delivery, recipients";

template <typename T>
std::string join(const std::vector<T>& items) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += ',';
    if constexpr (std::is_same_v<T, std::string>) {
      text += item;
    } else {
      text += std::to_string(item);
    }
  }
  return text;
}

std::optional<MinuteRange> range_at(const store::Statement& row, int column) {
  if (row.column_is_null(column) || row.column_is_null(column + 1)) return std::nullopt;
  return MinuteRange{static_cast<int>(row.column_int(column)),
                     static_cast<int>(row.column_int(column + 1))};
}

AlertRule rule_from(const store::Statement& row) {
  AlertRule rule;
  rule.id = row.column_int(0);
  rule.name = row.column_text(1);
  rule.enabled = row.column_int(2) != 0;
  rule.min_severity = static_cast<int>(row.column_int(3));
  rule.categories = split_list(row.column_text(4));
  for (const std::string& id : split_list(row.column_text(5))) {
    std::int64_t group = 0;
    if (std::from_chars(id.data(), id.data() + id.size(), group).ec == std::errc{}) {
      rule.group_ids.push_back(group);
    }
  }
  rule.repeat_count = static_cast<int>(row.column_int(6));
  rule.repeat_window = std::chrono::seconds(row.column_int(7));
  rule.active_hours = range_at(row, 8);
  rule.term_time_only = row.column_int(10) != 0;
  rule.quiet_hours = range_at(row, 11);
  rule.delivery = delivery_from_string(row.column_text(13)).value_or(Delivery::digest);
  rule.recipients = split_list(row.column_text(14));
  return rule;
}

// Binds every column after the id, from ?1.
void bind_fields(store::Statement& statement, const AlertRule& rule) {
  statement.bind(1, rule.name)
      .bind(2, std::int64_t{rule.enabled ? 1 : 0})
      .bind(3, std::int64_t{rule.min_severity})
      .bind(4, join(rule.categories))
      .bind(5, join(rule.group_ids))
      .bind(6, std::int64_t{rule.repeat_count})
      .bind(7, static_cast<std::int64_t>(rule.repeat_window.count()))
      .bind(10, std::int64_t{rule.term_time_only ? 1 : 0})
      .bind(13, to_string(rule.delivery))
      .bind(14, join(rule.recipients));
  auto bind_range = [&](int index, const std::optional<MinuteRange>& range) {
    if (range) {
      statement.bind(index, std::int64_t{range->from_minute})
          .bind(index + 1, std::int64_t{range->to_minute});
    } else {
      statement.bind_null(index).bind_null(index + 1);
    }
  };
  bind_range(8, rule.active_hours);
  bind_range(11, rule.quiet_hours);
}

std::string two_digits(int value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

std::string clock_text(int minute) {
  return two_digits(minute / 60) + ":" + two_digits(minute % 60);
}

}  // namespace

std::string describe(const AlertRule& rule) {
  std::string text = "severity " + std::to_string(rule.min_severity) + "+";
  text += rule.categories.empty() ? " in any category" : " in " + join(rule.categories);
  if (!rule.group_ids.empty()) text += ", groups " + join(rule.group_ids);
  if (rule.repeat_count > 1) {
    text += ", " + std::to_string(rule.repeat_count) + " times within " +
            std::to_string(rule.repeat_window.count() / 60) + " min";
  }
  if (rule.active_hours) {
    text += ", " + clock_text(rule.active_hours->from_minute) + "–" +
            clock_text(rule.active_hours->to_minute);
  }
  if (rule.term_time_only) text += ", term time only";
  text += rule.delivery == Delivery::immediate ? ", at once to " : ", in the daily digest to ";
  text += join(rule.recipients);
  if (rule.quiet_hours) {
    text += ", held " + clock_text(rule.quiet_hours->from_minute) + "–" +
            clock_text(rule.quiet_hours->to_minute);
  }
  if (!rule.enabled) text += " (turned off)";
  return text;
}

std::vector<AlertRule> RuleRepository::list() {
  store::Statement select(db_, "SELECT " + std::string(kColumns) + " FROM alert_rules ORDER BY id");
  std::vector<AlertRule> rules;
  while (select.step()) rules.push_back(rule_from(select));
  return rules;
}

std::optional<AlertRule> RuleRepository::find(std::int64_t id) {
  store::Statement select(db_,
                          "SELECT " + std::string(kColumns) + " FROM alert_rules WHERE id = ?1");
  select.bind(1, id);
  if (!select.step()) return std::nullopt;
  return rule_from(select);
}

Result<std::int64_t> RuleRepository::create(const AlertRule& rule, std::string_view actor,
                                            TimeUs now) {
  if (auto problem = rule_problem(rule)) return Error{*problem};
  store::Transaction transaction(db_);
  store::Statement insert(
      db_,
      "INSERT INTO alert_rules (name, enabled, min_severity, categories, group_ids, "
      "repeat_count, repeat_window_s, active_from_minute, active_to_minute, term_time_only, "
      "quiet_from_minute, quiet_to_minute, delivery, recipients, created_us, updated_us) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)");
  bind_fields(insert, rule);
  insert.bind(15, now);
  insert.step();
  if (!insert.ok()) return Error{"the rule was not saved: " + insert.error()};
  const std::int64_t id = sqlite3_last_insert_rowid(db_.handle());
  if (auto audited = store::AuditLog(db_).append(
          actor, "alert_rule_add", "rule " + std::to_string(id) + ": " + describe(rule), now);
      !audited) {
    return Error{audited.error()};
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return id;
}

Status RuleRepository::update(const AlertRule& rule, std::string_view actor, TimeUs now) {
  if (auto problem = rule_problem(rule)) return error(*problem);
  store::Transaction transaction(db_);
  store::Statement change(
      db_,
      "UPDATE alert_rules SET name = ?1, enabled = ?2, min_severity = ?3, categories = ?4, "
      "group_ids = ?5, repeat_count = ?6, repeat_window_s = ?7, active_from_minute = ?8, "
      "active_to_minute = ?9, term_time_only = ?10, quiet_from_minute = ?11, "
      "quiet_to_minute = ?12, delivery = ?13, recipients = ?14, updated_us = ?15 WHERE id = ?16");
  bind_fields(change, rule);
  change.bind(15, now).bind(16, rule.id);
  change.step();
  if (!change.ok()) return error("the rule was not saved: " + change.error());
  if (sqlite3_changes(db_.handle()) == 0)
    return error("there is no rule " + std::to_string(rule.id));
  if (auto audited = store::AuditLog(db_).append(
          actor, "alert_rule_change", "rule " + std::to_string(rule.id) + ": " + describe(rule),
          now);
      !audited) {
    return audited;
  }
  return transaction.commit();
}

Status RuleRepository::remove(std::int64_t id, std::string_view actor, TimeUs now) {
  const auto rule = find(id);
  if (!rule) return error("there is no rule " + std::to_string(id));
  store::Transaction transaction(db_);
  store::Statement erase(db_, "DELETE FROM alert_rules WHERE id = ?1");
  erase.bind(1, id);
  erase.step();
  if (!erase.ok()) return error("the rule was not removed: " + erase.error());
  if (auto audited = store::AuditLog(db_).append(
          actor, "alert_rule_remove", "rule " + std::to_string(id) + ": " + describe(*rule), now);
      !audited) {
    return audited;
  }
  return transaction.commit();
}

}  // namespace hm::alerts
