// The matcher's figures (issue 4): compile time and memory of the starter library and
// of a generated 50,000-entry one, and scan throughput over real text observations
// (the benign corpus: page paragraphs and school searches) and host names.
//
// usage: matcher_bench [SECONDS_PER_SCAN [ENTRIES...]]
//   default: 3 s, and 2,000 entries sampled from the starter library, the starter
//   library, and the starter library grown with generated entries to 50,000. Prints one table, a
//   row as each library is done; not a test.
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "generated_library.h"
#include "library/source_format.h"
#include "match/matcher.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Current RSS from /proc (peak RSS only grows, so deltas need this).
long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long value = 0;
      status >> value;
      return value;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Bytes the allocator holds for live objects: what a compiled library keeps, as
// opposed to RSS, which also holds what the compiler freed but glibc kept.
long heap_in_use_kib() { return static_cast<long>(mallinfo2().uordblks / 1024); }

struct CompileFigures {
  std::size_t entries = 0;
  long heap_growth_kib = 0;
  double seconds = 0;
  std::size_t database_bytes = 0;
  long rss_growth_kib = 0;
  std::shared_ptr<const hm::match::CompiledLibrary> compiled;
};

CompileFigures compile(hm::match::Library library) {
  CompileFigures figures;
  figures.entries = library.entries.size();
  const long rss_before = rss_kib();
  const long heap_before = heap_in_use_kib();
  const auto start = Clock::now();
  auto compiled = hm::match::CompiledLibrary::compile(std::move(library));
  figures.seconds = seconds_since(start);
  if (!compiled) {
    std::fprintf(stderr, "matcher_bench: %s\n", compiled.error().c_str());
    std::exit(1);
  }
  figures.rss_growth_kib = rss_kib() - rss_before;
  figures.heap_growth_kib = heap_in_use_kib() - heap_before;
  figures.database_bytes = (*compiled)->database_bytes();
  figures.compiled = *compiled;
  return figures;
}

struct ScanFigures {
  double megabytes_per_second = 0;
  double observations_per_second = 0;
  std::size_t hits = 0;
};

ScanFigures scan(const std::shared_ptr<const hm::match::CompiledLibrary>& library,
                 const std::vector<std::string>& texts, hm::match::TextForm form, double seconds) {
  hm::match::Scanner scanner(library);
  std::size_t bytes = 0, observations = 0, hits = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (const std::string& text : texts) {
      hits += scanner.scan_text(text, form).size();
      bytes += text.size();
    }
    observations += texts.size();
    elapsed = seconds_since(start);
  }
  return {static_cast<double>(bytes) / 1e6 / elapsed, static_cast<double>(observations) / elapsed,
          hits};
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  const fs::path source = HM_SOURCE_DIR;
  auto starter = hm::library::load_source_dir(source / "firmware/library");
  if (!starter) {
    std::fprintf(stderr, "matcher_bench: %s\n", starter.error().c_str());
    return 1;
  }
  std::vector<std::string> paragraphs, searches, hosts;
  for (const auto& file : fs::directory_iterator(source / "tests/benign/prose")) {
    for (auto& line : read_lines(file.path())) paragraphs.push_back(std::move(line));
  }
  searches = read_lines(source / "tests/benign/school-searches.txt");
  hosts = read_lines(source / "tests/benign/childrens-sites.txt");

  std::printf(
      "matcher benchmark (%.0f s per scan; texts: %zu page paragraphs, %zu searches, "
      "%zu host names)\n\n",
      seconds, paragraphs.size(), searches.size(), hosts.size());
  std::printf("%-26s %8s %10s %12s %10s %10s %12s %12s %12s\n", "library", "entries", "compile s",
              "database MiB", "heap +MiB", "RSS +MiB", "pages MB/s", "searches/s", "hosts/s");
  std::vector<std::size_t> sizes = {2000, starter->entries.size(), 50000};
  if (argc > 2) {
    sizes.clear();
    for (int i = 2; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
  }
  for (const std::size_t size : sizes) {
    const bool grown = size > starter->entries.size();
    const bool sampled = size < starter->entries.size();
    const CompileFigures figures = compile(grown     ? hm::bench::generated_library(*starter, size)
                                           : sampled ? hm::bench::sampled_library(*starter, size)
                                                     : *starter);
    const ScanFigures pages =
        scan(figures.compiled, paragraphs, hm::match::TextForm::plain, seconds);
    const ScanFigures queries =
        scan(figures.compiled, searches, hm::match::TextForm::plain, seconds);
    const ScanFigures names =
        scan(figures.compiled, hosts, hm::match::TextForm::host_name, seconds);
    std::printf("%-26s %8zu %10.2f %12.1f %10.1f %10.1f %12.1f %12.0f %12.0f\n",
                grown     ? "starter + generated"
                : sampled ? "starter, sampled"
                          : "starter library",
                figures.entries, figures.seconds,
                static_cast<double>(figures.database_bytes) / (1 << 20),
                static_cast<double>(figures.heap_growth_kib) / 1024,
                static_cast<double>(figures.rss_growth_kib) / 1024, pages.megabytes_per_second,
                queries.observations_per_second, names.observations_per_second);
    std::fflush(stdout);
  }
  std::printf("\npeak RSS of the whole run: %.1f MiB\n",
              static_cast<double>(peak_rss_kib()) / 1024);
  return 0;
}
