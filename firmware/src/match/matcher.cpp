#include "match/matcher.h"

#include <hs.h>

#include <algorithm>
#include <climits>
#include <new>
#include <string>

#include "match/normalise.h"
#include "match/pattern.h"

namespace hm::match {

struct CompiledLibrary::Impl {
  Library library;
  // One pattern per entry; the pattern id is the entry's index. Null for an empty
  // library (Hyperscan cannot compile zero patterns).
  hs_database_t* database = nullptr;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() { hs_free_database(database); }
};

CompiledLibrary::CompiledLibrary(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompiledLibrary::~CompiledLibrary() = default;

const Library& CompiledLibrary::library() const { return impl_->library; }

Result<std::shared_ptr<const CompiledLibrary>> CompiledLibrary::compile(Library library) {
  auto impl = std::make_unique<Impl>();
  impl->library = std::move(library);
  const std::vector<Entry>& entries = impl->library.entries;
  if (entries.size() > UINT_MAX) {
    return error("the library has too many entries to compile");
  }

  if (!entries.empty()) {
    std::vector<std::string> expressions;
    std::vector<const char*> expression_ptrs;
    std::vector<unsigned int> flags;
    std::vector<unsigned int> ids;
    expressions.reserve(entries.size());
    expression_ptrs.reserve(entries.size());
    flags.reserve(entries.size());
    ids.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      expressions.push_back(expression_for(entries[i]));
      // CASELESS although normalise() lower-cases: entries are not normalised yet
      // (issue 4 does both sides alike), and it costs Hyperscan nothing.
      // SINGLEMATCH: we report which entries hit, each once per text.
      // Not UTF8: Hyperscan's behaviour on invalid UTF-8 is undefined and network
      // text is often invalid, so expressions work on bytes (see pattern.cpp).
      // No SOM: start offsets are not needed yet and SOM slows scanning.
      flags.push_back(HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
      ids.push_back(static_cast<unsigned int>(i));
    }
    for (const std::string& expression : expressions) {
      expression_ptrs.push_back(expression.c_str());
    }

    hs_compile_error_t* compile_error = nullptr;
    const hs_error_t status = hs_compile_multi(
        expression_ptrs.data(), flags.data(), ids.data(), static_cast<unsigned int>(entries.size()),
        HS_MODE_BLOCK, nullptr, &impl->database, &compile_error);
    if (status != HS_SUCCESS) {
      std::string message = "could not compile the library";
      if (compile_error != nullptr) {
        const int index = compile_error->expression;
        if (index >= 0 && static_cast<std::size_t>(index) < entries.size()) {
          const Entry& entry = entries[static_cast<std::size_t>(index)];
          message = (entry.source.empty() ? std::string("entry ") + std::to_string(index)
                                          : entry.source) +
                    ": " + std::string(to_string(entry.kind)) + " \"" + entry.pattern +
                    "\" does not compile: " + compile_error->message;
        } else {
          message += std::string(": ") + compile_error->message;
        }
        hs_free_compile_error(compile_error);
      }
      return error(std::move(message));
    }
  }
  return std::shared_ptr<const CompiledLibrary>(new CompiledLibrary(std::move(impl)));
}

struct Scanner::Scratch {
  hs_scratch_t* scratch = nullptr;
  std::string normalised;  // reused between scans: no allocation per observation

  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { hs_free_scratch(scratch); }
};

Scanner::Scanner(std::shared_ptr<const CompiledLibrary> library)
    : library_(std::move(library)), scratch_(std::make_unique<Scratch>()) {
  const hs_database_t* database = library_->impl().database;
  // Only fails when out of memory (or on a corrupt database, which compile() cannot
  // produce).
  if (database != nullptr && hs_alloc_scratch(database, &scratch_->scratch) != HS_SUCCESS) {
    throw std::bad_alloc();
  }
}

Scanner::~Scanner() = default;

namespace {

struct ScanContext {
  const std::vector<Entry>* entries;
  TextForm form;
  std::vector<Hit>* hits;
};

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/,
             unsigned int /*flags*/, void* context) {
  auto& scan = *static_cast<ScanContext*>(context);
  if (applies_to((*scan.entries)[id].kind, scan.form)) {
    scan.hits->push_back(Hit{id});
  }
  return 0;  // go on: every entry that hits is wanted
}

}  // namespace

std::vector<Hit> Scanner::scan(const dissect::Observation& observation) {
  return scan_text(observation.text, text_form_of(observation.kind));
}

std::vector<Hit> Scanner::scan_text(std::string_view text, bool is_host_name) {
  return scan_text(text, is_host_name ? TextForm::host_name : TextForm::plain);
}

std::vector<Hit> Scanner::scan_text(std::string_view text, TextForm form) {
  std::vector<Hit> hits;
  const CompiledLibrary::Impl& impl = library_->impl();
  if (impl.database == nullptr) {
    return hits;
  }
  normalise_into(text, form, scratch_->normalised);
  // Observations are capped far below 4 GiB by the dissectors; a longer text is
  // scanned up to hs_scan's limit.
  const std::size_t length = std::min<std::size_t>(scratch_->normalised.size(), UINT_MAX);
  ScanContext context{&impl.library.entries, form, &hits};
  // HS_SCAN_TERMINATED cannot happen (on_match never stops the scan); any other error
  // means a corrupt database or scratch, which compile() and the constructor rule out.
  hs_scan(impl.database, scratch_->normalised.data(), static_cast<unsigned int>(length), 0,
          scratch_->scratch, on_match, &context);
  return hits;
}

}  // namespace hm::match
