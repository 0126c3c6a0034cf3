// Answers more than one handler file gives in the same words.
#include <ctime>
#include <string>

#include "store/audit_log.h"
#include "web/api/handlers.h"

namespace hm::web::api {

std::optional<Response> audit_before_showing(ApiContext& context, std::string_view action,
                                             const std::string& detail, std::string_view what) {
  if (auto audited = store::AuditLog(context.db).append(context.user->username, action, detail);
      !audited) {
    return Response::problem(503, "audit_unavailable",
                             std::string(what) +
                                 " cannot be shown because the audit log cannot be written just "
                                 "now: " +
                                 audited.error());
  }
  return std::nullopt;
}

Response not_saved(const std::string& why) {
  return Response::problem(400, "not_saved", "That was not saved: " + why + ".");
}

std::string iso_time(std::int64_t ts_us) {
  // Floor, not truncation, so a time before 1970 still names its own second.
  std::int64_t seconds = ts_us / 1'000'000;
  if (ts_us % 1'000'000 < 0) --seconds;
  return iso_time_of_seconds(seconds);
}

std::string iso_time_of_seconds(std::int64_t unix_seconds) {
  const auto seconds = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace hm::web::api
