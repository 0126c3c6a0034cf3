#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hm::dissect {

// What a ClientHello (RFC 8446 §4.1.2) tells an observer who cannot decrypt.
struct ClientHello {
  std::uint16_t legacy_version = 0;
  std::vector<std::string> server_names;  // server_name extension, host_name entries (RFC 6066 §3)
};

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
