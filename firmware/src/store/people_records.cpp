#include "store/people_records.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "evidence/people_csv.h"
#include "store/audit_log.h"
#include "store/capture_repository.h"

namespace hm::store {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Captures carry the device's MAC address (and IP); host names in the records are
// kept and shown but cannot be matched to captures yet.
std::vector<OpenedCapture> captures_of(Database& db, const std::vector<std::string>& devices,
                                       const crypto::SecretBytes& private_key) {
  std::vector<OpenedCapture> captures;
  for (const std::string& device : devices) {
    if (!evidence::normalise_mac(device)) continue;
    for (evidence::Capture& stored : CaptureRepository(db).of_device(device)) {
      OpenedCapture row{std::move(stored)};
      if (auto opened = evidence::open_evidence(row.capture, private_key)) {
        row.capture.evidence = std::move(*opened);
        row.opened = true;
      }
      captures.push_back(std::move(row));
    }
  }
  std::sort(captures.begin(), captures.end(), [](const auto& a, const auto& b) {
    return std::pair(a.capture.ts_us, a.capture.id) < std::pair(b.capture.ts_us, b.capture.id);
  });
  return captures;
}

}  // namespace

Result<SubjectRecords> find_subject(Database& db, const crypto::SecretBytes& private_key,
                                    const Subject& subject) {
  SubjectRecords records;
  if (!subject.person.empty()) {
    auto opened = PeopleRepository(db).open_all(private_key);
    const std::string wanted = lower(subject.person);
    for (auto& record : opened.people) {
      if (lower(record.person.name) != wanted) continue;
      if (!subject.group.empty() && lower(record.person.group) != lower(subject.group)) continue;
      records.people.push_back(std::move(record));
    }
    if (records.people.empty()) {
      std::string message = "nobody named \"" + subject.person + "\"";
      if (!subject.group.empty()) message += " in group \"" + subject.group + "\"";
      message += " is in the imported records (" + std::to_string(opened.people.size()) +
                 " people; the name must match as imported, any case)";
      if (opened.unreadable > 0) {
        message += "; " + std::to_string(opened.unreadable) + " records did not open";
      }
      return error(message);
    }
    if (records.people.size() > 1) {
      std::string groups;
      for (const auto& record : records.people) {
        groups += (groups.empty() ? "" : ", ") +
                  (record.person.group.empty() ? std::string("no group") : record.person.group);
      }
      return error(std::to_string(records.people.size()) + " people are named \"" + subject.person +
                   "\" (groups: " + groups + "); add --group to say which");
    }
    records.devices = records.people.front().person.devices;
    records.audit_subject = "person " + std::to_string(records.people.front().id);
  } else {
    const auto device = evidence::normalise_device(subject.device);
    if (!device) {
      return error("\"" + subject.device +
                   "\" is neither a MAC address (like 3c:22:fb:01:02:03) nor a host name");
    }
    records.devices.push_back(*device);
    records.audit_subject = "device " + *device;
    // The person whose records list this device, if any.
    auto opened = PeopleRepository(db).open_all(private_key);
    for (auto& record : opened.people) {
      const auto& devices = record.person.devices;
      if (std::find(devices.begin(), devices.end(), *device) != devices.end()) {
        records.people.push_back(std::move(record));
      }
    }
  }
  records.captures = captures_of(db, records.devices, private_key);
  std::vector<std::int64_t> ids;
  for (const auto& row : records.captures) ids.push_back(row.capture.id);
  records.incidents = IncidentRepository(db).linking(ids);
  return records;
}

Result<ErasureSummary> erase_subject(Database& db, const SubjectRecords& records, bool force,
                                     std::string_view reason, std::string_view actor, TimeUs now) {
  ErasureSummary summary;
  Transaction transaction(db);
  for (const auto& row : records.captures) {
    if (capture_held_by_open_incident(db, row.capture.id)) ++summary.held;
  }
  if (summary.held > 0 && !force) {
    return error(std::to_string(summary.held) +
                 " of these captures belong to an open incident and are held; close the "
                 "incident first, or give --force with --reason \"why\" (audited)");
  }
  if (force && summary.held > 0 && reason.empty()) {
    return error("--force needs --reason \"why\": erasing held evidence is audited with it");
  }
  // Only people records on their own: a device's erasure leaves the person's record.
  for (const auto& person : records.people) {
    if (!records.audit_subject.starts_with("person ")) break;
    if (auto removed = PeopleRepository(db).remove(person.id); !removed) {
      return Error{removed.error()};
    }
    ++summary.people;
  }
  for (const auto& row : records.captures) {
    Statement unlink(db, "DELETE FROM incident_captures WHERE capture_id = ?1;");
    unlink.bind(1, row.capture.id);
    unlink.step();
    Statement remove(db, "DELETE FROM captures WHERE id = ?1;");
    remove.bind(1, row.capture.id);
    remove.step();
    if (!unlink.ok() || !remove.ok()) {
      return error("cannot erase capture " + std::to_string(row.capture.id) + ": " +
                   unlink.error() + remove.error());
    }
    ++summary.captures;
  }
  std::string detail = records.audit_subject + " erased: " + std::to_string(summary.people) +
                       " person records, " + std::to_string(summary.captures) + " captures of " +
                       std::to_string(records.devices.size()) + " devices";
  if (summary.held > 0) {
    detail += "; " + std::to_string(summary.held) +
              " held by open incidents, forced: " + std::string(reason);
  }
  if (auto audited = AuditLog(db).append(actor, "erasure", detail, now); !audited) {
    return Error{audited.error()};
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return summary;
}

}  // namespace hm::store
