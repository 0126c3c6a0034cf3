#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alerts/clock.h"

// The words of the box's alert emails (issue 7 item 2). An email leaves the school's
// network and sits in mailboxes and phones: it carries category, severity, time,
// device, group and a link to the capture in the UI — never evidence text, never a
// pupil's name. The link asks the reader to sign in.
namespace hm::alerts {

struct AlertSummary {
  std::int64_t alert_id = 0;
  std::int64_t capture_id = 0;
  TimeUs ts_us = 0;
  std::string category;  // id, e.g. self-harm
  int severity = 1;
  std::string device;
  std::string group;  // e.g. "Year 5"; empty: not in a group
  std::string rule_name;
  int capture_count = 1;  // digest: captures grouped into this alert
};

struct EmailText {
  std::string subject;
  std::string body;
};

// `link_base` is the UI's address, e.g. https://hallmonitor.local:8443.
EmailText alert_email(const AlertSummary& alert, const std::string& school_name,
                      const std::string& link_base, int group_window_minutes);
EmailText digest_email(const std::vector<AlertSummary>& alerts, const std::string& school_name,
                       const std::string& link_base, const LocalTime& day);

// "Self-harm" for "self-harm" (the library's own title).
std::string category_title(const std::string& category);
// "2026-11-23 21:04" in the box's local time.
std::string local_text(TimeUs ts_us);

}  // namespace hm::alerts
