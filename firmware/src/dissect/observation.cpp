#include "dissect/observation.h"

#include <array>
#include <utility>

namespace hm::dissect {

namespace {

constexpr std::array<std::pair<ObservationKind, std::string_view>, 8> kKindNames{{
    {ObservationKind::dns_query, "dns_query"},
    {ObservationKind::tls_sni, "tls_sni"},
    {ObservationKind::quic_sni, "quic_sni"},
    {ObservationKind::http_host, "http_host"},
    {ObservationKind::http_url, "http_url"},
    {ObservationKind::http_search, "http_search"},
    {ObservationKind::http_body, "http_body"},
    {ObservationKind::dhcp_lease, "dhcp_lease"},
}};

}  // namespace

std::string_view to_string(ObservationKind kind) {
  for (const auto& [known, name] : kKindNames) {
    if (known == kind) return name;
  }
  return "unknown";
}

std::optional<ObservationKind> observation_kind_from_string(std::string_view text) {
  for (const auto& [kind, name] : kKindNames) {
    if (name == text) return kind;
  }
  return std::nullopt;
}

bool is_host_name_kind(ObservationKind kind) {
  switch (kind) {
    case ObservationKind::dns_query:
    case ObservationKind::tls_sni:
    case ObservationKind::quic_sni:
    case ObservationKind::http_host: return true;
    default: return false;
  }
}

}  // namespace hm::dissect
