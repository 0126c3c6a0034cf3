#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/signature.h"
#include "match/library.h"
#include "match/matcher.h"

namespace hm::library {

// A library bundle (.hmlib): the category source files of one library edition, signed
// by its publisher (DESIGN.md "library"). The box accepts a bundle only if its
// signature verifies against a trusted publisher key and its version is newer than
// the active one.
//
// Format version 1. Integers are unsigned big-endian unless said otherwise; a
// "str16" is a u16 length then that many bytes; a "blob32" a u32 length then bytes.
//
//   magic            8 bytes   "HMBUNDLE"
//   format version   u16       1
//   library version  u64       monotonic: each edition a publisher signs is larger
//   created          i64       Unix seconds (two's complement)
//   signer key id    32 bytes  SHA-256 of the signing key's DER public key
//   publisher        str16     1–128 bytes of printable UTF-8, e.g. "SWGfL"
//   min firmware     str16     "X.Y.Z", or empty for any firmware
//   file count       u16       1–kMaxBundleFiles
//   per file:
//     name           str16     "<category-id>.hml" (a-z, 0-9, '-'), ≤ 64 bytes
//     text           blob32    the category's source file (source_format.h), UTF-8,
//                              at most kMaxSourceFileBytes
//   signature        str16     ECDSA P-256 over SHA-256 of every byte before this
//                              field, ASN.1 DER (crypto/signature.h)
//
// Nothing may follow the signature. The sources are parsed exactly as `library check`
// parses a folder, so a bundle says no more and no less than its source files.

inline constexpr std::string_view kBundleMagic = "HMBUNDLE";
inline constexpr std::uint16_t kBundleFormatVersion = 1;
inline constexpr std::string_view kBundleExtension = ".hmlib";
// The largest bundle the box reads: well above a real library (a few MiB of text),
// well below what would strain the box's memory.
inline constexpr std::size_t kMaxBundleBytes = std::size_t{64} * 1024 * 1024;
inline constexpr std::size_t kMaxBundleFiles = 256;
inline constexpr std::size_t kMaxPublisherBytes = 128;
inline constexpr std::size_t kMaxBundleFileNameBytes = 64;

// Why a bundle was refused, for the audit log, the history and tests.
enum class Rejection : std::uint8_t {
  truncated,           // ends before its signature does
  too_large,           // more than kMaxBundleBytes
  malformed,           // not a bundle, or a field out of range
  unsupported_format,  // a format version this firmware does not read
  unknown_publisher,   // signed by a key not in trusted-keys
  bad_signature,       // signed by a trusted key, but the bytes were changed since
  not_newer,           // version not newer than the active library (rollback attack)
  firmware_too_old,    // needs a newer firmware than this one
  malformed_entry,     // a source file has a mistake (file:line in the message)
  does_not_compile,    // a pattern Hyperscan refuses (file:line where known)
  unreadable,          // the file could not be read
};
std::string_view to_string(Rejection reason);

// A refusal: the reason and, in plain words, what exactly and what to do.
struct BundleProblem {
  Rejection reason = Rejection::malformed;
  std::string message;
};

struct BundleManifest {
  std::uint64_t version = 0;
  std::int64_t created_unix = 0;
  std::string publisher;
  std::string min_firmware;  // "" or "X.Y.Z"
};

struct BundleSource {
  std::string name;  // "suicide.hml"
  std::string text;
};

struct Bundle {
  std::uint16_t format_version = kBundleFormatVersion;
  BundleManifest manifest;
  crypto::KeyId signer{};
  std::vector<BundleSource> sources;
  std::size_t signed_bytes = 0;  // the prefix the signature covers
  std::vector<std::uint8_t> signature;
};

// A publisher key the box trusts: DIR/trusted-keys/<name>.pub.
struct TrustedKey {
  std::string name;
  std::string public_pem;
  crypto::KeyId id{};
};

// This build's firmware version ("0.1.0").
std::string_view firmware_version();
// "1.2.3" as numbers; nullopt unless three dot-separated decimal numbers.
std::optional<std::array<std::uint32_t, 3>> parse_firmware_version(std::string_view text);

// Every source file of `dir` (checked and compiled as `library check` does; any
// mistake is an error) signed into a bundle with `private_pem`.
Result<std::vector<std::uint8_t>> build_bundle(const std::filesystem::path& dir,
                                               BundleManifest manifest,
                                               std::string_view private_pem);

// Lays out and signs a bundle of the given sources (not checked here).
Result<std::vector<std::uint8_t>> write_bundle(const BundleManifest& manifest,
                                               const std::vector<BundleSource>& sources,
                                               std::string_view private_pem);

// Reads the framing of `bytes` into `out` (no signature check). Never reads past
// `bytes`; any input gives a Bundle or a problem.
std::optional<BundleProblem> parse_bundle(std::span<const std::uint8_t> bytes, Bundle& out);

// Checks the signature of a parsed bundle (`bytes` as given to parse_bundle) against
// the trusted keys; on success `signer` names the key that signed it.
std::optional<BundleProblem> verify_signature(std::span<const std::uint8_t> bytes,
                                              const Bundle& bundle,
                                              const std::vector<TrustedKey>& keys,
                                              std::string* signer = nullptr);

// The library the bundle's sources describe (version "bundle-<N>").
std::optional<BundleProblem> library_of(const Bundle& bundle, match::Library& out);

// Every *.pub file of `dir` (sorted). A missing folder is no keys; a file that is not
// a P-256 public key is an error naming it.
Result<std::vector<TrustedKey>> load_trusted_keys(const std::filesystem::path& dir);

// A bundle that passed everything: framing, signature, firmware version, sources and
// the Hyperscan compile.
struct VerifiedBundle {
  Bundle bundle;
  std::string signer;  // the trusted key's name
  std::shared_ptr<const match::CompiledLibrary> compiled;
};

// Parses, verifies and compiles bundle bytes.
std::optional<BundleProblem> open_bundle(std::span<const std::uint8_t> bytes,
                                         const std::vector<TrustedKey>& keys, VerifiedBundle& out);

// Reads a whole file of at most `max_bytes`: too_large or unreadable otherwise.
std::optional<BundleProblem> read_bundle_file(const std::filesystem::path& path,
                                              std::vector<std::uint8_t>& out,
                                              std::size_t max_bytes = kMaxBundleBytes);

}  // namespace hm::library
