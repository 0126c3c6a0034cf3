#pragma once

#include <string>

#include "base/result.h"
#include "pdf/document.h"
#include "reports/report_data.h"

// The safeguarding reports as PDF (issue 7 item 3), in plain words for a headteacher:
// every section says what it shows, and a section with nothing to show says so.
namespace hm::reports {

// Which report a period's figures make: it names the period ("this week", "today").
enum class ReportKind { daily, weekly, termly, custom };

// The DSL's and headteacher's report: concerns and trends, the pupils with the most
// serious concerns and what was done for each, incidents and review times, phrases,
// sites, devices and groups, what the box could not see and its health. Pupils are
// named only when `figures` were gathered with the key (names_opened).
pdf::Document staff_report_document(const ReportFigures& figures,
                                    ReportKind kind = ReportKind::weekly);
Result<std::string> weekly_report_pdf(const ReportFigures& figures,
                                      ReportKind kind = ReportKind::weekly);

// The governors' report (termly by default): counts, trends, incidents and how they were
// followed up, what the box could not see and its health. Never a name, a pupil, a
// device or a small group, whatever `figures` hold.
pdf::Document governors_report_document(const ReportFigures& figures,
                                        ReportKind kind = ReportKind::termly);
Result<std::string> governors_report_pdf(const ReportFigures& figures,
                                         ReportKind kind = ReportKind::termly);

// "Weekly safeguarding report", "Daily safeguarding digest" …, for titles, subjects
// and the reports table.
std::string report_title(ReportKind kind, Audience audience);

}  // namespace hm::reports
