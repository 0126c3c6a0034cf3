#include "dissect/visibility.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace hm::dissect {
namespace {

constexpr std::array<std::string_view, kVisibilityClasses> kNames = {
    "plain_http", "named_tls", "named_quic", "dns",          "dhcp",       "ech",
    "doh",        "dot",       "vpn",        "quic_unknown", "tls_no_sni", "other"};

// Resolvers that Firefox, Chrome, Android, iOS and Windows offer for DoH.
constexpr std::array<std::string_view, 14> kDohResolverNames = {"dns.google",
                                                                "dns.google.com",
                                                                "cloudflare-dns.com",
                                                                "mozilla.cloudflare-dns.com",
                                                                "one.one.one.one",
                                                                "dns.quad9.net",
                                                                "dns9.quad9.net",
                                                                "dns11.quad9.net",
                                                                "doh.opendns.com",
                                                                "dns.nextdns.io",
                                                                "doh.cleanbrowsing.org",
                                                                "dns.adguard-dns.com",
                                                                "doh.dns.sb",
                                                                "chrome.cloudflare-dns.com"};

constexpr std::array<std::array<std::uint8_t, 4>, 10> kDohResolverV4 = {{{8, 8, 8, 8},
                                                                         {8, 8, 4, 4},
                                                                         {1, 1, 1, 1},
                                                                         {1, 0, 0, 1},
                                                                         {9, 9, 9, 9},
                                                                         {149, 112, 112, 112},
                                                                         {208, 67, 222, 222},
                                                                         {208, 67, 220, 220},
                                                                         {94, 140, 14, 14},
                                                                         {185, 228, 168, 9}}};

// 2001:4860:4860::8888/8844, 2606:4700:4700::1111/1001, 2620:fe::fe, 2620:fe::9
constexpr std::array<std::array<std::uint8_t, 16>, 6> kDohResolverV6 = {
    {{0x20, 0x01, 0x48, 0x60, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x88},
     {0x20, 0x01, 0x48, 0x60, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x44},
     {0x26, 0x06, 0x47, 0x00, 0x47, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x11, 0x11},
     {0x26, 0x06, 0x47, 0x00, 0x47, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x01},
     {0x26, 0x20, 0x00, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xfe},
     {0x26, 0x20, 0x00, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x09}}};

constexpr std::uint16_t kDnsPort = 53, kMdnsPort = 5353, kLlmnrPort = 5355;
constexpr std::uint16_t kDotPort = 853;  // RFC 7858
constexpr std::uint16_t kDhcpServerPort = 67, kDhcpClientPort = 68;
constexpr std::uint16_t kIkePort = 500, kIkeNatPort = 4500;  // RFC 7296 §2, RFC 3948
constexpr std::uint16_t kOpenVpnPort = 1194, kWireGuardPort = 51820;
constexpr std::uint16_t kHttpsPort = 443;

bool ends_with_label(std::string_view host, std::string_view name) {
  if (host.size() < name.size()) return false;
  const std::size_t start = host.size() - name.size();
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(host[start + i])) != name[i]) return false;
  }
  return start == 0 || host[start - 1] == '.';
}

}  // namespace

std::string_view to_string(Visibility visibility) {
  return kNames[static_cast<std::size_t>(visibility)];
}

std::optional<Visibility> visibility_from_string(std::string_view text) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == text) return static_cast<Visibility>(i);
  }
  return std::nullopt;
}

bool is_doh_resolver_name(std::string_view host) {
  while (host.ends_with('.')) host.remove_suffix(1);
  return std::any_of(kDohResolverNames.begin(), kDohResolverNames.end(),
                     [host](std::string_view name) { return ends_with_label(host, name); });
}

bool is_doh_resolver_address(const decode::IpAddress& address) {
  if (!address.is_v6) {
    return std::any_of(kDohResolverV4.begin(), kDohResolverV4.end(), [&](const auto& v4) {
      return std::equal(v4.begin(), v4.end(), address.bytes.begin());
    });
  }
  return std::any_of(kDohResolverV6.begin(), kDohResolverV6.end(),
                     [&](const auto& v6) { return v6 == address.bytes; });
}

