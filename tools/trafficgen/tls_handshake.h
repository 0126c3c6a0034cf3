#pragma once

#include <string>
#include <vector>

#include "byte_writer.h"
#include "rng.h"

namespace hm::trafficgen {

// Which browser family's ClientHello to imitate (cipher suite and extension
// order differ; later: GREASE, ECH, JA3/JA4 variety for issue 9).
enum class TlsFingerprint { kChromium, kSafari };

struct ClientHelloSpec {
  std::string server_name;
  std::vector<std::string> alpn = {"h2", "http/1.1"};
  TlsFingerprint fingerprint = TlsFingerprint::kChromium;
  // Encrypted Client Hello (draft-ietf-tls-esni §5): an outer hello naming the
  // provider's public name (server_name), with the real one inside the
  // encrypted_client_hello extension, here `ech_payload_bytes` of random bytes.
  bool ech = false;
  size_t ech_payload_bytes = 208;
  // QUIC carries transport parameters in the hello (RFC 9001 §8.2).
  bool quic_transport_parameters = false;
};

// A TLS 1.3 ClientHello in its record (RFC 8446 §4.1.2): legacy version 0x0303,
// random, 32-byte legacy session id, cipher suites, null compression, and
// server_name, supported_groups, signature_algorithms, ALPN, key_share (x25519),
// psk_key_exchange_modes and supported_versions among its extensions. `rng`
// supplies the random, session id and key share.
Bytes tls_client_hello(const ClientHelloSpec& spec, Rng& rng);

// The server's first flight in clear: a TLS 1.3 ServerHello (TLS_AES_128_GCM_SHA256,
// supported_versions 0x0304, an x25519 key share) echoing `client_hello`'s session
// id, followed by the middlebox-compatibility ChangeCipherSpec (RFC 8446 §D.4).
Bytes tls_server_hello(const Bytes& client_hello, Rng& rng);

// The client's ChangeCipherSpec record, sent before its encrypted Finished.
Bytes tls_change_cipher_spec();

}  // namespace hm::trafficgen
