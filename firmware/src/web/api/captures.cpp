#include <charconv>
#include <ctime>
#include <memory>

#include <nlohmann/json.hpp>

#include "library/categories.h"
#include "store/capture_repository.h"
#include "store/capture_review.h"
#include "store/device_repository.h"
#include "store/group_repository.h"
#include "store/incident_repository.h"
#include "store/people_repository.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"
#include "web/session_keys.h"

namespace hm::web::api {
namespace {

constexpr std::size_t kDefaultPage = 50;
constexpr std::size_t kMaximumPage = 200;
// Earlier captures of the same device shown beside one capture.
constexpr std::size_t kEarlierShown = 10;
// The observed text around the phrase, each side: enough to read it in context.
constexpr std::size_t kContextBytes = 240;

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
nlohmann::json optional_time(std::int64_t ts_us) {
  return ts_us == 0 ? nlohmann::json() : nlohmann::json(iso_time(ts_us));
}

// A MAC address ("3c:22:fb:10:00:1f") or an IPv4/IPv6 address: hex digits, dots and
// colons only, so nothing else reaches a query.
bool is_device_id(std::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  return text.find_first_not_of("0123456789abcdefABCDEF.:") == std::string_view::npos;
}

// The status a person sees: an incident outranks the capture's own mark.
std::string status_of(const store::CaptureReview& review) {
  return review.in_incident ? "incident" : review.status;
}

// Metadata only: the list never opens evidence (the detail does, audited), so paging
// through a term's captures neither costs a decryption per row nor exposes what
// pupils typed to someone only scanning the list.
nlohmann::json capture_summary(const evidence::Capture& capture,
                               const store::CaptureReview& review) {
  return {{"id", capture.id},
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
          {"status", status_of(review)}};
}

nlohmann::json review_json(const store::CaptureReview& review) {
  return {{"status", status_of(review)},
          {"marked", review.status},
          {"first_reviewed", optional_time(review.first_reviewed_us)},
          {"reviewed", optional_time(review.reviewed_us)},
          {"reviewed_by",
           review.reviewed_by.empty() ? nlohmann::json() : nlohmann::json(review.reviewed_by)}};
}

// The request's filters, or the message for a 400.
struct ParsedFilter {
  store::CaptureRepository::Filter filter;
  std::string problem;
};

ParsedFilter parse_filter(const Request& request) {
  ParsedFilter parsed;
  auto& filter = parsed.filter;
  if (const auto text = request.query_value("severity"); text && !text->empty()) {
    const auto level = parse_int(*text);
    if (!level || *level < 1 || *level > 5) {
      parsed.problem = "severity must be a level from 1 (low) to 5 (critical).";
      return parsed;
    }
    filter.severity = static_cast<int>(*level);
  }
  if (const auto text = request.query_value("category"); text && !text->empty()) {
    if (!library::is_known_category(*text)) {
      parsed.problem = "There is no category \"" + *text + "\".";
      return parsed;
    }
    filter.category = *text;
  }
  if (const auto text = request.query_value("device"); text && !text->empty()) {
    if (!is_device_id(*text)) {
      parsed.problem = "device must be a MAC address (such as 3c:22:fb:10:00:1f) or an IP address.";
      return parsed;
    }
    std::string device = *text;
    for (char& c : device) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    filter.device = std::move(device);
  }
  for (const auto& [name, field] :
       {std::pair{"from_us", &filter.from_us}, std::pair{"until_us", &filter.until_us}}) {
    if (const auto text = request.query_value(name); text && !text->empty()) {
      const auto value = parse_int(*text);
      if (!value || *value < 0) {
        parsed.problem = std::string(name) + " must be a time in microseconds since 1970.";
        return parsed;
      }
      *field = *value;
    }
  }
  for (const auto& [name, field] :
       {std::pair{"person", &filter.person_id}, std::pair{"group", &filter.group_id}}) {
    if (const auto text = request.query_value(name); text && !text->empty()) {
      const auto value = parse_int(*text);
      if (!value || *value <= 0) {
        parsed.problem = std::string(name) + " must be the id of a " + name + ".";
        return parsed;
      }
      *field = *value;
    }
  }
  if (const auto text = request.query_value("status"); text && !text->empty()) {
    if (!store::CaptureRepository::is_status(*text)) {
      parsed.problem = "status must be new, reviewed, false_positive or incident.";
      return parsed;
    }
    filter.status = *text;
  }
  return parsed;
}

std::optional<std::int64_t> capture_id_of(const ApiContext& context) {
  const auto found = context.path_params.find("id");
  if (found == context.path_params.end()) return std::nullopt;
  const auto id = parse_int(found->second);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

Response no_such_capture() {
  return Response::problem(404, "no_such_capture",
                           "There is no such capture. It may have been deleted when its "
                           "retention period ended.");
}

// Cuts at a UTF-8 character boundary at or before `at` (moving back over continuation
// bytes), so a context never starts or ends inside a character.
std::size_t char_boundary(std::string_view text, std::size_t at) {
  while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xc0) == 0x80) {
    --at;
  }
  return at;
}

// The text around the phrase, split so the page can mark the phrase itself.
nlohmann::json phrase_in_context(std::string_view text, std::string_view phrase) {
  const auto span = evidence::find_phrase(text, phrase);
  if (!span) {
    const std::size_t end = char_boundary(text, std::min(text.size(), 2 * kContextBytes));
    return {{"before", std::string(text.substr(0, end))},
            {"match", nullptr},
            {"after", ""},
            {"cut_before", false},
            {"cut_after", end < text.size()}};
  }
  const std::size_t from =
      char_boundary(text, span->begin > kContextBytes ? span->begin - kContextBytes : 0);
  const std::size_t to = char_boundary(text, std::min(text.size(), span->end + kContextBytes));
  return {{"before", std::string(text.substr(from, span->begin - from))},
          {"match", std::string(text.substr(span->begin, span->end - span->begin))},
          {"after", std::string(text.substr(span->end, to - span->end))},
          {"cut_before", from > 0},
          {"cut_after", to < text.size()}};
}

// Opens the capture's evidence with this session's key, after writing the audit entry
// (`action`, `detail`). The evidence, or the response to send instead.
struct Opened {
  std::optional<evidence::Evidence> evidence;
  std::optional<Response> refusal;
  std::shared_ptr<const crypto::SecretBytes> key;  // the session's, for names beside it
};

Opened open_audited(ApiContext& context, const evidence::Capture& capture, std::string_view action,
                    const std::string& detail) {
  const auto key = SessionKeys::instance().find(context.session_token);
  if (!key) {
    return {std::nullopt,
            Response::problem(403, "no_evidence_key",
                              "This session cannot open evidence. Sign out and sign in again "
                              "with your password."),
            nullptr};
  }
  // Audited before it is opened: if the entry cannot be written, nothing is shown.
  if (auto refusal = audit_before_showing(context, action, detail, "The evidence")) {
    return {std::nullopt, std::move(refusal), nullptr};
  }
  auto evidence = evidence::open_evidence(capture, *key);
  if (!evidence) {
    return {std::nullopt,
            Response::problem(409, "evidence_unreadable",
                              "The evidence of this capture does not open with your key. Its "
                              "record may have been changed on the disk."),
            nullptr};
  }
  return {std::move(evidence), std::nullopt, key};
}

// Who had the device when the capture was made, and the device's network (DHCP) name:
// both may name a pupil ("jsmith-ipad"), so only for roles that see names, opened with
// the session's key like the evidence beside them.
void add_names(store::Database& db, const evidence::Capture& capture,
               const crypto::SecretBytes& key, nlohmann::json& json) {
  store::DeviceRepository devices(db);
  if (const auto device = devices.find(capture.client_mac)) {
    if (const auto name = store::open_device_name(*device, key)) json["device"]["name"] = *name;
  }
  const auto assignment = devices.assignment_at(capture.client_mac, capture.ts_us);
  if (!assignment) return;
  if (assignment->person_id == 0) {
    json["person"] = {{"name", "Shared device: " + assignment->pool}, {"id", nullptr}};
    return;
  }
  nlohmann::json person = {{"id", assignment->person_id}, {"name", "(record unreadable)"}};
  if (const auto record = store::PeopleRepository(db).open_one(assignment->person_id, key)) {
    person["name"] = record->person.name;
    person["group"] = record->person.group;
  }
  nlohmann::json groups = nlohmann::json::array();
  store::GroupRepository group_repository(db);
  for (const std::int64_t group_id : group_repository.groups_of(assignment->person_id)) {
    if (const auto group = group_repository.find(group_id)) groups.push_back(group->name);
  }
  person["groups"] = std::move(groups);
  json["person"] = std::move(person);
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
  const ParsedFilter parsed = parse_filter(context.request);
  if (!parsed.problem.empty()) return Response::problem(400, "invalid_filter", parsed.problem);
  // Whose captures these are is about a named person: only for roles that see names.
  if ((parsed.filter.person_id || parsed.filter.group_id) &&
      !store::allows(context.user->role, store::Permission::see_people)) {
    return Response::problem(403, "forbidden",
                             "Your role cannot filter captures by person or group.");
  }

  store::CaptureRepository captures(context.db);
  // One extra row tells whether another page follows.
  auto rows = captures.list(parsed.filter, limit + 1, before);
  const bool more = rows.size() > limit;
  if (more) rows.resize(limit);
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  for (const auto& capture : rows) ids.push_back(capture.id);
  const auto reviews = store::CaptureReviews(context.db).of_each(ids);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& capture : rows) {
    const auto review = reviews.find(capture.id);
    list.push_back(capture_summary(
        capture, review == reviews.end() ? store::CaptureReview{} : review->second));
  }
  nlohmann::json next;
  if (more) next = std::to_string(rows.back().ts_us) + "." + std::to_string(rows.back().id);
  nlohmann::json categories = nlohmann::json::array();
  for (const library::KnownCategory& category : library::known_categories()) {
    categories.push_back({{"id", category.id}, {"title", category.title}});
  }
  return Response::json(200, {{"captures", std::move(list)},
                              {"next", std::move(next)},
                              {"categories", std::move(categories)}});
}

