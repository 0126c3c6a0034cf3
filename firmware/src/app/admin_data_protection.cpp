#include "app/admin_data_protection.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "evidence/people_csv.h"
#include "evidence/report_html.h"
#include "store/audit_log.h"
#include "store/capture_repository.h"
#include "store/incident_repository.h"
#include "store/key_store.h"
#include "store/people_records.h"
#include "store/people_repository.h"

namespace hm::app {
namespace {

// Who a change made from the console is recorded as: --username when given (no
// password is asked for changes that open nothing), else "console".
std::string console_actor(const AdminOptions& options) {
  return options.username.empty() ? std::string("console") : options.username.substr(0, 64);
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// The incident for a report, its sealed title opened with the key.
evidence::ReportIncident report_incident(const store::Incident& incident,
                                         const crypto::SecretBytes& key) {
  return {incident.id,
          store::open_title(incident, key).value_or("(the title does not open with this key)"),
          incident.open,
          incident.opened_us,
          incident.opened_by,
          incident.closed_us,
          incident.closed_by};
}

// Writes the report next to its final name and renames it, so a half-written file is
// never left under that name; owner-only, as it holds opened evidence.
Status write_report(const std::filesystem::path& out, const std::string& html) {
  const std::filesystem::path partial = out.string() + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) return error("cannot write " + partial.string());
    std::filesystem::permissions(
        partial, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    file << html;
    if (!file.flush()) return error("cannot write " + partial.string() + " (is the disk full?)");
  }
  std::error_code failed;
  std::filesystem::rename(partial, out, failed);
  if (failed) return error("cannot write " + out.string() + ": " + failed.message());
  return Ok{};
}

int fail(std::string_view command, std::string_view message, int code = 1) {
  std::cerr << "hallmonitor admin " << command << ": " << message << '\n';
  return code;
}

int incident_export(store::Database& db, const AdminOptions& options, std::int64_t id) {
  if (options.out.empty()) return fail("incident export", "--out FILE.html is required", 2);
  store::IncidentRepository incidents(db);
  const auto incident = incidents.find(id);
  if (!incident) return fail("incident export", "there is no incident " + std::to_string(id));
  std::string actor;
  auto key = unlock(db, options, actor);
  if (!key) return fail("incident export", key.error());

  evidence::IncidentReport report;
  report.incident = report_incident(*incident, *key);
  store::CaptureRepository captures(db);
  for (const std::int64_t capture_id : incidents.capture_ids(id)) {
    auto capture = captures.find(capture_id);
    if (!capture) {
      report.deleted_captures.push_back(capture_id);
      continue;
    }
    evidence::ReportCapture item{std::move(*capture), false};
    if (auto opened = evidence::open_evidence(item.capture, *key)) {
      item.capture.evidence = std::move(*opened);
      item.opened = true;
    }
    report.captures.push_back(std::move(item));
  }
  std::sort(report.captures.begin(), report.captures.end(), [](const auto& a, const auto& b) {
    return std::pair(a.capture.ts_us, a.capture.id) < std::pair(b.capture.ts_us, b.capture.id);
  });
  for (const auto& note : incidents.notes(id)) {
    auto text = store::open_note(note, *key);
    report.notes.push_back({note.ts_us, note.author, text.value_or(""), text.has_value()});
  }
  report.exported_by = actor;
  report.exported_us = store::now_us();
  // Audited before the file is written: no record, no evidence.
  if (auto audited = store::AuditLog(db).append(
          actor, "incident_export",
          "incident " + std::to_string(id) +
              " exported: " + std::to_string(report.captures.size()) + " captures, " +
              std::to_string(report.notes.size()) + " notes",
          report.exported_us);
      !audited) {
    return fail("incident export", audited.error());
  }
  if (auto written = write_report(options.out, evidence::render_incident_html(report)); !written) {
    return fail("incident export", written.error());
  }
  std::cout << "Incident " << id << " written to " << options.out.string() << " ("
            << report.captures.size() << " captures, " << report.notes.size()
            << " notes). It holds opened evidence: file it in the safeguarding record, then "
               "delete this copy.\n";
  return 0;
}

// Titles are sealed: shown only when a key was given (`titles` holds them, in order).
void print_incidents(const std::vector<store::Incident>& incidents,
                     const std::optional<std::vector<std::string>>& titles, bool json) {
  const auto title_of = [&](std::size_t index) -> nlohmann::json {
    if (titles) return (*titles)[index];
    return nullptr;
  };
  if (json) {
    auto list = nlohmann::json::array();
    for (std::size_t i = 0; i < incidents.size(); ++i) {
      const auto& incident = incidents[i];
      list.push_back(
          {{"id", incident.id},
           {"title", title_of(i)},
           {"status", incident.open ? "open" : "closed"},
           {"opened_us", incident.opened_us},
           {"opened_by", incident.opened_by},
           {"closed_us", incident.open ? nlohmann::json() : nlohmann::json(incident.closed_us)},
           {"closed_by", incident.open ? nlohmann::json() : nlohmann::json(incident.closed_by)},
           {"captures", incident.captures}});
    }
    std::cout << list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return;
  }
  if (incidents.empty()) std::cout << "No incidents.\n";
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const auto& incident = incidents[i];
    std::cout << incident.id << "  " << (incident.open ? "open  " : "closed") << "  "
              << evidence::format_utc(incident.opened_us) << "  " << incident.captures
              << " captures  " << (titles ? (*titles)[i] : std::string("(title sealed)")) << '\n';
  }
  if (!titles && !incidents.empty()) {
    std::cout << "Titles are sealed: add --username NAME (password on standard input) or "
                 "--recovery-key to read them.\n";
  }
}

// `incident list`: titles opened only with a key, and that look audited.
int incident_list(store::Database& db, const AdminOptions& options) {
  const auto incidents = store::IncidentRepository(db).list();
  if (options.username.empty() && !options.recovery_key) {
    print_incidents(incidents, std::nullopt, options.json);
    return 0;
  }
  std::string actor;
  auto key = unlock(db, options, actor);
  if (!key) return fail("incident list", key.error());
  std::vector<std::string> titles;
  for (const auto& incident : incidents) {
    titles.push_back(
        store::open_title(incident, *key).value_or("(the title does not open with this key)"));
  }
  if (auto audited = store::AuditLog(db).append(
          actor, "evidence_view", "incident list: " + std::to_string(titles.size()) + " titles");
      !audited) {
    return fail("incident list",
                "the audit log cannot be written, so nothing is shown: " + audited.error());
  }
  print_incidents(incidents, titles, options.json);
  return 0;
}

}  // namespace

