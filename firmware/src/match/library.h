#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hm::match {

enum class EntryKind : std::uint8_t {
  word,    // whole word(s), on word boundaries
  phrase,  // words in order; any run of spaces/punctuation between them
  domain,  // a DNS name, on label boundaries: example.com hits www.example.com
};

std::string_view to_string(EntryKind kind);

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
  std::string pattern;
  int severity = 1;       // 1 (low) … 5 (immediate risk to a child)
  std::string language;   // BCP 47, e.g. "en", "cy"
  std::string note;
  std::string source;     // "suicide.hml:42", for messages and the UI
};

// The graded library: what the matcher is compiled from.
struct Library {
  std::string name;
  std::string version;
  std::vector<Category> categories;
  std::vector<Entry> entries;
};

}  // namespace hm::match
