#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "match/library.h"

namespace hm::library {

// Library sources: one UTF-8 text file per category, `<category-id>.hml`, written and
// reviewed by people (format described in firmware/library/README.md):
//
//   # comments and blank lines are ignored
//   category: suicide
//   title: Suicide
//   description: Searches and messages suggesting a pupil is thinking of ending …
//
//   # pattern           | kind   | severity | language | note (optional)
//   how to kill myself  | phrase | 5        | en       | statement of intent
//
// Every mistake is reported as "file:line: what is wrong and what to write instead",
// all of a file's mistakes at once (up to kMaxReportedErrors).

inline constexpr std::string_view kSourceExtension = ".hml";
inline constexpr std::size_t kMaxSourceFileBytes = std::size_t{4} * 1024 * 1024;
inline constexpr std::size_t kMaxPatternBytes = 200;
inline constexpr std::size_t kMaxReportedErrors = 20;

// One category's file: its header and its entries (Entry::source "file:line").
struct SourceFile {
  match::Category category;
  std::vector<match::Entry> entries;
};

// Parses the text of one source file; `file_name` is used in messages and sources.
// Never reads past `text`; any bytes give either a SourceFile or an Error.
Result<SourceFile> parse_source(std::string_view text, std::string_view file_name);

// Reads and parses one file, and checks it is named after its category.
Result<SourceFile> load_source_file(const std::filesystem::path& path);

// Every *.hml file in `dir` (sorted by name), as one library. Other files (README.md)
// are ignored. Rejects a category defined twice and an entry repeated in another
// file. The library's version is "source-" and a hash of the files, so a capture
// can say which edition of the sources found it.
Result<match::Library> load_source_dir(const std::filesystem::path& dir);

// Two entries are the same if the matcher would treat them the same ("Kill myself"
// and "kill   myself"; combinations in any order): a library holds each once.
std::string duplicate_key(const match::Entry& entry);

// Entries repeated across the files of one library (within a file, the parser
// already refuses them): a source folder, a bundle's files.
class CrossFileDuplicates {
 public:
  // nullopt the first time an entry is seen, else the message naming both places:
  // "drugs.hml:12: "ket" is already an entry at illegal.hml:40; keep it in one
  // category only".
  std::optional<std::string> add(const match::Entry& entry);

 private:
  std::map<std::string, std::string> source_of_;  // duplicate key → "file:line"
};

// The starter library's folder in the source tree (HM_DEFAULT_LIBRARY_DIR).
std::filesystem::path default_source_dir();

}  // namespace hm::library
