// People, devices and groups (issue 6 item 6). Names — of people and of devices, whose
// DHCP names often carry one — are sealed and open only with the signed-in session's
// key, for roles with see_people; each opening is audited first. Changes need
// manage_people (routes.cpp); the technician and the staff viewer have neither.
#include <algorithm>
#include <charconv>
#include <ctime>
#include <map>

#include <nlohmann/json.hpp>

#include "evidence/people_csv.h"
#include "library/categories.h"
#include "store/audit_log.h"
#include "store/device_repository.h"
#include "store/group_repository.h"
#include "store/key_store.h"
#include "store/people_repository.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"
#include "web/session_keys.h"

namespace hm::web::api {
namespace {

// The CSV comes inside a JSON body, so the request limit (64 KiB) bounds it: about 600
// pupils with a handful of columns. A bigger school exports only the columns it maps.
constexpr std::size_t kPreviewRows = 500;

std::optional<std::int64_t> positive_id(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::optional<std::int64_t> path_id(const ApiContext& context, const std::string& name) {
  const auto found = context.path_params.find(name);
  if (found == context.path_params.end()) return std::nullopt;
  return positive_id(found->second);
}

Response key_missing() {
  return Response::problem(409, "no_key",
                           "Your sign-in does not hold the key that opens names. Sign out and in "
                           "again.");
}

std::optional<Response> audit_view(ApiContext& context, const std::string& detail) {
  return audit_before_showing(context, "people_view", detail, "Names");
}

// Every person's name by id, opened with the session's key.
std::map<std::int64_t, evidence::Person> people_by_id(store::Database& db,
                                                      const crypto::SecretBytes& key) {
  std::map<std::int64_t, evidence::Person> people;
  for (auto& record : store::PeopleRepository(db).open_all(key).people) {
    people.emplace(record.id, std::move(record.person));
  }
  return people;
}

nlohmann::json assignment_json(const store::Assignment& assignment,
                               const std::map<std::int64_t, evidence::Person>& people,
                               const std::map<std::int64_t, std::string>& group_names) {
  nlohmann::json json = {
      {"id", assignment.id},
      {"mac", assignment.mac},
      {"from", iso_time(assignment.from_us)},
      {"until",
       assignment.until_us == 0 ? nlohmann::json() : nlohmann::json(iso_time(assignment.until_us))},
      {"assigned_by", assignment.assigned_by}};
  if (assignment.person_id != 0) {
    const auto person = people.find(assignment.person_id);
    json["person"] = {
        {"id", assignment.person_id},
        {"name", person == people.end() ? nlohmann::json() : nlohmann::json(person->second.name)},
        {"staff", person != people.end() && person->second.staff}};
  } else {
    json["person"] = nullptr;
  }
  json["pool"] = assignment.pool.empty() ? nlohmann::json() : nlohmann::json(assignment.pool);
  const auto group = group_names.find(assignment.group_id);
  json["group"] = group == group_names.end()
                      ? nlohmann::json()
                      : nlohmann::json{{"id", group->first}, {"name", group->second}};
  return json;
}

std::map<std::int64_t, std::string> group_names(store::Database& db) {
  std::map<std::int64_t, std::string> names;
  for (const auto& group : store::GroupRepository(db).list()) names.emplace(group.id, group.name);
  return names;
}

// Column mapping from the body: {"name": 0, "year_group": 3, "devices": [4, 5] …}.
// nullopt (and `error` set) when it is not one; no "columns": guess from the header.
std::optional<evidence::PeopleColumns> columns_of(const nlohmann::json& body, std::string& error,
                                                  bool& given) {
  given = false;
  const auto found = body.find("columns");
  if (found == body.end() || found->is_null()) return evidence::PeopleColumns{};
  given = true;
  if (!found->is_object()) {
    error = "columns must map each field to a column number.";
    return std::nullopt;
  }
  evidence::PeopleColumns columns;
  const std::map<std::string, std::optional<std::size_t>*> fields = {
      {"name", &columns.name},   {"first_name", &columns.first},      {"last_name", &columns.last},
      {"class", &columns.group}, {"year_group", &columns.year_group}, {"upn", &columns.upn},
      {"role", &columns.role}};
  for (const auto& [key, value] : found->items()) {
    if (value.is_null()) continue;
    if (key == "devices") {
      if (!value.is_array()) {
        error = "devices must be a list of column numbers.";
        return std::nullopt;
      }
      for (const auto& column : value) {
        if (!column.is_number_unsigned() || column.get<std::size_t>() >= 256) {
          error = "devices must be a list of column numbers.";
          return std::nullopt;
        }
        columns.devices.push_back(column.get<std::size_t>());
      }
      continue;
    }
    const auto field = fields.find(key);
    if (field == fields.end() || !value.is_number_unsigned() || value.get<std::size_t>() >= 256) {
      error = "\"" + key.substr(0, 40) + "\" is not a field that can be mapped to a column.";
      return std::nullopt;
    }
    *field->second = value.get<std::size_t>();
  }
  return columns;
}

nlohmann::json columns_json(const evidence::PeopleColumns& columns) {
  auto column = [](const std::optional<std::size_t>& index) {
    return index ? nlohmann::json(*index) : nlohmann::json();
  };
  return {{"name", column(columns.name)},
          {"first_name", column(columns.first)},
          {"last_name", column(columns.last)},
          {"class", column(columns.group)},
          {"year_group", column(columns.year_group)},
          {"upn", column(columns.upn)},
          {"role", column(columns.role)},
          {"devices", columns.devices}};
}

nlohmann::json person_json(const evidence::Person& person) {
  return {{"name", person.name},
          {"upn", person.upn},
          {"year_group", person.year_group},
          {"class", person.group == person.year_group ? std::string() : person.group},
          {"staff", person.staff},
          {"devices", person.devices}};
}

// The CSV of a preview or import request, read with its mapping; or the response that
// says why not.
struct ReadCsv {
  std::optional<evidence::PeopleCsvPreview> preview;
  std::optional<Response> problem;
};

ReadCsv read_csv(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return {std::nullopt, Response::problem(400, "invalid", "Send the file as JSON.")};
  const auto csv = string_field(*body, "csv");
  if (!csv || csv->empty()) {
    return {std::nullopt, Response::problem(400, "invalid",
                                            "Choose the CSV file exported from your school's "
                                            "information system.")};
  }
  std::string error;
  bool given = false;
  auto columns = columns_of(*body, error, given);
  if (!columns) return {std::nullopt, Response::problem(400, "invalid_columns", error)};
  auto preview = evidence::preview_people_csv(
      *csv, given ? columns : std::optional<evidence::PeopleColumns>());
  if (!preview) {
    std::string message = preview.error();
    if (!message.empty()) message[0] = static_cast<char>(std::toupper(message[0]));
    return {std::nullopt,
            Response::problem(400, "unreadable_csv", "The file cannot be read: " + message + ".")};
  }
  return {std::move(*preview), std::nullopt};
}

}  // namespace

Response list_people(ApiContext& context) {
  const auto key = SessionKeys::instance().find(context.session_token);
  if (!key) return key_missing();
  store::PeopleRepository repository(context.db);
  if (auto refused =
          audit_view(context, "people list (" + std::to_string(repository.count()) + " records)")) {
    return *refused;
  }
  const auto opened = repository.open_all(*key);
  store::GroupRepository groups(context.db);
  store::DeviceRepository devices(context.db);
  const store::TimeUs now = store::now_us();
  std::map<std::int64_t, std::vector<std::string>> devices_of;
  for (const auto& assignment : devices.current_assignments(now)) {
    if (assignment.person_id != 0) devices_of[assignment.person_id].push_back(assignment.mac);
  }
  nlohmann::json people = nlohmann::json::array();
  for (const auto& record : opened.people) {
    nlohmann::json json = person_json(record.person);
    json["id"] = record.id;
    json["groups"] = groups.groups_of(record.id);
    json["assigned_devices"] = devices_of[record.id];
    people.push_back(std::move(json));
  }
  std::sort(people.begin(), people.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["name"].get<std::string>() < b["name"].get<std::string>();
  });
  return Response::json(200, {{"people", std::move(people)}, {"unreadable", opened.unreadable}});
}

Response preview_people_import(ApiContext& context) {
  auto read = read_csv(context);
  if (read.problem) return *read.problem;
  const auto& preview = *read.preview;
  nlohmann::json rows = nlohmann::json::array();
  std::size_t valid = 0;
  for (const auto& row : preview.rows) {
    if (row.person) ++valid;
    if (rows.size() >= kPreviewRows) continue;
    nlohmann::json json = {{"line", row.line}};
    if (row.person) {
      json["person"] = person_json(*row.person);
      json["error"] = nullptr;
    } else {
      json["person"] = nullptr;
      json["error"] = row.error;
    }
    rows.push_back(std::move(json));
  }
  return Response::json(200, {{"header", preview.header},
                              {"columns", columns_json(preview.columns)},
                              {"rows", std::move(rows)},
                              {"valid", valid},
                              {"invalid", preview.rows.size() - valid}});
}

Response import_people(ApiContext& context) {
  const auto key = SessionKeys::instance().find(context.session_token);
  if (!key) return key_missing();
  auto read = read_csv(context);
  if (read.problem) return *read.problem;
  std::vector<evidence::Person> people;
  nlohmann::json skipped = nlohmann::json::array();
  for (auto& row : read.preview->rows) {
    if (row.person) {
      people.push_back(std::move(*row.person));
    } else {
      skipped.push_back({{"line", row.line}, {"error", row.error}});
    }
  }
  if (people.empty()) {
    return Response::problem(400, "nothing_to_import",
                             "No row of the file can be imported; see the preview for why.");
  }
  const auto public_key = store::KeyStore(context.db).public_key();
  if (!public_key) return Response::problem(503, "no_key", "The box has no evidence key yet.");
  auto merged =
      store::PeopleRepository(context.db).merge(people, *public_key, *key, context.user->username);
  if (!merged) return not_saved(merged.error());
  return Response::json(200, {{"added", merged->added},
                              {"updated", merged->updated},
                              {"kept", merged->kept},
                              {"skipped", std::move(skipped)}});
}

Response list_devices(ApiContext& context) {
  const auto key = SessionKeys::instance().find(context.session_token);
  if (!key) return key_missing();
  store::DeviceRepository repository(context.db);
  const auto devices = repository.list();
  if (auto refused = audit_view(context, "device list (" + std::to_string(devices.size()) +
                                             " devices, names and who has them)")) {
    return *refused;
  }
  const auto people = people_by_id(context.db, *key);
  const auto groups = group_names(context.db);
  std::map<std::string, store::Assignment> current;
  for (auto& assignment : repository.current_assignments()) {
    current.emplace(assignment.mac, std::move(assignment));
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& device : devices) {
    const auto name = store::open_device_name(device, *key);
    const auto holder = current.find(device.mac);
    list.push_back({{"mac", device.mac},
                    {"name", name ? nlohmann::json(*name) : nlohmann::json()},
                    {"first_seen", iso_time(device.first_seen_us)},
                    {"last_seen", iso_time(device.last_seen_us)},
                    {"assignment", holder == current.end()
                                       ? nlohmann::json()
                                       : assignment_json(holder->second, people, groups)}});
  }
  return Response::json(200, {{"devices", std::move(list)}});
}

// Who had the device at ?at_us= (microseconds since 1970; default now): for a
// capture's page, "the device and person at that time".
Response device_holder(ApiContext& context) {
  const auto key = SessionKeys::instance().find(context.session_token);
  if (!key) return key_missing();
  const std::string mac = context.path_params["mac"];
  store::TimeUs at = store::now_us();
  if (const auto text = context.request.query_value("at_us")) {
    const auto parsed = positive_id(*text);
    if (!parsed)
      return Response::problem(400, "invalid_time", "at_us must be a time in microseconds.");
    at = *parsed;
  }
  store::DeviceRepository devices(context.db);
  const auto assignment = devices.assignment_at(mac, at);
  if (!assignment) return Response::json(200, {{"mac", mac}, {"assignment", nullptr}});
  if (auto refused = audit_view(context, "who had device " + mac)) return *refused;
  return Response::json(200,
                        {{"mac", mac},
                         {"assignment", assignment_json(*assignment, people_by_id(context.db, *key),
                                                        group_names(context.db))}});
}

Response assign_device(ApiContext& context) {
  const std::string mac = context.path_params["mac"];
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the assignment as a JSON object.");
  const auto person = body->find("person_id");
  std::int64_t person_id = 0;
  if (person != body->end() && !person->is_null()) {
    if (!person->is_number_integer() || person->get<std::int64_t>() <= 0) {
      return Response::problem(400, "invalid", "person_id must be a person's id.");
    }
    person_id = person->get<std::int64_t>();
  }
  const std::string pool = string_field(*body, "pool").value_or("");
  std::int64_t group_id = 0;
  if (const auto group = body->find("group_id"); group != body->end() && !group->is_null()) {
    if (!group->is_number_integer() || group->get<std::int64_t>() <= 0) {
      return Response::problem(400, "invalid", "group_id must be a group's id.");
    }
    group_id = group->get<std::int64_t>();
  }
  store::TimeUs from = store::now_us();
  if (const auto given = body->find("from_us"); given != body->end() && !given->is_null()) {
    if (!given->is_number_integer() || given->get<std::int64_t>() <= 0) {
      return Response::problem(400, "invalid", "from_us must be a time in microseconds.");
    }
    from = given->get<std::int64_t>();
  }
  auto id = store::DeviceRepository(context.db)
                .assign(mac, person_id, pool, group_id, from, context.user->username);
  if (!id) return not_saved(id.error());
  return Response::json(200, {{"id", *id}, {"mac", mac}});
}

Response unassign_device(ApiContext& context) {
  const std::string mac = context.path_params["mac"];
  if (auto ended = store::DeviceRepository(context.db)
                       .unassign(mac, store::now_us(), context.user->username);
      !ended) {
    return not_saved(ended.error());
  }
  return Response::json(200, {{"mac", mac}});
}

Response list_groups(ApiContext& context) {
  store::GroupRepository groups(context.db);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& group : groups.list()) {
    nlohmann::json profile = nlohmann::json::object();
    for (const auto& [category, severity] : groups.profile(group.id)) {
      profile[category] =
          severity == store::kNeverAlert ? nlohmann::json("never") : nlohmann::json(severity);
    }
    list.push_back({{"id", group.id},
                    {"name", group.name},
                    {"kind", store::to_string(group.kind)},
                    {"members", group.members},
                    {"member_ids", groups.members(group.id)},
                    {"profile", std::move(profile)}});
  }
  nlohmann::json categories = nlohmann::json::array();
  for (const auto& category : library::known_categories()) {
    categories.push_back({{"id", category.id}, {"title", category.title}});
  }
  return Response::json(200, {{"groups", std::move(list)}, {"categories", std::move(categories)}});
}

