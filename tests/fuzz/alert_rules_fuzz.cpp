// libFuzzer target: arbitrary bytes as what a person types into the Alerts page (links
// the `alerts` CMake target): the term dates (alerts::TermCalendar::parse) and a rule's
// fields (alerts::rule_problem), and the time arithmetic of quiet hours.
// Properties checked: no crash, hang or out-of-bounds read (ASan/UBSan); term dates
// either parse into terms that end on or after they start, or are refused with a
// message naming a line; a rule rule_problem accepts has a name, a severity of 1–5 and
// recipients without a line break (they become SMTP envelope addresses); an email
// held for quiet hours is never released before it was made, nor more than a day later.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "alerts/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string problem;
  if (const auto terms = hm::alerts::TermCalendar::parse(text, &problem)) {
    for (const auto& term : terms->terms()) {
      if (term.last < term.first) std::abort();
    }
    (void)terms->in_term(1'800'000'000'000'000);
  } else if (problem.find("line ") == std::string::npos) {
    std::abort();
  }

  if (size < 8) return 0;
  hm::alerts::AlertRule rule;
  rule.min_severity = data[0] % 8;
  rule.repeat_count = data[1];
  rule.repeat_window = std::chrono::seconds(data[2] * 997);
  rule.quiet_hours = hm::alerts::MinuteRange{data[3] * 7, data[4] * 7};
  rule.term_time_only = (data[5] & 1) != 0;
  // The rest: name, a category and recipients, split on NUL bytes.
  std::string_view rest = text.substr(8);
  auto next = [&rest] {
    const auto end = rest.find('\0');
    std::string part(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    return part;
  };
  rule.name = next();
  if (data[6] & 1) rule.categories.push_back(next());
  while (!rest.empty() && rule.recipients.size() < 30) rule.recipients.push_back(next());
  if (!hm::alerts::rule_problem(rule)) {
    if (rule.name.empty() || rule.min_severity < 1 || rule.min_severity > 5) std::abort();
    for (const std::string& recipient : rule.recipients) {
      if (recipient.find_first_of("\r\n") != std::string::npos) std::abort();
    }
  }

  // Quiet hours from any minutes the form could send (in range or not, as checked above).
  const std::int64_t now =
      1'800'000'000'000'000 + static_cast<std::int64_t>(data[7]) * 3'600'000'000;
  if (rule.quiet_hours->from_minute < 1440 && rule.quiet_hours->to_minute < 1440) {
    const std::int64_t released = hm::alerts::release_time(rule.quiet_hours, now);
    if (released < now || released > now + 25LL * 3'600'000'000) std::abort();
  }
  return 0;
}
