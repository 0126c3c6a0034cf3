#include "reports/wording.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <utility>

#include "library/categories.h"

namespace hm::reports {
namespace {

constexpr TimeUs kMicros = 1'000'000;
constexpr TimeUs kMinuteUs = 60 * kMicros;
constexpr TimeUs kHourUs = 60 * kMinuteUs;
constexpr TimeUs kDayUs = 24 * kHourUs;

// The same words as the web UI's visibility names (web/src/wording.ts).
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kVisibilityNames = {{
    {"plain_http", "Unencrypted web pages (fully visible)"},
    {"named_tls", "Encrypted sites, name visible"},
    {"named_quic", "Encrypted sites (QUIC), name visible"},
    {"dns", "Site look-ups (DNS)"},
    {"dhcp", "Devices joining the network"},
    {"ech", "Hidden site names (Encrypted Client Hello)"},
    {"doh", "Encrypted look-ups (DNS over HTTPS)"},
    {"dot", "Encrypted look-ups (DNS over TLS)"},
    {"vpn", "VPN or tunnel (nothing visible)"},
    {"quic_unknown", "Encrypted (QUIC), name not readable"},
    {"tls_no_sni", "Encrypted, no site name"},
    {"other", "Other traffic"},
}};

std::string with_spaces(std::string_view id) {
  std::string text(id);
  for (char& c : text) {
    if (c == '-' || c == '_') c = ' ';
  }
  return text;
}

std::tm local_parts(TimeUs ts_us) {
  // Floor division: times before 1970 round down like every other time.
  const std::time_t seconds =
      static_cast<std::time_t>(ts_us / kMicros - (ts_us % kMicros < 0 ? 1 : 0));
  std::tm parts{};
  localtime_r(&seconds, &parts);
  return parts;
}

std::string format_local(TimeUs ts_us, const char* format) {
  const std::tm parts = local_parts(ts_us);
  char text[80];
  const std::size_t length = std::strftime(text, sizeof text, format, &parts);
  return std::string(text, length);
}

// strftime's %d pads with a zero; people write "6 March".
std::string day_of_month(const std::tm& parts) { return std::to_string(parts.tm_mday); }

}  // namespace

std::string category_title(std::string_view category) {
  if (const library::KnownCategory* known = library::find_known_category(category)) {
    return std::string(known->title);
  }
  std::string text = with_spaces(category);
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

std::string severity_words(int severity) {
  switch (severity) {
    case 5: return "5 (most serious)";
    case 4: return "4 (serious)";
    case 3: return "3 (moderate)";
    case 2: return "2 (low)";
    case 1: return "1 (least serious)";
    default: return std::to_string(severity);
  }
}

std::string visibility_name(std::string_view visibility) {
  for (const auto& [id, name] : kVisibilityNames) {
    if (id == visibility) return std::string(name);
  }
  return with_spaces(visibility);
}

bool visibility_seen(std::string_view visibility) {
  return visibility == "plain_http" || visibility == "named_tls" || visibility == "named_quic" ||
         visibility == "dns" || visibility == "dhcp";
}

std::string role_title(store::Role role) {
  switch (role) {
    case store::Role::headteacher: return "Headteacher";
    case store::Role::dsl: return "Designated safeguarding lead";
    case store::Role::deputy_dsl: return "Deputy safeguarding lead";
    case store::Role::viewer: return "Staff viewer";
    case store::Role::technician: return "Technician";
  }
  return std::string(store::to_string(role));
}

std::string incident_status_words(std::string_view status) {
  if (status == "new") return "new, not yet looked at";
  return with_spaces(status);
}

std::string escalation_words(std::string_view target) {
  if (target == "dsl") return "the DSL";
  if (target == "police") return "the police";
  if (target == "prevent") return "Prevent";
  if (target == "social_care") return "children's social care";
  return with_spaces(target);
}

std::string long_date(TimeUs ts_us) {
  const std::tm parts = local_parts(ts_us);
  return format_local(ts_us, "%A ") + day_of_month(parts) + format_local(ts_us, " %B %Y");
}

std::string short_date(TimeUs ts_us) {
  const std::tm parts = local_parts(ts_us);
  return day_of_month(parts) + format_local(ts_us, " %b %Y");
}

std::string date_time(TimeUs ts_us) { return short_date(ts_us) + format_local(ts_us, ", %H:%M"); }

std::string day_label(TimeUs ts_us) {
  return format_local(ts_us, "%a ") + day_of_month(local_parts(ts_us));
}

std::string period_words(TimeUs from_us, TimeUs until_us) {
  const std::tm end = local_parts(until_us);
  const bool at_midnight = end.tm_hour == 0 && end.tm_min == 0 && end.tm_sec == 0;
  const TimeUs last = at_midnight ? until_us - 1 : until_us;
  if (at_midnight && until_us - from_us <= kDayUs) return long_date(from_us);
  return long_date(from_us) + " to " + long_date(last);
}

std::string duration_words(TimeUs duration_us) {
  if (duration_us < kMinuteUs) return "under a minute";
  const TimeUs days = duration_us / kDayUs;
  const TimeUs hours = (duration_us % kDayUs) / kHourUs;
  const TimeUs minutes = (duration_us % kHourUs) / kMinuteUs;
  if (days > 0) {
    return plural(days, "day", "days") + (hours > 0 ? " " + plural(hours, "hour", "hours") : "");
  }
  if (hours > 0) {
    return plural(hours, "hour", "hours") +
           (minutes > 0 ? " " + plural(minutes, "minute", "minutes") : "");
  }
  return plural(minutes, "minute", "minutes");
}

std::string count_words(std::int64_t count) {
  std::string digits = std::to_string(count < 0 ? -count : count);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return count < 0 ? "-" + out : out;
}

std::string bytes_words(std::int64_t bytes) {
  constexpr std::array<const char*, 5> kUnits = {"bytes", "KB", "MB", "GB", "TB"};
  auto value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1000 && unit + 1 < kUnits.size()) {
    value /= 1000;
    ++unit;
  }
  if (unit == 0) return count_words(bytes) + " bytes";
  char text[32];
  std::snprintf(text, sizeof text, value < 10 ? "%.1f %s" : "%.0f %s", value, kUnits[unit]);
  return text;
}

std::string average_words(double value) {
  if (value == 0) return "0";
  // Halves round up, as people do (0.25 → 0.3), not to even as printf does.
  const double rounded = std::floor(value * 10 + 0.5) / 10;
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", rounded);
  return text;
}

std::string plural(std::int64_t count, std::string_view one, std::string_view many) {
  return count_words(count) + " " + std::string(count == 1 ? one : many);
}

std::string percent_words(double share) {
  if (share <= 0) return "0%";
  if (share < 0.005) return "under 1%";
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

}  // namespace hm::reports
