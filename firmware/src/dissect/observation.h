#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/packet.h"
#include "decode/address.h"

namespace hm::dissect {

// DESIGN.md: observations are the one currency of the pipeline.
enum class ObservationKind : std::uint8_t {
  dns_query,
  tls_sni,
  quic_sni,
  http_host,
  http_url,
  http_search,
  http_body,
  dhcp_lease,
};

std::string_view to_string(ObservationKind kind);
std::optional<ObservationKind> observation_kind_from_string(std::string_view text);

// True for kinds whose text is a host name (domain entries match these on label
// boundaries).
bool is_host_name_kind(ObservationKind kind);

// What an observation says besides its text, for classifying what cannot be seen
// (issue 3 item 7). Empty for most kinds.
struct ObservationAttributes {
  // tls_sni, quic_sni: the ClientHello's ALPN protocols ("h2", "http/1.1", "h3" …).
  std::vector<std::string> alpn;
  // tls_sni, quic_sni: the encrypted_client_hello extension was sent (real ECH or its
  // GREASE; dissect/tls.h), and whether the name is a known ECH public name such as
  // cloudflare-ech.com — then the real server name is hidden.
  bool ech_extension = false;
  bool ech_public_name = false;
  // dns_query: a DoH canary domain (use-application-dns.net, mask.icloud.com …): the
  // device is checking whether it may switch to encrypted DNS.
  bool doh_canary = false;
};

struct Observation {
  capture::TimestampUs ts_us = 0;
  ObservationKind kind = ObservationKind::dns_query;
  std::string text;
  // The client is the side that asked: the DNS querier, the TLS/HTTP client.
  decode::IpAddress src_ip;
  std::uint16_t src_port = 0;
  decode::IpAddress dst_ip;
  std::uint16_t dst_port = 0;
  std::optional<decode::MacAddress> client_mac;
  // The client's device name from DHCP (option 12), when known.
  std::string client_name;
  // For http_url and http_body: the request's host, so a capture can say where.
  std::string host;
  ObservationAttributes attributes;
};

}  // namespace hm::dissect
