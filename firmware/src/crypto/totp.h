#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

// Time-based one-time passwords for the optional second sign-in step: RFC 6238 TOTP
// over RFC 4226 HOTP, as every authenticator app (Google Authenticator, Microsoft
// Authenticator, Aegis …) computes them: HMAC-SHA1, 30-second steps, 6 digits.
namespace hm::crypto {

inline constexpr std::int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
// RFC 4226 §4 R6: at least 128 bits, 160 recommended (the size of an HMAC-SHA1 key).
inline constexpr std::size_t kTotpSecretBytes = 20;

// RFC 6238 §1.2 allows SHA-256 and SHA-512 too; only the test vectors use them.
enum class TotpHash { sha1, sha256, sha512 };

// RFC 4226 §5.3: the HOTP value of `counter`, `digits` (6–8) decimal digits with
// leading zeros.
std::string hotp(std::span<const std::uint8_t> secret, std::uint64_t counter,
                 int digits = kTotpDigits, TotpHash hash = TotpHash::sha1);

// RFC 6238 §4.2: the time step of a Unix time (T0 = 0, X = 30 s).
std::uint64_t totp_step(std::int64_t unix_seconds);

std::string totp(std::span<const std::uint8_t> secret, std::int64_t unix_seconds,
                 int digits = kTotpDigits, TotpHash hash = TotpHash::sha1);

// The step, within `window` steps either side of now (RFC 6238 §5.2: allow for a clock
// a little off and the time it takes to type), whose code is `code`; nullopt if none.
// Spaces in the typed code are ignored ("123 456").
std::optional<std::uint64_t> totp_matching_step(std::span<const std::uint8_t> secret,
                                                std::string_view code, std::int64_t unix_seconds,
                                                int window = 1);

// The otpauth:// URI an authenticator app reads from a QR code (Google Authenticator's
// "Key Uri Format"): otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&…
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::span<const std::uint8_t> secret);

}  // namespace hm::crypto
