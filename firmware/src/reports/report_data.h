#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/secret.h"
#include "library/bundle_store.h"
#include "store/accounts.h"
#include "store/dashboard_queries.h"
#include "store/database.h"
#include "store/incident_repository.h"

// The figures of a safeguarding report for a period (issue 7 item 3): the weekly report,
// the daily digest, the termly governors' report and any period asked for. Read from the
// box's own records; drawn by report_pdf.h. Metadata only unless the caller passes the
// evidence private key (a signed-in DSL's): then pupils' names, the sites and the
// recorded interventions are opened too. The governors' figures never hold a name nor a
// row about one pupil or device, whatever is passed.
namespace hm::reports {

using store::TimeUs;

// [from_us, until_us): a report's period, in microseconds since the epoch.
struct Period {
  TimeUs from_us = 0;
  TimeUs until_us = 0;

  TimeUs length() const { return until_us - from_us; }
  // The period of the same length `n` periods earlier.
  Period earlier(int n = 1) const { return {from_us - n * length(), until_us - n * length()}; }
};

enum class Audience {
  staff,      // the DSL and headteacher: pupils (by reference, or name with the key), devices
  governors,  // counts only: no names, no pupil or device rows, no sites
};

// This process's own counters (store/capture_status.h): the database keeps neither the
// uptime nor the packets dropped, so the daemon passes them when it makes a report.
struct LiveHealth {
  std::int64_t box_uptime_seconds = -1;  // -1: not known
  std::int64_t daemon_uptime_seconds = -1;
  std::uint64_t ring_drops = 0;       // frames the workers had no room for
  std::uint64_t kernel_drops = 0;     // frames the kernel dropped (pcap_stats)
  std::uint64_t interface_drops = 0;  // frames the network card dropped
};

struct ReportOptions {
  Audience audience = Audience::staff;
  // The data folder: the library's bundles and history are files there (empty: the
  // report says the library could not be read).
  std::filesystem::path data_dir;
  // Opens names, sites and interventions (staff reports only); nullptr: references.
  const crypto::SecretBytes* private_key = nullptr;
  std::optional<LiveHealth> live;
  std::size_t top = 10;  // rows in each "most …" list
  TimeUs now_us = 0;     // when the report is made (0: the clock's now)
};

// One line of a "this period against earlier ones" table: a category or a severity.
struct Trend {
  std::string key;  // category id, or the severity as "1" … "5"
  std::int64_t count = 0;
  std::int64_t previous = 0;  // the period before
  double average_before = 0;  // the mean of the 4 periods before this one
};

struct DayCount {
  TimeUs from_us = 0;  // a day (or a week, for periods longer than a month)
  TimeUs until_us = 0;
  std::int64_t concerns = 0;
  std::int64_t serious = 0;  // severity 4–5
};

struct ConcernFigures {
  store::ConcernCounts counts;  // this period
  std::int64_t previous_total = 0;
  double average_total_before = 0;
  std::vector<Trend> by_category;  // every category seen in any of the 5 periods, most first
  std::vector<Trend> by_severity;  // 5 down to 1, always all five
  std::vector<DayCount> by_day;
};

// How long something waited for someone to look at it.
struct Waits {
  std::int64_t count = 0;
  TimeUs median_us = 0;
  TimeUs longest_us = 0;
};

// The captures of the period and how they were followed up. A capture was looked at
// when a member of staff first marked it (store/capture_review.h first_reviewed_us) or
// linked it to an incident, whichever came first.
struct ReviewFigures {
  std::int64_t captures = 0;
  std::int64_t looked_at = 0;
  std::int64_t false_positive = 0;  // marked a false alarm
  std::int64_t in_incident = 0;     // linked to an incident
  std::int64_t waiting = 0;         // not looked at yet
  std::int64_t waiting_serious = 0;
  Waits first_review;          // capture → first look, of those looked at
  Waits serious_first_review;  // the same for severity 4–5
};

struct IncidentRow {
  std::int64_t id = 0;
  std::string title{};  // opened with the key (staff reports), else empty
  store::IncidentStatus status = store::IncidentStatus::new_incident;
  std::string escalated_to{};
  std::string assignee{};
  TimeUs opened_us = 0;
  TimeUs closed_us = 0;        // 0 while open
  TimeUs first_review_us = 0;  // 0: not yet looked at
  TimeUs last_note_us = 0;     // 0: no notes
  std::int64_t notes = 0;
  std::int64_t captures = 0;
  bool intervention_recorded = false;
  std::string intervention{};  // opened with the key, else empty
};

struct IncidentFigures {
  std::int64_t opened = 0;                           // opened in the period
  std::int64_t closed = 0;                           // closed in the period
  std::int64_t open_at_end = 0;                      // opened before the end and not closed by then
  std::map<std::string, std::int64_t> escalated_to;  // of the incidents in `rows`
  std::int64_t with_intervention = 0;                // of the incidents in `rows`
  Waits first_review;  // of those opened in the period: opening → first review
  // Incidents open at any time in the period, newest first (empty for governors).
  std::vector<IncidentRow> rows;
};

// A pupil whose devices made concerns in the period (staff reports only).
struct PupilConcern {
  std::int64_t person_id = 0;
  std::string reference;  // "Pupil P-17 (Year 5)": the record's id and year group
  std::string name;       // with the key only
  std::int64_t captures = 0;
  std::int64_t serious = 0;
  int highest_severity = 0;
  std::vector<std::string> categories;  // category ids, most captures first
  std::int64_t marked_reviewed = 0;     // captures a member of staff marked reviewed
  std::int64_t marked_false_alarm = 0;  // … or a false alarm
  std::vector<IncidentRow> incidents;   // incidents linking any of their captures
};

struct PhraseCount {
  std::string phrase;
  std::string category;
  int highest_severity = 0;
  std::int64_t captures = 0;
};

struct SiteCount {
  std::string host;
  std::int64_t captures = 0;
  int highest_severity = 0;
};

struct SiteFigures {
  bool opened = false;  // sites are in the sealed evidence: shown only with the key
  std::vector<SiteCount> sites;
  std::int64_t captures_read = 0;  // captures whose evidence was opened
  std::int64_t unreadable = 0;     // did not open with the key
  bool limited = false;            // only the latest captures were read (there were many)
};

struct DeviceRow {
  store::DeviceConcern device;
  std::string holder{};  // "Pupil P-17 (Year 5)", "Class 5B iPads (shared)", or empty
};

struct VisibilityFigures {
  std::vector<store::VisibilityTotal> classes;  // most bytes first
  std::int64_t flows = 0;
  std::int64_t bytes = 0;
  std::int64_t unseen_flows = 0;  // flows the box could not see into
  std::int64_t unseen_bytes = 0;
};

struct LibraryFacts {
  bool readable = true;  // false: the data folder's library files could not be read
  std::string problem;
  bool bundle_active = false;  // false: the starter library that came with the firmware
  std::uint64_t version = 0;
  std::int64_t created_unix = 0;    // the edition's date (its manifest)
  std::int64_t installed_unix = 0;  // when it was imported here (its history)
  std::string publisher;
  std::vector<library::LibraryEvent> history;  // oldest first
  std::vector<std::string> versions_used;      // the library versions of the captures
};

struct HealthFigures {
  std::int64_t hours = 0;               // whole hours in the period
  std::int64_t hours_with_traffic = 0;  // hours the mirror port delivered anything
  std::int64_t school_hours = 0;        // weekday hours 08:00–16:00 (local)
  std::int64_t school_hours_without_traffic = 0;
  TimeUs last_traffic_us = 0;      // the latest minute with traffic, ever (0: none)
  std::string store_state = "ok";  // "ok" or "disk_full" (store/capture_writer.h)
  std::string store_message;
  std::int64_t captures_unstored_disk_full = 0;  // since the data folder was made
  std::optional<LiveHealth> live;
  LibraryFacts library;
};

struct ReportFigures {
  Period period;
  Audience audience = Audience::staff;
  bool names_opened = false;  // the key was given and used
  std::string school_name;
  TimeUs made_us = 0;

  ConcernFigures concerns;
  ReviewFigures review;
  IncidentFigures incidents;
  std::int64_t pupils_with_concerns = 0;  // a count, in every report
  std::int64_t pupils_with_serious = 0;
  std::vector<PupilConcern> pupils;  // most serious first; empty for governors
  std::vector<PhraseCount> phrases;
  SiteFigures sites;
  std::vector<DeviceRow> devices;  // empty for governors
  std::vector<store::GroupConcern> groups;
  VisibilityFigures visibility;
  HealthFigures health;
};

// Everything a report of `period` shows. Reads the database through its own queries and
// the store's repositories; never writes.
ReportFigures gather_report(store::Database& db, Period period, const ReportOptions& options);

// "Pupil P-17 (Year 5)": how reports refer to a pupil without a name — the record's id
// and their year group (or else class), both stored in the clear.
std::string pupil_reference(store::Database& db, std::int64_t person_id);

// The library the box uses and its update history, from the data folder's files.
LibraryFacts library_facts(const std::filesystem::path& data_dir);

}  // namespace hm::reports
