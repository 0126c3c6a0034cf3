#include "crypto/signature.h"

#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/mbedtls_support.h"
#include "crypto/random.h"

namespace hm::crypto {
namespace {

using detail::die_on_mbedtls_error;
using detail::mbedtls_random;

// RAII over mbedtls_pk_context.
struct PkKey {
  mbedtls_pk_context value;
  PkKey() { mbedtls_pk_init(&value); }
  ~PkKey() { mbedtls_pk_free(&value); }  // frees and zeroes the private scalar
  PkKey(const PkKey&) = delete;
  PkKey& operator=(const PkKey&) = delete;
};

bool is_p256(const mbedtls_pk_context& key) {
  return mbedtls_pk_get_type(&key) == MBEDTLS_PK_ECKEY &&
         mbedtls_pk_ec(key)->grp.id == MBEDTLS_ECP_DP_SECP256R1;
}

// mbedTLS parses PEM only from a NUL-terminated buffer whose length counts the NUL.
std::string terminated(std::string_view pem) {
  std::string text(pem);
  text.push_back('\0');
  return text;
}

Status parse_public(std::string_view pem, PkKey& key) {
  if (pem.size() > kMaxPemBytes) return error("the public key file is too large to be a key");
  const std::string text = terminated(pem);
  if (mbedtls_pk_parse_public_key(&key.value, reinterpret_cast<const unsigned char*>(text.data()),
                                  text.size()) != 0) {
    return error("not a PEM public key (expected -----BEGIN PUBLIC KEY-----)");
  }
  if (!is_p256(key.value)) return error("the public key is not an ECDSA P-256 key");
  return Ok{};
}

Status parse_private(std::string_view pem, PkKey& key) {
  if (pem.size() > kMaxPemBytes) return error("the private key file is too large to be a key");
  const std::string text = terminated(pem);
  if (mbedtls_pk_parse_key(&key.value, reinterpret_cast<const unsigned char*>(text.data()),
                           text.size(), nullptr, 0) != 0) {
    return error("not an unencrypted PEM private key (expected -----BEGIN EC PRIVATE KEY-----)");
  }
  if (!is_p256(key.value)) return error("the private key is not an ECDSA P-256 key");
  return Ok{};
}

KeyId key_id(mbedtls_pk_context& key) {
  // mbedtls_pk_write_pubkey_der writes at the end of the buffer.
  std::array<unsigned char, 256> der{};
  const int length = mbedtls_pk_write_pubkey_der(&key, der.data(), der.size());
  if (length <= 0) die_on_mbedtls_error("writing a public key", length);
  return sha256(std::span<const std::uint8_t>(der.data() + der.size() - length,
                                              static_cast<std::size_t>(length)));
}

std::string public_pem(mbedtls_pk_context& key) {
  std::array<unsigned char, 512> pem{};
  if (const int rc = mbedtls_pk_write_pubkey_pem(&key, pem.data(), pem.size()); rc != 0) {
    die_on_mbedtls_error("writing a public key", rc);
  }
  return reinterpret_cast<const char*>(pem.data());
}

}  // namespace

SigningKeyPair generate_signing_key() {
  PkKey key;
  if (const int rc = mbedtls_pk_setup(&key.value, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
      rc != 0) {
    die_on_mbedtls_error("setting up a key", rc);
  }
  if (const int rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key.value),
                                         mbedtls_random, nullptr);
      rc != 0) {
    die_on_mbedtls_error("generating a P-256 key", rc);
  }
  SigningKeyPair pair;
  std::array<unsigned char, 1024> pem{};
  if (const int rc = mbedtls_pk_write_key_pem(&key.value, pem.data(), pem.size()); rc != 0) {
    die_on_mbedtls_error("writing a private key", rc);
  }
  pair.private_pem = reinterpret_cast<const char*>(pem.data());
  mbedtls_platform_zeroize(pem.data(), pem.size());
  pair.public_pem = public_pem(key.value);
  return pair;
}

Result<KeyId> key_id_of_public_pem(std::string_view public_pem_text) {
  PkKey key;
  if (auto parsed = parse_public(public_pem_text, key); !parsed) return Error{parsed.error()};
  return key_id(key.value);
}

Result<KeyId> key_id_of_private_pem(std::string_view private_pem) {
  PkKey key;
  if (auto parsed = parse_private(private_pem, key); !parsed) return Error{parsed.error()};
  return key_id(key.value);
}

Result<std::string> public_pem_of_private_pem(std::string_view private_pem) {
  PkKey key;
  if (auto parsed = parse_private(private_pem, key); !parsed) return Error{parsed.error()};
  return public_pem(key.value);
}

Result<std::vector<std::uint8_t>> sign(std::string_view private_pem,
                                       std::span<const std::uint8_t> message) {
  PkKey key;
  if (auto parsed = parse_private(private_pem, key); !parsed) return Error{parsed.error()};
  const Sha256Digest digest = sha256(message);
  std::vector<std::uint8_t> signature(MBEDTLS_PK_SIGNATURE_MAX_SIZE);
  std::size_t length = 0;
  if (const int rc = mbedtls_pk_sign(&key.value, MBEDTLS_MD_SHA256, digest.data(), digest.size(),
                                     signature.data(), &length, mbedtls_random, nullptr);
      rc != 0) {
    return error("signing failed (mbedTLS error " + std::to_string(rc) + ")");
  }
  signature.resize(length);
  return signature;
}

bool verify(std::string_view public_pem_text, std::span<const std::uint8_t> message,
            std::span<const std::uint8_t> signature) {
  if (signature.empty() || signature.size() > kMaxSignatureBytes) return false;
  PkKey key;
  if (!parse_public(public_pem_text, key)) return false;
  const Sha256Digest digest = sha256(message);
  return mbedtls_pk_verify(&key.value, MBEDTLS_MD_SHA256, digest.data(), digest.size(),
                           signature.data(), signature.size()) == 0;
}

std::string short_key_id(const KeyId& id) {
  return to_hex(std::span<const std::uint8_t>(id.data(), 8));
}

}  // namespace hm::crypto
