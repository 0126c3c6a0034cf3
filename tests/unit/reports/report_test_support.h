#pragma once

// Shared by the reports' tests: the generated week, made once per test run, and reading
// a PDF back with poppler's tools (pdftotext, pdftoppm): an independent reader. Each
// PDF is kept with its pages as PNGs under HM_REPORT_PAGES_DIR for a person to look at.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "generated_week.h"

#ifndef HM_REPORT_PAGES_DIR
#define HM_REPORT_PAGES_DIR "/tmp/hallmonitor-report-pages"
#endif

namespace hm::reports::testing {

// The week, generated at the first call (about a second: five password hashes and two
// library compiles) and removed when the tests end.
inline GeneratedWeek& shared_week() {
  struct Holder {
    GeneratedWeek week;
    Holder()
        : week(generate_week(std::filesystem::temp_directory_path() /
                             ("hm-reports-week-" + std::to_string(::getpid())))) {}
    ~Holder() {
      const auto dir = week.data_dir;
      week.db.reset();
      std::filesystem::remove_all(dir);
    }
  };
  static Holder holder;
  return holder.week;
}

inline std::string run_command(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), n);
  ::pclose(pipe);
  return output;
}

inline bool have_poppler() {
  return std::system(
             "command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1") == 0;
}

// A rendered PDF kept as HM_REPORT_PAGES_DIR/<name>/<name>.pdf with its pages as
// <name>-N.png (60 dpi), read back as text (pdftotext -layout).
struct ReadBack {
  std::filesystem::path pdf;
  std::string text;
  int pages = 0;
};

inline ReadBack keep_and_read(const std::string& name, const std::string& pdf_bytes) {
  ReadBack read;
  const std::filesystem::path folder = std::filesystem::path(HM_REPORT_PAGES_DIR) / name;
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  read.pdf = folder / (name + ".pdf");
  std::ofstream(read.pdf, std::ios::binary) << pdf_bytes;
  run_command("pdftoppm -png -r 60 '" + read.pdf.string() + "' '" + (folder / name).string() + "'");
  read.text = run_command("pdftotext -layout -enc UTF-8 '" + read.pdf.string() + "' -");
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() == ".png") ++read.pages;
  }
  return read;
}

// Whether `part` is in `text`, whatever line breaks and spaces the layout put between
// its words (a sentence wrapped in a table cell or a poster's big text).
inline std::string flattened(const std::string& text) {
  std::string flat;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f';
    if (!space) {
      flat += c;
    } else if (!flat.empty() && flat.back() != ' ') {
      flat += ' ';
    }
  }
  return flat;
}
inline bool contains(const std::string& text, const std::string& part) {
  return flattened(text).find(flattened(part)) != std::string::npos;
}

}  // namespace hm::reports::testing
