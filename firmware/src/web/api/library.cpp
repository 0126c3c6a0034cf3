#include <ctime>
#include <mutex>

#include <nlohmann/json.hpp>

#include "library/bundle.h"
#include "library/bundle_store.h"
#include "library/categories.h"
#include "library/school_entries.h"
#include "library/source_format.h"
#include "match/normalise.h"
#include "store/audit_log.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"

namespace hm::web::api {
namespace {

// "Test a phrase" takes a search, a message or an address, not a page.
constexpr std::size_t kMaxTestTextBytes = 4096;
constexpr std::size_t kHistoryShown = 50;

// Who may change the school's own words and install updates (the routes need it too;
// the overview tells the page whether to offer the forms).
bool may_edit_library(const store::User& user) {
  return store::allows(user.role, store::Permission::edit_library);
}

// The base library (the active bundle, or the starter library when none is active or
// the active one cannot be used, as the daemon does), compiled once per edition and
// shared by requests.
struct Libraries {
  std::optional<library::ActiveBundle> active;
  std::string problem;  // why the active bundle is not used, if it is not
  std::shared_ptr<const match::CompiledLibrary> base;
};

Result<std::shared_ptr<const match::CompiledLibrary>> starter_library() {
  static std::mutex mutex;
  static std::shared_ptr<const match::CompiledLibrary> compiled;
  std::lock_guard lock(mutex);
  if (compiled) return compiled;
  auto source = library::load_source_dir(library::default_source_dir());
  if (!source) return Error{source.error()};
  auto built = match::CompiledLibrary::compile(std::move(*source));
  if (!built) return Error{built.error()};
  compiled = *built;
  return compiled;
}

Result<Libraries> current_libraries(const std::filesystem::path& data_dir) {
  static std::mutex mutex;
  static std::string cached_key;
  static Libraries cached;
  Libraries now;
  auto active = library::read_active(data_dir);
  if (active) now.active = *active;
  const std::string key =
      data_dir.string() + "|" + (now.active ? std::to_string(now.active->version) : "none");
  std::lock_guard lock(mutex);
  if (key == cached_key && cached.base) return cached;
  if (!active) {
    now.problem = active.error();
  } else if (now.active) {
    auto loaded = library::load_active_library(data_dir);
    if (loaded && *loaded) {
      now.base = *loaded;
    } else {
      now.problem = loaded ? "the active bundle is missing" : loaded.error();
    }
  }
  if (!now.base) {
    auto starter = starter_library();
    if (!starter) return Error{starter.error()};
    now.base = *starter;
  }
  cached_key = key;
  cached = now;
  return now;
}

// The base with the school's entries, as the daemon matches with, compiled when first
// tested after a change (compiling takes seconds: adding a word should not wait for it).
Result<std::shared_ptr<const match::CompiledLibrary>> combined_library(
    const std::filesystem::path& data_dir, const Libraries& libraries) {
  static std::mutex mutex;
  static std::string cached_key;
  static std::shared_ptr<const match::CompiledLibrary> cached;
  const std::string key = data_dir.string() + "|" + libraries.base->library().version + "|" +
                          library::school_entries_state(data_dir);
  std::lock_guard lock(mutex);
  if (key == cached_key && cached) return cached;
  auto combined = library::compile_with_school_entries(libraries.base, data_dir);
  if (!combined) return Error{combined.error()};
  cached_key = key;
  cached = *combined;
  return cached;
}

nlohmann::json entry_json(const match::Entry& entry) {
  return {{"category", entry.category},
          {"pattern", entry.pattern},
          {"kind", match::to_string(entry.kind)},
          {"severity", entry.severity},
          {"language", entry.language},
          {"note", entry.note},
          {"source", entry.source},
          {"school", entry.source.starts_with("school/")}};
}

nlohmann::json active_json(const Libraries& libraries, const std::filesystem::path& data_dir) {
  const match::Library& base = libraries.base->library();
  nlohmann::json categories = nlohmann::json::array();
  for (const match::Category& category : base.categories) {
    std::size_t count = 0;
    for (const match::Entry& entry : base.entries) count += entry.category == category.id;
    categories.push_back({{"id", category.id}, {"title", category.title}, {"entries", count}});
  }
  nlohmann::json json = {
      {"source", "starter"},
      {"version", nullptr},
      {"library_version", base.version},
      {"publisher", nullptr},
      {"created", nullptr},
      {"entries", base.entries.size()},
      {"categories", std::move(categories)},
      {"problem",
       libraries.problem.empty() ? nlohmann::json() : nlohmann::json(libraries.problem)}};
  if (libraries.active && libraries.problem.empty()) {
    json["source"] = "bundle";
    json["version"] = libraries.active->version;
    // Already verified when it was loaded: only the manifest is read here.
    std::vector<std::uint8_t> bytes;
    library::Bundle bundle;
    if (!library::read_bundle_file(library::bundle_path(data_dir, libraries.active->version),
                                   bytes) &&
        !library::parse_bundle(bytes, bundle)) {
      json["publisher"] = bundle.manifest.publisher;
      json["created"] = iso_time_of_seconds(bundle.manifest.created_unix);
    }
  }
  return json;
}

std::optional<match::TextForm> form_of(std::string_view asked, std::string_view text) {
  if (asked == "text") return match::TextForm::plain;
  if (asked == "url") return match::TextForm::url;
  if (asked == "host") return match::TextForm::host_name;
  if (asked != "auto" && !asked.empty()) return std::nullopt;
  // auto: an address if it says so, a site name if it is only one, words otherwise.
  if (text.find("://") != std::string_view::npos || text.starts_with("/")) {
    return match::TextForm::url;
  }
  const bool one_token = text.find_first_of(" \t\r\n") == std::string_view::npos;
  if (one_token && text.find('.') != std::string_view::npos) {
    if (text.find('/') != std::string_view::npos) return match::TextForm::url;
    const bool host_chars =
        text.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
        std::string_view::npos;
    if (host_chars) return match::TextForm::host_name;
  }
  return match::TextForm::plain;
}

std::string_view form_name(match::TextForm form) {
  switch (form) {
    case match::TextForm::host_name: return "host";
    case match::TextForm::url: return "url";
    case match::TextForm::plain: return "text";
  }
  return "text";
}

// The file name the browser gave, as the history shows it: the last path part,
// printable ASCII only, at most 80 bytes.
std::string upload_name(const std::optional<std::string>& given) {
  std::string name;
  const std::string raw = given.value_or("uploaded.hmlib");
  for (const char c :
       raw.substr(raw.find_last_of("/\\") == std::string::npos ? 0 : raw.find_last_of("/\\") + 1)) {
    if (c >= 0x20 && c < 0x7f && name.size() < 80) name.push_back(c);
  }
  return name.empty() ? "uploaded.hmlib" : name;
}

}  // namespace

Response library_overview(ApiContext& context) {
  auto libraries = current_libraries(context.data_dir);
  if (!libraries) {
    return Response::problem(503, "library_unavailable",
                             "The box cannot read its library just now: " + libraries.error());
  }
  nlohmann::json history = nlohmann::json::array();
  if (auto events = library::read_history(context.data_dir)) {
    for (auto it = events->rbegin(); it != events->rend() && history.size() < kHistoryShown; ++it) {
      history.push_back({{"time", iso_time_of_seconds(it->time_unix)},
                         {"action", it->action},
                         {"version", it->version},
                         {"previous", it->previous},
                         {"publisher", it->publisher},
                         {"reason", it->reason},
                         {"detail", it->detail}});
    }
  }
  nlohmann::json school = {{"entries", nlohmann::json::array()}, {"problem", nullptr}};
  if (auto entries = library::list_school_entries(context.data_dir)) {
    for (const match::Entry& entry : *entries) school["entries"].push_back(entry_json(entry));
  } else {
    school["problem"] = entries.error();
  }
  nlohmann::json categories = nlohmann::json::array();
  for (const library::KnownCategory& category : library::known_categories()) {
    categories.push_back({{"id", category.id}, {"title", category.title}});
  }
  return Response::json(200, {{"active", active_json(*libraries, context.data_dir)},
                              {"history", std::move(history)},
                              {"school", std::move(school)},
                              {"categories", std::move(categories)},
                              {"can_edit", may_edit_library(*context.user)}});
}

Response add_school_entry(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the entry as a JSON object.");
  library::NewSchoolEntry entry;
  const auto category = string_field(*body, "category");
  const auto pattern = string_field(*body, "pattern");
  const auto kind = string_field(*body, "kind");
  const auto language = string_field(*body, "language");
  const auto severity = body->find("severity");
  if (!category || !pattern || !kind || !language || severity == body->end() ||
      !severity->is_number_integer()) {
    return Response::problem(400, "invalid",
                             "An entry needs a category, a pattern, a kind, a severity (1 to 5) "
                             "and a language.");
  }
  entry.category = *category;
  entry.pattern = *pattern;
  entry.kind = *kind;
  entry.language = *language;
  entry.note = string_field(*body, "note").value_or("");
  const auto level = severity->get<std::int64_t>();
  if (level < 1 || level > 5) {
    return Response::problem(400, "invalid_entry", "The severity must be 1 to 5.");
  }
  entry.severity = static_cast<int>(level);

  auto libraries = current_libraries(context.data_dir);
  if (!libraries) {
    return Response::problem(503, "library_unavailable",
                             "The box cannot read its library just now: " + libraries.error());
  }
  auto added = library::add_school_entry(context.data_dir, libraries->base->library(), entry);
  if (!added) return Response::problem(400, "invalid_entry", added.error());
  const std::string detail = "school entry added to " + added->category + ": \"" + added->pattern +
                             "\" (" + std::string(match::to_string(added->kind)) + ", severity " +
                             std::to_string(added->severity) + ", " + added->language + ")";
  if (auto audited =
          store::AuditLog(context.db).append(context.user->username, "library_change", detail);
      !audited) {
    // No audit entry, no change: take it out again.
    (void)library::remove_school_entry(context.data_dir, added->category, added->pattern,
                                       std::string(match::to_string(added->kind)));
    return Response::problem(503, "audit_unavailable",
                             "The entry was not added because the audit log cannot be written "
                             "just now: " +
                                 audited.error());
  }
  return Response::json(201, {{"entry", entry_json(*added)}});
}

Response remove_school_entry(ApiContext& context) {
  const auto body = context.json_body();
  const auto category = body ? string_field(*body, "category") : std::nullopt;
  const auto pattern = body ? string_field(*body, "pattern") : std::nullopt;
  if (!category || !pattern) {
    return Response::problem(400, "invalid",
                             "Say which entry to remove: its category and pattern.");
  }
  const std::string kind = string_field(*body, "kind").value_or("");
  // The audit entry and the removal stand or fall together.
  if (auto begun = context.db.exec("BEGIN IMMEDIATE"); !begun) {
    return Response::problem(503, "audit_unavailable",
                             "The audit log cannot be written just now: " + begun.error());
  }
  const std::string detail = "school entry removed from " + *category + ": \"" + *pattern + "\"";
  if (auto audited =
          store::AuditLog(context.db).append(context.user->username, "library_change", detail);
      !audited) {
    (void)context.db.exec("ROLLBACK");
    return Response::problem(503, "audit_unavailable",
                             "The entry was not removed because the audit log cannot be written "
                             "just now: " +
                                 audited.error());
  }
  auto removed = library::remove_school_entry(context.data_dir, *category, *pattern, kind);
  if (!removed) {
    (void)context.db.exec("ROLLBACK");
    return Response::problem(404, "no_such_entry", removed.error());
  }
  if (auto committed = context.db.exec("COMMIT"); !committed) {
    return Response::problem(500, "audit_unavailable", committed.error());
  }
  return Response::json(200, {{"removed", entry_json(*removed)}});
}

// "Upload a bundle": the same checks and history as `library import` and the USB
// stick; the running pipeline picks the new bundle up within seconds.
Response upload_library_bundle(ApiContext& context) {
  if (context.request.body.empty()) {
    return Response::problem(400, "invalid", "Choose a library bundle file (.hmlib) to upload.");
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(context.request.body.data());
  const library::ImportOutcome outcome =
      library::import_bundle_bytes(context.data_dir, {bytes, context.request.body.size()},
                                   upload_name(context.request.query_value("name")),
                                   static_cast<std::int64_t>(std::time(nullptr)));
  // The bundle is in use either way now; an audit failure is reported, not undone
  // (the history file has the event too).
  const auto audited =
      store::AuditLog(context.db)
          .append(context.user->username, "library_change", library::audit_detail(outcome));
  if (outcome.problem && outcome.problem->reason == library::Rejection::not_newer) {
    return Response::problem(422, "bundle_rejected",
                             "The library was not changed: edition " +
                                 std::to_string(outcome.event.previous) +
                                 " is already in use, and this file holds edition " +
                                 std::to_string(outcome.event.version) +
                                 ". Only a newer edition from the publisher can replace it.");
  }
  if (outcome.problem) {
    return Response::problem(422, "bundle_rejected",
                             "The library was not changed: this bundle was refused (" +
                                 std::string(library::to_string(outcome.problem->reason)) + "). " +
                                 outcome.problem->message);
  }
  const library::LibraryEvent& event = outcome.event;
  nlohmann::json body = {{"version", event.version},
                         {"publisher", event.publisher},
                         {"signer", event.signer},
                         {"previous", event.previous},
                         {"audited", static_cast<bool>(audited)}};
  return Response::json(201, body);
}

Response test_library(ApiContext& context) {
  const auto body = context.json_body();
  const auto text = body ? string_field(*body, "text") : std::nullopt;
  if (!text || text->empty()) {
    return Response::problem(400, "invalid", "Type a word, phrase or web address to test.");
  }
  if (text->size() > kMaxTestTextBytes) {
    return Response::problem(
        400, "too_long",
        "Test at most " + std::to_string(kMaxTestTextBytes) + " characters at a time.");
  }
  const auto form = form_of(string_field(*body, "form").value_or("auto"), *text);
  if (!form) {
    return Response::problem(400, "invalid_form", "form must be auto, text, url or host.");
  }
  auto libraries = current_libraries(context.data_dir);
  if (!libraries) {
    return Response::problem(503, "library_unavailable",
                             "The box cannot read its library just now: " + libraries.error());
  }
  auto combined = combined_library(context.data_dir, *libraries);
  if (!combined) {
    return Response::problem(503, "library_unavailable",
                             "The school's own words cannot be used just now: " + combined.error());
  }
  match::Scanner scanner(*combined);
  match::ScanReport report;
  scanner.scan_report(*text, *form, report);
  const match::Library& library = (*combined)->library();
  nlohmann::json hits = nlohmann::json::array();
  for (const match::Hit& hit : report.hits)
    hits.push_back(entry_json(library.entries[hit.entry_index]));
  nlohmann::json suppressed = nlohmann::json::array();
  for (const match::Suppressed& item : report.suppressed) {
    nlohmann::json json = entry_json(library.entries[item.entry_index]);
    json["exception"] = entry_json(library.entries[item.exception_index]);
    suppressed.push_back(std::move(json));
  }
  const match::NormaliseRules rules =
      *form == match::TextForm::host_name ? match::kExactRules : match::kAllRules;
  return Response::json(200, {{"form", form_name(*form)},
                              {"normalised", match::normalise(*text, *form, rules)},
                              {"library_version", library.version},
                              {"hits", std::move(hits)},
                              {"suppressed", std::move(suppressed)}});
}

}  // namespace hm::web::api
