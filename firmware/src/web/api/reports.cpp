// The Reports page (issue 7 items 3–4): reports kept by the schedule or made on demand
// for any period, downloaded as PDF; a DSL's copy with pupils' names (made for the
// download, never kept); the inspection evidence pack; the printable notices.
#include <charconv>
#include <string>

#include "alerts/clock.h"
#include "reports/evidence_pack.h"
#include "reports/live_health.h"
#include "reports/notices.h"
#include "reports/report_archive.h"
#include "reports/report_data.h"
#include "reports/report_pdf.h"
#include "store/audit_log.h"
#include "store/roles.h"
#include "store/settings_repository.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"
#include "web/session_keys.h"

namespace hm::web::api {
namespace {

constexpr std::int64_t kDayUs = 24LL * 3600 * 1'000'000;
// The longest period one report covers: a school year and a bit.
constexpr std::int64_t kMaxReportDays = 400;

Response pdf_download(std::string bytes, const std::string& filename) {
  Response response;
  response.status = 200;
  response.content_type = "application/pdf";
  response.body = std::move(bytes);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return response;
}

Response not_drawn(const std::string& why) {
  return Response::problem(500, "report_not_drawn", "The report could not be drawn: " + why);
}

// "2026-11-16" → the local midnight that starts it.
std::optional<std::int64_t> day_start(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  auto number = [](std::string_view digits, int& out) {
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return error == std::errc{} && end == digits.data() + digits.size();
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !number(text.substr(0, 4), year) ||
      !number(text.substr(5, 2), month) || !number(text.substr(8, 2), day) || year < 2000 ||
      year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  return alerts::local_moment(year, month, day, 0);
}

// The period from "from" to "to" (both days included), or the 400 that says what is wrong.
std::variant<reports::Period, Response> period_of(const std::optional<std::string>& from,
                                                  const std::optional<std::string>& to) {
  std::optional<std::int64_t> first;
  std::optional<std::int64_t> last;
  if (from && to) {
    first = day_start(*from);
    last = day_start(*to);
  }
  if (!first.has_value() || !last.has_value()) {
    return Response::problem(400, "invalid_period",
                             "Give the first and last day of the report as dates like 2026-11-16.");
  }
  if (last.value() < first.value()) {
    return Response::problem(400, "invalid_period", "The last day comes before the first day.");
  }
  const reports::Period period{first.value(), last.value() + kDayUs};
  if (period.length() > kMaxReportDays * kDayUs) {
    return Response::problem(400, "invalid_period",
                             "A report covers at most 400 days: choose a shorter period.");
  }
  return period;
}

std::string day_text(std::int64_t ts_us) { return alerts::date_text(alerts::local_time(ts_us)); }

nlohmann::json report_json(const reports::StoredReport& report) {
  return {{"id", report.id},
          {"kind", report.kind},
          {"title", report.title},
          {"first_day", day_text(report.from_us)},
          {"last_day", day_text(report.until_us - 1)},
          {"created", iso_time(report.created_us)},
          {"created_by", report.created_by},
          {"bytes", report.bytes}};
}

std::optional<std::int64_t> report_id_of(const ApiContext& context) {
  const auto found = context.path_params.find("id");
  if (found == context.path_params.end()) return std::nullopt;
  std::int64_t id = 0;
  const std::string& text = found->second;
  if (std::from_chars(text.data(), text.data() + text.size(), id).ec != std::errc{} || id <= 0) {
    return std::nullopt;
  }
  return id;
}

Response no_such_report() {
  return Response::problem(404, "no_such_report", "There is no such report.");
}

// When the school last recorded its annual review of filtering and monitoring (the DfE
// standards ask for one a year), or nullopt.
std::optional<std::int64_t> last_annual_review(store::Database& db) {
  store::Statement select(db, "SELECT max(ts_us) FROM audit_log WHERE action = ?1");
  select.bind(1, reports::kAnnualReviewAction);
  if (!select.step() || select.column_is_null(0)) return std::nullopt;
  return select.column_int(0);
}

std::string school_name(store::Database& db) {
  return store::SettingsRepository(db).get("school.name").value_or("");
}

}  // namespace

Response list_reports(ApiContext& context) {
  nlohmann::json kept = nlohmann::json::array();
  for (const reports::StoredReport& report : reports::ReportArchive(context.db).list()) {
    kept.push_back(report_json(report));
  }
  store::SettingsRepository settings(context.db);
  nlohmann::json answer = {{"reports", kept},
                           {"weekly_time", settings.get("reports.weekly_time").value_or("07:00")},
                           {"recipients", settings.get("reports.recipients").value_or("dsl")},
                           {"term_dates", settings.get("school.term_dates").value_or("")}};
  const auto review = last_annual_review(context.db);
  answer["annual_review"] = review ? nlohmann::json(iso_time(*review)) : nlohmann::json(nullptr);
  return Response::json(200, answer);
}

// "We have done our annual review": an audit entry the evidence pack reads back
// (reports/evidence_pack.h kAnnualReviewAction), with what the school says it covered.
Response record_annual_review(ApiContext& context) {
  const auto body = context.json_body();
  const auto given = body ? string_field(*body, "note") : std::nullopt;
  if (!given) {
    return Response::problem(400, "invalid_body",
                             "Send {\"note\": \"…\"}: what the review covered (it may be empty).");
  }
  const std::string& note = *given;
  if (note.size() > 500) {
    return Response::problem(400, "invalid_note", "Keep the note under 500 characters.");
  }
  auto recorded = store::AuditLog(context.db)
                      .append(context.user->username, reports::kAnnualReviewAction,
                              note.empty() ? "annual review of filtering and monitoring" : note);
  if (!recorded) return not_saved(recorded.error());
  return Response::json(201, {{"annual_review", iso_time(*last_annual_review(context.db))}});
}

// A report for any period, kept: staff (pupils by reference) or governors (counts only).
Response make_report(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid_body", "Send the report's period as JSON.");
  const auto audience_text = string_field(*body, "audience").value_or("staff");
  if (audience_text != "staff" && audience_text != "governors") {
    return Response::problem(400, "invalid_audience",
                             "Say who the report is for: \"staff\" or \"governors\".");
  }
  auto period = period_of(string_field(*body, "first_day"), string_field(*body, "last_day"));
  if (auto* refused = std::get_if<Response>(&period)) return std::move(*refused);
  const reports::Period range = std::get<reports::Period>(period);

  reports::ReportOptions options;
  options.audience =
      audience_text == "governors" ? reports::Audience::governors : reports::Audience::staff;
  options.data_dir = context.data_dir;
  options.live = reports::live_health();
  const reports::ReportFigures figures = reports::gather_report(context.db, range, options);
  auto pdf = options.audience == reports::Audience::governors
                 ? reports::governors_report_pdf(figures, reports::ReportKind::custom)
                 : reports::weekly_report_pdf(figures, reports::ReportKind::custom);
  if (!pdf) return not_drawn(pdf.error());
  const std::string title = reports::report_title(reports::ReportKind::custom, options.audience);
  auto kept =
      reports::ReportArchive(context.db)
          .keep(reports::StoredReport{0, audience_text == "governors" ? "governors" : "custom",
                                      range.from_us, range.until_us, store::now_us(),
                                      context.user->username, title, 0},
                *pdf);
  if (!kept) return not_saved(kept.error());
  const auto stored = reports::ReportArchive(context.db).find(*kept);
  return Response::json(201, {{"report", report_json(*stored)}});
}

Response download_report(ApiContext& context) {
  const auto id = report_id_of(context);
  const auto report = id ? reports::ReportArchive(context.db).find(*id) : std::nullopt;
  if (!report) return no_such_report();
  if (auto refused = audit_before_showing(context, "report_download",
                                          "report " + std::to_string(*id) + " (" + report->title +
                                              ", " + day_text(report->from_us) + ")",
                                          "The report")) {
    return std::move(*refused);
  }
  auto pdf = reports::ReportArchive(context.db).pdf(*id);
  if (!pdf) return no_such_report();
  return pdf_download(std::move(*pdf),
                      "report-" + std::to_string(*id) + "-" + day_text(report->from_us) + ".pdf");
}

// The DSL's own copy, with pupils' names opened by the session's key: made for this
// download and audited, never kept and never emailed.
Response download_named_report(ApiContext& context) {
  auto period =
      period_of(context.request.query_value("first_day"), context.request.query_value("last_day"));
  if (auto* refused = std::get_if<Response>(&period)) return std::move(*refused);
  const reports::Period range = std::get<reports::Period>(period);
  const auto key = SessionKeys::instance().find(context.session_token);
  if (!key) {
    return Response::problem(409, "no_key",
                             "Your sign-in does not hold the key that opens names. Sign out and "
                             "in again.");
  }
  if (auto refused = audit_before_showing(
          context, "report_with_names",
          "report with names " + day_text(range.from_us) + " to " + day_text(range.until_us - 1),
          "The report")) {
    return std::move(*refused);
  }
  reports::ReportOptions options;
  options.data_dir = context.data_dir;
  options.private_key = key.get();
  options.live = reports::live_health();
  const reports::ReportFigures figures = reports::gather_report(context.db, range, options);
  auto pdf = reports::weekly_report_pdf(figures, reports::ReportKind::custom);
  if (!pdf) return not_drawn(pdf.error());
  return pdf_download(std::move(*pdf), "report-with-names-" + day_text(range.from_us) + ".pdf");
}

Response download_evidence_pack(ApiContext& context) {
  if (auto refused = audit_before_showing(context, "evidence_pack_export",
                                          "inspection evidence pack", "The evidence pack")) {
    return std::move(*refused);
  }
  const reports::EvidencePackFacts facts =
      reports::gather_evidence_pack(context.db, context.data_dir);
  auto pdf = reports::evidence_pack_pdf(facts);
  if (!pdf) return not_drawn(pdf.error());
  return pdf_download(std::move(*pdf),
                      "inspection-evidence-pack-" + day_text(store::now_us()) + ".pdf");
}

Response download_notice(ApiContext& context) {
  const auto which = context.path_params.find("notice");
  const std::string school = school_name(context.db);
  Result<std::string> pdf = Error{""};
  std::string filename;
  if (which != context.path_params.end() && which->second == "acceptable-use.pdf") {
    pdf = reports::acceptable_use_statement_pdf(school);
    filename = "acceptable-use-statement.pdf";
  } else if (which != context.path_params.end() && which->second == "poster.pdf") {
    pdf = reports::monitoring_poster_pdf(school);
    filename = "monitoring-poster.pdf";
  } else {
    return Response::problem(404, "no_such_notice",
                             "There is no such notice: ask for acceptable-use.pdf or poster.pdf.");
  }
  if (!pdf) return not_drawn(pdf.error());
  return pdf_download(std::move(*pdf), filename);
}

}  // namespace hm::web::api
