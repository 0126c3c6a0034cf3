#include "alerts/rules.h"

#include <algorithm>
#include <charconv>

#include "library/categories.h"

namespace hm::alerts {

std::string_view to_string(Delivery delivery) {
  return delivery == Delivery::immediate ? "immediate" : "digest";
}

std::optional<Delivery> delivery_from_string(std::string_view text) {
  if (text == "immediate") return Delivery::immediate;
  if (text == "digest") return Delivery::digest;
  return std::nullopt;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (comma != 0) parts.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

bool MinuteRange::contains(int minute_of_day) const {
  if (from_minute == to_minute) return true;
  if (from_minute < to_minute) return minute_of_day >= from_minute && minute_of_day < to_minute;
  return minute_of_day >= from_minute || minute_of_day < to_minute;  // past midnight
}

namespace {

bool valid_minute(int minute) { return minute >= 0 && minute < 24 * 60; }

bool plausible_address(std::string_view address) {
  const auto at = address.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
         address.find_first_of(" ,;<>\r\n\t") == std::string_view::npos && address.size() <= 254;
}

}  // namespace

std::optional<std::string> rule_problem(const AlertRule& rule) {
  if (rule.name.empty()) return "Give the rule a name, e.g. \"Bullying after school\".";
  if (rule.name.size() > kMaxRuleName) {
    return "The rule's name is too long: keep it under " + std::to_string(kMaxRuleName) +
           " characters.";
  }
  if (rule.min_severity < 1 || rule.min_severity > 5) {
    return "The lowest severity must be from 1 to 5.";
  }
  for (const std::string& category : rule.categories) {
    if (!library::is_known_category(category)) {
      return "\"" + category + "\" is not a category the library uses.";
    }
  }
  if (rule.repeat_count < 1 || rule.repeat_count > 1000) {
    return "\"How many times\" must be from 1 to 1000.";
  }
  if (rule.repeat_count > 1 &&
      (rule.repeat_window.count() <= 0 || rule.repeat_window > kMaxRepeatWindow)) {
    return "Say within how long the captures must come (up to 31 days).";
  }
  for (const auto& range : {rule.active_hours, rule.quiet_hours}) {
    if (range && (!valid_minute(range->from_minute) || !valid_minute(range->to_minute))) {
      return "Times of day must be between 00:00 and 23:59.";
    }
  }
  if (rule.recipients.empty()) return "Say who is told: the DSL, or an email address.";
  if (rule.recipients.size() > kMaxRecipients) {
    return "At most " + std::to_string(kMaxRecipients) + " people can be told by one rule.";
  }
  for (const std::string& recipient : rule.recipients) {
    if (recipient != kDslRecipient && !plausible_address(recipient)) {
      return "\"" + recipient + "\" is not an email address. Type one like dsl@school.example.";
    }
  }
  return std::nullopt;
}

namespace {

// "2026-09-03" → 20260903, or nullopt.
std::optional<int> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0;
  int month = 0;
  int day = 0;
  auto number = [](std::string_view digits, int& out) {
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return error == std::errc{} && end == digits.data() + digits.size();
  };
  if (!number(text.substr(0, 4), year) || !number(text.substr(5, 2), month) ||
      !number(text.substr(8, 2), day) || month < 1 || month > 12 || day < 1 || day > 31 ||
      year < 2000 || year > 2200) {
    return std::nullopt;
  }
  return year * 10000 + month * 100 + day;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::optional<TermCalendar> TermCalendar::parse(std::string_view text, std::string* problem) {
  TermCalendar calendar;
  int line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (line.empty()) continue;
    const auto dots = line.find("..");
    const auto first = parse_date(trim(line.substr(0, dots)));
    const auto last =
        dots == std::string_view::npos ? std::nullopt : parse_date(trim(line.substr(dots + 2)));
    if (!first || !last || *last < *first) {
      if (problem != nullptr) {
        *problem = "Term dates, line " + std::to_string(line_number) +
                   ": write the first and last day of a term as 2026-09-03..2026-12-18.";
      }
      return std::nullopt;
    }
    calendar.terms_.push_back(Term{*first, *last});
  }
  return calendar;
}

bool TermCalendar::in_term(TimeUs ts_us) const {
  const LocalTime local = local_time(ts_us);
  if (terms_.empty()) return local.weekday >= 1 && local.weekday <= 5;
  const int date = local.year * 10000 + local.month * 100 + local.day;
  return std::any_of(terms_.begin(), terms_.end(),
                     [date](const Term& term) { return date >= term.first && date <= term.last; });
}

bool meets_conditions(const AlertRule& rule, const CaptureFacts& capture,
                      const TermCalendar& terms) {
  if (!rule.enabled || capture.severity < rule.min_severity) return false;
  if (!rule.categories.empty() && std::find(rule.categories.begin(), rule.categories.end(),
                                            capture.category) == rule.categories.end()) {
    return false;
  }
  if (!rule.group_ids.empty() &&
      std::none_of(rule.group_ids.begin(), rule.group_ids.end(), [&](std::int64_t group) {
        return std::find(capture.group_ids.begin(), capture.group_ids.end(), group) !=
               capture.group_ids.end();
      })) {
    return false;
  }
  if (rule.active_hours && !rule.active_hours->contains(local_time(capture.ts_us).minute_of_day)) {
    return false;
  }
  return !rule.term_time_only || terms.in_term(capture.ts_us);
}

TimeUs release_time(const std::optional<MinuteRange>& quiet, TimeUs now) {
  if (!quiet || quiet->from_minute == quiet->to_minute) return now;
  const LocalTime local = local_time(now);
  if (!quiet->contains(local.minute_of_day)) return now;
  // The quiet hours end today at `to`, or tomorrow when they started before midnight.
  const bool ends_tomorrow =
      quiet->from_minute > quiet->to_minute && local.minute_of_day >= quiet->from_minute;
  const LocalTime day = ends_tomorrow ? add_days(local, 1) : local;
  return local_moment(day.year, day.month, day.day, quiet->to_minute);
}

}  // namespace hm::alerts
