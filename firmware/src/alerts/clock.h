#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hm::alerts {

using TimeUs = std::int64_t;

// Where the alerts take "now" from: the system clock on the box, a hand-set clock in
// the tests of grouping, digests and quiet hours (which must not wait for real hours).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeUs now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeUs now() const override;
};

// The box's local civil time (the TZ it runs in) of a moment: what "09:00", "Monday"
// and "term time" mean to a school.
struct LocalTime {
  int year = 1970;
  int month = 1;    // 1–12
  int day = 1;      // 1–31
  int weekday = 4;  // 0 Sunday … 6 Saturday
  int minute_of_day = 0;
};
LocalTime local_time(TimeUs ts_us);
// The moment a local date and minute of day begin (mktime: DST-aware).
TimeUs local_moment(int year, int month, int day, int minute_of_day);
// The same local date plus `days` (month and year carried).
LocalTime add_days(const LocalTime& date, int days);

// "2026-11-23": the date as settings and file names write it.
std::string date_text(const LocalTime& day);
// "16:00" → 960, the minute of the day a setting names; nullopt unless HH:MM.
std::optional<int> clock_minute(std::string_view text);

}  // namespace hm::alerts
