#include "reports/report_data.h"

#include <algorithm>
#include <ctime>
#include <set>

#include <nlohmann/json.hpp>

#include "evidence/capture.h"
#include "library/bundle.h"
#include "reports/report_queries.h"
#include "reports/wording.h"
#include "store/capture_repository.h"
#include "store/capture_review.h"
#include "store/device_repository.h"
#include "store/group_repository.h"
#include "store/people_repository.h"
#include "store/settings_repository.h"

namespace hm::reports {
namespace {

constexpr TimeUs kHourUs = 3'600'000'000;
constexpr TimeUs kDayUs = 24 * kHourUs;
// Trends compare with the period before and with the mean of the 4 before this one
// ("this week, last week, the average of the last 4 weeks").
constexpr int kTrendPeriods = 4;
// Sites are inside the sealed evidence: each capture read costs a key agreement, so a
// report opens the latest captures of the period only (a busy week has a few hundred).
constexpr std::size_t kMaxSitesRead = 2000;
// The school day whose hours without traffic the health section counts (local time).
constexpr int kSchoolDayFirstHour = 8;
constexpr int kSchoolDayEndHour = 16;

std::int64_t serious_of(const store::ConcernCounts& counts) {
  std::int64_t serious = 0;
  for (const auto& [severity, n] : counts.by_severity) {
    if (severity >= 4) serious += n;
  }
  return serious;
}

template <typename Key>
std::int64_t count_of(const std::map<Key, std::int64_t>& counts, const Key& key) {
  const auto found = counts.find(key);
  return found == counts.end() ? 0 : found->second;
}

ConcernFigures concern_figures(store::Database& db, const Period& period) {
  ConcernFigures figures;
  figures.counts = store::concerns_between(db, period.from_us, period.until_us);
  std::vector<store::ConcernCounts> before;
  for (int n = 1; n <= kTrendPeriods; ++n) {
    const Period earlier = period.earlier(n);
    before.push_back(store::concerns_between(db, earlier.from_us, earlier.until_us));
  }
  figures.previous_total = before.front().total;
  std::set<std::string> categories;
  for (const auto& [category, n] : figures.counts.by_category) categories.insert(category);
  for (const store::ConcernCounts& counts : before) {
    figures.average_total_before += static_cast<double>(counts.total) / kTrendPeriods;
    for (const auto& [category, n] : counts.by_category) categories.insert(category);
  }
  for (const std::string& category : categories) {
    Trend trend{.key = category,
                .count = count_of(figures.counts.by_category, category),
                .previous = count_of(before.front().by_category, category)};
    for (const store::ConcernCounts& counts : before) {
      trend.average_before +=
          static_cast<double>(count_of(counts.by_category, category)) / kTrendPeriods;
    }
    figures.by_category.push_back(trend);
  }
  std::stable_sort(figures.by_category.begin(), figures.by_category.end(),
                   [](const Trend& a, const Trend& b) {
                     if (a.count != b.count) return a.count > b.count;
                     return a.average_before > b.average_before;
                   });
  for (int severity = 5; severity >= 1; --severity) {
    Trend trend{.key = std::to_string(severity),
                .count = count_of(figures.counts.by_severity, severity),
                .previous = count_of(before.front().by_severity, severity)};
    for (const store::ConcernCounts& counts : before) {
      trend.average_before +=
          static_cast<double>(count_of(counts.by_severity, severity)) / kTrendPeriods;
    }
    figures.by_severity.push_back(trend);
  }
  // Days for a week or a month; weeks for a term.
  const TimeUs step = period.length() <= 31 * kDayUs ? kDayUs : 7 * kDayUs;
  for (TimeUs from = period.from_us; from < period.until_us; from += step) {
    const TimeUs until = std::min(from + step, period.until_us);
    const store::ConcernCounts counts = store::concerns_between(db, from, until);
    figures.by_day.push_back({from, until, counts.total, serious_of(counts)});
  }
  return figures;
}

IncidentRow incident_row(store::IncidentRepository& incidents, const store::Incident& incident,
                         const crypto::SecretBytes* private_key) {
  IncidentRow row{.id = incident.id,
                  .status = incident.status,
                  .escalated_to = incident.escalated_to,
                  .assignee = incident.assignee,
                  .opened_us = incident.opened_us,
                  .closed_us = incident.closed_us,
                  .first_review_us = incident.first_review_us,
                  .captures = incident.captures,
                  .intervention_recorded = !incident.sealed_intervention.empty()};
  for (const store::IncidentNote& note : incidents.notes(incident.id)) {
    ++row.notes;
    row.last_note_us = std::max(row.last_note_us, note.ts_us);
  }
  if (private_key != nullptr) {
    row.title = store::open_title(incident, *private_key).value_or("");
    row.intervention = store::open_intervention(incident, *private_key).value_or("");
  }
  return row;
}

IncidentFigures incident_figures(store::Database& db, const Period& period, bool with_rows,
                                 const crypto::SecretBytes* private_key) {
  IncidentFigures figures;
  store::IncidentRepository incidents(db);
  std::vector<TimeUs> waits;
  for (const store::Incident& incident : incidents.list()) {
    if (incident.opened_us >= period.until_us) continue;
    const bool closed_before = !incident.open && incident.closed_us < period.from_us;
    if (closed_before) continue;  // not open at any time in the period
    const bool opened_in = incident.opened_us >= period.from_us;
    if (opened_in) {
      ++figures.opened;
      if (incident.first_review_us != 0) {
        waits.push_back(std::max<TimeUs>(0, incident.first_review_us - incident.opened_us));
      }
    }
    if (!incident.open && incident.closed_us < period.until_us) {
      ++figures.closed;
    } else {
      ++figures.open_at_end;
    }
    if (!incident.escalated_to.empty()) ++figures.escalated_to[incident.escalated_to];
    if (!incident.sealed_intervention.empty()) ++figures.with_intervention;
    if (with_rows) figures.rows.push_back(incident_row(incidents, incident, private_key));
  }
  figures.first_review = detail::summarise(waits);
  std::sort(figures.rows.begin(), figures.rows.end(),
            [](const IncidentRow& a, const IncidentRow& b) {
              return a.opened_us != b.opened_us ? a.opened_us > b.opened_us : a.id > b.id;
            });
  return figures;
}

// Pupils whose devices made concerns: every report counts them, staff reports list the
// most serious.
void pupil_figures(store::Database& db, const Period& period, const ReportOptions& options,
                   ReportFigures& figures) {
  struct Tally {
    PupilConcern pupil;
    std::map<std::string, std::int64_t> categories;
    std::vector<std::int64_t> capture_ids;
  };
  std::map<std::int64_t, Tally> tallies;
  for (const detail::PupilCapture& capture : detail::pupil_captures(db, period)) {
    Tally& tally = tallies[capture.person_id];
    tally.pupil.person_id = capture.person_id;
    ++tally.pupil.captures;
    if (capture.severity >= 4) ++tally.pupil.serious;
    tally.pupil.highest_severity = std::max(tally.pupil.highest_severity, capture.severity);
    ++tally.categories[capture.category];
    tally.capture_ids.push_back(capture.capture_id);
  }
  figures.pupils_with_concerns = static_cast<std::int64_t>(tallies.size());
  for (const auto& [id, tally] : tallies) {
    if (tally.pupil.serious > 0) ++figures.pupils_with_serious;
  }
  if (options.audience == Audience::governors) return;

  std::vector<Tally*> ranked;
  for (auto& [id, tally] : tallies) ranked.push_back(&tally);
  std::sort(ranked.begin(), ranked.end(), [](const Tally* a, const Tally* b) {
    if (a->pupil.serious != b->pupil.serious) return a->pupil.serious > b->pupil.serious;
    if (a->pupil.highest_severity != b->pupil.highest_severity) {
      return a->pupil.highest_severity > b->pupil.highest_severity;
    }
    if (a->pupil.captures != b->pupil.captures) return a->pupil.captures > b->pupil.captures;
    return a->pupil.person_id < b->pupil.person_id;
  });
  if (ranked.size() > options.top) ranked.resize(options.top);

  store::IncidentRepository incidents(db);
  store::PeopleRepository people(db);
  for (Tally* tally : ranked) {
    PupilConcern pupil = tally->pupil;
    pupil.reference = pupil_reference(db, pupil.person_id);
    if (options.private_key != nullptr) {
      if (auto record = people.open_one(pupil.person_id, *options.private_key)) {
        pupil.name = record->person.name;
      }
    }
    std::vector<std::pair<std::string, std::int64_t>> categories(tally->categories.begin(),
                                                                 tally->categories.end());
    std::stable_sort(categories.begin(), categories.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [category, n] : categories) pupil.categories.push_back(category);
    for (const auto& [id, review] : store::CaptureReviews(db).of_each(tally->capture_ids)) {
      if (review.status == "reviewed") ++pupil.marked_reviewed;
      if (review.status == "false_positive") ++pupil.marked_false_alarm;
    }
    for (const store::Incident& incident : incidents.linking(tally->capture_ids)) {
      pupil.incidents.push_back(incident_row(incidents, incident, options.private_key));
    }
    figures.pupils.push_back(std::move(pupil));
  }
}

SiteFigures site_figures(store::Database& db, const Period& period, std::size_t top,
                         const crypto::SecretBytes& private_key) {
  SiteFigures figures;
  figures.opened = true;
  store::CaptureRepository::Filter filter;
  filter.from_us = period.from_us;
  filter.until_us = period.until_us;
  const auto captures = store::CaptureRepository(db).list(filter, kMaxSitesRead + 1);
  figures.limited = captures.size() > kMaxSitesRead;
  std::map<std::string, SiteCount> sites;
  for (std::size_t i = 0; i < captures.size() && i < kMaxSitesRead; ++i) {
    const auto opened = evidence::open_evidence(captures[i], private_key);
    if (!opened) {
      ++figures.unreadable;
      continue;
    }
    ++figures.captures_read;
    if (opened->host.empty()) continue;
    SiteCount& site = sites[opened->host];
    site.host = opened->host;
    ++site.captures;
    site.highest_severity = std::max(site.highest_severity, captures[i].severity);
  }
  for (auto& [host, site] : sites) figures.sites.push_back(std::move(site));
  std::stable_sort(figures.sites.begin(), figures.sites.end(),
                   [](const SiteCount& a, const SiteCount& b) {
                     if (a.captures != b.captures) return a.captures > b.captures;
                     return a.highest_severity > b.highest_severity;
                   });
  if (figures.sites.size() > top) figures.sites.resize(top);
  return figures;
}

std::vector<DeviceRow> device_rows(store::Database& db, const Period& period, std::size_t top) {
  std::vector<DeviceRow> rows;
  store::DeviceRepository devices(db);
  for (const store::DeviceConcern& device :
       store::most_concerning_devices(db, period.from_us, period.until_us, top)) {
    DeviceRow row{.device = device};
    if (!device.mac.empty()) {
      if (auto assignment = devices.assignment_at(device.mac, period.until_us - 1)) {
        row.holder = assignment->person_id != 0 ? pupil_reference(db, assignment->person_id)
                                                : assignment->pool + " (shared)";
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

VisibilityFigures visibility_figures(store::Database& db, const Period& period) {
  VisibilityFigures figures;
  figures.classes = store::visibility_between(db, period.from_us, period.until_us);
  for (const store::VisibilityTotal& total : figures.classes) {
    figures.flows += total.flows;
    figures.bytes += total.bytes;
    if (!visibility_seen(total.visibility)) {
      figures.unseen_flows += total.flows;
      figures.unseen_bytes += total.bytes;
    }
  }
  return figures;
}

bool school_hour(TimeUs hour_start_us) {
  const auto seconds = static_cast<std::time_t>(hour_start_us / 1'000'000);
  std::tm parts{};
  localtime_r(&seconds, &parts);
  return parts.tm_wday >= 1 && parts.tm_wday <= 5 && parts.tm_hour >= kSchoolDayFirstHour &&
         parts.tm_hour < kSchoolDayEndHour;
}

HealthFigures health_figures(store::Database& db, const Period& period,
                             const ReportOptions& options) {
  HealthFigures health;
  const std::vector<TimeUs> traffic = detail::traffic_hours(db, period);
  const std::set<TimeUs> with_traffic(traffic.begin(), traffic.end());
  for (TimeUs hour = period.from_us; hour + kHourUs <= period.until_us; hour += kHourUs) {
    ++health.hours;
    const bool seen = with_traffic.contains(hour);
    if (seen) ++health.hours_with_traffic;
    if (school_hour(hour)) {
      ++health.school_hours;
      if (!seen) ++health.school_hours_without_traffic;
    }
  }
  health.last_traffic_us = store::last_traffic_minute(db);
  // The store thread's record of captures lost to a full disk (store/capture_writer.h).
  if (const auto row = store::SettingsRepository(db).get("health.store")) {
    const auto parsed = nlohmann::json::parse(*row, nullptr, false);
    if (parsed.is_object()) {
      health.store_state = parsed.value("state", "ok");
      health.store_message = parsed.value("message", "");
      health.captures_unstored_disk_full = parsed.value("captures_unstored_disk_full", 0);
    }
  }
  health.live = options.live;
  health.library = library_facts(options.data_dir);
  health.library.versions_used = detail::library_versions_used(db, period);
  return health;
}

}  // namespace

std::string pupil_reference(store::Database& db, std::int64_t person_id) {
  store::GroupRepository groups(db);
  std::string year;
  std::string class_name;
  for (const std::int64_t group_id : groups.groups_of(person_id)) {
    const auto group = groups.find(group_id);
    if (!group) continue;
    if (group->kind == store::GroupKind::year && year.empty()) year = group->name;
    if (group->kind == store::GroupKind::class_group && class_name.empty()) {
      class_name = group->name;
    }
  }
  const std::string where = !year.empty() ? year : class_name;
  return "Pupil P-" + std::to_string(person_id) + (where.empty() ? "" : " (" + where + ")");
}

LibraryFacts library_facts(const std::filesystem::path& data_dir) {
  LibraryFacts facts;
  if (data_dir.empty()) {
    facts.readable = false;
    facts.problem = "the report was made without the data folder";
    return facts;
  }
  auto active = library::read_active(data_dir);
  if (!active) {
    facts.readable = false;
    facts.problem = active.error();
    return facts;
  }
  if (auto history = library::read_history(data_dir)) facts.history = std::move(*history);
  if (!*active) return facts;  // the starter library
  facts.bundle_active = true;
  facts.version = (*active)->version;
  std::vector<std::uint8_t> bytes;
  library::Bundle bundle;
  if (!library::read_bundle_file(library::bundle_path(data_dir, facts.version), bytes) &&
      !library::parse_bundle(bytes, bundle)) {
    facts.created_unix = bundle.manifest.created_unix;
    facts.publisher = bundle.manifest.publisher;
  }
  for (const library::LibraryEvent& event : facts.history) {
    if (event.version == facts.version &&
        (event.action == "import" || event.action == "rollback")) {
      facts.installed_unix = event.time_unix;
    }
  }
  return facts;
}

ReportFigures gather_report(store::Database& db, Period period, const ReportOptions& options) {
  ReportFigures figures;
  figures.period = period;
  figures.audience = options.audience;
  figures.made_us = options.now_us != 0 ? options.now_us : store::now_us();
  figures.school_name = store::SettingsRepository(db).get("school.name").value_or("");
  const bool staff = options.audience == Audience::staff;
  // Governors' reports never open anything sealed, whatever the caller holds.
  const crypto::SecretBytes* private_key = staff ? options.private_key : nullptr;
  figures.names_opened = private_key != nullptr;

  figures.concerns = concern_figures(db, period);
  figures.review = detail::review_figures(db, period);
  figures.incidents = incident_figures(db, period, staff, private_key);
  ReportOptions pupil_options = options;
  pupil_options.private_key = private_key;
  pupil_figures(db, period, pupil_options, figures);
  figures.phrases = detail::phrase_counts(db, period, options.top);
  if (private_key != nullptr) figures.sites = site_figures(db, period, options.top, *private_key);
  if (staff) figures.devices = device_rows(db, period, options.top);
  figures.groups = store::most_concerning_groups(db, period.from_us, period.until_us, options.top);
  figures.visibility = visibility_figures(db, period);
  figures.health = health_figures(db, period, options);
  return figures;
}

}  // namespace hm::reports
