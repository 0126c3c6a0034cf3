#include "alerts/alert_email.h"

#include <cstdio>

#include "library/categories.h"

namespace hm::alerts {
namespace {

std::string capture_link(const std::string& link_base, std::int64_t capture_id) {
  std::string base = link_base;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/captures/" + std::to_string(capture_id);
}

std::string school_or_box(const std::string& school_name) {
  return school_name.empty() ? "your school" : school_name;
}

}  // namespace

std::string category_title(const std::string& category) {
  const library::KnownCategory* known = library::find_known_category(category);
  return known != nullptr ? std::string(known->title) : category;
}

std::string local_text(TimeUs ts_us) {
  const LocalTime local = local_time(ts_us);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d", local.year, local.month, local.day,
                local.minute_of_day / 60, local.minute_of_day % 60);
  return text;
}

EmailText alert_email(const AlertSummary& alert, const std::string& school_name,
                      const std::string& link_base, int group_window_minutes) {
  EmailText email;
  email.subject = "Safeguarding alert: " + category_title(alert.category) + ", severity " +
                  std::to_string(alert.severity) + " (" + school_or_box(school_name) + ")";
  email.body =
      "hallmonitor captured a concern at " + school_or_box(school_name) +
      " that needs a look now.\n\n"
      "Category:  " +
      category_title(alert.category) +
      "\n"
      "Severity:  " +
      std::to_string(alert.severity) +
      " of 5\n"
      "Time:      " +
      local_text(alert.ts_us) +
      "\n"
      "Device:    " +
      alert.device +
      "\n"
      "Group:     " +
      (alert.group.empty() ? "not in a group" : alert.group) +
      "\n"
      "Rule:      " +
      alert.rule_name +
      "\n\n"
      "See what was captured (you will be asked to sign in):\n" +
      capture_link(link_base, alert.capture_id) +
      "\n\n"
      "Further captures from this device in this category within " +
      std::to_string(group_window_minutes) +
      " minutes join this alert; you are not emailed again unless one is more serious.\n\n"
      "This email carries no evidence and no pupil's name on purpose: they stay on the box, "
      "where every view is recorded.\n";
  return email;
}

EmailText digest_email(const std::vector<AlertSummary>& alerts, const std::string& school_name,
                       const std::string& link_base, const LocalTime& day) {
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", day.year, day.month, day.day);
  int captures = 0;
  for (const AlertSummary& alert : alerts) captures += alert.capture_count;
  EmailText email;
  email.subject = "Daily safeguarding digest for " + std::string(date) + ": " +
                  std::to_string(captures) + (captures == 1 ? " capture" : " captures") + " (" +
                  school_or_box(school_name) + ")";
  email.body = "The captures at " + school_or_box(school_name) +
               " that did not call for an alert at once, for you to review when you can.\n\n";
  for (const AlertSummary& alert : alerts) {
    email.body += "- " + local_text(alert.ts_us) + "  " + category_title(alert.category) +
                  ", severity " + std::to_string(alert.severity) + ", device " + alert.device;
    if (!alert.group.empty()) email.body += " (" + alert.group + ")";
    if (alert.capture_count > 1) {
      email.body += ", " + std::to_string(alert.capture_count) + " captures";
    }
    email.body += "\n  " + capture_link(link_base, alert.capture_id) + "\n";
  }
  email.body +=
      "\nThis email carries no evidence and no pupil's name on purpose: they stay on the box, "
      "where every view is recorded.\n";
  return email;
}

}  // namespace hm::alerts