bool looks_like_wireguard(std::span<const std::uint8_t> payload) {
  if (payload.size() < 4 || payload[1] != 0 || payload[2] != 0 || payload[3] != 0) return false;
  switch (payload[0]) {
    case 1: return payload.size() == 148;                             // handshake initiation
    case 2: return payload.size() == 92;                              // handshake response
    case 3: return payload.size() == 64;                              // cookie reply
    case 4: return payload.size() >= 32 && payload.size() % 16 == 0;  // transport data
    default: return false;
  }
}

bool looks_like_openvpn_reset(std::span<const std::uint8_t> payload, bool tcp) {
  if (tcp) {
    // TCP carries a 2-byte length before each packet
    if (payload.size() < 3) return false;
    const std::size_t length = (std::size_t{payload[0]} << 8) | payload[1];
    if (length + 2 != payload.size()) return false;
    payload = payload.subspan(2);
  }
  if (payload.size() < 14) return false;
  const std::uint8_t opcode = payload[0] >> 3;
  return opcode == 7 || opcode == 10;  // P_CONTROL_HARD_RESET_CLIENT_V2 / _V3
}

bool looks_like_tor_server_name(std::string_view host) {
  if (!host.starts_with("www.")) return false;
  host.remove_prefix(4);
  if (!host.ends_with(".com") && !host.ends_with(".net")) return false;
  host.remove_suffix(4);
  if (host.size() < 8 || host.size() > 20) return false;
  bool digit = false;
  int consonant_run = 0, longest_run = 0;
  for (const char c : host) {
    const bool letter = c >= 'a' && c <= 'z';
    if (!letter && !(c >= '2' && c <= '7')) return false;  // base32: a-z and 2-7 only
    digit = digit || !letter;
    const bool consonant = letter && std::string_view("aeiouy").find(c) == std::string_view::npos;
    consonant_run = consonant ? consonant_run + 1 : 0;
    longest_run = std::max(longest_run, consonant_run);
  }
  return digit || longest_run >= 5;
}

void FlowVisibility::on_packet(const decode::DecodedPacket& packet) {
  if (!initialised_) {
    // The side that sends first is taken as the client (a SYN, a query, an Initial).
    initialised_ = true;
    tcp_ = packet.transport == decode::Transport::tcp;
    server_port_ = packet.dst_port;
    server_ip_ = packet.dst_ip;
  }
  const auto payload = packet.payload;
  if (payload.empty()) return;
  const bool from_client = packet.dst_ip == server_ip_ && packet.dst_port == server_port_;
  if (from_client && tcp_ && payload.size() >= 3 && payload[0] == 0x16 && payload[1] == 0x03) {
    facts_ |= kTlsHello;
  }
  // QUIC long header: form bit, fixed bit, a non-zero version (RFC 9000 §17.2)
  if (!tcp_ && payload.size() >= 7 && (payload[0] & 0xC0) == 0xC0 &&
      (payload[1] | payload[2] | payload[3] | payload[4]) != 0) {
    facts_ |= kQuicLong;
  }
  if (!tcp_ && looks_like_wireguard(payload)) facts_ |= kWireGuard;
  if (from_client && looks_like_openvpn_reset(payload, tcp_) &&
      (server_port_ == kOpenVpnPort || server_port_ == kHttpsPort)) {
    facts_ |= kOpenVpn;
  }
}

