#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dissect/observation.h"

namespace hm::dissect {

// What a ClientHello (RFC 8446 §4.1.2) tells an observer who cannot decrypt.
struct ClientHello {
  std::uint16_t legacy_version = 0;
  std::vector<std::string> server_names;  // server_name extension, host_name entries (RFC 6066 §3)
  std::vector<std::string> alpn;          // application_layer_protocol_negotiation (RFC 7301)
  // encrypted_client_hello (0xfe0d, draft-ietf-tls-esni §5). Present both when ECH is
  // in use and when a browser sends GREASE ECH (§6.2) with no ECH config: the wire
  // cannot tell these apart, only the name beside it can (ech_public_name()).
  bool ech_extension = false;
  // GREASE extension types (RFC 8701: 0x0a0a, 0x1a1a … 0xfafa), never taken for ECH;
  // how many the client sent (Chrome sends two), saturating at 255.
  std::uint8_t grease_extensions = 0;
};

// True for a name that ECH providers publish as their client-facing public_name
// (draft-ietf-tls-esni §6.1): the visible outer SNI of an ECH connection, so the real
// server name is hidden. A short list, easy to extend.
bool is_ech_public_name(std::string_view server_name);

// What an observation of a ClientHello carries besides its name (tls_sni, quic_sni).
ObservationAttributes attributes_of(const ClientHello& hello, std::string_view server_name);

// Parses the body of a ClientHello handshake message (after its 4-byte header).
// std::nullopt when malformed.
std::optional<ClientHello> parse_client_hello(std::span<const std::uint8_t> body);

// Follows the client's side of a TLS connection until its first ClientHello is complete:
// record layer (RFC 8446 §5.1) → handshake messages, which may span records and TCP
// segments. Copies at most `max_handshake_bytes` of handshake data.
class ClientHelloCollector {
 public:
  enum class Progress { need_more, done, not_tls, malformed };

  explicit ClientHelloCollector(std::size_t max_handshake_bytes = 64 * 1024)
      : max_handshake_bytes_(max_handshake_bytes) {}

  // True if `start` could be the beginning of a TLS handshake record stream; false
  // when it is certainly not; nullopt when more bytes are needed to tell.
  static std::optional<bool> looks_like_tls(std::span<const std::uint8_t> start);

  Progress feed(std::span<const std::uint8_t> bytes);
  const ClientHello& client_hello() const { return client_hello_; }

 private:
  std::size_t max_handshake_bytes_;
  std::vector<std::uint8_t> record_;     // a partial record, header included
  std::vector<std::uint8_t> handshake_;  // handshake bytes gathered from records
  ClientHello client_hello_;
  Progress progress_ = Progress::need_more;
};

}  // namespace hm::dissect
