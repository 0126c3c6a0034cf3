// The audit log viewer (read_audit): who did what and when, newest first.
#include <charconv>

#include <nlohmann/json.hpp>

#include "store/audit_log.h"
#include "store/audit_trail.h"
#include "web/api/handlers.h"

namespace hm::web::api {
namespace {

std::optional<std::int64_t> positive_number(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

// GET /api/audit?before=ID&limit=N&action=A&actor=NAME. The log's details name captures
// by number and say what was done, never what a capture holds (evidence is only ever
// shown sealed-open on the Captures page), so this page needs no evidence key.
Response audit_log(ApiContext& context) {
  const auto& request = context.request;
  store::AuditQuery query;
  if (const auto before = request.query_value("before")) {
    query.before_id = positive_number(before);
    if (!query.before_id)
      return Response::problem(400, "invalid", "The page position is not valid.");
  }
  if (const auto limit = request.query_value("limit")) {
    const auto value = positive_number(limit);
    if (!value || *value > store::AuditTrail::kMaxPage) {
      return Response::problem(400, "invalid", "Ask for 1 to 200 entries at a time.");
    }
    query.limit = static_cast<int>(*value);
  }
  query.action = request.query_value("action").value_or("");
  query.actor = request.query_value("actor").value_or("");
  if (query.action.size() > 64 || query.actor.size() > 128) {
    return Response::problem(400, "invalid", "That filter is too long.");
  }
  store::AuditTrail trail(context.db);
  const auto page = trail.page(query);
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& entry : page.entries) {
    entries.push_back({{"id", entry.id},
                       {"ts_us", entry.ts_us},
                       {"actor", entry.actor},
                       {"action", entry.action},
                       {"detail", entry.detail}});
  }
  nlohmann::json reply = {
      {"entries", std::move(entries)}, {"next", nullptr}, {"actions", trail.actions()}};
  if (page.next_before_id) reply["next"] = std::to_string(*page.next_before_id);
  return Response::json(200, reply);
}

// The whole chain is checked (store::AuditLog::verify): a separate call, so paging
// stays quick however long the log is.
Response verify_audit_log(ApiContext& context) {
  const auto result = store::AuditLog(context.db).verify();
  nlohmann::json reply = {{"intact", !result.first_broken.has_value()},
                          {"entries", result.entries},
                          {"first_broken", nullptr},
                          {"reason", result.reason}};
  if (result.first_broken) reply["first_broken"] = *result.first_broken;
  return Response::json(200, reply);
}

}  // namespace hm::web::api