void FlowVisibility::on_observation(const Observation& observation) {
  switch (observation.kind) {
    case ObservationKind::dns_query: facts_ |= kDns; break;
    case ObservationKind::tls_sni:
    case ObservationKind::quic_sni:
      facts_ |= observation.kind == ObservationKind::tls_sni ? kTlsName : kQuicName;
      if (observation.attributes.ech_public_name) facts_ |= kEch;
      if (is_doh_resolver_name(observation.text)) facts_ |= kDohName;
      if (observation.kind == ObservationKind::tls_sni &&
          looks_like_tor_server_name(observation.text)) {
        facts_ |= kTorName;
      }
      break;
    case ObservationKind::http_host:
    case ObservationKind::http_url:
    case ObservationKind::http_search:
    case ObservationKind::http_body: facts_ |= kHttp; break;
    case ObservationKind::dhcp_lease: facts_ |= kDhcp; break;
  }
}

void FlowVisibility::on_ip_protocol(std::uint8_t protocol) {
  constexpr std::uint8_t kGre = 47, kEsp = 50, kAh = 51;  // IANA protocol numbers
  facts_ |=
      (protocol == kGre || protocol == kEsp || protocol == kAh) ? kTunnelProtocol : kOtherProtocol;
}

Visibility FlowVisibility::classify() const {
  if (facts_ & kTunnelProtocol) return Visibility::vpn;
  if (facts_ & kOtherProtocol) return Visibility::other;
  if (facts_ & kTorName) return Visibility::vpn;
  const bool doh_address = is_doh_resolver_address(server_ip_) && server_port_ == kHttpsPort;
  if (facts_ & kEch) return Visibility::ech;
  if (facts_ & kDohName) return Visibility::doh;
  if (server_port_ == kDotPort && (facts_ & (kTlsHello | kTlsName | kQuicLong))) {
    return Visibility::dot;
  }
  if (facts_ & kHttp) return Visibility::plain_http;
  if (facts_ & kTlsName) return doh_address ? Visibility::doh : Visibility::named_tls;
  if (facts_ & kQuicName) return doh_address ? Visibility::doh : Visibility::named_quic;
  if (facts_ & kDhcp) return Visibility::dhcp;
  const bool dns_port =
      server_port_ == kDnsPort || server_port_ == kMdnsPort || server_port_ == kLlmnrPort;
  if ((facts_ & kDns) || dns_port) return Visibility::dns;
  if (server_port_ == kDhcpServerPort || server_port_ == kDhcpClientPort) return Visibility::dhcp;
  if (facts_ & (kWireGuard | kOpenVpn)) return Visibility::vpn;
  if (!tcp_ && (server_port_ == kIkePort || server_port_ == kIkeNatPort ||
                server_port_ == kWireGuardPort || server_port_ == kOpenVpnPort)) {
    return Visibility::vpn;
  }
  if (server_port_ == kDotPort) return Visibility::dot;
  if (doh_address) return Visibility::doh;
  if (facts_ & kTlsHello) return Visibility::tls_no_sni;
  if (facts_ & kQuicLong) return Visibility::quic_unknown;
  return Visibility::other;
}

void VisibilityStats::on_flow_end(FlowVisibility& flow) {
  if (flow.packets > 0) report(flow);
}

void VisibilityStats::report(FlowVisibility& flow) {
  Totals& totals = minutes_[flow.minute][static_cast<std::size_t>(flow.classify())];
  if (!flow.counted) ++totals.flows;
  flow.counted = true;
  totals.bytes += flow.bytes;
  totals.packets += flow.packets;
  flow.bytes = 0;
  flow.packets = 0;
}

std::vector<VisibilityMinute> VisibilityStats::take(capture::TimestampUs now_us, bool all) {
  std::vector<VisibilityMinute> rows;
  const std::int64_t current = minute_of(now_us);
  auto it = minutes_.begin();
  while (it != minutes_.end() && (all || it->first < current)) {
    for (std::size_t i = 0; i < kVisibilityClasses; ++i) {
      const Totals& totals = it->second[i];
      if (totals.packets == 0 && totals.flows == 0) continue;
      rows.push_back(
          {it->first, static_cast<Visibility>(i), totals.flows, totals.bytes, totals.packets});
    }
    it = minutes_.erase(it);
  }
  return rows;
}

}  // namespace hm::dissect
