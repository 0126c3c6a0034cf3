#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "alerts/clock.h"
#include "base/result.h"
#include "store/database.h"

namespace hm::alerts {

// Settings keys the alerts keep (the settings table).
inline constexpr std::string_view kLastCaptureKey = "alerts.last_capture_id";
inline constexpr std::string_view kGroupWindowKey = "alerts.group_window_minutes";
inline constexpr std::string_view kDigestTimeKey = "alerts.digest_time";  // "16:00"
inline constexpr std::string_view kLastDigestKey = "alerts.last_digest_date";
inline constexpr std::string_view kLinkBaseKey = "web.link_base";
inline constexpr std::string_view kTermDatesKey = "school.term_dates";
inline constexpr std::string_view kSchoolNameKey = "school.name";
inline constexpr std::string_view kDefaultLinkBase = "https://hallmonitor.local:8443";
inline constexpr int kDefaultGroupWindowMinutes = 30;
inline constexpr int kDefaultDigestMinute = 16 * 60;

// What one pass found.
struct EngineCounts {
  int captures_checked = 0;
  int alerts_made = 0;      // new alerts (an email queued, or waiting for the digest)
  int captures_joined = 0;  // joined an alert already made for the device and category
};

// Turns stored captures into alerts (issue 7 item 1). Reads every capture after the
// last one it checked, in id order, and records alerts, their emails and its place in
// one transaction per batch: a restart neither skips a capture nor alerts twice.
//
// For each capture: the alert profile of the holder's groups decides first when it
// says anything about the category (issue 6: "alerts for Year 1 from severity 3");
// then the first immediate rule whose conditions hold (and whose repeat count is
// reached); else the first digest rule. A capture from a device with an alert in the
// same category within the grouping window joins that alert instead of making a new
// email, unless it is more serious than the alert so far.
class AlertEngine {
 public:
  AlertEngine(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<EngineCounts> process_new_captures();
  // Once a day at the digest time: one digest email per set of recipients with the
  // digest alerts waiting. Returns how many emails were queued.
  Result<int> send_digest_if_due();

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace hm::alerts
