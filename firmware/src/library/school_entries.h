#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "match/library.h"
#include "match/matcher.h"

namespace hm::library {

// The school's own words (README "The school's own words"): entries a school adds on
// top of the active bundle, kept in its data folder as ordinary library sources,
//
//   DIR/library/school/<category>.hml   one file per category, source_format.h
//
// so `library check DIR/library/school` reads them like any library folder. The box
// matches with the active bundle (or the starter library) plus these entries; a
// school `exception` hides bundle hits inside it like any other exception.

std::filesystem::path school_entries_dir(const std::filesystem::path& data_dir);

// What the web UI sends to add one entry: the five parts of a source line.
struct NewSchoolEntry {
  std::string category;  // a known category id
  std::string pattern;
  std::string kind;  // as written in sources, options included: "word", "phrase no-leet"
  int severity = 1;
  std::string language;
  std::string note;
};

// Every school entry, sorted by category file; Entry::source is "school/<file>:<line>".
// No folder or no files: none. A file that no longer parses (edited by hand) is an
// error naming its file and line.
Result<std::vector<match::Entry>> list_school_entries(const std::filesystem::path& data_dir);

// Checks `entry` exactly as a source line is checked, refuses a repeat of an entry
// of `base` or of the school's own, checks the entry compiles (a regex), then
// appends the line to its category's file (written atomically). Returns the entry as
// parsed. The message of a refusal is for the person who typed it.
Result<match::Entry> add_school_entry(const std::filesystem::path& data_dir,
                                      const match::Library& base, const NewSchoolEntry& entry);

// Removes the school entry with this pattern (exactly as listed) from the category's
// file; `kind` (optional) picks one when a word and an exception share the pattern.
// A file left without entries is deleted. Returns the removed entry.
Result<match::Entry> remove_school_entry(const std::filesystem::path& data_dir,
                                         const std::string& category, const std::string& pattern,
                                         const std::string& kind = {});

// A short fingerprint of the school folder's files (names and contents); "" when it
// holds none. Polled by the daemon to notice an edit.
std::string school_entries_state(const std::filesystem::path& data_dir);

// `base` with the school's entries added (its version gains "+school-<hash>"), or
// `base` itself when the school has none. An entry `base` already holds is left out
// (a later bundle may add what a school added first).
Result<match::Library> with_school_entries(match::Library base,
                                           const std::filesystem::path& data_dir);

// The same for a compiled library: recompiled with the school's entries, or `base`
// unchanged when there are none.
Result<std::shared_ptr<const match::CompiledLibrary>> compile_with_school_entries(
    std::shared_ptr<const match::CompiledLibrary> base, const std::filesystem::path& data_dir);

// The library the box matches with when no library folder is given: the data
// folder's active bundle (the starter library when none is active), plus the school's
// entries. Errors if the active bundle cannot be used or the school's files are broken.
Result<std::shared_ptr<const match::CompiledLibrary>> load_school_library(
    const std::filesystem::path& data_dir);

}  // namespace hm::library
