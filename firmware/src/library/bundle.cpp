#include "library/bundle.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "crypto/encoding.h"
#include "library/source_format.h"

namespace hm::library {
namespace {

// Appends big-endian integers and length-prefixed fields.
class Writer {
 public:
  void bytes(std::span<const std::uint8_t> data) {
    out_.insert(out_.end(), data.begin(), data.end());
  }
  void text(std::string_view data) {
    out_.insert(out_.end(), reinterpret_cast<const std::uint8_t*>(data.data()),
                reinterpret_cast<const std::uint8_t*>(data.data()) + data.size());
  }
  void number(std::uint64_t value, std::size_t width) {
    for (std::size_t i = width; i-- > 0;) {
      out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
  }
  void str16(std::string_view data) {
    number(data.size(), 2);
    text(data);
  }
  void blob32(std::string_view data) {
    number(data.size(), 4);
    text(data);
  }
  std::vector<std::uint8_t>& out() { return out_; }

 private:
  std::vector<std::uint8_t> out_;
};

// Reads what Writer wrote, bounds-checked: a read past the end sets truncated and
// returns zeros / empty, so callers check once after a group of reads.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> data) : data_(data) {}

  bool take(std::size_t count, std::span<const std::uint8_t>& out) {
    if (truncated_ || data_.size() - offset_ < count) {
      truncated_ = true;
      return false;
    }
    out = data_.subspan(offset_, count);
    offset_ += count;
    return true;
  }
  std::uint64_t number(std::size_t width) {
    std::span<const std::uint8_t> raw;
    if (!take(width, raw)) return 0;
    std::uint64_t value = 0;
    for (std::uint8_t byte : raw) value = (value << 8) | byte;
    return value;
  }
  std::string text(std::size_t count) {
    std::span<const std::uint8_t> raw;
    if (!take(count, raw)) return {};
    return {reinterpret_cast<const char*>(raw.data()), raw.size()};
  }
  // A length field, refused (too_long) when over `max` before anything is copied.
  std::string field(std::size_t width, std::size_t max, bool& too_long) {
    const std::uint64_t length = number(width);
    if (length > max) {
      too_long = true;
      return {};
    }
    return text(static_cast<std::size_t>(length));
  }
  bool truncated() const { return truncated_; }
  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return data_.size() - offset_; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t offset_ = 0;
  bool truncated_ = false;
};

BundleProblem problem(Rejection reason, std::string message) {
  return BundleProblem{reason, std::move(message)};
}

bool is_printable_utf8_name(std::string_view text) {
  return !text.empty() && std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool is_source_file_name(std::string_view name) {
  if (name.size() <= kSourceExtension.size() || name.size() > kMaxBundleFileNameBytes ||
      !name.ends_with(kSourceExtension)) {
    return false;
  }
  const std::string_view stem = name.substr(0, name.size() - kSourceExtension.size());
  return std::all_of(stem.begin(), stem.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

constexpr std::string_view kTruncated =
    "the bundle is truncated (it ends before its signature does); copy it again";

}  // namespace

std::string_view to_string(Rejection reason) {
  switch (reason) {
    case Rejection::truncated: return "truncated";
    case Rejection::too_large: return "too large";
    case Rejection::malformed: return "malformed";
    case Rejection::unsupported_format: return "unsupported format";
    case Rejection::unknown_publisher: return "unknown publisher";
    case Rejection::bad_signature: return "bad signature";
    case Rejection::not_newer: return "not newer";
    case Rejection::firmware_too_old: return "firmware too old";
    case Rejection::malformed_entry: return "malformed entry";
    case Rejection::does_not_compile: return "does not compile";
    case Rejection::unreadable: return "unreadable";
  }
  return "unknown";
}

std::string_view firmware_version() { return HM_FIRMWARE_VERSION; }

std::optional<std::array<std::uint32_t, 3>> parse_firmware_version(std::string_view text) {
  std::array<std::uint32_t, 3> parts{};
  std::size_t part = 0;
  std::size_t digits = 0;
  for (char c : text) {
    if (c == '.') {
      if (digits == 0 || ++part >= parts.size()) return std::nullopt;
      digits = 0;
    } else if (c >= '0' && c <= '9' && digits < 6) {
      parts[part] = parts[part] * 10 + static_cast<std::uint32_t>(c - '0');
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (part != 2 || digits == 0) return std::nullopt;
  return parts;
}

Result<std::vector<std::uint8_t>> write_bundle(const BundleManifest& manifest,
                                               const std::vector<BundleSource>& sources,
                                               std::string_view private_pem) {
  if (!is_printable_utf8_name(manifest.publisher) ||
      manifest.publisher.size() > kMaxPublisherBytes) {
    return error("the publisher is 1 to " + std::to_string(kMaxPublisherBytes) +
                 " printable characters");
  }
  if (!manifest.min_firmware.empty() && !parse_firmware_version(manifest.min_firmware)) {
    return error("the minimum firmware is written X.Y.Z, e.g. 0.1.0, got \"" +
                 manifest.min_firmware + "\"");
  }
  if (sources.empty() || sources.size() > kMaxBundleFiles) {
    return error("a bundle holds 1 to " + std::to_string(kMaxBundleFiles) + " source files");
  }
  auto signer = crypto::key_id_of_private_pem(private_pem);
  if (!signer) return Error{signer.error()};
  Writer writer;
  writer.text(kBundleMagic);
  writer.number(kBundleFormatVersion, 2);
  writer.number(manifest.version, 8);
  writer.number(static_cast<std::uint64_t>(manifest.created_unix), 8);
  writer.bytes(*signer);
  writer.str16(manifest.publisher);
  writer.str16(manifest.min_firmware);
  writer.number(sources.size(), 2);
  for (const BundleSource& source : sources) {
    if (!is_source_file_name(source.name) || source.text.size() > kMaxSourceFileBytes) {
      return error(source.name + ": not a source file name or larger than " +
                   std::to_string(kMaxSourceFileBytes) + " bytes");
    }
    writer.str16(source.name);
    writer.blob32(source.text);
  }
  auto signature = crypto::sign(private_pem, writer.out());
  if (!signature) return Error{signature.error()};
  writer.number(signature->size(), 2);
  writer.bytes(*signature);
  if (writer.out().size() > kMaxBundleBytes) {
    return error("the bundle would be larger than " + std::to_string(kMaxBundleBytes >> 20) +
                 " MiB, which the box refuses");
  }
  return std::move(writer.out());
}

Result<std::vector<std::uint8_t>> build_bundle(const std::filesystem::path& dir,
                                               BundleManifest manifest,
                                               std::string_view private_pem) {
  auto library = load_source_dir(dir);
  if (!library) return Error{library.error()};
  if (auto compiled = match::CompiledLibrary::compile(std::move(*library)); !compiled) {
    return Error{compiled.error()};
  }
  // The files load_source_dir read, in its order (sorted by name).
  std::vector<std::filesystem::path> paths;
  std::error_code ec;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
    if (item.path().extension() == kSourceExtension && item.is_regular_file()) {
      paths.push_back(item.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<BundleSource> sources;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return error(path.string() + ": cannot read the file");
    sources.push_back({path.filename().string(), text.str()});
  }
  return write_bundle(manifest, sources, private_pem);
}

std::optional<BundleProblem> parse_bundle(std::span<const std::uint8_t> bytes, Bundle& out) {
  out = Bundle{};
  if (bytes.size() > kMaxBundleBytes) {
    return problem(Rejection::too_large, "the bundle is larger than " +
                                             std::to_string(kMaxBundleBytes >> 20) +
                                             " MiB, the most the box accepts");
  }
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!text.starts_with(kBundleMagic)) {
    if (!text.empty() && kBundleMagic.starts_with(text)) {
      return problem(Rejection::truncated, std::string(kTruncated));
    }
    return problem(Rejection::malformed,
                   "not a hallmonitor library bundle (it does not start with HMBUNDLE); "
                   "bundles are made with `hallmonitor library build`");
  }
  Reader reader(bytes.subspan(kBundleMagic.size()));
  out.format_version = static_cast<std::uint16_t>(reader.number(2));
  if (reader.truncated()) return problem(Rejection::truncated, std::string(kTruncated));
  if (out.format_version != kBundleFormatVersion) {
    return problem(Rejection::unsupported_format,
                   "bundle format " + std::to_string(out.format_version) +
                       " is not one this firmware reads (it reads format " +
                       std::to_string(kBundleFormatVersion) + "); update the firmware first");
  }
  out.manifest.version = reader.number(8);
  out.manifest.created_unix = static_cast<std::int64_t>(reader.number(8));
  std::span<const std::uint8_t> signer;
  if (reader.take(out.signer.size(), signer)) {
    std::copy(signer.begin(), signer.end(), out.signer.begin());
  }
  bool too_long = false;
  out.manifest.publisher = reader.field(2, kMaxPublisherBytes, too_long);
  out.manifest.min_firmware = reader.field(2, 32, too_long);
  const std::uint64_t file_count = reader.number(2);
  if (reader.truncated()) return problem(Rejection::truncated, std::string(kTruncated));
  if (too_long || !is_printable_utf8_name(out.manifest.publisher)) {
    return problem(Rejection::malformed, "the bundle's publisher or firmware field is malformed");
  }
  if (!out.manifest.min_firmware.empty() && !parse_firmware_version(out.manifest.min_firmware)) {
    return problem(Rejection::malformed, "the bundle's minimum firmware \"" +
                                             out.manifest.min_firmware + "\" is not X.Y.Z");
  }
  if (file_count == 0 || file_count > kMaxBundleFiles) {
    return problem(Rejection::malformed, "the bundle says it holds " + std::to_string(file_count) +
                                             " files; a bundle holds 1 to " +
                                             std::to_string(kMaxBundleFiles));
  }
  std::set<std::string> names;
  for (std::uint64_t i = 0; i < file_count; ++i) {
    BundleSource source;
    source.name = reader.field(2, kMaxBundleFileNameBytes, too_long);
    source.text = reader.field(4, kMaxSourceFileBytes, too_long);
    if (too_long) {
      return problem(Rejection::malformed, "file " + std::to_string(i + 1) +
                                               " of the bundle has a name or text longer than "
                                               "the box accepts");
    }
    if (reader.truncated()) return problem(Rejection::truncated, std::string(kTruncated));
    if (!is_source_file_name(source.name)) {
      return problem(Rejection::malformed, "file " + std::to_string(i + 1) +
                                               " of the bundle is not named <category>.hml");
    }
    if (!names.insert(source.name).second) {
      return problem(Rejection::malformed, source.name + " is in the bundle twice");
    }
    out.sources.push_back(std::move(source));
  }
  out.signed_bytes = kBundleMagic.size() + reader.offset();
  const std::uint64_t signature_length = reader.number(2);
  if (reader.truncated()) return problem(Rejection::truncated, std::string(kTruncated));
  if (signature_length == 0 || signature_length > crypto::kMaxSignatureBytes) {
    return problem(Rejection::malformed, "the bundle's signature field is malformed");
  }
  std::span<const std::uint8_t> signature;
  if (!reader.take(static_cast<std::size_t>(signature_length), signature)) {
    return problem(Rejection::truncated, std::string(kTruncated));
  }
  out.signature.assign(signature.begin(), signature.end());
  if (reader.remaining() != 0) {
    return problem(Rejection::malformed, std::to_string(reader.remaining()) +
                                             " unexpected bytes follow the bundle's signature");
  }
  return std::nullopt;
}

std::optional<BundleProblem> verify_signature(std::span<const std::uint8_t> bytes,
                                              const Bundle& bundle,
                                              const std::vector<TrustedKey>& keys,
                                              std::string* signer) {
  const auto key = std::find_if(keys.begin(), keys.end(), [&](const TrustedKey& trusted) {
    return trusted.id == bundle.signer;
  });
  if (key == keys.end()) {
    return problem(Rejection::unknown_publisher,
                   "signed by key " + crypto::short_key_id(bundle.signer) +
                       ", which is not one of the box's trusted publisher keys (" +
                       std::to_string(keys.size()) +
                       " in trusted-keys/); get the bundle from your library publisher");
  }
  if (bundle.signed_bytes > bytes.size() ||
      !crypto::verify(key->public_pem, bytes.first(bundle.signed_bytes), bundle.signature)) {
    return problem(Rejection::bad_signature,
                   "the signature does not match the contents: the bundle was changed after " +
                       key->name + " signed it (tampered or damaged); do not use it");
  }
  if (signer != nullptr) *signer = key->name;
  return std::nullopt;
}

std::optional<BundleProblem> library_of(const Bundle& bundle, match::Library& out) {
  out = match::Library{};
  out.name = bundle.manifest.publisher;
  out.version = "bundle-" + std::to_string(bundle.manifest.version);
  std::set<std::string> categories;
  CrossFileDuplicates duplicates;
  for (const BundleSource& source : bundle.sources) {
    auto file = parse_source(source.text, source.name);
    if (!file) {
      // parse_source already runs Hyperscan over each regex; a file whose only
      // mistakes are such regexes is a pattern that does not compile.
      bool only_regexes = true;
      std::istringstream lines(file.error());
      for (std::string line; std::getline(lines, line);) {
        only_regexes = only_regexes && line.find(": regex \"") != std::string::npos;
      }
      return problem(only_regexes ? Rejection::does_not_compile : Rejection::malformed_entry,
                     file.error());
    }
    if (source.name != file->category.id + std::string(kSourceExtension)) {
      return problem(Rejection::malformed_entry,
                     source.name + ": holds category \"" + file->category.id + "\"");
    }
    if (!categories.insert(file->category.id).second) {
      return problem(Rejection::malformed_entry,
                     source.name + ": category \"" + file->category.id + "\" is defined twice");
    }
    for (const match::Entry& entry : file->entries) {
      if (auto repeated = duplicates.add(entry)) {
        return problem(Rejection::malformed_entry, *repeated);
      }
    }
    out.categories.push_back(std::move(file->category));
    std::move(file->entries.begin(), file->entries.end(), std::back_inserter(out.entries));
  }
  return std::nullopt;
}

Result<std::vector<TrustedKey>> load_trusted_keys(const std::filesystem::path& dir) {
  std::vector<TrustedKey> keys;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return keys;
  std::vector<std::filesystem::path> paths;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
    if (item.path().extension() == ".pub" && item.is_regular_file()) paths.push_back(item.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    std::vector<std::uint8_t> bytes;
    if (auto failed = read_bundle_file(path, bytes, crypto::kMaxPemBytes)) {
      return error(path.string() + ": " + failed->message);
    }
    TrustedKey key;
    key.name = path.stem().string();
    key.public_pem.assign(bytes.begin(), bytes.end());
    auto id = crypto::key_id_of_public_pem(key.public_pem);
    if (!id) return error(path.string() + ": " + id.error());
    key.id = *id;
    keys.push_back(std::move(key));
  }
  return keys;
}

std::optional<BundleProblem> open_bundle(std::span<const std::uint8_t> bytes,
                                         const std::vector<TrustedKey>& keys, VerifiedBundle& out) {
  out = VerifiedBundle{};
  if (auto failed = parse_bundle(bytes, out.bundle)) return failed;
  if (auto failed = verify_signature(bytes, out.bundle, keys, &out.signer)) return failed;
  // Only signed bytes are parsed further.
  const std::string& needed = out.bundle.manifest.min_firmware;
  if (!needed.empty() &&
      *parse_firmware_version(firmware_version()) < *parse_firmware_version(needed)) {
    return problem(Rejection::firmware_too_old,
                   "the bundle needs firmware " + needed + " or newer; this box runs " +
                       std::string(firmware_version()) + ": update the firmware first");
  }
  match::Library library;
  if (auto failed = library_of(out.bundle, library)) return failed;
  auto compiled = match::CompiledLibrary::compile(std::move(library));
  if (!compiled) return problem(Rejection::does_not_compile, compiled.error());
  out.compiled = std::move(*compiled);
  return std::nullopt;
}

std::optional<BundleProblem> read_bundle_file(const std::filesystem::path& path,
                                              std::vector<std::uint8_t>& out,
                                              std::size_t max_bytes) {
  out.clear();
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return problem(Rejection::unreadable, path.string() + ": cannot read: " + ec.message());
  if (size > max_bytes) {
    return problem(Rejection::too_large, path.string() + " is " + std::to_string(size) +
                                             " bytes, more than the " + std::to_string(max_bytes) +
                                             " the box accepts");
  }
  std::ifstream in(path, std::ios::binary);
  // One byte more than the cap, in case the file grew since file_size().
  out.resize(static_cast<std::size_t>(size) + 1);
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
  if (in.bad()) return problem(Rejection::unreadable, path.string() + ": cannot read the file");
  out.resize(static_cast<std::size_t>(in.gcount()));
  if (out.size() > max_bytes) {
    return problem(Rejection::too_large, path.string() + " is larger than the box accepts");
  }
  return std::nullopt;
}

}  // namespace hm::library
