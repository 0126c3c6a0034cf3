#include "reports/report_pdf.h"

#include <algorithm>

#include "reports/sections.h"
#include "reports/wording.h"

namespace hm::reports {
namespace {

using detail::nothing_note;
using detail::PeriodWords;
using pdf::Align;

// An intervention as recorded can be long: the report shows its start.
constexpr std::size_t kInterventionChars = 300;

std::int64_t severity_count(const ReportFigures& figures, int severity) {
  const auto found = figures.concerns.counts.by_severity.find(severity);
  return found == figures.concerns.counts.by_severity.end() ? 0 : found->second;
}

std::string shortened(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  // Never split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

std::vector<std::string> glance(const ReportFigures& figures, const PeriodWords& words) {
  const store::ConcernCounts& counts = figures.concerns.counts;
  const std::int64_t serious = severity_count(figures, 4) + severity_count(figures, 5);
  std::vector<std::string> lines;
  lines.push_back(plural(counts.total, "concern", "concerns") + " " + words.during + " (" +
                  count_words(figures.concerns.previous_total) + " " + words.last + "; " +
                  average_words(figures.concerns.average_total_before) + " on average over the 4 " +
                  words.noun + "s before).");
  lines.push_back(count_words(serious) + " of them serious (severity 4 or 5), " +
                  count_words(severity_count(figures, 5)) + " at severity 5.");
  lines.push_back(plural(figures.pupils_with_concerns, "pupil", "pupils") +
                  " had concerns from their devices; " + count_words(figures.pupils_with_serious) +
                  " of them serious ones.");
  lines.push_back("Incidents: " + count_words(figures.incidents.opened) + " opened, " +
                  count_words(figures.incidents.closed) + " closed, " +
                  count_words(figures.incidents.open_at_end) + " still open at the end.");
  lines.push_back(count_words(figures.review.waiting) + " concerns not looked at yet (" +
                  count_words(figures.review.waiting_serious) + " serious).");
  if (figures.visibility.flows > 0) {
    lines.push_back("The box could not see into " +
                    percent_words(static_cast<double>(figures.visibility.unseen_flows) /
                                  static_cast<double>(figures.visibility.flows)) +
                    " of network connections.");
  }
  return lines;
}

std::string response_words(const IncidentRow& incident, bool with_text) {
  std::string text = "Incident " + std::to_string(incident.id) + ": ";
  if (incident.status == store::IncidentStatus::escalated && !incident.escalated_to.empty()) {
    text += "escalated to " + escalation_words(incident.escalated_to);
  } else {
    text += incident_status_words(store::to_string(incident.status));
  }
  text += ". ";
  if (!incident.intervention_recorded) {
    text += "No intervention recorded.";
  } else if (with_text && !incident.intervention.empty()) {
    text += "Intervention: " + shortened(incident.intervention, kInterventionChars);
  } else {
    text += "Intervention recorded (sealed: open the incident on the box to read it).";
  }
  if (incident.last_note_us != 0) text += " Last note " + short_date(incident.last_note_us) + ".";
  return text;
}

void add_pupils(pdf::Document& doc, const ReportFigures& figures, const PeriodWords& words) {
  doc.add(pdf::Heading{.text = "Pupils with the most serious concerns"});
  if (figures.pupils.empty()) {
    doc.add(nothing_note("No concern " + words.during +
                         " came from a device the box knows to be a pupil's."));
    return;
  }
  if (!figures.names_opened) {
    doc.add(pdf::Paragraph{
        .runs = {{"Pupils are shown by their record number, not their name. A safeguarding "
                  "lead signed in to the box can see who each one is on the People page, or "
                  "download this report with names."}},
        .small = true});
  }
  pdf::Table table{
      .columns = {
          {"Pupil", 1.5}, {"Concerns", 1.2}, {"Categories", 1.3}, {"What the school did", 3.2}}};
  for (const PupilConcern& pupil : figures.pupils) {
    std::string categories;
    for (const std::string& category : pupil.categories) {
      categories += (categories.empty() ? "" : ", ") + category_title(category);
    }
    std::string response;
    for (const IncidentRow& incident : pupil.incidents) {
      response += (response.empty() ? "" : "\n") + response_words(incident, figures.names_opened);
    }
    if (response.empty()) response = "No incident opened.";
    if (pupil.marked_reviewed + pupil.marked_false_alarm > 0) {
      response += "\n" + count_words(pupil.marked_reviewed) + " marked reviewed, " +
                  count_words(pupil.marked_false_alarm) + " a false alarm.";
    }
    table.rows.push_back(
        {pupil.name.empty() ? pupil.reference : pupil.name + "\n" + pupil.reference,
         count_words(pupil.captures) + " (" + count_words(pupil.serious) + " serious; highest " +
             std::to_string(pupil.highest_severity) + ")",
         categories, response});
  }
  doc.add(std::move(table));
  if (std::any_of(figures.pupils.begin(), figures.pupils.end(), [](const PupilConcern& pupil) {
        return pupil.serious > 0 && pupil.incidents.empty();
      })) {
    doc.add(pdf::Note{.title = "A serious concern without an incident",
                      .text = "At least one pupil above had a serious concern and no incident "
                              "on the box. If the school acted on it, record what was done in "
                              "an incident so the record is complete.",
                      .tone = pdf::Tone::kWarning});
  }
}

void add_incident_rows(pdf::Document& doc, const ReportFigures& figures) {
  if (figures.incidents.rows.empty()) return;
  doc.add(pdf::Heading{.text = "Each incident", .level = 2});
  pdf::Table table{.columns = {{"No.", 0.45, Align::kRight},
                               {"Opened", 1.1},
                               {"Where it stands", 1.6},
                               {"First reviewed", 1.1},
                               {"Intervention", 1.15},
                               {"Notes", 1.1}}};
  for (const IncidentRow& row : figures.incidents.rows) {
    std::string stands = incident_status_words(store::to_string(row.status));
    if (!row.escalated_to.empty()) stands += " (" + escalation_words(row.escalated_to) + ")";
    if (figures.names_opened && !row.title.empty()) stands = row.title + "\n" + stands;
    table.rows.push_back({std::to_string(row.id), short_date(row.opened_us), stands,
                          row.first_review_us == 0 ? "Not yet" : short_date(row.first_review_us),
                          row.intervention_recorded ? "Recorded" : "None",
                          row.notes == 0
                              ? "None"
                              : count_words(row.notes) + ", last " + short_date(row.last_note_us)});
  }
  doc.add(std::move(table));
}

void add_sites(pdf::Document& doc, const ReportFigures& figures, const PeriodWords& words) {
  doc.add(pdf::Heading{.text = "Most frequent sites"});
  const SiteFigures& sites = figures.sites;
  if (!sites.opened) {
    doc.add(
        nothing_note("The sites are in the sealed evidence: the box shows them only to a "
                     "signed-in safeguarding lead, so this copy of the report does not list "
                     "them."));
    return;
  }
  if (sites.sites.empty()) {
    doc.add(nothing_note("No site was recorded with the concerns " + words.during + "."));
    return;
  }
  pdf::Table table{.columns = {{"Site", 3},
                               {"Highest severity", 1.2, Align::kRight},
                               {"Concerns", 1, Align::kRight}}};
  for (const SiteCount& site : sites.sites) {
    table.rows.push_back(
        {site.host, std::to_string(site.highest_severity), count_words(site.captures)});
  }
  if (sites.limited) {
    table.caption = "From the latest " + count_words(sites.captures_read) + " concerns only.";
  }
  doc.add(std::move(table));
}

void add_devices(pdf::Document& doc, const ReportFigures& figures) {
  doc.add(pdf::Heading{.text = "Devices with the most serious concerns"});
  if (figures.devices.empty()) {
    doc.add(nothing_note("No device made a serious concern (severity 4 or 5)."));
    return;
  }
  pdf::Table table{.columns = {{"Device", 1.6},
                               {"Address", 1.1},
                               {"Whose, at the end of the period", 2.1},
                               {"Serious", 0.8, Align::kRight},
                               {"Highest", 0.8, Align::kRight}}};
  for (const DeviceRow& row : figures.devices) {
    table.rows.push_back({row.device.mac.empty() ? "(not known)" : row.device.mac, row.device.ip,
                          row.holder.empty() ? "Not assigned" : row.holder,
                          count_words(row.device.serious),
                          std::to_string(row.device.highest_severity)});
  }
  doc.add(std::move(table));
}

}  // namespace

std::string report_title(ReportKind kind, Audience audience) {
  if (audience == Audience::governors) {
    return kind == ReportKind::termly ? "Termly safeguarding report for governors"
                                      : "Safeguarding report for governors";
  }
  switch (kind) {
    case ReportKind::daily: return "Daily safeguarding digest";
    case ReportKind::weekly: return "Weekly safeguarding report";
    case ReportKind::termly: return "Termly safeguarding report";
    case ReportKind::custom: break;
  }
  return "Safeguarding report";
}

pdf::Document staff_report_document(const ReportFigures& figures, ReportKind kind) {
  const PeriodWords words = detail::period_words_for(kind);
  pdf::Document doc{
      .title = report_title(kind, Audience::staff),
      .school = figures.school_name,
      .subject =
          "Safeguarding concerns " + period_words(figures.period.from_us, figures.period.until_us),
      .created = std::chrono::sys_seconds(std::chrono::seconds(figures.made_us / 1'000'000)),
      .footer_note = "Confidential: safeguarding record"};
  detail::add_front_matter(
      doc, figures, kind,
      figures.names_opened
          ? "The DSL and the headteacher only. It names pupils: keep it as you keep "
            "safeguarding records and do not forward it."
          : "The DSL, the deputy and the headteacher. Pupils are shown by record number only.");
  doc.add(pdf::Heading{.text = "At a glance"});
  doc.add(pdf::BulletList{.items = glance(figures, words)});
  detail::add_concern_sections(doc, figures, words);
  add_pupils(doc, figures, words);
  detail::add_incident_summary(doc, figures, words);
  add_incident_rows(doc, figures);
  detail::add_review_section(doc, figures, words);
  detail::add_phrase_section(doc, figures, figures.phrases.size());
  add_sites(doc, figures, words);
  add_devices(doc, figures);
  detail::add_group_section(doc, figures, false);
  detail::add_visibility_section(doc, figures.visibility, words.during);
  detail::add_health_section(doc, figures);
  return doc;
}

Result<std::string> weekly_report_pdf(const ReportFigures& figures, ReportKind kind) {
  return pdf::render_pdf(staff_report_document(figures, kind));
}

pdf::Document governors_report_document(const ReportFigures& figures, ReportKind kind) {
  const PeriodWords words = detail::period_words_for(kind);
  pdf::Document doc{
      .title = report_title(kind, Audience::governors),
      .school = figures.school_name,
      .subject =
          "Safeguarding oversight " + period_words(figures.period.from_us, figures.period.until_us),
      .created = std::chrono::sys_seconds(std::chrono::seconds(figures.made_us / 1'000'000)),
      .footer_note = "No pupil is named in this report"};
  detail::add_front_matter(doc, figures, kind,
                           "Governors and trustees. It names no pupil and has no row about "
                           "any one pupil or device.");
  doc.add(pdf::Paragraph::plain(
      "The DfE's filtering and monitoring standards ask governing bodies to make sure the "
      "school's monitoring works and that concerns are acted on. This report gives the figures "
      "from the school's monitoring box; the designated safeguarding lead holds the records "
      "behind them."));
  doc.add(pdf::Heading{.text = "At a glance"});
  doc.add(pdf::BulletList{.items = glance(figures, words)});
  detail::add_concern_sections(doc, figures, words);
  detail::add_incident_summary(doc, figures, words);
  detail::add_review_section(doc, figures, words);
  detail::add_phrase_section(doc, figures, 5);
  detail::add_group_section(doc, figures, true);
  detail::add_visibility_section(doc, figures.visibility, words.during);
  detail::add_health_section(doc, figures);
  doc.add(pdf::Heading{.text = "Questions governors may wish to ask"});
  doc.add(pdf::BulletList{
      .items = {"Were the serious concerns acted on the same day, and how do we know?",
                "Are there patterns by year group or category that call for teaching or "
                "support (for example online safety lessons, or help for pupils' wellbeing)?",
                "Is the share of traffic the box cannot see growing, and does the school's "
                "filtering stop the ways round it (VPNs, proxies)?",
                "When did the school last review its filtering and monitoring, as the DfE "
                "standards ask at least once a year?"}});
  return doc;
}

Result<std::string> governors_report_pdf(const ReportFigures& figures, ReportKind kind) {
  return pdf::render_pdf(governors_report_document(figures, kind));
}

}  // namespace hm::reports
