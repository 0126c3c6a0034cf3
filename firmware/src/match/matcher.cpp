#include "match/matcher.h"

#include "crypto/encoding.h"

#include <hs.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <climits>
#include <map>
#include <new>
#include <string>

#include "match/pattern.h"

namespace hm::match {
namespace {

// Occurrences of one pattern kept per scan to test against exception spans; past
// this the pattern counts as hit (an exception is not meant to hide a flood).
constexpr std::uint8_t kMaxOccurrences = 16;
// Exception spans kept per scan; past this, later occurrences go unsuppressed.
constexpr std::size_t kMaxExceptionSpans = 4096;

// What a Hyperscan id stands for.
struct PatternRef {
  std::uint32_t entry = 0;
  std::uint32_t length = 0;  // of a literal, in normalised bytes (its start is end − length)
  EntryKind kind = EntryKind::word;
  std::uint8_t part = 0;  // which part of a combination
};

// 64 hex digits → the 32-byte digest (crypto::from_hex does the decoding).
std::optional<Sha256Digest> parse_hex_digest(std::string_view hex) {
  const auto bytes = crypto::from_hex(hex);
  if (!bytes || bytes->size() != Sha256Digest{}.size()) {
    return std::nullopt;
  }
  Sha256Digest digest{};
  std::copy(bytes->begin(), bytes->end(), digest.begin());
  return digest;
}

}  // namespace

struct CompiledLibrary::Impl {
  // One pass per distinct rule set (dev_notes.txt): a literal database and, where
  // the pass holds regex entries, an expression database, either may be null.
  struct Pass {
    NormaliseRules rules = kAllRules;
    bool has_domains = false;  // the only pass host names are scanned with
    hs_database_t* literals = nullptr;
    hs_database_t* expressions = nullptr;
  };

  Library library;
  std::vector<Pass> passes;
  std::vector<PatternRef> patterns;    // by Hyperscan id, across all passes
  std::vector<std::uint8_t> parts_of;  // per entry: how many parts (combination), else 1
  std::vector<std::pair<Sha256Digest, std::uint32_t>> sha256;  // sorted by digest

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    for (Pass& pass : passes) {
      hs_free_database(pass.literals);
      hs_free_database(pass.expressions);
    }
  }
};

