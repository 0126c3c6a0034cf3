#include "alerts/clock.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace hm::alerts {

TimeUs SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

LocalTime local_time(TimeUs ts_us) {
  // Floor division: a moment before 1970 still falls in its own second.
  const std::time_t seconds =
      static_cast<std::time_t>(ts_us / 1'000'000 - (ts_us % 1'000'000 < 0 ? 1 : 0));
  std::tm parts{};
  localtime_r(&seconds, &parts);
  return LocalTime{parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_wday,
                   parts.tm_hour * 60 + parts.tm_min};
}

TimeUs local_moment(int year, int month, int day, int minute_of_day) {
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = minute_of_day / 60;
  parts.tm_min = minute_of_day % 60;
  parts.tm_isdst = -1;  // let mktime say whether summer time applies that day
  return static_cast<TimeUs>(std::mktime(&parts)) * 1'000'000;
}

LocalTime add_days(const LocalTime& date, int days) {
  // Noon, so a summer-time change that day cannot move the date.
  return local_time(local_moment(date.year, date.month, date.day + days, 12 * 60));
}

std::string date_text(const LocalTime& day) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", day.year, day.month, day.day);
  return text;
}

std::optional<int> clock_minute(std::string_view text) {
  int hours = 0;
  int minutes = 0;
  if (text.size() != 5 || text[2] != ':' ||
      std::from_chars(text.data(), text.data() + 2, hours).ec != std::errc{} ||
      std::from_chars(text.data() + 3, text.data() + 5, minutes).ec != std::errc{} || hours > 23 ||
      minutes > 59) {
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

}  // namespace hm::alerts
