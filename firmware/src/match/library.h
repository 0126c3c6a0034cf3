#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hm::match {

enum class EntryKind : std::uint8_t {
  word,    // whole word(s), on word boundaries
  phrase,  // words in order; any run of spaces/punctuation between them
  domain,  // a DNS name, on label boundaries: example.com hits www.example.com
};

std::string_view to_string(EntryKind kind);
// "word", "phrase" or "domain" (as written in library sources); nullopt otherwise.
std::optional<EntryKind> entry_kind_from_string(std::string_view text);

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
  int severity = 1;      // 1 (low) … 5 (immediate risk to a child)
  std::string language;  // BCP 47, e.g. "en", "cy"
  std::string note;
  std::string source;  // "suicide.hml:42", for messages and the UI
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
