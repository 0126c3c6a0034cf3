#include "evidence/capture.h"

#include <nlohmann/json.hpp>

namespace hm::evidence {

std::string serialize(const Evidence& evidence) {
  const nlohmann::json json = {
      {"text", evidence.text}, {"host", evidence.host}, {"url", evidence.url}};
  // Observed text may be any bytes; replace invalid UTF-8 rather than throw.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Evidence parse_evidence(std::string_view blob) {
  const auto json = nlohmann::json::parse(blob, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return Evidence{"(evidence unreadable)", "", ""};
  }
  return Evidence{json.value("text", ""), json.value("host", ""), json.value("url", "")};
}

Capture make_capture(const dissect::Observation& observation, const match::Entry& entry,
                     const std::string& library_version) {
  Capture capture;
  capture.ts_us = observation.ts_us;
  capture.client_ip = observation.src_ip.to_string();
  if (observation.client_mac && !observation.client_mac->is_zero()) {
    capture.client_mac = observation.client_mac->to_string();
  }
  capture.category = entry.category;
  capture.severity = entry.severity;
  capture.phrase = entry.pattern;
  capture.entry_kind = std::string(match::to_string(entry.kind));
  capture.observation_kind = std::string(dissect::to_string(observation.kind));
  capture.library_version = library_version;
  capture.evidence.text = observation.text;
  if (dissect::is_host_name_kind(observation.kind)) {
    capture.evidence.host = observation.text;
  } else {
    capture.evidence.host = observation.host;
  }
  if (observation.kind == dissect::ObservationKind::http_url) {
    capture.evidence.url = observation.text;
  }
  return capture;
}

}  // namespace hm::evidence
