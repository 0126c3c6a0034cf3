#include "crypto/totp.h"

#include <mbedtls/md.h>

#include <array>

#include "crypto/encoding.h"
#include "crypto/mbedtls_support.h"

namespace hm::crypto {
namespace {

mbedtls_md_type_t md_type(TotpHash hash) {
  switch (hash) {
    case TotpHash::sha1: return MBEDTLS_MD_SHA1;
    case TotpHash::sha256: return MBEDTLS_MD_SHA256;
    case TotpHash::sha512: return MBEDTLS_MD_SHA512;
  }
  return MBEDTLS_MD_SHA1;
}

// RFC 3986 §2.3 unreserved characters pass; everything else is percent-encoded.
std::string percent_encode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
  return out;
}

}  // namespace

std::string hotp(std::span<const std::uint8_t> secret, std::uint64_t counter, int digits,
                 TotpHash hash) {
  std::array<std::uint8_t, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(counter & 0xff);
    counter >>= 8;
  }
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(md_type(hash));
  std::array<std::uint8_t, 64> mac{};
  const int rc = mbedtls_md_hmac(info, secret.data(), secret.size(), message.data(), message.size(),
                                 mac.data());
  if (rc != 0) detail::die_on_mbedtls_error("HMAC for a one-time code", rc);
  // RFC 4226 §5.3 dynamic truncation: the low nibble of the last byte picks 4 bytes.
  const std::size_t size = mbedtls_md_get_size(info);
  const std::size_t offset = mac[size - 1] & 0x0f;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  if (code.size() < static_cast<std::size_t>(digits)) {
    code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  }
  return code;
}

std::uint64_t totp_step(std::int64_t unix_seconds) {
  return unix_seconds < 0 ? 0 : static_cast<std::uint64_t>(unix_seconds / kTotpStepSeconds);
}

std::string totp(std::span<const std::uint8_t> secret, std::int64_t unix_seconds, int digits,
                 TotpHash hash) {
  return hotp(secret, totp_step(unix_seconds), digits, hash);
}

std::optional<std::uint64_t> totp_matching_step(std::span<const std::uint8_t> secret,
                                                std::string_view code, std::int64_t unix_seconds,
                                                int window) {
  std::string digits;
  for (const char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits.push_back(c);
  }
  if (digits.size() != static_cast<std::size_t>(kTotpDigits)) return std::nullopt;
  const std::uint64_t now = totp_step(unix_seconds);
  std::optional<std::uint64_t> found;
  // Every candidate is computed and compared in constant time, whichever matches.
  for (int delta = -window; delta <= window; ++delta) {
    if (delta < 0 && now < static_cast<std::uint64_t>(-delta)) continue;
    const std::uint64_t step = now + static_cast<std::uint64_t>(static_cast<std::int64_t>(delta));
    if (constant_time_equal(hotp(secret, step), digits) && !found) found = step;
  }
  return found;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::span<const std::uint8_t> secret) {
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) +
         "?secret=" + to_base32(secret) + "&issuer=" + percent_encode(issuer) +
         "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

}  // namespace hm::crypto
