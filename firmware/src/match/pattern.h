#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "match/library.h"
#include "match/normalise.h"

namespace hm::match {

// The Hyperscan expression an entry compiles to (pattern.cpp says why it is built
// so). Entries are assumed validated (library/source.cpp); any byte is escaped, so
// no entry can inject regex syntax.
std::string expression_for(const Entry& entry);

// Whether entries of `kind` are looked for in text of `form`. Host names hold only
// domain entries: labels run words together ("kidsgames", "expertsexchange"), so word
// boundaries mean little there and would trade precision for nothing.
bool applies_to(EntryKind kind, TextForm form);

// The words of a word or phrase pattern, lower-cased, as the matcher sees them:
// runs of letters, digits, non-ASCII bytes and apostrophes; everything else
// separates. {"how", "to", "kill", "myself"}. Used to spot duplicate entries.
std::vector<std::string> words_of(std::string_view pattern);

}  // namespace hm::match
