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

// The Hyperscan expressions an entry compiles to (pattern.cpp says why they are
// built so): one, or one per part of a combination, none for sha256. Literal
// patterns are normalised with rules_for(entry) first, exactly as observed text is,
// and every byte is escaped, so no entry can inject regex syntax.
std::vector<std::string> expressions_for(const Entry& entry);

// Whether an expression for this kind is compiled with start-of-match tracking:
// exceptions need their span, everything else only where it ends.
bool needs_start_of_match(EntryKind kind);

// The Hyperscan flags for an expression of this kind.
unsigned int hyperscan_flags(EntryKind kind);

// Whether entries of `kind` are looked for in text of `form`. Host names hold only
// domain entries: labels run words together ("kidsgames", "expertsexchange"), so word
// boundaries mean little there and would trade precision for nothing. sha256 entries
// are never in text (CompiledLibrary::match_sha256).
bool applies_to(EntryKind kind, TextForm form);

// The parts of a combination pattern ("drugs, buy, snapchat"), trimmed.
std::vector<std::string> combination_parts(std::string_view pattern);
inline constexpr std::size_t kMaxCombinationParts = 8;

// Compiles the entry's expressions on their own: nullopt if they compile, else what
// is wrong, for a "file:line: …" message (a regex that Hyperscan rejects or that
// can match empty text, a pattern that normalises to nothing).
std::optional<std::string> check_entry(const Entry& entry);

// The words of a word or phrase pattern, lower-cased, as the matcher sees them:
// runs of letters, digits, non-ASCII bytes and apostrophes; everything else
// separates. {"how", "to", "kill", "myself"}. Used to spot duplicate entries.
std::vector<std::string> words_of(std::string_view pattern);

}  // namespace hm::match
