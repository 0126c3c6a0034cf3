#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "library/source_format.h"

namespace hm::library {

// Import of e2guardian / DansGuardian phrase lists (issue 4 item 4), so a school or
// a reseller with years of tuned lists can bring them along. The lists' grammar:
//
//   #listcategory: "IllegalDrugs"      which category the list is
//   < cocaine ><25>                    a whole word, weight 25
//   <cocaine><25>                      the string anywhere, even inside words
//   < cannabis >,< legalise ><25>      all parts on the same page (a combination)
//   < breast >,< medical ><-30>        a negative weight: a "good phrase"
//   < lotto >                          a banned list: no weight, always blocked
//   .Include<path>                     another list
//
// How it maps (and what it reports instead of guessing):
// * whole-word and part-word phrases both become `word` (one word) or `phrase`;
//   part-word ones are counted as narrowed, since hallmonitor never matches inside a
//   word (that is how "Scunthorpe" problems start);
// * several parts become a `combination` (2–8 parts);
// * weights become severities against e2guardian's young-children limit of 50:
//   100+ → 5, 50–99 → 4 (one hit blocks a page), 30–49 → 3, 15–29 → 2, 1–14 → 1;
//   `N%` weights are N% of that limit; banned lists (no weight) → 4;
// * exception lists (a file name with "exception") become `exception` entries;
// * negative weights, includes, regular-expression lists, list categories with no
//   safeguarding meaning (swearing, games, chat …) and duplicates are skipped, each
//   with its reason.

struct E2guardianImportOptions {
  std::string language = "en";  // e2guardian's folders are per language; say which
  std::string category;         // when set, every list goes into this category
};

struct SkippedPhrase {
  std::string source;  // "file:line"
  std::string reason;
  std::string text;  // the line as written (shortened)
};

struct E2guardianImport {
  std::map<std::string, SourceFile> files;  // by category id
  std::vector<SkippedPhrase> skipped;
  std::size_t lines_read = 0;
  std::size_t narrowed = 0;  // part-word phrases imported as whole words
  std::map<std::string, std::size_t> skipped_by_reason;
  // Every entry's duplicate_key() → where it was first seen, across all the lists.
  std::map<std::string, std::string> first_source_of;
};

// Adds the phrases of one list's text (`name` names it in sources and messages).
// Never reads past `text`; any bytes give entries or skipped lines, never a crash.
void import_e2guardian_list(std::string_view text, std::string_view name,
                            const E2guardianImportOptions& options, E2guardianImport& out);

// Reads list files, and folders recursively (files in name order).
Result<E2guardianImport> import_e2guardian_paths(const std::vector<std::filesystem::path>& paths,
                                                 const E2guardianImportOptions& options);

// A plain-words summary: entries per category and kind, skipped lines per reason
// with the first few examples.
std::string e2guardian_import_report(const E2guardianImport& import);

// The category of an e2guardian #listcategory name or list folder name ("porn",
// "IllegalDrugs", "proxies"), or empty when it has no safeguarding meaning.
// "Adult" is not mapped: e2guardian files adult *themes* there (euthanasia, self-harm,
// satire, fetish) that belong to several categories; --category imports it whole.
std::string_view category_of_e2guardian_list(std::string_view list_name);

}  // namespace hm::library