int import_people(store::Database& db, const AdminOptions& options) {
  if (options.arguments.size() != 1) {
    return fail("import-people", "give one CSV file: import-people --data-dir DIR FILE.csv", 2);
  }
  const std::filesystem::path path(options.arguments.front());
  std::ifstream file(path, std::ios::binary);
  if (!file) return fail("import-people", "cannot read " + path.string());
  std::string text;
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  if (!size_error && size > evidence::kMaxPeopleCsvBytes) {
    return fail("import-people", path.string() + " is larger than " +
                                     std::to_string(evidence::kMaxPeopleCsvBytes >> 20) + " MB");
  }
  text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  auto people = evidence::parse_people_csv(text);
  crypto::wipe_bytes({reinterpret_cast<std::uint8_t*>(text.data()), text.size()});
  if (!people) return fail("import-people", path.string() + ": " + people.error());
  auto public_key = store::KeyStore(db).ensure_key_pair();
  if (!public_key) return fail("import-people", public_key.error());
  auto imported = store::PeopleRepository(db).import(*people, *public_key, options.replace,
                                                     console_actor(options));
  if (!imported) return fail("import-people", imported.error());
  std::int64_t devices = 0;
  for (const auto& person : *people) devices += static_cast<std::int64_t>(person.devices.size());
  std::cout << "Imported " << imported->imported << " people with " << devices
            << " devices; their names are sealed (only a signed-in user can read them).";
  if (options.replace) std::cout << " " << imported->replaced << " earlier records replaced.";
  std::cout << "\nThe CSV file still holds the names in the clear: delete it now.\n";
  return 0;
}

