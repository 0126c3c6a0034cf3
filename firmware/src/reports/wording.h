#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/accounts.h"

// How reports say things to a headteacher: category and visibility names as the web UI
// words them (web/src/wording.ts), dates in the box's local time, durations and counts
// in words. Shared by the weekly and governors' reports and the evidence pack.
namespace hm::reports {

using store::TimeUs;

// "Self-harm" for "self-harm"; an unknown id is shown as given, dashes as spaces.
std::string category_title(std::string_view category);
// "5 (most serious)" … "1 (least serious)".
std::string severity_words(int severity);
// What a visibility class (dissect/visibility.h) means: "Hidden site names (Encrypted
// Client Hello)". Unknown classes as given.
std::string visibility_name(std::string_view visibility);
// Whether the box could see into traffic of this class (the first five classes).
bool visibility_seen(std::string_view visibility);
// "Designated safeguarding lead" for Role::dsl.
std::string role_title(store::Role role);
// "in review", "action taken" … for an incident status; escalation targets
// ("social_care" → "children's social care").
std::string incident_status_words(std::string_view status);
std::string escalation_words(std::string_view target);

// Local time of the box. "Monday 16 November 2026".
std::string long_date(TimeUs ts_us);
// "16 Nov 2026".
std::string short_date(TimeUs ts_us);
// "16 Nov 2026, 14:05".
std::string date_time(TimeUs ts_us);
// "Mon 16".
std::string day_label(TimeUs ts_us);
// "Monday 16 November 2026 to Sunday 22 November 2026" for [from, until): the last day
// shown is the one before `until` when it starts at midnight.
std::string period_words(TimeUs from_us, TimeUs until_us);

// "under a minute", "45 minutes", "3 hours 20 minutes", "2 days 4 hours".
std::string duration_words(TimeUs duration_us);
// "1,234".
std::string count_words(std::int64_t count);
// "1.5 GB" (decimal units, as the web UI).
std::string bytes_words(std::int64_t bytes);
// "3.3" with one decimal, "0" for zero.
std::string average_words(double value);
// "1 concern" / "3 concerns".
std::string plural(std::int64_t count, std::string_view one, std::string_view many);
// "12%" of a share 0..1 (rounded; "under 1%" for a small non-zero share).
std::string percent_words(double share);

}  // namespace hm::reports
