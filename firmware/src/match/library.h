#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hm::match {

enum class EntryKind : std::uint8_t {
  word,         // one whole word, on word boundaries
  phrase,       // words in order; any run of spaces/punctuation between them
  domain,       // a DNS name, on label boundaries: example.com hits www.example.com
  url,          // a web address prefix: host (as domain) then the start of the path
  regex,        // a Hyperscan expression, matched as written (checked when loaded)
  combination,  // all of several words or phrases within one observation ("a, b, c")
  sha256,       // the SHA-256 of a file transferred in clear (64 hex digits)
  exception,    // words or a phrase whose presence suppresses the hits inside it
};

std::string_view to_string(EntryKind kind);
// The kind as written in library sources ("word", "phrase" …); nullopt otherwise.
std::optional<EntryKind> entry_kind_from_string(std::string_view text);

// The normalisation rules (normalise.h), as a bit set. Every entry has all of them
// unless its source line switches some off where they would cause false alarms.
// Unicode NFKC and case folding are always applied: they never change what a
// person meant.
enum NormaliseRule : std::uint8_t {
  kDecode = 1U << 0,   // %XX and `+` in URLs, HTML entities (&amp; &#39;) in text
  kAccents = 1U << 1,  // remove accents and other marks: café → cafe
  kLeet = 1U << 2,     // digits and symbols inside words as letters: 5u1c1d3 → suicide
  kSplit = 1U << 3,    // single letters with separators joined: s.u.i.c.i.d.e → suicide
  kRepeats = 1U << 4,  // runs of one letter collapsed: killlll → kil (entries alike)
};
using NormaliseRules = std::uint8_t;
inline constexpr NormaliseRules kAllRules = kDecode | kAccents | kLeet | kSplit | kRepeats;
// What domain, url and regex entries always use: their text is exact (digits in
// "bet365.com" are not leetspeak, letters of a regex are not to be squeezed).
inline constexpr NormaliseRules kExactRules = kDecode | kAccents;
// Not a rule a source file can switch: the matcher adds it for word, phrase,
// combination and exception entries and the passes that scan for them, so both
// sides are reduced to words and single spaces (normalise.h, stage 6) and those
// entries compile as plain literals (match/dev_notes.txt).
inline constexpr NormaliseRules kWordSpacing = 1U << 5;

// The source-format flag switching one rule off ("no-leet"), and back.
std::string_view flag_name(NormaliseRule rule);
std::optional<NormaliseRule> rule_from_flag(std::string_view flag);

// The English school phases, youngest first, for an entry's minimum age group.
enum class AgeGroup : std::uint8_t { all, eyfs, ks1, ks2, ks3, ks4, ks5 };
std::string_view to_string(AgeGroup group);
std::optional<AgeGroup> age_group_from_string(std::string_view text);

// One safeguarding category (UK Safer Internet Centre's appropriate-monitoring
// definitions, plus the box's own additions), with words for the UI.
struct Category {
  std::string id;     // stable identifier, e.g. "self-harm"
  std::string title;  // "Self-harm"
  std::string description;
};

struct Entry {
  std::string category;  // Category::id
  EntryKind kind = EntryKind::word;
  std::string pattern;   // combination: the parts separated by commas; sha256: lower hex
  int severity = 1;      // 1 (low) … 5 (immediate risk to a child)
  std::string language;  // BCP 47, e.g. "en", "cy"
  std::string note;
  std::string source;                      // "suicide.hml:42", for messages and the UI
  NormaliseRules rules = kAllRules;        // for word, phrase, combination and exception
  AgeGroup min_age_group = AgeGroup::all;  // reported for this group and older only
};

// The graded library: what the matcher is compiled from.
struct Library {
  std::string name;
  std::string version;
  std::vector<Category> categories;
  std::vector<Entry> entries;

  // The category with this id, or nullptr.
  const Category* find_category(std::string_view id) const;
};

}  // namespace hm::match
