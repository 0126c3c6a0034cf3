#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/secret.h"
#include "evidence/capture.h"
#include "store/database.h"
#include "store/incident_repository.h"
#include "store/people_repository.h"

// Data-protection tools over one person or device (issue 5 item 4, UK GDPR Articles 15
// and 17): everything held about them, for a subject-access request, and its erasure.
// Both need the private key: a person is found by name, and names are sealed.
namespace hm::store {

struct Subject {
  std::string person;  // a name as imported, compared without case; or empty
  std::string group;   // narrows `person` when two people share a name
  std::string device;  // a MAC address or host name; or empty
};

struct OpenedCapture {
  evidence::Capture capture;  // evidence filled in when it opened
  bool opened = false;
};

struct SubjectRecords {
  std::vector<PeopleRepository::Record> people;  // the person matched (none for a device)
  std::vector<std::string> devices;              // every device searched for
  std::vector<OpenedCapture> captures;           // oldest first
  std::vector<Incident> incidents;               // linking any of the captures
  // "person 12" or "device 3c:22:fb:01:02:03": who the audit log says this was about,
  // never by name (the audit log is not sealed).
  std::string audit_subject;
};

// Finds the subject and opens everything held about them. An error says why not (no
// such person, two of that name, an unreadable device).
Result<SubjectRecords> find_subject(Database& db, const crypto::SecretBytes& private_key,
                                    const Subject& subject);

struct ErasureSummary {
  std::int64_t people = 0;
  std::int64_t captures = 0;
  std::int64_t held = 0;  // captures of open incidents erased with force
};

// Deletes the subject's record and captures (and their incident links) in one
// transaction, summarised in the audit log. Captures held by an open incident are
// refused unless `force`, which needs a reason (it is audited).
Result<ErasureSummary> erase_subject(Database& db, const SubjectRecords& records, bool force,
                                     std::string_view reason, std::string_view actor,
                                     TimeUs now = now_us());

}  // namespace hm::store
