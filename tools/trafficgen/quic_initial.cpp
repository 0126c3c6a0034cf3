#include "quic_initial.h"

#include <mbedtls/aes.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include <array>
#include <cstdlib>
#include <string_view>

namespace hm::trafficgen {
namespace {

// RFC 9001 §5.2.
constexpr std::array<uint8_t, 20> kInitialSaltV1 = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34,
                                                    0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8,
                                                    0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
constexpr size_t kMinInitialDatagram = 1200;  // RFC 9000 §14.1
constexpr size_t kPacketNumberLength = 4;
constexpr size_t kTagLength = 16;

const mbedtls_md_info_t* sha256() { return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256); }

// These calls fail only on bad arguments, a bug here: the generator stops loudly.
void check(int status) {
  if (status != 0) std::abort();
}

// HKDF-Expand-Label (RFC 8446 §7.1) with an empty context.
Bytes expand_label(const Bytes& secret, std::string_view label, size_t length) {
  Bytes info;
  ByteWriter w(info);
  w.u16(static_cast<uint32_t>(length));
  w.u8(static_cast<uint32_t>(6 + label.size()));
  w.text("tls13 ");
  w.text(label);
  w.u8(0);
  Bytes out(length);
  check(mbedtls_hkdf_expand(sha256(), secret.data(), secret.size(), info.data(), info.size(),
                            out.data(), out.size()));
  return out;
}

}  // namespace

Bytes quic_client_initial(const Bytes& destination_cid, const Bytes& source_cid,
                          uint32_t packet_number, const Bytes& client_hello) {
  Bytes initial_secret(32);
  check(mbedtls_hkdf_extract(sha256(), kInitialSaltV1.data(), kInitialSaltV1.size(),
                             destination_cid.data(), destination_cid.size(),
                             initial_secret.data()));
  const Bytes client_secret = expand_label(initial_secret, "client in", 32);
  const Bytes key = expand_label(client_secret, "quic key", 16);
  const Bytes iv = expand_label(client_secret, "quic iv", 12);
  const Bytes hp = expand_label(client_secret, "quic hp", 16);

  // Frames: CRYPTO at offset 0 (RFC 9000 §19.6), then PADDING up to the datagram minimum.
  Bytes frames;
  ByteWriter f(frames);
  f.u8(0x06);
  f.u8(0);
  f.u16(0x4000 | static_cast<uint32_t>(client_hello.size()));  // 2-byte varint length
  f.bytes(client_hello);
  const size_t header_size =
      1 + 4 + 1 + destination_cid.size() + 1 + source_cid.size() + 1 + 2 + kPacketNumberLength;
  if (header_size + frames.size() + kTagLength < kMinInitialDatagram) {
    frames.resize(kMinInitialDatagram - header_size - kTagLength, 0);
  }

  Bytes packet;
  ByteWriter w(packet);
  w.u8(0xc0 | (kPacketNumberLength - 1));  // long header, fixed bit, Initial, 4-byte number
  w.u32(1);                                // version 1
  w.u8(static_cast<uint32_t>(destination_cid.size()));
  w.bytes(destination_cid);
  w.u8(static_cast<uint32_t>(source_cid.size()));
  w.bytes(source_cid);
  w.u8(0);  // no token
  w.u16(0x4000 | static_cast<uint32_t>(kPacketNumberLength + frames.size() + kTagLength));
  const size_t pn_offset = packet.size();
  w.u32(packet_number);

  // RFC 9001 §5.3: nonce = iv XOR packet number; the header is the associated data.
  std::array<uint8_t, 12> nonce{};
  for (size_t i = 0; i < nonce.size(); ++i) nonce[i] = iv[i];
  for (int i = 0; i < 4; ++i) nonce[11 - i] ^= static_cast<uint8_t>(packet_number >> (8 * i));
  Bytes sealed(frames.size() + kTagLength);
  mbedtls_gcm_context gcm;
  mbedtls_gcm_init(&gcm);
  check(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key.data(), 128));
  check(mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, frames.size(), nonce.data(),
                                  nonce.size(), packet.data(), packet.size(), frames.data(),
                                  sealed.data(), kTagLength, sealed.data() + frames.size()));
  mbedtls_gcm_free(&gcm);
  packet.insert(packet.end(), sealed.begin(), sealed.end());

  // RFC 9001 §5.4: the sample starts 4 bytes after the packet number's start.
  std::array<uint8_t, 16> sample{};
  std::array<uint8_t, 16> mask{};
  for (size_t i = 0; i < sample.size(); ++i) sample[i] = packet[pn_offset + 4 + i];
  mbedtls_aes_context aes;
  mbedtls_aes_init(&aes);
  check(mbedtls_aes_setkey_enc(&aes, hp.data(), 128));
  check(mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, sample.data(), mask.data()));
  mbedtls_aes_free(&aes);
  packet[0] ^= mask[0] & 0x0f;
  for (size_t i = 0; i < kPacketNumberLength; ++i) packet[pn_offset + i] ^= mask[1 + i];
  return packet;
}

}  // namespace hm::trafficgen
