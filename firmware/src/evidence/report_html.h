#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "evidence/capture.h"
#include "evidence/people_csv.h"

// Self-contained, printable HTML records made from opened evidence (issue 5 item 4):
// the incident export a school files in its safeguarding record system (CPOMS,
// MyConcern …) and the subject-access export. One file, no scripts, no outside
// resources; every value escaped. Rendering only: app/ gathers and audits.
namespace hm::evidence {

struct ReportCapture {
  Capture capture;      // with evidence filled in when `opened`
  bool opened = false;  // false: the sealed evidence did not open (changed or damaged)
};

struct ReportIncident {
  std::int64_t id = 0;
  std::string title;
  bool open = true;
  std::int64_t opened_us = 0;
  std::string opened_by;
  std::int64_t closed_us = 0;
  std::string closed_by;
};

struct ReportNote {
  std::int64_t ts_us = 0;
  std::string author;
  std::string text;
  bool opened = true;
};

struct IncidentReport {
  ReportIncident incident;
  std::vector<ReportNote> notes;
  std::vector<ReportCapture> captures;         // oldest first
  std::vector<std::int64_t> deleted_captures;  // linked once, since deleted
  std::string exported_by;
  std::int64_t exported_us = 0;
};

struct SubjectAccessReport {
  std::string subject;  // what was asked for, e.g. "device 3c:22:fb:01:02:03"
  std::vector<Person> people;
  std::vector<std::string> devices;
  std::vector<ReportCapture> captures;  // oldest first
  std::vector<ReportIncident> incidents;
  std::string exported_by;
  std::int64_t exported_us = 0;
};

std::string render_incident_html(const IncidentReport& report);
std::string render_subject_access_html(const SubjectAccessReport& report);

// "2026-11-22 09:14:03 UTC".
std::string format_utc(std::int64_t ts_us);
std::string escape_html(std::string_view text);

}  // namespace hm::evidence
