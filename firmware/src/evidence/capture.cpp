#include "evidence/capture.h"

#include <nlohmann/json.hpp>

#include "crypto/seal.h"

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

std::vector<std::uint8_t> associated_data(const Capture& capture) {
  const nlohmann::json fields = {"hallmonitor capture v1",
                                 capture.id,
                                 capture.ts_us,
                                 capture.client_ip,
                                 capture.client_mac,
                                 capture.category,
                                 capture.severity,
                                 capture.phrase,
                                 capture.entry_kind,
                                 capture.observation_kind,
                                 capture.library_version};
  const std::string text = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return {text.begin(), text.end()};
}

void seal_evidence(Capture& capture, std::span<const std::uint8_t> public_key) {
  std::string plain = serialize(capture.evidence);
  const auto sealed = crypto::seal(
      public_key, std::span(reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size()),
      associated_data(capture));
  crypto::wipe_bytes(std::span(reinterpret_cast<std::uint8_t*>(plain.data()), plain.size()));
  capture.sealed_evidence.assign(sealed.begin(), sealed.end());
  capture.evidence = Evidence{};
}

std::optional<Evidence> open_evidence(const Capture& capture,
                                      const crypto::SecretBytes& private_key) {
  const auto plain = crypto::open_sealed(
      private_key,
      std::span(reinterpret_cast<const std::uint8_t*>(capture.sealed_evidence.data()),
                capture.sealed_evidence.size()),
      associated_data(capture));
  if (!plain) return std::nullopt;
  return parse_evidence(*plain);
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
