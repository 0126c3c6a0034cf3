// libFuzzer target: arbitrary bytes as an e2guardian / DansGuardian phrase list.
// Properties checked: the importer never crashes or reads out of bounds, and what it
// imports is a library source the project's own parser reads back and the matcher
// compiles, for imports small enough to compile quickly (an import must never
// produce a folder `library check` rejects).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "library/e2guardian_import.h"
#include "library/source_format.h"
#include "library/source_writer.h"
#include "match/matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  hm::library::E2guardianImport import;
  hm::library::import_e2guardian_list(text, "lists/porn/weighted", {}, import);
  for (const auto& [id, file] : import.files) {
    auto reread = hm::library::parse_source(hm::library::format_source_file(file), id + ".hml");
    if (!reread.ok() || reread->entries.size() != file.entries.size()) {
      std::abort();  // the import wrote an entry the source format cannot hold
    }
    // Compiling is what costs (Hyperscan): only small imports, so the fuzzer keeps
    // its speed; the parser's own checks cover the rest.
    if (file.entries.size() > 16) continue;
    hm::match::Library library;
    library.categories.push_back(reread->category);
    library.entries = reread->entries;
    if (!hm::match::CompiledLibrary::compile(std::move(library)).ok()) std::abort();
  }
  return 0;
}