Response capture_detail(ApiContext& context) {
  const auto id = capture_id_of(context);
  if (!id) return no_such_capture();
  store::CaptureRepository captures(context.db);
  const auto capture = captures.find(*id);
  if (!capture) return no_such_capture();
  Opened opened =
      open_audited(context, *capture, "evidence_view", "capture " + std::to_string(*id));
  if (opened.refusal) return std::move(*opened.refusal);
  const evidence::Evidence& evidence = *opened.evidence;

  const auto review = store::CaptureReviews(context.db).of(*id).value_or(store::CaptureReview{});
  nlohmann::json json = capture_summary(*capture, review);
  json["review"] = review_json(review);
  json["text"] = evidence.text;
  json["context"] = phrase_in_context(evidence.text, capture->phrase);
  json["host"] = evidence.host;
  json["url"] = evidence.url.empty() ? nlohmann::json() : nlohmann::json(evidence.url);
  json["entry_kind"] = capture->entry_kind;
  json["library_version"] = capture->library_version;
  json["packets"] = evidence.packets.size();
  json["person"] = nullptr;
  if (store::allows(context.user->role, store::Permission::see_people) &&
      !capture->client_mac.empty()) {
    add_names(context.db, *capture, *opened.key, json);
  }

  // The device's captures before this one, newest first: a pattern is what matters.
  store::CaptureRepository::Filter same_device;
  same_device.device = capture->client_mac.empty() ? capture->client_ip : capture->client_mac;
  const auto earlier = captures.list(same_device, kEarlierShown,
                                     store::CaptureRepository::Cursor{capture->ts_us, capture->id});
  std::vector<std::int64_t> earlier_ids;
  for (const auto& row : earlier) earlier_ids.push_back(row.id);
  const auto earlier_reviews = store::CaptureReviews(context.db).of_each(earlier_ids);
  json["earlier"] = nlohmann::json::array();
  for (const auto& row : earlier) {
    const auto found = earlier_reviews.find(row.id);
    json["earlier"].push_back(capture_summary(
        row, found == earlier_reviews.end() ? store::CaptureReview{} : found->second));
  }

  const std::int64_t ids[] = {*id};
  json["incidents"] = nlohmann::json::array();
  for (const store::Incident& incident : store::IncidentRepository(context.db).linking(ids)) {
    json["incidents"].push_back(
        {{"id", incident.id}, {"open", incident.open}, {"opened", iso_time(incident.opened_us)}});
  }
  return Response::json(200, json);
}

