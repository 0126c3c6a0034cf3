#include "crypto/hkdf.h"

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include <cstdlib>

namespace hm::crypto {

namespace {

const mbedtls_md_info_t* sha256_info() { return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256); }

}  // namespace

Sha256Prk hkdf_extract_sha256(std::span<const std::uint8_t> salt,
                              std::span<const std::uint8_t> input_key_material) {
  Sha256Prk prk{};
  const int rc =
      mbedtls_hkdf_extract(sha256_info(), salt.data(), salt.size(), input_key_material.data(),
                           input_key_material.size(), prk.data());
  // Fails only on parameters we never pass.
  if (rc != 0) std::abort();
  return prk;
}

std::vector<std::uint8_t> hkdf_expand_label_sha256(std::span<const std::uint8_t> secret,
                                                   std::string_view label, std::size_t length) {
  constexpr std::string_view kPrefix = "tls13 ";
  if (length > 255 || kPrefix.size() + label.size() > 255) std::abort();  // our own misuse
  // struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
  std::vector<std::uint8_t> info;
  info.reserve(4 + kPrefix.size() + label.size());
  info.push_back(static_cast<std::uint8_t>(length >> 8));
  info.push_back(static_cast<std::uint8_t>(length));
  info.push_back(static_cast<std::uint8_t>(kPrefix.size() + label.size()));
  info.insert(info.end(), kPrefix.begin(), kPrefix.end());
  info.insert(info.end(), label.begin(), label.end());
  info.push_back(0);  // empty context
  std::vector<std::uint8_t> output(length);
  const int rc = mbedtls_hkdf_expand(sha256_info(), secret.data(), secret.size(), info.data(),
                                     info.size(), output.data(), output.size());
  if (rc != 0) std::abort();
  return output;
}

}  // namespace hm::crypto
