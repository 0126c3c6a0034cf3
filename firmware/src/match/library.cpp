#include "match/library.h"

namespace hm::match {

std::string_view to_string(EntryKind kind) {
  switch (kind) {
    case EntryKind::word: return "word";
    case EntryKind::phrase: return "phrase";
    case EntryKind::domain: return "domain";
  }
  return "unknown";
}

std::optional<EntryKind> entry_kind_from_string(std::string_view text) {
  if (text == "word") {
    return EntryKind::word;
  }
  if (text == "phrase") {
    return EntryKind::phrase;
  }
  if (text == "domain") {
    return EntryKind::domain;
  }
  return std::nullopt;
}

const Category* Library::find_category(std::string_view id) const {
  for (const Category& category : categories) {
    if (category.id == id) {
      return &category;
    }
  }
  return nullptr;
}

}  // namespace hm::match
