#include "evidence/report_html.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

namespace hm::evidence {
namespace {

// Print-first styling: A4, black on white, nothing that needs the network.
constexpr std::string_view kStyle = R"css(
body { font: 11pt/1.45 system-ui, sans-serif; color: #111; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #999; }
.meta { color: #444; } table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; vertical-align: top; border: 1px solid #bbb; padding: .3rem .45rem; }
th { background: #eee; width: 11rem; } .capture { border: 1px solid #999; margin: 1rem 0; padding: .5rem .75rem; page-break-inside: avoid; }
.evidence { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: .4rem; }
mark { background: #ffe066; font-weight: bold; } .warning { border: 2px solid #a00; padding: .5rem; }
@page { size: A4; margin: 18mm; } @media print { body { margin: 0; max-width: none; } }
)css";

constexpr std::array kSeverities = {"", "Low", "Moderate", "High", "Severe", "Critical"};

std::string severity_name(int severity) {
  if (severity < 1 || severity > 5) return std::to_string(severity);
  return kSeverities[static_cast<std::size_t>(severity)];
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The text, escaped, with each occurrence of the matched phrase marked.
std::string highlighted(std::string_view text, std::string_view phrase) {
  if (phrase.empty()) return escape_html(text);
  const std::string haystack = lower(text);
  const std::string needle = lower(phrase);
  std::string out;
  std::size_t from = 0;
  while (true) {
    const std::size_t at = haystack.find(needle, from);
    if (at == std::string::npos) break;
    out += escape_html(text.substr(from, at - from));
    out += "<mark>" + escape_html(text.substr(at, needle.size())) + "</mark>";
    from = at + needle.size();
  }
  return out + escape_html(text.substr(from));
}

void head(std::string& html, std::string_view title) {
  html += "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Opened as a file: no script runs and nothing is fetched.
  html +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n";
  html += "<title>" + escape_html(title) + "</title>\n<style>" + std::string(kStyle) +
          "</style>\n</head>\n<body>\n";
}

void row(std::string& html, std::string_view label, std::string_view value) {
  html += "<tr><th scope=\"row\">" + escape_html(label) + "</th><td>" + escape_html(value) +
          "</td></tr>\n";
}

void captures_section(std::string& html, const std::vector<ReportCapture>& captures) {
  if (captures.empty()) {
    html += "<p>No captures.</p>\n";
    return;
  }
  for (const auto& item : captures) {
    const Capture& capture = item.capture;
    html += "<section class=\"capture\">\n<h3>" + escape_html(format_utc(capture.ts_us)) + " — " +
            escape_html(capture.category) + ", " + severity_name(capture.severity) +
            "</h3>\n<table>\n";
    row(html, "Capture", std::to_string(capture.id));
    row(html, "Device",
        capture.client_ip +
            (capture.client_mac.empty() ? std::string() : " (" + capture.client_mac + ")"));
    row(html, "Matched", capture.phrase + " (" + capture.entry_kind + ")");
    row(html, "Seen as", capture.observation_kind);
    if (item.opened) {
      row(html, "Site", capture.evidence.host);
      if (!capture.evidence.url.empty()) row(html, "Address", capture.evidence.url);
    }
    html += "</table>\n";
    if (item.opened) {
      html +=
          "<p class=\"evidence\">" + highlighted(capture.evidence.text, capture.phrase) + "</p>\n";
    } else {
      html +=
          "<p class=\"warning\">The evidence of this capture did not open: it was changed or "
          "damaged.</p>\n";
    }
    html += "</section>\n";
  }
}

void footer(std::string& html, std::string_view exported_by, std::int64_t exported_us) {
  html += "<h2>About this record</h2>\n<p class=\"meta\">Exported from hallmonitor by " +
          escape_html(exported_by) + " at " + escape_html(format_utc(exported_us)) +
          ". The export is recorded in the box's audit log. This document holds personal data "
          "about a child: keep it in the school's safeguarding record and nowhere else.</p>\n";
  html += "</body>\n</html>\n";
}

std::string incident_status(const ReportIncident& incident) {
  if (incident.open) return "Open";
  return "Closed " + format_utc(incident.closed_us) + " by " + incident.closed_by;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_utc(std::int64_t ts_us) {
  const std::time_t seconds = static_cast<std::time_t>(ts_us / 1'000'000);
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return std::to_string(ts_us);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

std::string render_incident_html(const IncidentReport& report) {
  const ReportIncident& incident = report.incident;
  std::string html;
  head(html, "Safeguarding incident " + std::to_string(incident.id));
  html += "<h1>Safeguarding incident " + std::to_string(incident.id) + ": " +
          escape_html(incident.title) + "</h1>\n";
  html += "<p class=\"meta\">A record from hallmonitor, the school's online-safety monitor.</p>\n";
  html += "<h2>Incident</h2>\n<table>\n";
  row(html, "Title", incident.title);
  row(html, "Opened", format_utc(incident.opened_us) + " by " + incident.opened_by);
  row(html, "Status", incident_status(incident));
  row(html, "Captures", std::to_string(report.captures.size()));
  html += "</table>\n";

  html += "<h2>Timeline</h2>\n";
  captures_section(html, report.captures);
  if (!report.deleted_captures.empty()) {
    std::string ids;
    for (const auto id : report.deleted_captures) {
      ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    }
    html += "<p>Captures " + ids +
            " were linked to this incident and have since been deleted (retention or "
            "erasure).</p>\n";
  }

  html += "<h2>Notes</h2>\n";
  if (report.notes.empty()) html += "<p>No notes.</p>\n";
  for (const auto& note : report.notes) {
    html += "<section class=\"capture\">\n<h3>" + escape_html(format_utc(note.ts_us)) + " — " +
            escape_html(note.author) + "</h3>\n";
    html += note.opened ? "<p class=\"evidence\">" + escape_html(note.text) + "</p>\n"
                        : std::string("<p class=\"warning\">This note did not open.</p>\n");
    html += "</section>\n";
  }
  footer(html, report.exported_by, report.exported_us);
  return html;
}

std::string render_subject_access_html(const SubjectAccessReport& report) {
  std::string html;
  head(html, "Subject access: " + report.subject);
  html += "<h1>Subject access record</h1>\n<p class=\"meta\">Everything hallmonitor holds about " +
          escape_html(report.subject) + " (UK GDPR Article 15).</p>\n";

  html += "<h2>Person</h2>\n";
  if (report.people.empty()) html += "<p>No person in the imported records has this device.</p>\n";
  for (const auto& person : report.people) {
    html += "<table>\n";
    row(html, "Name", person.name);
    if (!person.group.empty()) row(html, "Group", person.group);
    if (!person.upn.empty()) row(html, "UPN", person.upn);
    std::string devices;
    for (const auto& device : person.devices) devices += (devices.empty() ? "" : ", ") + device;
    row(html, "Devices", devices.empty() ? "none recorded" : devices);
    html += "</table>\n";
  }
  std::string searched;
  for (const auto& device : report.devices) searched += (searched.empty() ? "" : ", ") + device;
  html += "<p>Devices searched: " + escape_html(searched.empty() ? "none" : searched) +
          ". Captures are matched by MAC address.</p>\n";

  html += "<h2>Captures (" + std::to_string(report.captures.size()) + ")</h2>\n";
  captures_section(html, report.captures);

  html += "<h2>Incidents (" + std::to_string(report.incidents.size()) + ")</h2>\n";
  if (report.incidents.empty()) html += "<p>None.</p>\n";
  for (const auto& incident : report.incidents) {
    html += "<table>\n";
    row(html, "Incident", std::to_string(incident.id) + ": " + incident.title);
    row(html, "Opened", format_utc(incident.opened_us) + " by " + incident.opened_by);
    row(html, "Status", incident_status(incident));
    html += "</table>\n";
  }
  footer(html, report.exported_by, report.exported_us);
  return html;
}

}  // namespace hm::evidence
