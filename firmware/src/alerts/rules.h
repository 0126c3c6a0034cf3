#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/clock.h"

// Trigger rules (issue 7 item 1): which captures someone is told about, whom, and how
// fast. Pure functions here; the engine (alert_engine.h) reads the database.
namespace hm::alerts {

enum class Delivery : std::uint8_t { immediate, digest };
std::string_view to_string(Delivery delivery);
std::optional<Delivery> delivery_from_string(std::string_view text);

// A stretch of the local day, e.g. 18:00–07:00. It wraps past midnight when `from` is
// later than `to`; from == to is the whole day.
struct MinuteRange {
  int from_minute = 0;  // 0–1439
  int to_minute = 0;
  bool contains(int minute_of_day) const;
  bool operator==(const MinuteRange&) const = default;
};

// "dsl,head@school.example" → its items (empty ones dropped): how the database keeps a
// rule's categories, groups and recipients, and an email's recipients.
std::vector<std::string> split_list(std::string_view text);

// The recipient that means "the designated safeguarding lead's address in Settings".
inline constexpr std::string_view kDslRecipient = "dsl";

struct AlertRule {
  std::int64_t id = 0;
  std::string name;
  bool enabled = true;
  int min_severity = 5;
  std::vector<std::string> categories;  // empty: every category
  std::vector<std::int64_t> group_ids;  // empty: anyone, whether or not in a group
  // Repeated lower-severity behaviour: the rule fires when this many matching
  // captures from one device fall within the window (1: every matching capture).
  int repeat_count = 1;
  std::chrono::seconds repeat_window{0};
  std::optional<MinuteRange> active_hours;  // the rule applies only then (local time)
  bool term_time_only = false;
  // Emails from this rule made in these hours wait until the hours end.
  std::optional<MinuteRange> quiet_hours;
  Delivery delivery = Delivery::immediate;
  std::vector<std::string> recipients;  // kDslRecipient or email addresses
  bool operator==(const AlertRule&) const = default;
};

inline constexpr std::size_t kMaxRuleName = 120;
inline constexpr std::size_t kMaxRecipients = 20;
inline constexpr std::chrono::hours kMaxRepeatWindow{24 * 31};

// Why the rule cannot be saved, in words for the person filling in the form; nullopt
// when it is fine.
std::optional<std::string> rule_problem(const AlertRule& rule);

// What a rule looks at in one capture.
struct CaptureFacts {
  std::int64_t capture_id = 0;
  TimeUs ts_us = 0;
  std::string device;  // MAC, or the IP address when no MAC was seen
  std::string category;
  int severity = 1;
  std::vector<std::int64_t> group_ids;  // the groups of whoever held the device then
};

// The school's term dates ("2026-09-03..2026-12-18" per line, in Settings); with none
// set, every weekday counts as term time.
class TermCalendar {
 public:
  static std::optional<TermCalendar> parse(std::string_view text, std::string* problem = nullptr);
  bool in_term(TimeUs ts_us) const;
  bool empty() const { return terms_.empty(); }

  struct Term {
    int first = 0;  // yyyymmdd
    int last = 0;
  };
  const std::vector<Term>& terms() const { return terms_; }

 private:
  std::vector<Term> terms_;
};

// Whether the capture meets the rule's conditions other than the repeat count:
// enabled, severity, category, group, time of day, term time.
bool meets_conditions(const AlertRule& rule, const CaptureFacts& capture,
                      const TermCalendar& terms);

// When an email made at `now` under `quiet` may go: `now`, or the end of the quiet
// hours it falls in.
TimeUs release_time(const std::optional<MinuteRange>& quiet, TimeUs now);

}  // namespace hm::alerts
