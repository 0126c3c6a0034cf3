// Incidents (issue 6 item 5): the record that every concern was followed up. Titles,
// notes and the intervention are sealed; they open only with the signed-in session's
// key (web/session_keys.h), and every opening is written to the audit log first.
// Every route needs Permission::handle_incidents (routes.cpp).
#include <algorithm>
#include <charconv>
#include <ctime>

#include <nlohmann/json.hpp>

#include "store/audit_log.h"
#include "store/capture_repository.h"
#include "store/incident_repository.h"
#include "store/key_store.h"
#include "store/roles.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"
#include "web/session_keys.h"

namespace hm::web::api {
namespace {

constexpr std::size_t kMaxCapturesPerRequest = 100;

nlohmann::json time_or_null(std::int64_t ts_us) {
  return ts_us == 0 ? nlohmann::json() : nlohmann::json(iso_time(ts_us));
}

std::optional<std::int64_t> incident_id(const ApiContext& context) {
  const auto found = context.path_params.find("id");
  if (found == context.path_params.end()) return std::nullopt;
  std::int64_t value = 0;
  const std::string& text = found->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

Response no_such_incident() {
  return Response::problem(404, "not_found", "There is no such incident. It may have been erased.");
}

std::optional<Response> audit_view(ApiContext& context, const std::string& detail) {
  return audit_before_showing(context, "incident_view", detail, "The incident");
}

// Capture ids from a JSON array: each a positive whole number, at most a hundred.
std::optional<std::vector<std::int64_t>> capture_ids(const nlohmann::json& body) {
  const auto found = body.find("capture_ids");
  if (found == body.end() || !found->is_array() || found->empty() ||
      found->size() > kMaxCapturesPerRequest) {
    return std::nullopt;
  }
  std::vector<std::int64_t> ids;
  for (const auto& item : *found) {
    if (!item.is_number_integer() || item.get<std::int64_t>() <= 0) return std::nullopt;
    ids.push_back(item.get<std::int64_t>());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// What the list and the detail show of one incident. `title` is the opened title, or
// nullopt when this session's key does not open it.
nlohmann::json incident_json(const store::Incident& incident,
                             const std::optional<std::string>& title, store::TimeUs now) {
  nlohmann::json json = {
      {"id", incident.id},
      {"title", title ? nlohmann::json(*title) : nlohmann::json()},
      {"status", store::to_string(incident.status)},
      {"escalated_to",
       incident.escalated_to.empty() ? nlohmann::json() : nlohmann::json(incident.escalated_to)},
      {"assignee",
       incident.assignee.empty() ? nlohmann::json() : nlohmann::json(incident.assignee)},
      {"open", incident.open},
      {"opened", iso_time(incident.opened_us)},
      {"opened_by", incident.opened_by},
      {"closed", time_or_null(incident.closed_us)},
      {"age_seconds",
       ((incident.open ? now : incident.closed_us) - incident.opened_us) / 1'000'000},
      {"captures", incident.captures},
      {"first_capture", time_or_null(incident.first_capture_us)},
      {"first_review", time_or_null(incident.first_review_us)}};
  // Time from the (earliest) capture to the first review: what inspectors ask for.
  nlohmann::json to_review;
  if (incident.first_capture_us != 0 && incident.first_review_us != 0) {
    to_review =
        std::max<std::int64_t>(0, incident.first_review_us - incident.first_capture_us) / 1'000'000;
  }
  json["review_seconds"] = to_review;
  nlohmann::json waiting;
  if (incident.first_capture_us != 0 && incident.first_review_us == 0) {
    waiting = std::max<std::int64_t>(0, now - incident.first_capture_us) / 1'000'000;
  }
  json["waiting_seconds"] = waiting;
  return json;
}

std::optional<std::vector<std::uint8_t>> public_key_of(store::Database& db) {
  auto key = store::KeyStore(db).public_key();
  if (!key) return std::nullopt;
  return *key;
}

}  // namespace

Response list_incidents(ApiContext& context) {
  std::optional<std::string> wanted;
  if (const auto status = context.request.query_value("status"); status && !status->empty()) {
    if (*status != "open" && *status != "closed" && !store::incident_status_from_string(*status)) {
      return Response::problem(400, "invalid_status",
                               "status must be open, closed, new, in_review, action_taken, "
                               "escalated or no_further_action.");
    }
    wanted = *status;
  }
  const auto key = SessionKeys::instance().find(context.session_token);
  const store::TimeUs now = store::now_us();
  std::vector<store::Incident> shown;
  for (auto& incident : store::IncidentRepository(context.db).list()) {
    if (wanted) {
      const bool keep = *wanted == "open"     ? incident.open
                        : *wanted == "closed" ? !incident.open
                                              : store::to_string(incident.status) == *wanted;
      if (!keep) continue;
    }
    shown.push_back(std::move(incident));
  }
  std::string ids;
  for (const auto& incident : shown) ids += (ids.empty() ? "" : ",") + std::to_string(incident.id);
  if (key && !ids.empty()) {
    if (auto refused = audit_view(context, "incident titles " + ids)) return *refused;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& incident : shown) {
    std::optional<std::string> title;
    if (key) title = store::open_title(incident, *key);
    list.push_back(incident_json(incident, title, now));
  }
  return Response::json(200, {{"incidents", std::move(list)}});
}

Response open_incident(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the incident as a JSON object.");
  const auto title = string_field(*body, "title");
  const auto ids = capture_ids(*body);
  if (!title || !ids) {
    return Response::problem(400, "invalid",
                             "Give the incident a title and the ids of 1 to " +
                                 std::to_string(kMaxCapturesPerRequest) + " captures.");
  }
  const auto public_key = public_key_of(context.db);
  if (!public_key) return Response::problem(503, "no_key", "The box has no evidence key yet.");
  auto id = store::IncidentRepository(context.db)
                .open_from_captures(*title, *ids, *public_key, context.user->username);
  if (!id) return not_saved(id.error());
  return Response::json(201, {{"id", *id}});
}

Response incident_detail(ApiContext& context) {
  const auto id = incident_id(context);
  if (!id) return no_such_incident();
  store::IncidentRepository incidents(context.db);
  const auto incident = incidents.find(*id);
  if (!incident) return no_such_incident();
  const auto key = SessionKeys::instance().find(context.session_token);
  if (key) {
    if (auto refused = audit_view(
            context, "incident " + std::to_string(*id) + ": title, notes and intervention")) {
      return *refused;
    }
  }
  const store::TimeUs now = store::now_us();
  nlohmann::json json =
      incident_json(*incident, key ? store::open_title(*incident, *key) : std::nullopt, now);

  nlohmann::json notes = nlohmann::json::array();
  for (const auto& note : incidents.notes(*id)) {
    const auto text = key ? store::open_note(note, *key) : std::nullopt;
    notes.push_back({{"id", note.id},
                     {"time", iso_time(note.ts_us)},
                     {"author", note.author},
                     {"text", text ? nlohmann::json(*text) : nlohmann::json()}});
  }
  json["notes"] = std::move(notes);
  const auto intervention = key ? store::open_intervention(*incident, *key) : std::nullopt;
  json["intervention"] = intervention ? nlohmann::json(*intervention) : nlohmann::json();
  json["intervention_recorded"] = !incident->sealed_intervention.empty();

  nlohmann::json history = nlohmann::json::array();
  for (const auto& change : incidents.history(*id)) {
    history.push_back(
        {{"time", iso_time(change.ts_us)}, {"actor", change.actor}, {"change", change.change}});
  }
  json["history"] = std::move(history);

  // The captures' metadata only: their evidence opens on the capture's own page.
  nlohmann::json captures = nlohmann::json::array();
  store::CaptureRepository capture_rows(context.db);
  for (const std::int64_t capture_id : incidents.capture_ids(*id)) {
    const auto capture = capture_rows.find(capture_id);
    if (!capture) {
      captures.push_back({{"id", capture_id}, {"deleted", true}});
      continue;
    }
    captures.push_back(
        {{"id", capture_id},
         {"deleted", false},
         {"time", iso_time(capture->ts_us)},
         {"category", capture->category},
         {"severity", capture->severity},
         {"phrase", capture->phrase},
         {"device", capture->client_mac.empty() ? capture->client_ip : capture->client_mac}});
  }
  json["capture_list"] = std::move(captures);

  // Who may be assigned: every account that may handle incidents.
  nlohmann::json assignees = nlohmann::json::array();
  for (const auto& user : store::Accounts(context.db).list_users()) {
    if (store::allows(user.role, store::Permission::handle_incidents)) {
      assignees.push_back({{"username", user.username}, {"display_name", user.display_name}});
    }
  }
  json["assignees"] = std::move(assignees);
  json["sealed"] = key == nullptr;
  return Response::json(200, json);
}

// The page is about to print the record (or save it as a PDF): a copy that leaves the
// box, so it is written to the audit log first, as a download of evidence is.
Response export_incident(ApiContext& context) {
  const auto id = incident_id(context);
  if (!id) return no_such_incident();
  if (!store::IncidentRepository(context.db).find(*id)) return no_such_incident();
  if (auto refused = audit_before_showing(context, "incident_export",
                                          "incident " + std::to_string(*id) + ": printed record",
                                          "The incident record")) {
    return *refused;
  }
  return Response::json(200, {{"id", *id}});
}

Response set_incident_status(ApiContext& context) {
  const auto id = incident_id(context);
  if (!id) return no_such_incident();
  const auto body = context.json_body();
  const auto status_text = body ? string_field(*body, "status") : std::nullopt;
  const auto status = status_text ? store::incident_status_from_string(*status_text) : std::nullopt;
  if (!status) {
    return Response::problem(400, "invalid",
                             "Say the new status: in_review, action_taken, escalated, "
                             "no_further_action or closed.");
  }
  const std::string escalated_to = string_field(*body, "escalated_to").value_or("");
  store::IncidentRepository incidents(context.db);
  if (!incidents.find(*id)) return no_such_incident();
  if (auto set = incidents.set_status(*id, *status, escalated_to, context.user->username); !set) {
    return not_saved(set.error());
  }
  return Response::json(200, incident_json(*incidents.find(*id), std::nullopt, store::now_us()));
}

Response assign_incident(ApiContext& context) {
  const auto id = incident_id(context);
  if (!id) return no_such_incident();
  const auto body = context.json_body();
  if (!body || !body->contains("assignee") ||
      !((*body)["assignee"].is_string() || (*body)["assignee"].is_null())) {
    return Response::problem(400, "invalid", "Say who follows it up (a user name), or null.");
  }
  const std::string assignee =
      (*body)["assignee"].is_null() ? std::string() : (*body)["assignee"].get<std::string>();
  if (!assignee.empty()) {
    const auto user = store::Accounts(context.db).find_user(std::string_view(assignee));
    if (!user || !store::allows(user->role, store::Permission::handle_incidents)) {
      return Response::problem(400, "invalid_assignee",
                               "Only someone whose role handles incidents (the headteacher, "
                               "the DSL or a deputy) can follow one up.");
    }
  }
  store::IncidentRepository incidents(context.db);
  if (!incidents.find(*id)) return no_such_incident();
  if (auto set = incidents.assign(*id, assignee, context.user->username); !set) {
    return not_saved(set.error());
  }
  return Response::json(200, incident_json(*incidents.find(*id), std::nullopt, store::now_us()));
}

Response add_incident_note(ApiContext& context) {
  const auto id = incident_id(context);
  if (!id) return no_such_incident();
  const auto body = context.json_body();
  const auto text = body ? string_field(*body, "text") : std::nullopt;
  if (!text) return Response::problem(400, "invalid", "Write the note as text.");
  const auto public_key = public_key_of(context.db);
  if (!public_key) return Response::problem(503, "no_key", "The box has no evidence key yet.");
  store::IncidentRepository incidents(context.db);
  if (!incidents.find(*id)) return no_such_incident();
  if (auto added = incidents.add_note(*id, *text, *public_key, context.user->username); !added) {
    return not_saved(added.error());
  }
  return Response::json(201, {{"id", *id}});
}

Response record_incident_intervention(ApiContext& context) {
  const auto id = incident_id(context);
  if (!id) return no_such_incident();
  const auto body = context.json_body();
  const auto text = body ? string_field(*body, "text") : std::nullopt;
  if (!text) return Response::problem(400, "invalid", "Say what was done, as text.");
  const auto public_key = public_key_of(context.db);
  if (!public_key) return Response::problem(503, "no_key", "The box has no evidence key yet.");
  store::IncidentRepository incidents(context.db);
  if (!incidents.find(*id)) return no_such_incident();
  if (auto recorded =
          incidents.record_intervention(*id, *text, *public_key, context.user->username);
      !recorded) {
    return not_saved(recorded.error());
  }
  return Response::json(200, {{"id", *id}});
}

Response add_incident_captures(ApiContext& context) {
  const auto id = incident_id(context);
  if (!id) return no_such_incident();
  const auto body = context.json_body();
  const auto ids = body ? capture_ids(*body) : std::nullopt;
  if (!ids) {
    return Response::problem(
        400, "invalid",
        "Give the ids of 1 to " + std::to_string(kMaxCapturesPerRequest) + " captures.");
  }
  store::IncidentRepository incidents(context.db);
  if (!incidents.find(*id)) return no_such_incident();
  if (auto added = incidents.add_captures(*id, *ids, context.user->username); !added) {
    return not_saved(added.error());
  }
  return Response::json(200, incident_json(*incidents.find(*id), std::nullopt, store::now_us()));
}

}  // namespace hm::web::api
