#pragma once

#include <cstdint>
#include <memory>
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

// A library compiled into one Hyperscan database. Immutable and shared by all
// workers; swapping libraries means swapping this pointer.
class CompiledLibrary {
 public:
  static Result<std::shared_ptr<const CompiledLibrary>> compile(Library library);
  ~CompiledLibrary();
  CompiledLibrary(const CompiledLibrary&) = delete;
  CompiledLibrary& operator=(const CompiledLibrary&) = delete;

  const Library& library() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit CompiledLibrary(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One per worker thread: owns its Hyperscan scratch.
class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const CompiledLibrary> library);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Every distinct entry the observation's text hits (each entry at most once).
  std::vector<Hit> scan(const dissect::Observation& observation);
  std::vector<Hit> scan_text(std::string_view text, bool is_host_name);
  // The same for text whose form the caller knows (a URL is percent-decoded first).
  std::vector<Hit> scan_text(std::string_view text, TextForm form);

  const CompiledLibrary& library() const { return *library_; }

 private:
  std::shared_ptr<const CompiledLibrary> library_;
  struct Scratch;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace hm::match
