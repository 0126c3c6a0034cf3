#include "reports/sections.h"

#include <algorithm>
#include <cmath>

#include "reports/wording.h"

namespace hm::reports::detail {
namespace {

constexpr TimeUs kMicros = 1'000'000;
constexpr TimeUs kHourUs = 3600 * kMicros;

using pdf::Align;

std::string waits_words(const Waits& waits) {
  if (waits.count == 0) return "None yet";
  return duration_words(waits.median_us) + " (longest " + duration_words(waits.longest_us) + ")";
}

// "48% more than the average of the 4 weeks before (15.5)".
std::string change_words(std::int64_t now, double before, const PeriodWords& words) {
  const std::string average = "the average of the 4 " + words.noun + "s before";
  if (before == 0) return "there were none in the 4 " + words.noun + "s before";
  const double change = (static_cast<double>(now) - before) / before;
  const std::string figure = " (" + average_words(before) + ")";
  if (std::abs(change) < 0.05) return "about the same as " + average + figure;
  if (change >= 1) {
    std::string times = average_words(static_cast<double>(now) / before);
    if (times.ends_with(".0")) times.resize(times.size() - 2);
    return times + " times " + average + figure;
  }
  return percent_words(std::abs(change)) + (change > 0 ? " more" : " fewer") + " than " + average +
         figure;
}

std::string library_event_words(const library::LibraryEvent& event) {
  const std::string version = "edition " + std::to_string(event.version);
  if (event.action == "import") {
    return "Updated to " + version +
           (event.previous != 0 ? " (from edition " + std::to_string(event.previous) + ")" : "");
  }
  if (event.action == "rollback") return "Went back to " + version;
  if (event.action == "reject") {
    return "Refused an update" + (event.version != 0 ? " (" + version + ")" : std::string()) +
           ": " + event.reason;
  }
  return event.action + " " + version;
}

}  // namespace

PeriodWords period_words_for(ReportKind kind) {
  switch (kind) {
    case ReportKind::daily:
      return {"day",   "Today",         "The day before", "Average of the 4 days before",
              "today", "the day before"};
    case ReportKind::weekly:
      return {"week",      "This week", "Last week", "Average of the 4 weeks before",
              "this week", "last week"};
    case ReportKind::termly:
      return {"term",      "This term", "Last term", "Average of the 4 terms before",
              "this term", "last term"};
    case ReportKind::custom: break;
  }
  return {
      "period",         "This period",      "The period before", "Average of the 4 periods before",
      "in this period", "the period before"};
}

pdf::Note nothing_note(std::string text) { return pdf::Note{.text = std::move(text)}; }

void add_front_matter(pdf::Document& doc, const ReportFigures& figures, ReportKind kind,
                      const std::string& audience_line) {
  const Period& period = figures.period;
  doc.add(pdf::Title{.text = report_title(kind, figures.audience),
                     .subtitle = period_words(period.from_us, period.until_us)});
  doc.add(pdf::KeyValueTable{
      .rows = {{"School",
                figures.school_name.empty() ? "(no name set on the box)" : figures.school_name},
               {"Period", period_words(period.from_us, period.until_us)},
               {"Made", date_time(figures.made_us) + " by the school's hallmonitor box"},
               {"Who may read it", audience_line}}});
}

void add_concern_sections(pdf::Document& doc, const ReportFigures& figures,
                          const PeriodWords& words) {
  const ConcernFigures& concerns = figures.concerns;
  doc.add(pdf::Heading{.text = "Concerns by severity"});
  doc.add(pdf::Paragraph::plain(
      "Each concern is something a pupil's device searched for, visited or typed that matched "
      "the safeguarding library. Severity 5 is the most serious. " +
      words.this_period + ": " + plural(concerns.counts.total, "concern", "concerns") + ", " +
      change_words(concerns.counts.total, concerns.average_total_before, words) + "."));
  pdf::Table severities{.columns = {{"Severity", 2.2},
                                    {words.this_period, 1, Align::kRight},
                                    {words.previous, 1, Align::kRight},
                                    {words.average_before, 1.4, Align::kRight}},
                        .last_row_total = true};
  for (const Trend& trend : concerns.by_severity) {
    severities.rows.push_back({severity_words(std::stoi(trend.key)), count_words(trend.count),
                               count_words(trend.previous), average_words(trend.average_before)});
  }
  severities.rows.push_back({"Total", count_words(concerns.counts.total),
                             count_words(concerns.previous_total),
                             average_words(concerns.average_total_before)});
  doc.add(std::move(severities));

  doc.add(pdf::Heading{.text = "Concerns by category"});
  if (concerns.by_category.empty()) {
    doc.add(nothing_note("No concerns were recorded in any category, " + words.during +
                         " or in the 4 " + words.noun + "s before it."));
  } else {
    pdf::Table categories{.columns = {{"Category", 2.2},
                                      {words.this_period, 1, Align::kRight},
                                      {words.previous, 1, Align::kRight},
                                      {words.average_before, 1.4, Align::kRight}}};
    pdf::BarChart chart{.title = words.this_period + " against the " + words.noun + "s before",
                        .series = {{words.this_period, {}}, {words.average_before, {}}},
                        .value_label = "Concerns",
                        .horizontal = true};
    for (const Trend& trend : concerns.by_category) {
      categories.rows.push_back({category_title(trend.key), count_words(trend.count),
                                 count_words(trend.previous), average_words(trend.average_before)});
      chart.categories.push_back(category_title(trend.key));
      chart.series[0].values.push_back(static_cast<double>(trend.count));
      chart.series[1].values.push_back(std::round(trend.average_before * 10) / 10);
    }
    doc.add(std::move(categories));
    doc.add(std::move(chart));
  }

  if (concerns.by_day.size() > 1) {
    const bool days =
        concerns.by_day.front().until_us - concerns.by_day.front().from_us <= 24 * kHourUs;
    doc.add(pdf::Heading{.text = days ? "Day by day" : "Week by week", .level = 2});
    pdf::BarChart chart{.series = {{"All concerns", {}}, {"Serious (severity 4 or 5)", {}}},
                        .value_label = "Concerns",
                        .height_mm = 55};
    for (const DayCount& day : concerns.by_day) {
      chart.categories.push_back(days ? day_label(day.from_us) : "w/c " + day_label(day.from_us));
      chart.series[0].values.push_back(static_cast<double>(day.concerns));
      chart.series[1].values.push_back(static_cast<double>(day.serious));
    }
    doc.add(std::move(chart));
  }
}

void add_incident_summary(pdf::Document& doc, const ReportFigures& figures,
                          const PeriodWords& words) {
  const IncidentFigures& incidents = figures.incidents;
  doc.add(pdf::Heading{.text = "Incidents"});
  const std::int64_t active = incidents.open_at_end + incidents.closed;
  if (active == 0) {
    doc.add(nothing_note("No incident was open at any time " + words.during + "."));
    return;
  }
  std::string escalations;
  for (const auto& [target, n] : incidents.escalated_to) {
    if (!escalations.empty()) escalations += ", ";
    escalations += escalation_words(target) + " (" + count_words(n) + ")";
  }
  doc.add(pdf::KeyValueTable{
      .rows = {{"Opened " + words.during, count_words(incidents.opened)},
               {"Closed " + words.during, count_words(incidents.closed)},
               {"Still open at the end", count_words(incidents.open_at_end)},
               {"Escalated", escalations.empty() ? "None" : escalations},
               {"With the intervention recorded",
                count_words(incidents.with_intervention) + " of " + count_words(active)},
               {"Time to first review", waits_words(incidents.first_review)}},
      .key_width = 0.4});
  doc.add(pdf::Paragraph{
      .runs = {{"Time to first review is from an incident being opened to someone first "
                "moving it on from \"new\" (the middle value of those opened " +
                words.during + ")."}},
      .small = true});
}

void add_review_section(pdf::Document& doc, const ReportFigures& figures,
                        const PeriodWords& words) {
  const ReviewFigures& review = figures.review;
  doc.add(pdf::Heading{.text = "How quickly concerns were looked at"});
  if (review.captures == 0) {
    doc.add(nothing_note("There were no concerns to look at " + words.during + "."));
    return;
  }
  doc.add(pdf::KeyValueTable{
      .rows = {{"Concerns " + words.during, count_words(review.captures)},
               {"Looked at", count_words(review.looked_at) + " (" +
                                 count_words(review.in_incident) + " in an incident, " +
                                 count_words(review.false_positive) + " marked a false alarm)"},
               {"Time to first look, all", waits_words(review.first_review)},
               {"Time to first look, serious", waits_words(review.serious_first_review)},
               {"Not looked at yet", count_words(review.waiting) + " (" +
                                         count_words(review.waiting_serious) + " serious)"}},
      .key_width = 0.4});
  doc.add(pdf::Paragraph{
      .runs = {{"The time to first look runs from the concern to the first time a member of "
                "staff marked it or added it to an incident; the figure is the middle value."}},
      .small = true});
  if (review.waiting_serious > 0) {
    doc.add(pdf::Note{.title = "Serious concerns are waiting",
                      .text = "Of the serious concerns " + words.during + ", " +
                              count_words(review.waiting_serious) +
                              " had not been looked at when this report was made. " +
                              (figures.audience == Audience::governors
                                   ? std::string("Ask the designated safeguarding lead how they "
                                                 "were followed up.")
                                   : std::string("Keeping Children Safe in Education asks "
                                                 "staff to act on a concern at once: please "
                                                 "open them on the box today.")),
                      .tone = pdf::Tone::kWarning});
  }
}

void add_phrase_section(pdf::Document& doc, const ReportFigures& figures, std::size_t limit) {
  doc.add(pdf::Heading{.text = "Most frequent phrases"});
  if (figures.phrases.empty()) {
    doc.add(nothing_note("No phrase from the library matched."));
    return;
  }
  pdf::Table table{.columns = {{"Phrase or site in the library", 2.4},
                               {"Category", 1.6},
                               {"Highest severity", 1.2, Align::kRight},
                               {"Concerns", 0.9, Align::kRight}},
                   .caption = "The library's own entries that matched, not what pupils typed."};
  for (std::size_t i = 0; i < figures.phrases.size() && i < limit; ++i) {
    const PhraseCount& phrase = figures.phrases[i];
    table.rows.push_back({phrase.phrase, category_title(phrase.category),
                          std::to_string(phrase.highest_severity), count_words(phrase.captures)});
  }
  doc.add(std::move(table));
}

void add_group_section(pdf::Document& doc, const ReportFigures& figures, bool year_and_class_only) {
  doc.add(pdf::Heading{.text = "Groups with the most serious concerns"});
  pdf::Table table{
      .columns = {{"Group", 2.5}, {"Kind", 1.2}, {"Serious concerns", 1.2, Align::kRight}}};
  for (const store::GroupConcern& group : figures.groups) {
    if (year_and_class_only && group.kind != "year" && group.kind != "class") continue;
    const std::string kind = group.kind == "year"         ? "Year group"
                             : group.kind == "class"      ? "Class"
                             : group.kind == "staff"      ? "Staff"
                             : group.kind == "vulnerable" ? "Vulnerable / high-risk"
                                                          : "School's own group";
    table.rows.push_back({group.name, kind, count_words(group.serious)});
  }
  if (table.rows.empty()) {
    doc.add(
        nothing_note("No serious concern (severity 4 or 5) came from a device the box knows "
                     "the group of."));
    return;
  }
  doc.add(std::move(table));
}

void add_visibility_section(pdf::Document& doc, const VisibilityFigures& visibility,
                            const std::string& when) {
  doc.add(pdf::Heading{.text = "What the box could not see"});
  if (visibility.flows == 0) {
    doc.add(nothing_note("The box recorded no network traffic " + when +
                         ", so it cannot say what it could or could not see."));
    return;
  }
  const double share =
      static_cast<double>(visibility.unseen_flows) / static_cast<double>(visibility.flows);
  doc.add(pdf::Paragraph::plain(
      "Most web traffic is encrypted. The box reads the names of the sites devices visit and "
      "everything on unencrypted pages; it cannot read inside encrypted pages, and some "
      "traffic hides even the site's name."));
  doc.add(pdf::Paragraph{
      .runs = {{"The box could not see into "},
               {percent_words(share) + " of the connections", true},
               {" " + when + " (" + count_words(visibility.unseen_flows) + " of " +
                count_words(visibility.flows) +
                "). Hidden traffic is not a concern on its "
                "own, but a device that hides most of its traffic may be avoiding the "
                "school's filter and monitoring."}}});
  pdf::Table table{.columns = {{"Kind of traffic", 3},
                               {"Seen into?", 0.9},
                               {"Connections", 1.1, Align::kRight},
                               {"Data", 1, Align::kRight}}};
  for (const store::VisibilityTotal& total : visibility.classes) {
    table.rows.push_back({visibility_name(total.visibility),
                          visibility_seen(total.visibility) ? "Yes" : "No",
                          count_words(total.flows), bytes_words(total.bytes)});
  }
  doc.add(std::move(table));
}

void add_library_facts(pdf::Document& doc, const LibraryFacts& library, TimeUs from_us,
                       TimeUs until_us) {
  if (!library.readable) {
    doc.add(pdf::Note{.title = "The library's records could not be read",
                      .text = library.problem,
                      .tone = pdf::Tone::kWarning});
    return;
  }
  std::vector<std::pair<std::string, std::string>> rows;
  if (library.bundle_active) {
    rows.emplace_back(
        "Library in use",
        "Edition " + std::to_string(library.version) +
            (library.publisher.empty() ? std::string() : " from " + library.publisher));
    if (library.created_unix != 0) {
      rows.emplace_back("Edition dated", long_date(library.created_unix * kMicros));
    }
    if (library.installed_unix != 0) {
      rows.emplace_back("Installed on this box", date_time(library.installed_unix * kMicros));
    }
  } else {
    rows.emplace_back("Library in use",
                      "The starter library that came with the box (no update installed yet)");
  }
  if (!library.versions_used.empty()) {
    std::string used;
    for (const std::string& version : library.versions_used) {
      used += (used.empty() ? "" : ", ") + version;
    }
    rows.emplace_back("Matched with", used);
  }
  doc.add(pdf::KeyValueTable{.rows = std::move(rows), .key_width = 0.3});

  pdf::Table history{.columns = {{"When", 1.3}, {"What happened", 3.7}}};
  for (auto event = library.history.rbegin(); event != library.history.rend(); ++event) {
    const TimeUs at = event->time_unix * kMicros;
    if (from_us != 0 && (at < from_us || at >= until_us)) continue;
    history.rows.push_back({date_time(at), library_event_words(*event)});
  }
  if (history.rows.empty()) {
    doc.add(pdf::Paragraph::plain(from_us != 0 ? "The library was not updated in this period."
                                               : "No library update is on record."));
  } else {
    doc.add(pdf::Heading{.text = "Library updates", .level = 2});
    doc.add(std::move(history));
  }
}

void add_health_section(pdf::Document& doc, const ReportFigures& figures) {
  const HealthFigures& health = figures.health;
  doc.add(pdf::Heading{.text = "The box's health"});
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back("Hours with network traffic",
                    count_words(health.hours_with_traffic) + " of " + count_words(health.hours));
  rows.emplace_back("School hours with no traffic",
                    count_words(health.school_hours_without_traffic) + " of " +
                        count_words(health.school_hours) + " (weekdays, 8am to 4pm)");
  rows.emplace_back("Last traffic seen",
                    health.last_traffic_us == 0 ? "Never" : date_time(health.last_traffic_us));
  rows.emplace_back("Storage", health.store_state == "disk_full"
                                   ? "FULL: new concerns are not being kept"
                                   : "Working");
  rows.emplace_back("Concerns lost to a full disk",
                    count_words(health.captures_unstored_disk_full) + " since the box was set up");
  if (health.live) {
    const LiveHealth& live = *health.live;
    if (live.box_uptime_seconds >= 0) {
      rows.emplace_back("Running for", duration_words(live.box_uptime_seconds * kMicros));
    }
    rows.emplace_back("Packets dropped",
                      count_words(static_cast<std::int64_t>(live.ring_drops + live.kernel_drops +
                                                            live.interface_drops)) +
                          " since the monitoring last started");
  } else {
    rows.emplace_back("Running time and dropped packets",
                      "Not recorded: the box counts these only while it runs, and this report "
                      "was made without them");
  }
  doc.add(pdf::KeyValueTable{.rows = std::move(rows), .key_width = 0.35});
  if (health.store_state == "disk_full" || health.school_hours_without_traffic > 0) {
    doc.add(pdf::Note{
        .title = "Check the box",
        .text = health.store_state == "disk_full"
                    ? "The box's storage is full. " + health.store_message
                    : "During some school hours the box saw no traffic at all: it may have "
                      "been switched off or unplugged from the switch, or the school was "
                      "closed. Check the System page on the box.",
        .tone = pdf::Tone::kWarning});
  }
  doc.add(pdf::Heading{.text = "The safeguarding library", .level = 2});
  add_library_facts(doc, health.library, figures.period.from_us, figures.period.until_us);
}

}  // namespace hm::reports::detail
