#include "reports/evidence_pack.h"

#include <algorithm>

#include "library/categories.h"
#include "reports/report_queries.h"
#include "store/audit_log.h"
#include "store/incident_repository.h"
#include "store/retention.h"
#include "store/settings_repository.h"
#include "store/staff_accounts.h"

namespace hm::reports {
namespace {

constexpr TimeUs kDayUs = 24 * 3'600'000'000LL;

std::size_t role_order(store::Role role) {
  const auto roles = store::all_roles();
  return static_cast<std::size_t>(std::find(roles.begin(), roles.end(), role) - roles.begin());
}

std::vector<StaffAccountFact> account_facts(store::Database& db, TimeUs now) {
  std::vector<StaffAccountFact> accounts;
  for (const store::AccountSummary& summary : store::StaffAccounts(db).list(now)) {
    accounts.push_back(
        {.display_name = summary.user.display_name,
         .username = summary.user.username,
         .role = summary.user.role,
         .sees_evidence = store::allows(summary.user.role, store::Permission::see_evidence),
         .has_evidence_key = summary.has_evidence_key,
         .two_step = summary.two_step,
         .last_sign_in_us = summary.last_sign_in_us.value_or(0)});
  }
  std::stable_sort(accounts.begin(), accounts.end(),
                   [](const StaffAccountFact& a, const StaffAccountFact& b) {
                     if (a.role != b.role) return role_order(a.role) < role_order(b.role);
                     return a.display_name < b.display_name;
                   });
  return accounts;
}

}  // namespace

EvidencePackFacts gather_evidence_pack(store::Database& db, const std::filesystem::path& data_dir,
                                       TimeUs now_us) {
  EvidencePackFacts facts;
  facts.made_us = now_us != 0 ? now_us : store::now_us();
  facts.year = {facts.made_us - 365 * kDayUs, facts.made_us};
  store::SettingsRepository settings(db);
  facts.school_name = settings.get("school.name").value_or("");
  facts.dsl_email = settings.get("school.dsl_email").value_or("");
  facts.set_up_us = detail::audit_tally(db, "setup", 0).last_us;

  facts.accounts = account_facts(db, facts.made_us);
  const TimeUs since = facts.year.from_us;
  facts.annual_review = detail::audit_tally(db, kAnnualReviewAction, 0);
  facts.retention_changes = detail::audit_tally(db, "settings_change", since, "retention of ");
  facts.purges = detail::audit_tally(db, "purge", since);
  facts.evidence_views = detail::audit_tally(db, "evidence_view", since);
  facts.evidence_exports = detail::audit_tally(db, "evidence_export", since);
  facts.report_views = detail::audit_tally_prefix(db, "report", since);
  facts.alert_rule_changes = detail::audit_tally(db, "alert_rule_change", since);
  facts.reports_made = detail::reports_made(db, since);
  facts.alert_rules = detail::alert_rules(db);
  const store::AuditLog::Verification verified = store::AuditLog(db).verify();
  facts.audit_entries = verified.entries;
  facts.audit_intact = !verified.first_broken.has_value();
  facts.audit_problem = verified.reason;

  // The year's figures as the governors' report has them: counts, never names.
  ReportOptions options;
  options.audience = Audience::governors;
  options.data_dir = data_dir;
  options.now_us = facts.made_us;
  facts.figures = gather_report(db, facts.year, options);
  store::IncidentRepository incidents(db);
  for (const store::Incident& incident : incidents.list()) {
    const bool in_year = incident.opened_us < facts.year.until_us &&
                         (incident.open || incident.closed_us >= facts.year.from_us);
    if (in_year && !incidents.notes(incident.id).empty()) ++facts.incidents_with_notes;
  }
  for (const library::KnownCategory& category : library::known_categories()) {
    facts.retention.push_back({std::string(category.id), store::retention_days(db, category.id),
                               store::default_retention_days(category.id)});
  }
  return facts;
}

}  // namespace hm::reports
