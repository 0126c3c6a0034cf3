#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "dissect/observation.h"
#include "match/library.h"
#include "match/normalise.h"

namespace hm::match {

struct Hit {
  std::uint32_t entry_index = 0;  // into CompiledLibrary::library().entries
};

// A hit an exception entry suppressed ("scunthorpe" over a word inside it).
struct Suppressed {
  std::uint32_t entry_index = 0;      // the entry that would have hit
  std::uint32_t exception_index = 0;  // the exception entry whose span held it
};

// Everything one scan found: the hits to act on (sorted by entry index, each entry
// once) and, for "test a phrase" in the UI, the hits exceptions suppressed.
struct ScanReport {
  std::vector<Hit> hits;
  std::vector<Suppressed> suppressed;
};

using Sha256Digest = std::array<std::uint8_t, 32>;

// A library compiled into Hyperscan databases, one per set of normalisation rules
// its entries use (dev_notes.txt). Immutable and shared by all workers; swapping
// libraries means swapping this pointer.
class CompiledLibrary {
 public:
  static Result<std::shared_ptr<const CompiledLibrary>> compile(Library library);
  ~CompiledLibrary();
  CompiledLibrary(const CompiledLibrary&) = delete;
  CompiledLibrary& operator=(const CompiledLibrary&) = delete;

  const Library& library() const;

  // The sha256 entry listing this file hash, if any (the HTTP body side hashes
  // files transferred in clear and asks here).
  std::optional<std::uint32_t> match_sha256(const Sha256Digest& digest) const;
  // The same for 64 hex digits (either case); nullopt for anything else too.
  std::optional<std::uint32_t> match_sha256(std::string_view hex_digest) const;

  // How many Hyperscan databases (distinct rule sets) and bytes they take.
  std::size_t database_count() const;
  std::size_t database_bytes() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit CompiledLibrary(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One per worker thread: owns its Hyperscan scratch and normalisation buffers.
class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const CompiledLibrary> library);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Every distinct entry the observation's text hits (each entry at most once),
  // less those an exception suppressed.
  std::vector<Hit> scan(const dissect::Observation& observation);
  std::vector<Hit> scan_text(std::string_view text, bool is_host_name);
  // The same for text whose form the caller knows (a URL is percent-decoded first).
  std::vector<Hit> scan_text(std::string_view text, TextForm form);
  // Hits and suppressed hits; `report` is cleared first and may be reused.
  void scan_report(std::string_view text, TextForm form, ScanReport& report);

  const CompiledLibrary& library() const { return *library_; }

  struct Scratch;  // matcher.cpp

 private:
  std::shared_ptr<const CompiledLibrary> library_;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace hm::match
