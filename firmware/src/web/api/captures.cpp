#include <charconv>
#include <ctime>

#include <nlohmann/json.hpp>

#include "store/audit_log.h"
#include "store/capture_repository.h"
#include "web/api/handlers.h"
#include "web/session_keys.h"

namespace hm::web::api {
namespace {

constexpr std::size_t kDefaultPage = 50;
constexpr std::size_t kMaximumPage = 200;

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "1717400000000000.42": the time and id of the last capture of the previous page.
std::optional<store::CaptureRepository::Cursor> parse_cursor(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto ts = parse_int(text.substr(0, dot));
  const auto id = parse_int(text.substr(dot + 1));
  if (!ts || !id) return std::nullopt;
  return store::CaptureRepository::Cursor{*ts, *id};
}

// RFC 3339 in UTC; the browser shows it in the school's local time.
std::string iso_time(std::int64_t ts_us) {
  const std::time_t seconds = static_cast<std::time_t>(ts_us / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// `evidence` is the opened evidence, or nullopt when this session holds no key or the
// blob does not open (then the UI says it is sealed).
nlohmann::json capture_json(const evidence::Capture& capture,
                            const std::optional<evidence::Evidence>& evidence) {
  nlohmann::json json = {
      {"id", capture.id},
      {"ts_us", capture.ts_us},
      {"time", iso_time(capture.ts_us)},
      {"device",
       {{"ip", capture.client_ip},
        {"mac",
         capture.client_mac.empty() ? nlohmann::json() : nlohmann::json(capture.client_mac)}}},
      {"category", capture.category},
      {"severity", capture.severity},
      {"phrase", capture.phrase},
      {"kind", capture.observation_kind},
      {"sealed", !evidence.has_value()},
      {"host", evidence ? nlohmann::json(evidence->host) : nlohmann::json()},
      {"url", evidence ? nlohmann::json(evidence->url) : nlohmann::json()}};
  if (evidence) json["text"] = evidence->text;
  return json;
}

}  // namespace

Response list_captures(ApiContext& context) {
  std::size_t limit = kDefaultPage;
  if (const auto text = context.request.query_value("limit")) {
    const auto parsed = parse_int(*text);
    if (!parsed || *parsed < 1 || *parsed > static_cast<std::int64_t>(kMaximumPage)) {
      return Response::problem(
          400, "invalid_limit",
          "limit must be a whole number from 1 to " + std::to_string(kMaximumPage) + ".");
    }
    limit = static_cast<std::size_t>(*parsed);
  }
  std::optional<store::CaptureRepository::Cursor> before;
  if (const auto text = context.request.query_value("before")) {
    before = parse_cursor(*text);
    if (!before) {
      return Response::problem(400, "invalid_cursor",
                               "before must be the `next` value of an earlier page.");
    }
  }
  store::CaptureRepository captures(context.db);
  // One extra row tells whether another page follows.
  auto rows = captures.list_recent(limit + 1, before);
  const bool more = rows.size() > limit;
  if (more) rows.resize(limit);
  // Evidence is opened only with the signed-in session's own key, and every opening
  // is audited (one entry per page, naming the captures).
  const auto key = SessionKeys::instance().find(context.session_token);
  nlohmann::json list = nlohmann::json::array();
  std::string opened;
  for (const auto& capture : rows) {
    std::optional<evidence::Evidence> evidence;
    if (key) evidence = evidence::open_evidence(capture, *key);
    if (evidence) opened += (opened.empty() ? "" : ",") + std::to_string(capture.id);
    list.push_back(capture_json(capture, evidence));
  }
  if (!opened.empty()) {
    if (auto audited = store::AuditLog(context.db)
                           .append(context.user->username, "evidence_view", "captures " + opened);
        !audited) {
      // No audit entry, no evidence: an unrecorded view must not happen.
      return Response::problem(503, "audit_unavailable",
                               "The evidence cannot be shown because the audit log cannot be "
                               "written just now: " +
                                   audited.error());
    }
  }
  nlohmann::json next;
  if (more) next = std::to_string(rows.back().ts_us) + "." + std::to_string(rows.back().id);
  return Response::json(200, {{"captures", std::move(list)}, {"next", std::move(next)}});
}

}  // namespace hm::web::api
