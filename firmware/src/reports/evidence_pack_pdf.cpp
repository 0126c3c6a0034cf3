// The evidence pack's pages: one numbered section per point the DfE filtering and
// monitoring standards and KCSiE ask about, each saying what is asked, what the box's
// records show, and leaving what only the school knows as a marked blank.
#include <algorithm>

#include "library/categories.h"
#include "reports/evidence_pack.h"
#include "reports/sections.h"
#include "reports/wording.h"

namespace hm::reports {
namespace {

constexpr TimeUs kDayUs = 24 * 3'600'000'000LL;

using pdf::Align;

void asked(pdf::Document& doc, const std::string& text) {
  doc.add(pdf::Paragraph{.runs = {{"What is asked: ", true, true}, {text, false, true}}});
}

void from_records(pdf::Document& doc) {
  doc.add(pdf::Heading{.text = "From the box's records", .level = 2});
}

std::string when_or_never(const AuditFact& fact) {
  return fact.count == 0 ? "Never" : date_time(fact.last_us) + " (" + fact.last_actor + ")";
}

std::string yes_no(bool yes) { return yes ? "Yes" : "No"; }

void roles_section(pdf::Document& doc, const EvidencePackFacts& facts) {
  doc.add(pdf::Heading{.text = "1. Roles and responsibilities"});
  asked(doc,
        "the DfE standards ask schools to identify and assign roles and responsibilities to "
        "manage filtering and monitoring, with a senior leader and a governor responsible for "
        "making sure the standards are met. KCSiE gives the designated safeguarding lead (DSL) "
        "lead responsibility for safeguarding and online safety, including understanding the "
        "filtering and monitoring systems.");
  from_records(doc);
  pdf::Table table{.columns = {{"Name", 1.6},
                               {"Role on the box", 1.7},
                               {"May open evidence", 0.9},
                               {"Second sign-in step", 0.9},
                               {"Last signed in", 1.2}}};
  std::vector<std::string> leads;
  for (const StaffAccountFact& account : facts.accounts) {
    table.rows.push_back(
        {account.display_name, role_title(account.role), yes_no(account.sees_evidence),
         account.two_step ? "On" : "Off",
         account.last_sign_in_us == 0 ? "Never" : short_date(account.last_sign_in_us)});
    if (account.role == store::Role::dsl) leads.push_back(account.display_name);
  }
  if (table.rows.empty()) {
    doc.add(pdf::Note{.text = "The box has no staff accounts: it has not been set up.",
                      .tone = pdf::Tone::kWarning});
  } else {
    doc.add(std::move(table));
  }
  std::string lead_names;
  for (const std::string& name : leads) lead_names += (lead_names.empty() ? "" : ", ") + name;
  doc.add(pdf::KeyValueTable{
      .rows = {
          {"DSL on the box", lead_names.empty() ? "No account has the DSL's role" : lead_names},
          {"Alerts go to",
           facts.dsl_email.empty() ? "No DSL email address is set" : facts.dsl_email}}});
  if (leads.empty() || facts.dsl_email.empty()) {
    doc.add(pdf::Note{.title = "Missing",
                      .text = "Give the designated safeguarding lead an account with the DSL "
                              "role and set their email address (Settings → School), so "
                              "serious concerns reach them at once.",
                      .tone = pdf::Tone::kWarning});
  }
  doc.add(pdf::AnswerBox{.label = "The senior leader responsible for filtering and monitoring",
                         .hint = "Name and role",
                         .lines = 2});
  doc.add(pdf::AnswerBox{.label = "The governor or trustee responsible", .lines = 2});
  doc.add(pdf::AnswerBox{.label = "Who manages the filtering and monitoring systems day to day",
                         .hint = "IT support or provider, and how they work with the DSL",
                         .lines = 3});
}

void review_section(pdf::Document& doc, const EvidencePackFacts& facts) {
  doc.add(pdf::Heading{.text = "2. The annual review"});
  asked(doc,
        "the DfE standards ask schools to review their filtering and monitoring provision at "
        "least once every academic year, and when anything changes (a new risk, new devices, "
        "a safeguarding incident).");
  from_records(doc);
  if (facts.annual_review.count == 0) {
    doc.add(pdf::Note{.title = "No review on record",
                      .text = "The box holds no record of a review of filtering and monitoring. "
                              "Record it below, and on the box when it is done.",
                      .tone = pdf::Tone::kWarning});
  } else {
    doc.add(
        pdf::KeyValueTable{.rows = {{"Last review recorded", when_or_never(facts.annual_review)},
                                    {"What was recorded", facts.annual_review.last_detail}}});
    if (facts.annual_review.last_us < facts.made_us - 365 * kDayUs) {
      doc.add(pdf::Note{.text = "The last review recorded is more than a year old.",
                        .tone = pdf::Tone::kWarning});
    }
  }
  const LibraryFacts& library = facts.figures.health.library;
  TimeUs library_updated = 0;
  for (const library::LibraryEvent& event : library.history) {
    if (event.action == "import" || event.action == "rollback") {
      library_updated = event.time_unix * 1'000'000;
    }
  }
  doc.add(pdf::Paragraph::plain("What a review can draw on:"));
  doc.add(pdf::KeyValueTable{
      .rows = {{"Box set up", facts.set_up_us == 0 ? "Not recorded" : long_date(facts.set_up_us)},
               {"Library last updated",
                library_updated == 0 ? "Never" : date_time(library_updated)},
               {"Retention last changed", when_or_never(facts.retention_changes)},
               {"Alert rules last changed", when_or_never(facts.alert_rule_changes)},
               {"Audit log", count_words(facts.audit_entries) + " entries; " +
                                 (facts.audit_intact ? "checked, nothing altered or removed"
                                                     : "ALTERED: " + facts.audit_problem)}},
      .key_width = 0.35});
  doc.add(pdf::AnswerBox{
      .label = "When the last review took place, who took part and what it found", .lines = 5});
  doc.add(pdf::AnswerBox{.label = "What changed as a result, and when the next review is due",
                         .lines = 3});
}

void filtering_section(pdf::Document& doc, const EvidencePackFacts& facts) {
  doc.add(pdf::Heading{.text = "3. Filtering"});
  asked(doc,
        "the DfE standards ask that filtering blocks harmful and inappropriate content without "
        "unreasonably affecting teaching and learning.");
  doc.add(pdf::Note{.text = "This box monitors; it does not block anything. The school's "
                            "filtering comes from another system, which the school describes "
                            "below."});
  from_records(doc);
  std::int64_t getting_round = 0;
  for (const Trend& trend : facts.figures.concerns.by_category) {
    if (trend.key == "circumvention") getting_round = trend.count;
  }
  std::int64_t vpn_flows = 0;
  for (const store::VisibilityTotal& total : facts.figures.visibility.classes) {
    if (total.visibility == "vpn") vpn_flows = total.flows;
  }
  doc.add(pdf::KeyValueTable{
      .rows = {{"Attempts to get round the filter",
                plural(getting_round, "concern", "concerns") + " in the last 12 months"},
               {"VPN or tunnel connections", count_words(vpn_flows) + " in the last 12 months"}},
      .key_width = 0.4});
  doc.add(pdf::AnswerBox{
      .label = "The filtering system and its provider, and how it was last checked",
      .hint = "For example: provider, whether it is a member of the Internet Watch Foundation "
              "and blocks its list and the police's terrorism list, and the date of the last check",
      .lines = 4});
}

void monitoring_section(pdf::Document& doc, const EvidencePackFacts& facts) {
  doc.add(pdf::Heading{.text = "4. Monitoring: what is and is not seen"});
  asked(doc,
        "the DfE standards ask for effective monitoring strategies that meet the school's "
        "safeguarding needs, and that the school knows what its monitoring can and cannot see.");
  from_records(doc);
  doc.add(pdf::Paragraph::plain(
      "The box watches the school network through a mirror port on the school's switch: the "
      "sites every device visits, searches, and the words on unencrypted pages, matched "
      "against a safeguarding library. It does not see devices on mobile data (4G or 5G) or "
      "away from school, the inside of encrypted pages, or traffic a device hides."));
  std::string categories;
  for (const library::KnownCategory& category : library::known_categories()) {
    categories += (categories.empty() ? "" : ", ") + std::string(category.title);
  }
  doc.add(pdf::KeyValueTable{.rows = {{"Categories watched", categories}}, .key_width = 0.25});
  detail::add_visibility_section(doc, facts.figures.visibility, "over the last 12 months");
  doc.add(pdf::AnswerBox{
      .label = "Other monitoring the school uses",
      .hint = "For example: supervision in lessons, device management, school laptops used at home",
      .lines = 3});
}

void library_section(pdf::Document& doc, const EvidencePackFacts& facts) {
  doc.add(pdf::Heading{.text = "5. The safeguarding library and its updates"});
  asked(doc,
        "that monitoring keeps up with new risks: the words, phrases and sites it looks for "
        "are kept up to date.");
  from_records(doc);
  detail::add_library_facts(doc, facts.figures.health.library, 0, 0);
}

void oversight_section(pdf::Document& doc, const EvidencePackFacts& facts) {
  doc.add(pdf::Heading{.text = "6. How concerns reach staff, and reports overseen"});
  asked(doc,
        "KCSiE asks staff to act on a concern immediately; the DfE standards ask senior leaders "
        "to oversee monitoring reports and act on them, and the DSL to take the lead.");
  from_records(doc);
  if (facts.alert_rules.empty()) {
    doc.add(pdf::Note{.text = "No alert rule is switched on: nobody is emailed about concerns.",
                      .tone = pdf::Tone::kWarning});
  } else {
    pdf::Table rules{.columns = {{"Alert rule", 3.2}, {"How fast", 1.1}, {"Who is told", 1.3}}};
    for (const AlertRuleFact& rule : facts.alert_rules) {
      rules.rows.push_back({rule.name, rule.delivery == "immediate" ? "At once" : "Daily digest",
                            rule.recipients == "dsl" ? "The DSL" : rule.recipients});
    }
    doc.add(std::move(rules));
  }
  if (facts.reports_made.empty()) {
    doc.add(pdf::Paragraph::plain("The box made no reports in the last 12 months."));
  } else {
    pdf::Table reports{.columns = {{"Reports made in the last 12 months", 2.6},
                                   {"How many", 0.9, Align::kRight},
                                   {"Latest", 1.4}}};
    for (const auto& [kind, made] : facts.reports_made) {
      reports.rows.push_back({kind == "weekly"      ? "Weekly reports"
                              : kind == "termly"    ? "Governors' termly reports"
                              : kind == "governors" ? "Governors' reports on request"
                              : kind == "digest"    ? "Daily digests"
                                                    : "Reports on request",
                              count_words(made.count), short_date(made.last_us)});
    }
    doc.add(std::move(reports));
  }
  doc.add(pdf::KeyValueTable{
      .rows = {{"Reports opened on the box", plural(facts.report_views.count, "time", "times") +
                                                 "; last " + when_or_never(facts.report_views)}},
      .key_width = 0.35});
  doc.add(pdf::AnswerBox{.label = "How senior leaders and governors oversee the reports",
                         .hint = "Who reads them, how often, and where it is minuted",
                         .lines = 3});
}

void incidents_section(pdf::Document& doc, const EvidencePackFacts& facts) {
  doc.add(pdf::Heading{.text = "7. Incidents recorded and followed up"});
  asked(doc,
        "KCSiE asks that every concern is acted on and recorded, with what was decided and "
        "done, and referred on (to children's social care, the police or Prevent) where needed.");
  from_records(doc);
  const detail::PeriodWords year{"year",
                                 "The last 12 months",
                                 "The 12 months before",
                                 "Average of the 4 years before",
                                 "in the last 12 months",
                                 "the 12 months before"};
  detail::add_incident_summary(doc, facts.figures, year);
  doc.add(pdf::KeyValueTable{
      .rows = {{"Incidents with notes", count_words(facts.incidents_with_notes)}},
      .key_width = 0.4});
  detail::add_review_section(doc, facts.figures, year);
  doc.add(pdf::AnswerBox{
      .label = "Where else concerns are recorded, and how the box's records link to them",
      .hint = "For example the school's safeguarding record system",
      .lines = 3});
}

void evidence_access_section(pdf::Document& doc, const EvidencePackFacts& facts) {
  doc.add(pdf::Heading{.text = "8. Who may see the evidence"});
  asked(doc,
        "that monitoring records are kept securely and seen only by those who need to (UK GDPR, "
        "and the school's safeguarding policy).");
  from_records(doc);
  doc.add(pdf::Paragraph::plain(
      "What the box captures is sealed: only the accounts below can open it, each with their "
      "own password, and every opening is written to a log that cannot be altered unnoticed."));
  pdf::Table table{
      .columns = {
          {"Name", 1.8}, {"Role", 1.8}, {"Holds the key", 0.9}, {"Second sign-in step", 1.0}}};
  bool without_two_step = false;
  for (const StaffAccountFact& account : facts.accounts) {
    if (!account.sees_evidence) continue;
    table.rows.push_back({account.display_name, role_title(account.role),
                          yes_no(account.has_evidence_key), account.two_step ? "On" : "Off"});
    without_two_step = without_two_step || !account.two_step;
  }
  if (table.rows.empty()) {
    doc.add(pdf::Paragraph::plain("No account may open evidence."));
  } else {
    doc.add(std::move(table));
  }
  doc.add(pdf::KeyValueTable{
      .rows = {{"Evidence opened",
                plural(facts.evidence_views.count, "time", "times") + " in the last 12 months"},
               {"Evidence exported", plural(facts.evidence_exports.count, "time", "times")},
               {"Audit log", facts.audit_intact ? "Complete and unaltered" : "ALTERED"}},
      .key_width = 0.35});
  if (without_two_step) {
    doc.add(pdf::Note{.text = "Some accounts that may open evidence have no second sign-in "
                              "step. Turning it on (Account page) protects the evidence if a "
                              "password is guessed."});
  }
  doc.add(pdf::AnswerBox{.label = "Checked that everyone above should still have access",
                         .hint = "Name and date",
                         .lines = 2});
}

void retention_section(pdf::Document& doc, const EvidencePackFacts& facts) {
  doc.add(pdf::Heading{.text = "9. How long records are kept"});
  asked(doc,
        "that personal data is kept no longer than needed (UK GDPR), and that safeguarding "
        "records are kept as the school's policy says.");
  from_records(doc);
  pdf::Table table{.columns = {{"Category", 2.6},
                               {"Kept for", 1, Align::kRight},
                               {"The box's default", 1.2, Align::kRight}}};
  for (const RetentionFact& fact : facts.retention) {
    table.rows.push_back({category_title(fact.category), plural(fact.days, "day", "days"),
                          plural(fact.default_days, "day", "days")});
  }
  doc.add(std::move(table));
  doc.add(pdf::KeyValueTable{
      .rows = {{"Settings changed",
                plural(facts.retention_changes.count, "time", "times") + " in the last 12 months"},
               {"Old records deleted",
                "automatically every hour; last run " + (facts.purges.count == 0
                                                             ? std::string("not recorded")
                                                             : date_time(facts.purges.last_us))}},
      .key_width = 0.35});
  doc.add(pdf::Paragraph{
      .runs = {{"Captures linked to an open incident are kept until the incident is closed."}},
      .small = true});
  doc.add(pdf::AnswerBox{.label = "Where the school's privacy notice and data protection policy "
                                  "cover the monitoring records",
                         .lines = 2});
}

void awareness_section(pdf::Document& doc) {
  doc.add(pdf::Heading{.text = "10. Telling pupils, staff and visitors"});
  asked(doc,
        "that the people using the school's network know it is monitored and why (the UK Safer "
        "Internet Centre's definition of appropriate monitoring; the school's acceptable use "
        "agreements).");
  doc.add(pdf::Paragraph::plain(
      "The box prints an acceptable-use statement and a classroom poster in the school's name."));
  doc.add(pdf::AnswerBox{.label = "Where the notices are displayed, and when pupils, staff, "
                                  "parents and visitors were last told",
                         .lines = 3});
}

void sign_off_section(pdf::Document& doc) {
  doc.add(pdf::Heading{.text = "11. Sign-off"});
  doc.add(pdf::AnswerBox{.label = "Checked by the designated safeguarding lead",
                         .hint = "Name, signature and date",
                         .lines = 2});
  doc.add(pdf::AnswerBox{.label = "Checked by the senior leader responsible",
                         .hint = "Name, signature and date",
                         .lines = 2});
  doc.add(pdf::AnswerBox{
      .label = "Seen by the governor responsible", .hint = "Name, signature and date", .lines = 2});
}

}  // namespace

pdf::Document evidence_pack_document(const EvidencePackFacts& facts) {
  pdf::Document doc{
      .title = "Filtering and monitoring: evidence pack",
      .school = facts.school_name,
      .subject = "Evidence for the DfE filtering and monitoring standards and KCSiE",
      .created = std::chrono::sys_seconds(std::chrono::seconds(facts.made_us / 1'000'000)),
      .footer_note = "Filtering and monitoring evidence pack"};
  doc.add(pdf::Title{
      .text = "Filtering and monitoring: evidence pack",
      .subtitle = (facts.school_name.empty() ? std::string() : facts.school_name + ", ") +
                  "as at " + long_date(facts.made_us)});
  doc.add(pdf::KeyValueTable{
      .rows = {
          {"School", facts.school_name.empty() ? "(no name set on the box)" : facts.school_name},
          {"Made", date_time(facts.made_us) + " by the school's hallmonitor box"},
          {"Figures cover", period_words(facts.year.from_us, facts.year.until_us)}}});
  doc.add(pdf::Paragraph::plain(
      "This pack answers, point by point, what the DfE's \"Filtering and monitoring standards "
      "for schools and colleges\" and Keeping Children Safe in Education ask about monitoring. "
      "The figures come from the monitoring box's own records and name no pupil. Where only the "
      "school can answer, a box marked \"To be answered by the school\" is left to fill in by "
      "hand, or to point to the school's own documents."));
  // The contents as numbered lines of one paragraph: pdf::BulletList's numbered layout
  // leaves no room for two-digit numbers ("10Telling").
  doc.add(pdf::Paragraph::plain(
      "1. Roles and responsibilities\n2. The annual review\n3. Filtering\n"
      "4. Monitoring: what is and is not seen\n5. The safeguarding library and its updates\n"
      "6. How concerns reach staff, and reports overseen\n"
      "7. Incidents recorded and followed up\n8. Who may see the evidence\n"
      "9. How long records are kept\n10. Telling pupils, staff and visitors\n11. Sign-off"));
  roles_section(doc, facts);
  review_section(doc, facts);
  filtering_section(doc, facts);
  monitoring_section(doc, facts);
  library_section(doc, facts);
  oversight_section(doc, facts);
  incidents_section(doc, facts);
  evidence_access_section(doc, facts);
  retention_section(doc, facts);
  awareness_section(doc);
  sign_off_section(doc);
  return doc;
}

Result<std::string> evidence_pack_pdf(const EvidencePackFacts& facts) {
  return pdf::render_pdf(evidence_pack_document(facts));
}

}  // namespace hm::reports