Response create_group(ApiContext& context) {
  const auto body = context.json_body();
  const auto name = body ? string_field(*body, "name") : std::nullopt;
  const auto kind_text = body ? string_field(*body, "kind") : std::nullopt;
  const auto kind = kind_text ? store::group_kind_from_string(*kind_text) : std::nullopt;
  if (!name || !kind) {
    return Response::problem(400, "invalid",
                             "Give the group a name and a kind: year, class, staff, vulnerable "
                             "or custom.");
  }
  auto id = store::GroupRepository(context.db).create(*name, *kind, context.user->username);
  if (!id) return not_saved(id.error());
  return Response::json(201, {{"id", *id}});
}

Response delete_group(ApiContext& context) {
  const auto id = path_id(context, "id");
  if (!id) return Response::problem(404, "not_found", "There is no such group.");
  store::GroupRepository groups(context.db);
  if (!groups.find(*id)) return Response::problem(404, "not_found", "There is no such group.");
  if (auto removed = groups.remove(*id, context.user->username); !removed) {
    return not_saved(removed.error());
  }
  return Response::json(200, {{"id", *id}});
}

// {"profile": {"suicide": 1, "gambling": "never"}}: categories left out follow the
// box's default.
Response set_group_profile(ApiContext& context) {
  const auto id = path_id(context, "id");
  if (!id) return Response::problem(404, "not_found", "There is no such group.");
  const auto body = context.json_body();
  const auto profile = body ? body->find("profile") : nlohmann::json::const_iterator();
  if (!body || profile == body->end() || !profile->is_object()) {
    return Response::problem(400, "invalid",
                             "Send the profile: for each category, the lowest severity (1 to 5) "
                             "that raises an alert, or \"never\".");
  }
  std::map<std::string, int> thresholds;
  for (const auto& [category, value] : profile->items()) {
    const auto* known = library::find_known_category(category);
    if (known == nullptr) {
      return Response::problem(400, "invalid",
                               "There is no category called \"" + category.substr(0, 40) + "\".");
    }
    if (value.is_string() && value.get<std::string>() == "never") {
      thresholds[category] = store::kNeverAlert;
    } else if (value.is_number_integer() && value.get<std::int64_t>() >= 1 &&
               value.get<std::int64_t>() <= 5) {
      thresholds[category] = static_cast<int>(value.get<std::int64_t>());
    } else {
      return Response::problem(
          400, "invalid", std::string(known->title) + ": choose a severity from 1 to 5, or never.");
    }
  }
  store::GroupRepository groups(context.db);
  if (!groups.find(*id)) return Response::problem(404, "not_found", "There is no such group.");
  if (auto set = groups.set_profile(*id, thresholds, context.user->username); !set) {
    return not_saved(set.error());
  }
  return Response::json(200, {{"id", *id}});
}

Response add_group_member(ApiContext& context) {
  const auto id = path_id(context, "id");
  const auto person = path_id(context, "person_id");
  if (!id || !person)
    return Response::problem(404, "not_found", "There is no such group or person.");
  if (auto set = store::GroupRepository(context.db)
                     .set_membership(*id, *person, true, context.user->username);
      !set) {
    return not_saved(set.error());
  }
  return Response::json(200, {{"id", *id}, {"person_id", *person}});
}

Response remove_group_member(ApiContext& context) {
  const auto id = path_id(context, "id");
  const auto person = path_id(context, "person_id");
  if (!id || !person)
    return Response::problem(404, "not_found", "There is no such group or person.");
  if (auto set = store::GroupRepository(context.db)
                     .set_membership(*id, *person, false, context.user->username);
      !set) {
    return not_saved(set.error());
  }
  return Response::json(200, {{"id", *id}, {"person_id", *person}});
}

}  // namespace hm::web::api
