// libFuzzer target: arbitrary bytes as a library source file (.hml).
// Properties checked: parse_source never crashes or reads out of bounds, and every
// library it accepts — any kind: word, phrase, domain, url, regex, combination,
// sha256, exception, with options — of up to 48 entries compiles (the parser's checks, including
// the per-regex Hyperscan check, are enough for the matcher) and scans its own patterns without
// trouble; every sha256 entry is found by its digest. Links the `library` CMake target (which
// brings `match`).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "library/source_format.h"
#include "match/matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto file = hm::library::parse_source(text, "fuzz.hml");
  if (!file.ok()) {
    return 0;
  }
  // Compiling hundreds of entries takes seconds (Hyperscan): a whole starter file is
  // parsed, but only inputs of a few dozen entries are compiled and scanned, so each
  // run stays fast and the fuzzer explores the parser instead of waiting.
  constexpr std::size_t kMaxCompiledEntries = 48;
  if (file->entries.size() > kMaxCompiledEntries) {
    return 0;
  }
  hm::match::Library library;
  library.categories.push_back(file->category);
  library.entries = file->entries;
  auto compiled = hm::match::CompiledLibrary::compile(std::move(library));
  if (!compiled.ok()) {
    std::abort();  // the parser accepted an entry the matcher cannot compile
  }
  hm::match::Scanner scanner(*compiled);
  const auto& entries = (*compiled)->library().entries;
  for (std::uint32_t i = 0; i < entries.size(); ++i) {
    const hm::match::Entry& entry = entries[i];
    if (entry.kind == hm::match::EntryKind::sha256 &&
        (*compiled)->match_sha256(entry.pattern) != i) {
      std::abort();
    }
    (void)scanner.scan_text(entry.pattern, hm::match::TextForm::plain);
    (void)scanner.scan_text(entry.pattern, hm::match::TextForm::host_name);
  }
  (void)scanner.scan_text(text, hm::match::TextForm::url);
  return 0;
}
