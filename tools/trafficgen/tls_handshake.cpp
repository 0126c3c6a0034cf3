#include "tls_handshake.h"

#include <array>

namespace hm::trafficgen {
namespace {

constexpr uint8_t kHandshakeRecord = 22;
constexpr uint8_t kChangeCipherSpecRecord = 20;
constexpr uint8_t kClientHello = 1;
constexpr uint8_t kServerHello = 2;
constexpr uint16_t kX25519 = 0x001d;
constexpr uint16_t kTls13 = 0x0304;
constexpr uint16_t kTls12 = 0x0303;
constexpr size_t kSessionIdOffset = 5 + 4 + 2 + 32;  // record, handshake, version, random

namespace ext {
constexpr uint16_t kServerName = 0;
constexpr uint16_t kStatusRequest = 5;
constexpr uint16_t kSupportedGroups = 10;
constexpr uint16_t kEcPointFormats = 11;
constexpr uint16_t kSignatureAlgorithms = 13;
constexpr uint16_t kAlpn = 16;
constexpr uint16_t kSignedCertificateTimestamp = 18;
constexpr uint16_t kExtendedMasterSecret = 23;
constexpr uint16_t kCompressCertificate = 27;
constexpr uint16_t kSessionTicket = 35;
constexpr uint16_t kSupportedVersions = 43;
constexpr uint16_t kPskKeyExchangeModes = 45;
constexpr uint16_t kKeyShare = 51;
constexpr uint16_t kQuicTransportParameters = 0x39;
constexpr uint16_t kEncryptedClientHello = 0xfe0d;
constexpr uint16_t kRenegotiationInfo = 0xff01;
}  // namespace ext

constexpr std::array<uint16_t, 15> kChromiumSuites = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f,
                                                      0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
                                                      0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
constexpr std::array<uint16_t, 15> kSafariSuites = {0x1301, 0x1302, 0x1303, 0xc02c, 0xc02b,
                                                    0xcca9, 0xc030, 0xc02f, 0xcca8, 0xc00a,
                                                    0xc009, 0xc014, 0xc013, 0x009d, 0x009c};
constexpr std::array<uint16_t, 8> kSignatureSchemes = {0x0403, 0x0804, 0x0401, 0x0503,
                                                       0x0805, 0x0501, 0x0806, 0x0601};

// Writes one extension: type, then its body between a two-byte length.
template <typename Body>
void extension(ByteWriter& w, uint16_t type, Body&& body) {
  w.u16(type);
  const size_t at = w.begin_length(2);
  body();
  w.end_length(at, 2);
}

void random_bytes(ByteWriter& w, Rng& rng, size_t n) {
  Bytes b(n);
  rng.fill(b);
  w.bytes(b);
}

}  // namespace

Bytes tls_client_hello(const ClientHelloSpec& spec, Rng& rng) {
  const bool safari = spec.fingerprint == TlsFingerprint::kSafari;
  Bytes out;
  ByteWriter w(out);
  w.u8(kHandshakeRecord);
  w.u16(0x0301);  // record legacy_version, as browsers send it in the first record
  const size_t record = w.begin_length(2);
  w.u8(kClientHello);
  const size_t handshake = w.begin_length(3);
  w.u16(kTls12);  // legacy_version
  random_bytes(w, rng, 32);
  w.u8(32);
  random_bytes(w, rng, 32);  // legacy_session_id (middlebox compatibility mode)
  const size_t suites = w.begin_length(2);
  if (safari) {
    for (uint16_t s : kSafariSuites) w.u16(s);
  } else {
    for (uint16_t s : kChromiumSuites) w.u16(s);
  }
  w.end_length(suites, 2);
  w.u8(1);  // compression methods: null only
  w.u8(0);

  const size_t extensions = w.begin_length(2);
  extension(w, ext::kServerName, [&] {
    const size_t list = w.begin_length(2);
    w.u8(0);  // host_name
    const size_t name = w.begin_length(2);
    w.text(spec.server_name);
    w.end_length(name, 2);
    w.end_length(list, 2);
  });
  extension(w, ext::kExtendedMasterSecret, [] {});
  extension(w, ext::kRenegotiationInfo, [&] { w.u8(0); });
  extension(w, ext::kSupportedGroups, [&] {
    const size_t list = w.begin_length(2);
    w.u16(kX25519);
    w.u16(0x0017);  // secp256r1
    w.u16(0x0018);  // secp384r1
    w.end_length(list, 2);
  });
  extension(w, ext::kEcPointFormats, [&] {
    w.u8(1);
    w.u8(0);  // uncompressed
  });
  if (!safari) extension(w, ext::kSessionTicket, [] {});
  if (!spec.alpn.empty()) {
    extension(w, ext::kAlpn, [&] {
      const size_t list = w.begin_length(2);
      for (const std::string& protocol : spec.alpn) {
        w.u8(static_cast<uint32_t>(protocol.size()));
        w.text(protocol);
      }
      w.end_length(list, 2);
    });
  }
  extension(w, ext::kStatusRequest, [&] {
    w.u8(1);  // ocsp
    w.u16(0);
    w.u16(0);
  });
  extension(w, ext::kSignatureAlgorithms, [&] {
    const size_t list = w.begin_length(2);
    for (uint16_t s : kSignatureSchemes) w.u16(s);
    w.end_length(list, 2);
  });
  extension(w, ext::kSignedCertificateTimestamp, [] {});
  extension(w, ext::kKeyShare, [&] {
    const size_t shares = w.begin_length(2);
    w.u16(kX25519);
    w.u16(32);
    random_bytes(w, rng, 32);
    w.end_length(shares, 2);
  });
  extension(w, ext::kPskKeyExchangeModes, [&] {
    w.u8(1);
    w.u8(1);  // psk_dhe_ke
  });
  extension(w, ext::kSupportedVersions, [&] {
    w.u8(safari ? 8 : 4);
    w.u16(kTls13);
    w.u16(kTls12);
    if (safari) {
      w.u16(0x0302);
      w.u16(0x0301);
    }
  });
  extension(w, ext::kCompressCertificate, [&] {
    w.u8(2);
    w.u16(safari ? 0x0001 : 0x0002);  // zlib / brotli
  });
  if (spec.quic_transport_parameters) {
    extension(w, ext::kQuicTransportParameters, [&] {
      w.u8(0x04);  // initial_max_data, a 4-byte varint
      w.u8(4);
      w.u32(0x80000000u | (16u << 20));
      w.u8(0x0f);  // initial_source_connection_id, empty here
      w.u8(0);
    });
  }
  if (spec.ech) {
    // ECHClientHello (draft-ietf-tls-esni §5): outer type, HPKE suite
    // (HKDF-SHA256, AES-128-GCM), config id, encapsulated key, payload.
    extension(w, ext::kEncryptedClientHello, [&] {
      w.u8(0);  // outer
      w.u16(0x0001);
      w.u16(0x0001);
      w.u8(static_cast<uint32_t>(rng.below(256)));
      w.u16(32);
      random_bytes(w, rng, 32);
      w.u16(static_cast<uint32_t>(spec.ech_payload_bytes));
      random_bytes(w, rng, spec.ech_payload_bytes);
    });
  }
  w.end_length(extensions, 2);
  w.end_length(handshake, 3);
  w.end_length(record, 2);
  return out;
}

Bytes tls_server_hello(const Bytes& client_hello, Rng& rng) {
  Bytes out;
  ByteWriter w(out);
  w.u8(kHandshakeRecord);
  w.u16(kTls12);
  const size_t record = w.begin_length(2);
  w.u8(kServerHello);
  const size_t handshake = w.begin_length(3);
  w.u16(kTls12);
  random_bytes(w, rng, 32);
  const uint8_t session_id_length = client_hello.at(kSessionIdOffset);
  w.u8(session_id_length);
  w.bytes({client_hello.data() + kSessionIdOffset + 1, session_id_length});
  w.u16(0x1301);  // TLS_AES_128_GCM_SHA256
  w.u8(0);
  const size_t extensions = w.begin_length(2);
  extension(w, ext::kSupportedVersions, [&] { w.u16(kTls13); });
  extension(w, ext::kKeyShare, [&] {
    w.u16(kX25519);
    w.u16(32);
    random_bytes(w, rng, 32);
  });
  w.end_length(extensions, 2);
  w.end_length(handshake, 3);
  w.end_length(record, 2);
  const Bytes ccs = tls_change_cipher_spec();
  w.bytes(ccs);
  return out;
}

Bytes tls_change_cipher_spec() { return {kChangeCipherSpecRecord, 3, 3, 0, 1, 1}; }

}  // namespace hm::trafficgen
