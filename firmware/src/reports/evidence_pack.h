#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "pdf/document.h"
#include "reports/report_data.h"
#include "store/database.h"
#include "store/roles.h"

// The inspection evidence pack (issue 7 item 4): one PDF that answers, item by item,
// the monitoring points of the DfE "Filtering and monitoring standards for schools and
// colleges" and Keeping Children Safe in Education, from the box's own records (accounts
// and roles, the audit log, settings, incidents, the library's history, what the box
// could see), with what only the school can answer left as marked blanks.
namespace hm::reports {

// The audit action the school's record of its annual filtering and monitoring review is
// written under (detail: what was reviewed and by whom). The pack shows the latest.
inline constexpr std::string_view kAnnualReviewAction = "monitoring_review";

struct StaffAccountFact {
  std::string display_name;
  std::string username;
  store::Role role = store::Role::viewer;
  bool sees_evidence = false;     // the role may open evidence (store/roles.h)
  bool has_evidence_key = false;  // the account holds its copy of the evidence key
  bool two_step = false;
  TimeUs last_sign_in_us = 0;  // 0: never
};

struct RetentionFact {
  std::string category;
  int days = 0;
  int default_days = 0;
};

// One kind of entry in the audit log over the pack's year: how many, and the latest.
struct AuditFact {
  std::int64_t count = 0;
  TimeUs last_us = 0;
  std::string last_actor;
  std::string last_detail;
};

struct AlertRuleFact {
  std::string name;
  std::string delivery;  // immediate, digest
  std::string recipients;
};

struct EvidencePackFacts {
  std::string school_name;
  std::string dsl_email;
  TimeUs made_us = 0;
  Period year;           // the 12 months the figures cover, to made_us
  TimeUs set_up_us = 0;  // when the box was set up (the audit log's setup entry); 0: not known

  std::vector<StaffAccountFact> accounts;  // by role, then name
  AuditFact annual_review;                 // kAnnualReviewAction entries, ever
  AuditFact retention_changes;             // over the year
  AuditFact purges;                        // the retention purge's runs, over the year
  AuditFact evidence_views;                // evidence opened, over the year
  AuditFact evidence_exports;
  AuditFact report_views;  // report_* entries (viewed, downloaded …)
  AuditFact alert_rule_changes;
  std::map<std::string, AuditFact> reports_made;  // by kind (weekly, termly …)
  std::vector<AlertRuleFact> alert_rules;         // enabled ones
  std::int64_t audit_entries = 0;                 // the whole log, checked
  bool audit_intact = true;                       // every entry's hash chain holds
  std::string audit_problem;

  // The year's figures as the governors' report has them (counts, never names): concerns,
  // review times, incidents, what the box could see, the library and its history.
  ReportFigures figures;
  std::int64_t incidents_with_notes = 0;
  std::vector<RetentionFact> retention;  // every category the box knows
};

// Everything the pack shows, as of `now_us` (0: the clock's now). Never opens evidence or
// names: the pack goes to inspectors.
EvidencePackFacts gather_evidence_pack(store::Database& db, const std::filesystem::path& data_dir,
                                       TimeUs now_us = 0);

pdf::Document evidence_pack_document(const EvidencePackFacts& facts);
Result<std::string> evidence_pack_pdf(const EvidencePackFacts& facts);

}  // namespace hm::reports
