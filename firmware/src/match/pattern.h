#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "match/library.h"
#include "match/normalise.h"

namespace hm::match {

// The normalisation rules an entry is matched with: its own for word, phrase,
// combination and exception entries; at most kExactRules for domain, url and regex
// entries, whose text means exactly what it says.
NormaliseRules rules_for(const Entry& entry);

// Whether entries of this kind compile as literals (everything but regex and
// sha256): Hyperscan's literal API compiles tens of thousands of them in seconds,
// where the same count as regular expressions took minutes and gigabytes.
bool is_literal(EntryKind kind);

// One thing Hyperscan looks for on behalf of an entry.
struct Expression {
  std::string text;       // a literal in normalised text, or a regex as written
  std::uint8_t part = 0;  // which part of a combination (0 otherwise)
};

// What an entry compiles to: for a literal kind, the literals to look for in text
// normalised with rules_for(entry) — for each part of a combination, and for a
// pattern written with apostrophes also the spellings without them ("can't": "can
// t" and "cant") — and for a regex, the expression as written; nothing for sha256.
// An empty text means nothing was left of the pattern once normalised.
std::vector<Expression> expressions_for(const Entry& entry);

// The Hyperscan flags for an expression of this kind.
unsigned int hyperscan_flags(EntryKind kind);

// Whether a literal of `kind` found at [start, end) of normalised text stands on
// its boundaries: a word or phrase on word boundaries ("kill" never in "skill"), a
// domain on label boundaries ("example.com" in "www.example.com/", never in
// "badexample.com" or "example.com.evil.net"), a url prefix on a label boundary
// before it. Hyperscan has no look-around, so the matcher asks this of each match.
bool on_boundaries(EntryKind kind, std::string_view text, std::size_t start, std::size_t end);

// Whether entries of `kind` are looked for in text of `form`. Host names hold only
// domain entries: labels run words together ("kidsgames", "expertsexchange"), so word
// boundaries mean little there and would trade precision for nothing. sha256 entries
// are never in text (CompiledLibrary::match_sha256).
bool applies_to(EntryKind kind, TextForm form);

// The parts of a combination pattern ("drugs, buy, snapchat"), trimmed.
std::vector<std::string> combination_parts(std::string_view pattern);
inline constexpr std::size_t kMaxCombinationParts = 8;

// Checks the entry's expressions on their own: nullopt if they will compile, else
// what is wrong, for a "file:line: …" message (a regex that Hyperscan rejects or
// that can match empty text, a pattern that normalises to nothing).
std::optional<std::string> check_entry(const Entry& entry);

// The words of a word or phrase pattern, lower-cased, as the matcher sees them:
// runs of letters, digits, non-ASCII bytes and apostrophes; everything else
// separates. {"how", "to", "kill", "myself"}. Used to spot duplicate entries.
std::vector<std::string> words_of(std::string_view pattern);

}  // namespace hm::match
