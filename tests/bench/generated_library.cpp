#include "generated_library.h"

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace hm::bench {
namespace {

// A made-up word of 5–11 letters: never an English word by design of the alphabet
// mix, so the generated library stresses the matcher without hitting the corpus.
std::string made_up_word(std::mt19937& random) {
  static constexpr char kLetters[] = "bcdfghjklmnpqrstvwxz";
  static constexpr char kVowels[] = "aeiouy";
  std::uniform_int_distribution<int> length(5, 11);
  std::string word;
  const int n = length(random);
  for (int i = 0; i < n; ++i) {
    word += i % 3 == 1 ? kVowels[random() % 6] : kLetters[random() % 20];
  }
  return word;
}

}  // namespace

// The starter library plus generated entries up to `total`: 60% words, 30% phrases
// of two or three words, 10% domains, graded and spread over the categories.
match::Library generated_library(match::Library library, std::size_t total) {
  std::mt19937 random(20261122);
  const auto& categories = library.categories;
  std::size_t n = 0;
  while (library.entries.size() < total) {
    match::Entry entry;
    entry.category = categories[n % categories.size()].id;
    entry.severity = static_cast<int>(1 + n % 5);
    entry.language = "en";
    entry.source = "generated:" + std::to_string(n);
    const std::size_t slot = n % 10;
    if (slot < 6) {
      entry.kind = match::EntryKind::word;
      entry.pattern = made_up_word(random) + std::to_string(n);
    } else if (slot < 9) {
      entry.kind = match::EntryKind::phrase;
      entry.pattern = made_up_word(random) + " " + made_up_word(random);
      if (slot == 8) entry.pattern += " " + made_up_word(random);
    } else {
      entry.kind = match::EntryKind::domain;
      entry.pattern = made_up_word(random) + std::to_string(n) + ".com";
    }
    entry.rules = entry.kind == match::EntryKind::domain ? match::kExactRules : match::kAllRules;
    library.entries.push_back(std::move(entry));
    ++n;
  }
  return library;
}

// A smaller library: every k-th starter entry, so all categories and kinds stay.
match::Library sampled_library(match::Library library, std::size_t total) {
  std::vector<match::Entry> kept;
  const std::size_t have = library.entries.size();
  for (std::size_t i = 0; i < total && i < have; ++i) {
    kept.push_back(library.entries[i * have / total]);
  }
  library.entries = std::move(kept);
  return library;
}

}  // namespace hm::bench
