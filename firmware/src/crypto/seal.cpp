#include "crypto/seal.h"

#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "crypto/mbedtls_support.h"
#include "crypto/random.h"

namespace hm::crypto {
namespace {

constexpr std::uint8_t kSealVersion = 1;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::string_view kSealInfo = "hallmonitor seal v1";

using detail::die_on_mbedtls_error;
using detail::mbedtls_random;

// RAII over mbedTLS's P-256 group and the points and numbers one operation needs.
struct Curve {
  mbedtls_ecp_group group;
  Curve() {
    mbedtls_ecp_group_init(&group);
    if (const int rc = mbedtls_ecp_group_load(&group, MBEDTLS_ECP_DP_SECP256R1); rc != 0) {
      die_on_mbedtls_error("loading P-256", rc);
    }
  }
  ~Curve() { mbedtls_ecp_group_free(&group); }
  Curve(const Curve&) = delete;
  Curve& operator=(const Curve&) = delete;
};

struct Point {
  mbedtls_ecp_point value;
  Point() { mbedtls_ecp_point_init(&value); }
  ~Point() { mbedtls_ecp_point_free(&value); }
  Point(const Point&) = delete;
  Point& operator=(const Point&) = delete;
};

struct Number {
  mbedtls_mpi value;
  Number() { mbedtls_mpi_init(&value); }
  ~Number() { mbedtls_mpi_free(&value); }  // mbedtls_mpi_free zeroes the limbs
  Number(const Number&) = delete;
  Number& operator=(const Number&) = delete;
};

std::vector<std::uint8_t> write_point(const Curve& curve, const Point& point) {
  std::vector<std::uint8_t> out(kPublicKeyBytes);
  std::size_t length = 0;
  const int rc = mbedtls_ecp_point_write_binary(
      &curve.group, &point.value, MBEDTLS_ECP_PF_UNCOMPRESSED, &length, out.data(), out.size());
  if (rc != 0 || length != kPublicKeyBytes) die_on_mbedtls_error("writing a P-256 point", rc);
  return out;
}

bool read_point(const Curve& curve, std::span<const std::uint8_t> bytes, Point& point) {
  if (bytes.size() != kPublicKeyBytes) return false;
  return mbedtls_ecp_point_read_binary(&curve.group, &point.value, bytes.data(), bytes.size()) ==
             0 &&
         mbedtls_ecp_check_pubkey(&curve.group, &point.value) == 0;
}

// The AES key for one sealed message: HKDF over the ECDH shared secret.
SecretBytes message_key(const Curve& curve, const Point& peer, const Number& scalar,
                        std::span<const std::uint8_t> ephemeral_public) {
  Number shared;
  int rc = mbedtls_ecdh_compute_shared(const_cast<mbedtls_ecp_group*>(&curve.group), &shared.value,
                                       &peer.value, &scalar.value, mbedtls_random, nullptr);
  if (rc != 0) return {};
  SecretBytes z(32);
  rc = mbedtls_mpi_write_binary(&shared.value, z.data(), z.size());
  if (rc != 0) die_on_mbedtls_error("writing the shared secret", rc);
  std::vector<std::uint8_t> info(kSealInfo.begin(), kSealInfo.end());
  info.insert(info.end(), ephemeral_public.begin(), ephemeral_public.end());
  SecretBytes key(kWrappingKeyBytes);
  rc = mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), nullptr, 0, z.data(), z.size(),
                    info.data(), info.size(), key.data(), key.size());
  if (rc != 0) die_on_mbedtls_error("HKDF", rc);
  return key;
}

// nonce | ciphertext | tag
std::vector<std::uint8_t> gcm_encrypt(std::span<const std::uint8_t> key,
                                      std::span<const std::uint8_t> plaintext,
                                      std::span<const std::uint8_t> associated_data) {
  std::vector<std::uint8_t> out(kNonceBytes + plaintext.size() + kTagBytes);
  random_bytes(std::span(out.data(), kNonceBytes));
  mbedtls_gcm_context gcm;
  mbedtls_gcm_init(&gcm);
  int rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key.data(),
                              static_cast<unsigned>(key.size() * 8));
  if (rc == 0) {
    rc = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, plaintext.size(), out.data(),
                                   kNonceBytes, associated_data.data(), associated_data.size(),
                                   plaintext.data(), out.data() + kNonceBytes, kTagBytes,
                                   out.data() + kNonceBytes + plaintext.size());
  }
  mbedtls_gcm_free(&gcm);
  if (rc != 0) die_on_mbedtls_error("AES-GCM encryption", rc);
  return out;
}

std::optional<std::vector<std::uint8_t>> gcm_decrypt(
    std::span<const std::uint8_t> key, std::span<const std::uint8_t> sealed,
    std::span<const std::uint8_t> associated_data) {
  if (sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::size_t length = sealed.size() - kNonceBytes - kTagBytes;
  std::vector<std::uint8_t> out(length);
  mbedtls_gcm_context gcm;
  mbedtls_gcm_init(&gcm);
  int rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key.data(),
                              static_cast<unsigned>(key.size() * 8));
  if (rc == 0) {
    rc = mbedtls_gcm_auth_decrypt(&gcm, length, sealed.data(), kNonceBytes, associated_data.data(),
                                  associated_data.size(), sealed.data() + kNonceBytes + length,
                                  kTagBytes, sealed.data() + kNonceBytes, out.data());
  }
  mbedtls_gcm_free(&gcm);
  if (rc != 0) {
    wipe_bytes(out);
    return std::nullopt;
  }
  return out;
}

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

