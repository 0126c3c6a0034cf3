#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "capture/packet.h"
#include "decode/address.h"
#include "decode/decoder.h"
#include "dissect/observation.h"

namespace hm::dissect {

// What the box could see of a flow, and if not, why not (issue 3 item 7), so the
// headteacher is never told it sees more than it does. The first five are seen.
enum class Visibility : std::uint8_t {
  plain_http,    // requests, URLs and bodies in the clear
  named_tls,     // a TLS server name
  named_quic,    // a QUIC server name (from the decrypted Initial)
  dns,           // plain DNS questions
  dhcp,          // leases: which device is which
  ech,           // Encrypted Client Hello: only the provider's public name shows
  doh,           // DNS over HTTPS to a well-known resolver (by name or address)
  dot,           // DNS over TLS (port 853)
  vpn,           // WireGuard, OpenVPN, IPsec (IKE, ESP, AH), GRE, Tor-like TLS
  quic_unknown,  // QUIC whose Initial could not be read (other versions, mid-flow)
  tls_no_sni,    // TLS without a server name
  other,         // anything else: no name, no known protocol
};
inline constexpr std::size_t kVisibilityClasses = 12;

std::string_view to_string(Visibility visibility);
std::optional<Visibility> visibility_from_string(std::string_view text);

// Well-known public DoH resolvers (RFC 8484 services browsers and OSes ship with):
// names on label boundaries, and their anycast addresses. Short tables, easy to extend.
bool is_doh_resolver_name(std::string_view host);
bool is_doh_resolver_address(const decode::IpAddress& address);

// WireGuard's handshake and data messages (type 1-4 and three zero bytes, with the
// lengths of the whitepaper §5.4), OpenVPN's P_CONTROL_HARD_RESET_CLIENT (RFC-less:
// openvpn/src/openvpn/ssl.h opcodes 7 and 10, over UDP or length-prefixed TCP).
bool looks_like_wireguard(std::span<const std::uint8_t> payload);
bool looks_like_openvpn_reset(std::span<const std::uint8_t> payload, bool tcp);

// The made-up server names Tor puts in its ClientHellos (tor/src/lib/crypt_ops
// crypto_rand.c crypto_random_hostname: "www." + 8-20 random base32 characters +
// ".com" or ".net"). Random strings of that alphabet are rarely pronounceable, so a
// label with a digit 2-7 or a run of five consonants counts; real names such as
// www.bbc.com or www.wikipedia.net do not.
bool looks_like_tor_server_name(std::string_view host);

// What one flow has shown so far. Kept in the flow table's per-flow state.
class FlowVisibility {
 public:
  // Every packet of the flow, after the dissectors saw it.
  void on_packet(const decode::DecodedPacket& packet);
  // Every observation the dissectors made from this flow's packets.
  void on_observation(const Observation& observation);
  // Flows of IP protocols other than TCP and UDP (one per address pair and protocol).
  void on_ip_protocol(std::uint8_t protocol);
  Visibility classify() const;
  // A WireGuard or OpenVPN tunnel: encrypted, and nothing later can make it more.
  bool tunnel() const { return (facts_ & (kWireGuard | kOpenVpn)) != 0; }

  // Bytes and packets not yet added to the minute statistics, and of which minute.
  std::int64_t minute = -1;
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
  bool counted = false;  // the flow itself is in the statistics

 private:
  enum Fact : std::uint16_t {
    kHttp = 1 << 0,
    kTlsName = 1 << 1,
    kQuicName = 1 << 2,
    kDns = 1 << 3,
    kDhcp = 1 << 4,
    kEch = 1 << 5,
    kDohName = 1 << 6,
    kTlsHello = 1 << 7,  // a TLS handshake record began the client's bytes
    kQuicLong = 1 << 8,  // a QUIC long header was sent
    kWireGuard = 1 << 9,
    kOpenVpn = 1 << 10,
    kTunnelProtocol = 1 << 11,  // IPsec ESP or AH, GRE
    kTorName = 1 << 12,
    kOtherProtocol = 1 << 13,  // ICMP and the rest: no ports, nothing to name
  };
  bool initialised_ = false;
  bool tcp_ = false;
  std::uint16_t facts_ = 0;
  std::uint16_t server_port_ = 0;
  decode::IpAddress server_ip_;
};

// Flows and bytes by visibility class, per minute (UTC minutes of packet time).
struct VisibilityMinute {
  std::int64_t minute_start_us = 0;
  Visibility visibility = Visibility::other;
  std::uint64_t flows = 0;
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
};

// One worker's per-minute statistics (no locks: the worker owns it; the pipeline
// merges what workers hand over).
class VisibilityStats {
 public:
  // Adds a packet of `frame_bytes` to `flow` at `ts_us`; a flow's bytes go to the
  // statistics under its class as each minute ends, and at its end. Inline, with
  // minute_of(): every packet comes here, bypassed ones too (issue 9).
  void on_packet(FlowVisibility& flow, std::size_t frame_bytes, capture::TimestampUs ts_us) {
    const std::int64_t minute = minute_of(ts_us);
    if (flow.minute != minute && flow.packets > 0) report(flow);
    flow.minute = minute;
    flow.bytes += frame_bytes;
    ++flow.packets;
  }
  void on_flow_end(FlowVisibility& flow);
  // Minutes wholly before `now_us`'s minute (complete unless flows still hold bytes of
  // them, which then add to a later row of the same minute); all of them with `all`.
  std::vector<VisibilityMinute> take(capture::TimestampUs now_us, bool all = false);

  // The start of `ts_us`'s UTC minute (rounded down, before 1970 too).
  static std::int64_t minute_of(capture::TimestampUs ts_us) {
    constexpr std::int64_t kMinuteUs = 60'000'000;
    return (ts_us >= 0 ? ts_us : ts_us - kMinuteUs + 1) / kMinuteUs * kMinuteUs;
  }

 private:
  void report(FlowVisibility& flow);
  struct Totals {
    std::uint64_t flows = 0;
    std::uint64_t bytes = 0;
    std::uint64_t packets = 0;
  };
  std::map<std::int64_t, std::array<Totals, kVisibilityClasses>> minutes_;
};

}  // namespace hm::dissect