CompiledLibrary::CompiledLibrary(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompiledLibrary::~CompiledLibrary() = default;

const Library& CompiledLibrary::library() const { return impl_->library; }

std::size_t CompiledLibrary::database_count() const { return impl_->passes.size(); }

std::size_t CompiledLibrary::database_bytes() const {
  std::size_t total = 0;
  for (const Impl::Pass& pass : impl_->passes) {
    for (const hs_database_t* database : {pass.literals, pass.expressions}) {
      std::size_t size = 0;
      if (database != nullptr && hs_database_size(database, &size) == HS_SUCCESS) {
        total += size;
      }
    }
  }
  return total;
}

std::optional<std::uint32_t> CompiledLibrary::match_sha256(const Sha256Digest& digest) const {
  const auto& table = impl_->sha256;
  const auto it =
      std::lower_bound(table.begin(), table.end(), digest,
                       [](const auto& row, const Sha256Digest& key) { return row.first < key; });
  if (it == table.end() || it->first != digest) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<std::uint32_t> CompiledLibrary::match_sha256(std::string_view hex_digest) const {
  const auto digest = parse_hex_digest(hex_digest);
  return digest ? match_sha256(*digest) : std::nullopt;
}

namespace {

// The patterns of one database before it is compiled.
struct PendingDatabase {
  explicit PendingDatabase(bool is_literal) : literal(is_literal) {}

  bool literal = false;
  std::vector<std::string> patterns;
  std::vector<unsigned int> flags;
  std::vector<unsigned int> ids;

  void add(std::string pattern, unsigned int flag, unsigned int id) {
    patterns.push_back(std::move(pattern));
    flags.push_back(flag);
    ids.push_back(id);
  }

  // Compiles into `database` (left null when there is nothing to compile); what
  // went wrong otherwise, naming the entry Hyperscan rejected.
  std::optional<std::string> compile(hs_database_t*& database, const std::vector<Entry>& entries,
                                     const std::vector<PatternRef>& refs) const {
    if (patterns.empty()) {
      return std::nullopt;
    }
    std::vector<const char*> pointers;
    std::vector<std::size_t> lengths;
    pointers.reserve(patterns.size());
    lengths.reserve(patterns.size());
    for (const std::string& pattern : patterns) {
      pointers.push_back(pattern.c_str());
      lengths.push_back(pattern.size());
    }
    const auto count = static_cast<unsigned int>(patterns.size());
    hs_compile_error_t* compile_error = nullptr;
    const hs_error_t status =
        literal ? hs_compile_lit_multi(pointers.data(), flags.data(), ids.data(), lengths.data(),
                                       count, HS_MODE_BLOCK, nullptr, &database, &compile_error)
                : hs_compile_multi(pointers.data(), flags.data(), ids.data(), count, HS_MODE_BLOCK,
                                   nullptr, &database, &compile_error);
    if (status == HS_SUCCESS) {
      return std::nullopt;
    }
    std::string message = "could not compile the library";
    if (compile_error != nullptr) {
      const int position = compile_error->expression;
      if (position >= 0 && static_cast<std::size_t>(position) < ids.size()) {
        const Entry& entry = entries[refs[ids[static_cast<std::size_t>(position)]].entry];
        message = (entry.source.empty() ? std::string("an entry") : entry.source) + ": " +
                  std::string(to_string(entry.kind)) + " \"" + entry.pattern +
                  "\" does not compile: " + compile_error->message;
      } else {
        message += std::string(": ") + compile_error->message;
      }
      hs_free_compile_error(compile_error);
    }
    return message;
  }
};

// One pass's two databases before compiling.
struct PendingPass {
  PendingDatabase literals{true};
  PendingDatabase expressions{false};
  bool has_domains = false;
};

// One database to compile and where the result goes.
struct CompileJob {
  const PendingDatabase* pending;
  hs_database_t** database;
};

bool write_all(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t size) {
  auto* bytes = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t got = ::read(fd, bytes, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    bytes += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

std::optional<std::string> compile_here(const std::vector<CompileJob>& jobs,
                                        const std::vector<Entry>& entries,
                                        const std::vector<PatternRef>& refs) {
  for (const CompileJob& job : jobs) {
    if (auto failure = job.pending->compile(*job.database, entries, refs)) return failure;
  }
  return std::nullopt;
}

// ASan's allocator is not fork-safe: a child forked while another thread holds one of
// its locks waits for ever at its first allocation (CI saw a library swap under load
// hang so, in hs_compile_lit_multi). glibc's malloc is: fork() takes its locks first.
// So the sanitizer builds compile in the daemon itself; the box's build in a child.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCompileInChild = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kCompileInChild = false;
#else
constexpr bool kCompileInChild = true;
#endif
#else
constexpr bool kCompileInChild = true;
#endif

// Compiles every database in a child process and loads what it sends back
// (hs_serialize_database → pipe → hs_deserialize_database). Hyperscan's compiler
// allocates several times a database's size on the way (some 70 MiB for 50,000
// entries, for a 7 MiB result); in a child that memory is the child's and is gone
// when it exits, so the daemon's resident size never carries it (issue 9: peak RSS
// with a 50,000-entry library). The child only compiles and writes, then _exit()s.
// Where fork() or the pipe fails, the databases are compiled here as before.
std::optional<std::string> compile_in_child(const std::vector<CompileJob>& jobs,
                                            const std::vector<Entry>& entries,
                                            const std::vector<PatternRef>& refs) {
  enum Tag : std::uint8_t { kDatabase = 0, kFailure = 1, kEmpty = 2 };
  if (!kCompileInChild) return compile_here(jobs, entries, refs);
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return compile_here(jobs, entries, refs);
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return compile_here(jobs, entries, refs);
  }
  if (child == 0) {
    ::close(pipe_fds[0]);
    const int out = pipe_fds[1];
    for (const CompileJob& job : jobs) {
      hs_database_t* database = nullptr;
      const std::optional<std::string> failure = job.pending->compile(database, entries, refs);
      std::uint8_t tag = failure ? kFailure : database == nullptr ? kEmpty : kDatabase;
      char* bytes = nullptr;
      std::size_t length = 0;
      if (failure) {
        bytes = const_cast<char*>(failure->data());
        length = failure->size();
      } else if (database != nullptr &&
                 hs_serialize_database(database, &bytes, &length) != HS_SUCCESS) {
        tag = kFailure;
        static constexpr char kMessage[] = "could not serialise a compiled database";
        bytes = const_cast<char*>(kMessage);
        length = sizeof kMessage - 1;
      }
      const std::uint64_t size = length;
      if (!write_all(out, &tag, 1) || (tag != kEmpty && (!write_all(out, &size, sizeof size) ||
                                                         !write_all(out, bytes, length)))) {
        ::_exit(1);
      }
      if (tag == kFailure) ::_exit(0);
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  const int in = pipe_fds[0];
  std::optional<std::string> failure;
  std::vector<char> bytes;
  for (const CompileJob& job : jobs) {
    std::uint8_t tag = 0;
    std::uint64_t size = 0;
    if (!read_all(in, &tag, 1) ||
        (tag != kEmpty && (!read_all(in, &size, sizeof size) || size > (std::uint64_t{1} << 34)))) {
      failure = "the library compiler process ended early";
      break;
    }
    if (tag == kEmpty) continue;
    bytes.resize(static_cast<std::size_t>(size));
    if (!read_all(in, bytes.data(), bytes.size())) {
      failure = "the library compiler process ended early";
      break;
    }
    if (tag == kFailure) {
      failure = std::string(bytes.begin(), bytes.end());
      break;
    }
    if (hs_deserialize_database(bytes.data(), bytes.size(), job.database) != HS_SUCCESS) {
      failure = "could not load a compiled database";
      break;
    }
  }
  ::close(in);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!failure && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
    failure = "the library compiler process failed";
  }
  return failure;
}
}  // namespace

Result<std::shared_ptr<const CompiledLibrary>> CompiledLibrary::compile(Library library) {
  auto impl = std::make_unique<Impl>();
  impl->library = std::move(library);
  const std::vector<Entry>& entries = impl->library.entries;
  if (entries.size() > UINT_MAX / kMaxCombinationParts) {
    return error("the library has too many entries to compile");
  }
  impl->parts_of.assign(entries.size(), 1);

  // Patterns grouped by rule set; std::map keeps the pass order stable.
  std::map<NormaliseRules, PendingPass> by_rules;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& entry = entries[i];
    const auto index = static_cast<std::uint32_t>(i);
    if (entry.kind == EntryKind::sha256) {
      if (auto digest = parse_hex_digest(entry.pattern)) {
        impl->sha256.emplace_back(*digest, index);
        continue;
      }
      return error(entry.source + ": sha256 \"" + entry.pattern + "\" is not 64 hex digits");
    }
    const std::vector<Expression> expressions = expressions_for(entry);
    std::size_t parts = 1;
    for (const Expression& expression : expressions) {
      parts = std::max<std::size_t>(parts, expression.part + 1U);
    }
    if (parts > kMaxCombinationParts) {
      return error(entry.source + ": a combination has at most " +
                   std::to_string(kMaxCombinationParts) + " parts");
    }
    impl->parts_of[i] = static_cast<std::uint8_t>(parts);
    PendingPass& pending = by_rules[rules_for(entry)];
    PendingDatabase& database = is_literal(entry.kind) ? pending.literals : pending.expressions;
    for (const Expression& expression : expressions) {
      if (expression.text.empty()) {
        return error(entry.source + ": " + std::string(to_string(entry.kind)) + " \"" +
                     entry.pattern + "\" has nothing left to match once normalised");
      }
      database.add(expression.text, hyperscan_flags(entry.kind),
                   static_cast<unsigned int>(impl->patterns.size()));
      impl->patterns.push_back(PatternRef{index, static_cast<std::uint32_t>(expression.text.size()),
                                          entry.kind, expression.part});
    }
    pending.has_domains = pending.has_domains || entry.kind == EntryKind::domain;
  }
  std::sort(impl->sha256.begin(), impl->sha256.end());

  std::vector<CompileJob> jobs;
  for (auto& [rules, pending] : by_rules) {
    Impl::Pass& pass = impl->passes.emplace_back();
    pass.rules = rules;
    pass.has_domains = pending.has_domains;
  }
  std::size_t index = 0;
  for (auto& [rules, pending] : by_rules) {
    Impl::Pass& pass = impl->passes[index++];
    jobs.push_back({&pending.literals, &pass.literals});
    jobs.push_back({&pending.expressions, &pass.expressions});
  }
  if (auto failure = compile_in_child(jobs, entries, impl->patterns)) {
    return error(std::move(*failure));
  }
  // Whatever the compile left here (a fallback compile in this process) goes back to
  // the kernel, so the box does not carry it until the next library.
  malloc_trim(0);
  return std::shared_ptr<const CompiledLibrary>(new CompiledLibrary(std::move(impl)));
}

// Per-scan state, reused: nothing here allocates once it has grown to the size of
// the largest observation seen.
struct Scanner::Scratch {
  struct Occurrence {
    std::uint32_t pattern = 0;
    std::uint32_t end = 0;  // in the original text, one past the hit's last byte
  };
  struct Span {
    std::uint32_t exception = 0;  // entry index
    std::uint32_t from = 0;       // in the original text
    std::uint32_t to = 0;
  };

  hs_scratch_t* scratch = nullptr;
  NormalisedText text;
  NormalisedText base;  // stages 1 and 2 of `text`, shared by passes (normalise.h)
  std::vector<Occurrence> occurrences;
  std::vector<Span> spans;
  // Generation stamps instead of clearing per scan.
  std::uint32_t generation = 0;
  std::vector<std::uint32_t> pattern_seen;  // by pattern id
  std::vector<std::uint8_t> pattern_count;  // occurrences kept (kMaxOccurrences + 1: more)
  std::vector<std::uint32_t> entry_seen;    // by entry
  std::vector<std::uint8_t> entry_parts;    // bit per combination part that hit

  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { hs_free_scratch(scratch); }

  void next_generation() {
    if (++generation == 0) {
      std::fill(pattern_seen.begin(), pattern_seen.end(), 0);
      std::fill(entry_seen.begin(), entry_seen.end(), 0);
      generation = 1;
    }
  }
};

Scanner::Scanner(std::shared_ptr<const CompiledLibrary> library)
    : library_(std::move(library)), scratch_(std::make_unique<Scratch>()) {
  const CompiledLibrary::Impl& impl = library_->impl();
  // One scratch serves every database it was allocated for. Only fails when out of
  // memory (or on a corrupt database, which compile() cannot produce).
  for (const auto& pass : impl.passes) {
    for (const hs_database_t* database : {pass.literals, pass.expressions}) {
      if (database != nullptr && hs_alloc_scratch(database, &scratch_->scratch) != HS_SUCCESS) {
        throw std::bad_alloc();
      }
    }
  }
  scratch_->pattern_seen.assign(impl.patterns.size(), 0);
  scratch_->pattern_count.assign(impl.patterns.size(), 0);
  scratch_->entry_seen.assign(impl.library.entries.size(), 0);
  scratch_->entry_parts.assign(impl.library.entries.size(), 0);
}

Scanner::~Scanner() = default;

namespace {

struct ScanContext {
  const std::vector<PatternRef>* patterns;
  Scanner::Scratch* scratch = nullptr;
  TextForm form = TextForm::plain;
};

}  // namespace

// Hyperscan calls this for every match; it only records (no allocation once the
// vectors have grown), the verdict is made when all passes are done.
static int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long to,
                    unsigned int /*flags*/, void* context_pointer) {
  auto& context = *static_cast<ScanContext*>(context_pointer);
  const PatternRef& ref = (*context.patterns)[id];
  if (!applies_to(ref.kind, context.form)) {
    return 0;
  }
  Scanner::Scratch& scratch = *context.scratch;
  const std::string& text = scratch.text.text;
  const std::size_t end = std::min<std::size_t>(to, text.size());
  // Literals know their length; a regex's start is never needed (exceptions are
  // literals).
  const std::size_t start = is_literal(ref.kind) && ref.length <= end ? end - ref.length : 0;
  if (end == 0 || (is_literal(ref.kind) && !on_boundaries(ref.kind, text, start, end))) {
    return 0;
  }
  const std::uint32_t raw_end = scratch.text.origin[end - 1] + 1;
  if (ref.kind == EntryKind::exception) {
    if (scratch.spans.size() < kMaxExceptionSpans) {
      scratch.spans.push_back(
          Scanner::Scratch::Span{ref.entry, scratch.text.origin[start], raw_end});
    }
    return 0;
  }
  if (scratch.pattern_seen[id] != scratch.generation) {
    scratch.pattern_seen[id] = scratch.generation;
    scratch.pattern_count[id] = 0;
  }
  if (scratch.pattern_count[id] < kMaxOccurrences) {
    scratch.occurrences.push_back(Scanner::Scratch::Occurrence{id, raw_end});
    ++scratch.pattern_count[id];
  } else {
    scratch.pattern_count[id] = kMaxOccurrences + 1;  // more than we kept
  }
  return 0;  // go on: every entry that hits is wanted
}

std::vector<Hit> Scanner::scan(const dissect::Observation& observation) {
  return scan_text(observation.text, text_form_of(observation.kind));
}

std::vector<Hit> Scanner::scan_text(std::string_view text, bool is_host_name) {
  return scan_text(text, is_host_name ? TextForm::host_name : TextForm::plain);
}

std::vector<Hit> Scanner::scan_text(std::string_view text, TextForm form) {
  ScanReport report;
  scan_report(text, form, report);
  return std::move(report.hits);
}

void Scanner::scan_report(std::string_view text, TextForm form, ScanReport& report) {
  report.hits.clear();
  report.suppressed.clear();
  const CompiledLibrary::Impl& impl = library_->impl();
  Scratch& scratch = *scratch_;
  scratch.next_generation();
  scratch.occurrences.clear();
  scratch.spans.clear();

  ScanContext context{&impl.patterns, &scratch, form};
  // Stages 1 and 2 of normalising are shared by the passes that agree on them.
  std::optional<NormaliseRules> base_key;
  for (const auto& pass : impl.passes) {
    if (form == TextForm::host_name && !pass.has_domains) {
      continue;
    }
    const NormaliseRules key = base_rules(form, pass.rules);
    if (base_key != key) {
      normalise_base(text, form, pass.rules, scratch.base);
      base_key = key;
    }
    normalise_rest(scratch.base, form, pass.rules, scratch.text);
    // Observations are capped far below 4 GiB by the dissectors; a longer text is
    // scanned up to hs_scan's limit. HS_SCAN_TERMINATED cannot happen (on_match never
    // stops the scan); any other error means a corrupt database or scratch, which
    // compile() and the constructor rule out.
    const std::size_t length = std::min<std::size_t>(scratch.text.text.size(), UINT_MAX);
    for (const hs_database_t* database : {pass.literals, pass.expressions}) {
      if (database != nullptr) {
        hs_scan(database, scratch.text.text.data(), static_cast<unsigned int>(length), 0,
                scratch.scratch, on_match, &context);
      }
    }
  }

  // Verdicts: an occurrence whose end lies inside an exception's span is suppressed.
  auto suppressing = [&](std::uint32_t end) -> const Scratch::Span* {
    for (const Scratch::Span& span : scratch.spans) {
      if (span.from < end && end <= span.to) {
        return &span;
      }
    }
    return nullptr;
  };
  auto hit_pattern = [&](std::uint32_t id) {
    const PatternRef& ref = impl.patterns[id];
    if (scratch.entry_seen[ref.entry] != scratch.generation) {
      scratch.entry_seen[ref.entry] = scratch.generation;
      scratch.entry_parts[ref.entry] = 0;
    }
    const auto before = scratch.entry_parts[ref.entry];
    scratch.entry_parts[ref.entry] = static_cast<std::uint8_t>(before | (1U << ref.part));
    const auto all = static_cast<std::uint8_t>((1U << impl.parts_of[ref.entry]) - 1U);
    if (before != all && scratch.entry_parts[ref.entry] == all) {
      report.hits.push_back(Hit{ref.entry});
    }
  };
  for (const Scratch::Occurrence& occurrence : scratch.occurrences) {
    const std::uint32_t id = occurrence.pattern;
    const bool overflowed = scratch.pattern_count[id] > kMaxOccurrences;
    const Scratch::Span* span = overflowed ? nullptr : suppressing(occurrence.end);
    if (span == nullptr) {
      hit_pattern(id);
    } else if (impl.patterns[id].kind != EntryKind::combination) {
      report.suppressed.push_back(Suppressed{impl.patterns[id].entry, span->exception});
    }
  }
  std::sort(report.hits.begin(), report.hits.end(),
            [](const Hit& a, const Hit& b) { return a.entry_index < b.entry_index; });
  // A suppressed occurrence is reported only if no other occurrence of the entry hit.
  auto& suppressed = report.suppressed;
  std::sort(suppressed.begin(), suppressed.end(), [](const Suppressed& a, const Suppressed& b) {
    return a.entry_index != b.entry_index ? a.entry_index < b.entry_index
                                          : a.exception_index < b.exception_index;
  });
  suppressed.erase(std::unique(suppressed.begin(), suppressed.end(),
                               [](const Suppressed& a, const Suppressed& b) {
                                 return a.entry_index == b.entry_index;
                               }),
                   suppressed.end());
  suppressed.erase(std::remove_if(suppressed.begin(), suppressed.end(),
                                  [&](const Suppressed& s) {
                                    return std::binary_search(
                                        report.hits.begin(), report.hits.end(), Hit{s.entry_index},
                                        [](const Hit& a, const Hit& b) {
                                          return a.entry_index < b.entry_index;
                                        });
                                  }),
                   suppressed.end());
}

}  // namespace hm::match