KeyPair generate_key_pair() {
  Curve curve;
  Number scalar;
  Point point;
  const int rc =
      mbedtls_ecp_gen_keypair(&curve.group, &scalar.value, &point.value, mbedtls_random, nullptr);
  if (rc != 0) die_on_mbedtls_error("making a P-256 key pair", rc);
  KeyPair pair;
  pair.public_key = write_point(curve, point);
  pair.private_key = SecretBytes(kPrivateKeyBytes);
  if (const int written =
          mbedtls_mpi_write_binary(&scalar.value, pair.private_key.data(), pair.private_key.size());
      written != 0) {
    die_on_mbedtls_error("writing a private key", written);
  }
  return pair;
}

bool valid_public_key(std::span<const std::uint8_t> bytes) {
  Curve curve;
  Point point;
  return read_point(curve, bytes, point);
}

std::vector<std::uint8_t> seal(std::span<const std::uint8_t> public_key,
                               std::span<const std::uint8_t> plaintext,
                               std::span<const std::uint8_t> associated_data) {
  Curve curve;
  Point recipient;
  // The public key comes from our own database; a bad one is a broken box.
  if (!read_point(curve, public_key, recipient))
    die_on_mbedtls_error("reading the evidence public key", -1);
  Number ephemeral_scalar;
  Point ephemeral_point;
  int rc = mbedtls_ecp_gen_keypair(&curve.group, &ephemeral_scalar.value, &ephemeral_point.value,
                                   mbedtls_random, nullptr);
  if (rc != 0) die_on_mbedtls_error("making an ephemeral key", rc);
  const auto ephemeral_public = write_point(curve, ephemeral_point);
  const SecretBytes key = message_key(curve, recipient, ephemeral_scalar, ephemeral_public);
  if (key.empty()) die_on_mbedtls_error("ECDH", -1);
  const auto body = gcm_encrypt(key.span(), plaintext, associated_data);
  std::vector<std::uint8_t> out;
  out.reserve(1 + ephemeral_public.size() + body.size());
  out.push_back(kSealVersion);
  out.insert(out.end(), ephemeral_public.begin(), ephemeral_public.end());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

std::optional<std::string> open_sealed(const SecretBytes& private_key,
                                       std::span<const std::uint8_t> sealed,
                                       std::span<const std::uint8_t> associated_data) {
  if (sealed.size() < 1 + kPublicKeyBytes + kNonceBytes + kTagBytes || sealed[0] != kSealVersion ||
      private_key.size() != kPrivateKeyBytes) {
    return std::nullopt;
  }
  Curve curve;
  Point ephemeral;
  const auto ephemeral_public = sealed.subspan(1, kPublicKeyBytes);
  if (!read_point(curve, ephemeral_public, ephemeral)) return std::nullopt;
  Number scalar;
  if (mbedtls_mpi_read_binary(&scalar.value, private_key.data(), private_key.size()) != 0 ||
      mbedtls_ecp_check_privkey(&curve.group, &scalar.value) != 0) {
    return std::nullopt;
  }
  const SecretBytes key = message_key(curve, ephemeral, scalar, ephemeral_public);
  if (key.empty()) return std::nullopt;
  auto plain = gcm_decrypt(key.span(), sealed.subspan(1 + kPublicKeyBytes), associated_data);
  if (!plain) return std::nullopt;
  return std::string(plain->begin(), plain->end());
}

std::vector<std::uint8_t> wrap_secret(std::span<const std::uint8_t> wrapping_key,
                                      std::span<const std::uint8_t> secret,
                                      std::string_view label) {
  if (wrapping_key.size() != kWrappingKeyBytes)
    die_on_mbedtls_error("wrapping a key (wrong key size)", -1);
  return gcm_encrypt(wrapping_key, secret, as_bytes(label));
}

std::optional<SecretBytes> unwrap_secret(std::span<const std::uint8_t> wrapping_key,
                                         std::span<const std::uint8_t> wrapped,
                                         std::string_view label) {
  if (wrapping_key.size() != kWrappingKeyBytes) return std::nullopt;
  auto plain = gcm_decrypt(wrapping_key, wrapped, as_bytes(label));
  if (!plain) return std::nullopt;
  SecretBytes secret(*plain);
  wipe_bytes(*plain);
  return secret;
}

SecretBytes derive_subkey(std::span<const std::uint8_t> input_key, std::string_view info) {
  SecretBytes key(kWrappingKeyBytes);
  const int rc = mbedtls_hkdf(
      mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), nullptr, 0, input_key.data(), input_key.size(),
      reinterpret_cast<const unsigned char*>(info.data()), info.size(), key.data(), key.size());
  if (rc != 0) die_on_mbedtls_error("HKDF", rc);
  return key;
}

}  // namespace hm::crypto