int incident_command(store::Database& db, const AdminOptions& options) {
  const auto& arguments = options.arguments;
  const std::string_view verb = arguments.empty() ? std::string_view() : arguments.front();
  store::IncidentRepository incidents(db);
  // Titles written before they were sealed (migration 5) are sealed now.
  if (auto public_key = store::KeyStore(db).public_key()) {
    if (auto sealed = incidents.seal_clear_titles(*public_key); !sealed) {
      return fail("incident", sealed.error());
    }
  }
  if (verb == "list") return incident_list(db, options);
  if (verb == "open") {
    if (options.title.empty()) return fail("incident open", "--title TEXT is required", 2);
    auto public_key = store::KeyStore(db).ensure_key_pair();
    if (!public_key) return fail("incident open", public_key.error());
    auto id = incidents.open(options.title, *public_key, console_actor(options));
    if (!id) return fail("incident open", id.error());
    if (!options.captures.empty()) {
      if (auto added = incidents.add_captures(*id, options.captures, console_actor(options));
          !added) {
        return fail("incident open", added.error());
      }
    }
    std::cout << (options.json ? nlohmann::json{{"id", *id}}.dump()
                               : "Incident " + std::to_string(*id) + " opened.")
              << '\n';
    return 0;
  }
  if (verb != "add" && verb != "note" && verb != "close" && verb != "export") {
    return fail("incident", "say what to do: incident open|add|note|close|list|export (see --help)",
                2);
  }
  const auto id = arguments.size() == 2 ? parse_id(arguments[1]) : std::nullopt;
  if (!id) {
    return fail("incident " + std::string(verb),
                "give the incident's number, e.g. incident " + std::string(verb) + " 3", 2);
  }
  if (verb == "export") return incident_export(db, options, *id);
  Status done = Ok{};
  if (verb == "add") {
    if (options.captures.empty()) return fail("incident add", "give --capture ID (repeatable)", 2);
    done = incidents.add_captures(*id, options.captures, console_actor(options));
  } else if (verb == "note") {
    // From standard input, so a note about a pupil never sits in the shell's history.
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    auto public_key = store::KeyStore(db).public_key();
    done = public_key ? incidents.add_note(*id, text, *public_key, console_actor(options))
                      : Status(error("the box has no evidence key yet"));
  } else {
    done = incidents.close(*id, console_actor(options));
  }
  if (!done) return fail("incident " + std::string(verb), done.error());
  std::cout << "Incident " << *id << ": done.\n";
  return 0;
}

int subject_access(store::Database& db, const AdminOptions& options) {
  if (options.person.empty() == options.device.empty()) {
    return fail("subject-access", "give --person NAME or --device MAC (one of them)", 2);
  }
  if (options.out.empty()) return fail("subject-access", "--out FILE.html is required", 2);
  std::string actor;
  auto key = unlock(db, options, actor);
  if (!key) return fail("subject-access", key.error());
  auto records = store::find_subject(db, *key, {options.person, options.group, options.device});
  if (!records) return fail("subject-access", records.error());

  evidence::SubjectAccessReport report;
  report.subject =
      options.person.empty() ? records->audit_subject : records->people.front().person.name;
  for (const auto& record : records->people) report.people.push_back(record.person);
  report.devices = records->devices;
  for (auto& row : records->captures) report.captures.push_back({row.capture, row.opened});
  for (const auto& incident : records->incidents) {
    report.incidents.push_back(report_incident(incident, *key));
  }
  report.exported_by = actor;
  report.exported_us = store::now_us();
  if (auto audited = store::AuditLog(db).append(
          actor, "subject_access",
          records->audit_subject + ": " + std::to_string(report.people.size()) +
              " person records, " + std::to_string(report.captures.size()) + " captures, " +
              std::to_string(report.incidents.size()) + " incidents exported",
          report.exported_us);
      !audited) {
    return fail("subject-access", audited.error());
  }
  if (auto written = write_report(options.out, evidence::render_subject_access_html(report));
      !written) {
    return fail("subject-access", written.error());
  }
  std::cout << "Everything held about " << records->audit_subject << " (" << report.captures.size()
            << " captures, " << report.incidents.size() << " incidents) written to "
            << options.out.string() << ".\n";
  return 0;
}

int erase(store::Database& db, const AdminOptions& options) {
  if (options.person.empty() == options.device.empty()) {
    return fail("erase", "give --person NAME or --device MAC (one of them)", 2);
  }
  std::string actor;
  auto key = unlock(db, options, actor);
  if (!key) return fail("erase", key.error());
  auto records = store::find_subject(db, *key, {options.person, options.group, options.device});
  if (!records) return fail("erase", records.error());
  auto erased = store::erase_subject(db, *records, options.force, options.reason, actor);
  if (!erased) return fail("erase", erased.error());
  std::cout << "Erased " << records->audit_subject << ": " << erased->people
            << " person records and " << erased->captures
            << " captures, overwritten on disk. The audit log records the erasure.\n";
  return 0;
}

}  // namespace hm::app