Response capture_packets(ApiContext& context) {
  const auto id = capture_id_of(context);
  if (!id) return no_such_capture();
  const auto capture = store::CaptureRepository(context.db).find(*id);
  if (!capture) return no_such_capture();
  // A download takes the evidence off the box: audited as an export, like `admin export`.
  Opened opened = open_audited(context, *capture, "evidence_export",
                               "capture " + std::to_string(*id) + " packets (pcap)");
  if (opened.refusal) return std::move(*opened.refusal);
  if (opened.evidence->packets.empty()) {
    return Response::problem(404, "no_packets",
                             "The box did not keep the packets of this capture (it was stored "
                             "before packets were kept with the evidence).");
  }
  Response response;
  response.status = 200;
  response.content_type = "application/vnd.tcpdump.pcap";
  response.body = evidence::to_pcap(opened.evidence->packets);
  response.headers.emplace_back(
      "Content-Disposition", "attachment; filename=\"capture-" + std::to_string(*id) + ".pcap\"");
  return response;
}

Response review_capture(ApiContext& context) {
  const auto id = capture_id_of(context);
  if (!id) return no_such_capture();
  const auto body = context.json_body();
  const auto status = body ? string_field(*body, "status") : std::nullopt;
  if (!status || (*status != "reviewed" && *status != "false_positive")) {
    return Response::problem(400, "invalid_status",
                             "Say how the capture was found: status \"reviewed\" or "
                             "\"false_positive\".");
  }
  auto marked = store::CaptureReviews(context.db).mark(*id, *status, context.user->username);
  if (!marked) {
    return Response::problem(503, "audit_unavailable",
                             "The capture was not marked: " + marked.error());
  }
  if (!*marked) return no_such_capture();
  return Response::json(200, {{"review", review_json(**marked)}});
}

}  // namespace hm::web::api
