#pragma once

#include <string>

#include "pdf/document.h"
#include "reports/report_data.h"
#include "reports/report_pdf.h"

// Internal to reports/: the sections the staff report, the governors' report and the
// evidence pack share, so each says a thing the same way.
namespace hm::reports::detail {

// How a report names its period and the ones it is compared with.
struct PeriodWords {
  std::string noun;            // "week"
  std::string this_period;     // "This week"
  std::string previous;        // "Last week"
  std::string average_before;  // "Average of the 4 weeks before"
  std::string during;          // "this week", "today", "in the last 12 months"
  std::string last;            // "last week", "the day before"
};
PeriodWords period_words_for(ReportKind kind);

// Title block and the key facts (school, period, made, who may read it).
void add_front_matter(pdf::Document& doc, const ReportFigures& figures, ReportKind kind,
                      const std::string& audience_line);
// Concerns by severity and by category with their trends, and a chart of each day.
void add_concern_sections(pdf::Document& doc, const ReportFigures& figures,
                          const PeriodWords& words);
// Incidents opened, closed and open, escalations, time to first review (counts only).
void add_incident_summary(pdf::Document& doc, const ReportFigures& figures,
                          const PeriodWords& words);
// How quickly concerns were looked at.
void add_review_section(pdf::Document& doc, const ReportFigures& figures, const PeriodWords& words);
void add_phrase_section(pdf::Document& doc, const ReportFigures& figures, std::size_t limit);
// `year_and_class_only`: governors see only year groups and classes (a small custom or
// "vulnerable" group could point to one child).
void add_group_section(pdf::Document& doc, const ReportFigures& figures, bool year_and_class_only);
// What the box could not see into.
void add_visibility_section(pdf::Document& doc, const VisibilityFigures& visibility,
                            const std::string& when);
// The box's health and its library.
void add_health_section(pdf::Document& doc, const ReportFigures& figures);
// The library's version, date and update history (all of it when `from_us` is 0).
void add_library_facts(pdf::Document& doc, const LibraryFacts& library, TimeUs from_us,
                       TimeUs until_us);

// "Nothing … this week." as a quiet note.
pdf::Note nothing_note(std::string text);

}  // namespace hm::reports::detail
