#include "match/pattern.h"

#include <hs.h>

#include <algorithm>
#include <cstdlib>

namespace hm::match {
namespace {

// How entries become literals
// ----------------------------
// Word, phrase, exception and combination entries are normalised with the word-
// spacing stage on (rules_for), as the text they are looked for in is, so a phrase
// is its words joined by single spaces and "how+to...kill%20myself" in the text
// reads "how to kill myself". Domain and url entries are normalised exactly. Every
// one of them is then a plain literal; Hyperscan finds where it occurs and
// on_boundaries() decides whether it stands on word or label boundaries, because
// Hyperscan has no look-around and writing boundaries into regular expressions made
// a 50,000-entry library take minutes and gigabytes to compile.
//
// A "word byte" is an ASCII letter or digit or any byte ≥ 0x80 (is_word_byte). The
// normaliser turns every space, punctuation mark and symbol outside ASCII into an
// ASCII separator, so bytes ≥ 0x80 left in normalised text are letters of other
// scripts (or bytes that were not UTF-8): "café" is one word and "caf" cannot hit
// inside it. `_` is deliberately *not* a word byte (unlike PCRE's \w): URL paths and
// slugs use it as a space ("Zombie_knife").

// Labels are letters, digits and hyphens (RFC 1035 §2.3.1).
bool is_label_byte(unsigned char byte) { return is_word_byte(byte) || byte == '-'; }

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Before a domain: the start, any byte that cannot be part of a label ('.', '/',
// '@', ':', space …), or a percent escape ("%2Fexample.com" in a query string).
bool label_starts_at(std::string_view text, std::size_t start) {
  if (start == 0 || !is_label_byte(static_cast<unsigned char>(text[start - 1]))) {
    return true;
  }
  return start >= 3 && text[start - 3] == '%' && is_hex_digit(text[start - 2]) &&
         is_hex_digit(text[start - 1]);
}

// After a domain: the end, a byte that cannot continue a host name (':', '/', '?',
// space …), or a final dot not followed by another label (the root dot of
// "example.com." or a full stop in prose). Never ".evil.net": "example.com.evil.net"
// is evil.net's name, not example.com's.
bool label_ends_at(std::string_view text, std::size_t end) {
  if (end >= text.size()) {
    return true;
  }
  const auto next = static_cast<unsigned char>(text[end]);
  if (next == '.') {
    return end + 1 == text.size() || !is_label_byte(static_cast<unsigned char>(text[end + 1]));
  }
  return !is_label_byte(next);
}

// Word-spaced text holds only word bytes and single spaces, so a word boundary is
// the start or end of the text or a byte that is not a word byte.
bool word_starts_at(std::string_view text, std::size_t start) {
  return start == 0 || !is_word_byte(static_cast<unsigned char>(text[start - 1]));
}

bool word_ends_at(std::string_view text, std::size_t end) {
  return end >= text.size() || !is_word_byte(static_cast<unsigned char>(text[end]));
}

// Word-spaced text less a leading or trailing space (" c++ " → "c").
std::string trim_spaces(const std::string& text) {
  const auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// Spelling variants past this many apostrophes are only "all kept" and "all
// dropped": 2^n literals would be more than any pattern needs.
constexpr std::size_t kMaxApostropheVariants = 3;

// The literals of a word-like pattern: normalised with its rules, then word-spaced
// with its apostrophes as separators and, for each choice of apostrophes, with
// those dropped ("i'll" → "i l" and "il"), because pupils often leave them out.
// One empty literal when no word is left.
std::vector<std::string> spaced_literals(std::string_view pattern, NormaliseRules rules) {
  const std::string normalised =
      normalise(pattern, TextForm::plain, static_cast<NormaliseRules>(rules & ~kWordSpacing));
  std::vector<std::size_t> apostrophes;
  for (std::size_t i = 0; i < normalised.size(); ++i) {
    if (normalised[i] == '\'') {
      apostrophes.push_back(i);
    }
  }
  std::vector<unsigned> choices;  // bit k set: drop the k-th apostrophe
  const std::size_t count = apostrophes.size();
  if (count <= kMaxApostropheVariants) {
    for (unsigned mask = 0; mask < (1U << count); ++mask) {
      choices.push_back(mask);
    }
  } else {
    choices = {0U, ~0U};
  }
  std::vector<std::string> literals;
  for (const unsigned mask : choices) {
    std::string variant;
    for (std::size_t i = 0, k = 0; i < normalised.size(); ++i) {
      if (k < count && apostrophes[k] == i) {
        const bool drop = mask == ~0U || (k < 32 && ((mask >> k) & 1U) != 0);
        ++k;
        if (drop) {
          continue;
        }
      }
      variant.push_back(normalised[i]);
    }
    // Only the spacing stage: the rest was applied above.
    std::string literal = trim_spaces(normalise(variant, TextForm::plain, kWordSpacing));
    if (std::find(literals.begin(), literals.end(), literal) == literals.end()) {
      literals.push_back(std::move(literal));
    }
  }
  return literals;
}

std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) {
    return {};
  }
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

}  // namespace

NormaliseRules rules_for(const Entry& entry) {
  switch (entry.kind) {
    case EntryKind::domain:
    case EntryKind::url:
    case EntryKind::regex:
    case EntryKind::sha256: return entry.rules & kExactRules;
    default: return static_cast<NormaliseRules>(entry.rules | kWordSpacing);
  }
}

bool is_literal(EntryKind kind) { return kind != EntryKind::regex && kind != EntryKind::sha256; }

std::vector<std::string> words_of(std::string_view pattern) {
  std::vector<std::string> words;
  std::string current;
  auto finish = [&] {
    // A run of apostrophes alone is not a word.
    if (current.find_first_not_of('\'') != std::string::npos) {
      words.push_back(current);
    }
    current.clear();
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto byte = static_cast<unsigned char>(pattern[i]);
    if (pattern.substr(i, 3) == "\xe2\x80\x99") {
      current.push_back('\'');
      i += 2;
    } else if (byte == '\'' || is_word_byte(byte)) {
      current.push_back((byte >= 'A' && byte <= 'Z') ? static_cast<char>(byte - 'A' + 'a')
                                                     : static_cast<char>(byte));
    } else {
      finish();
    }
  }
  finish();
  return words;
}

std::vector<std::string> combination_parts(std::string_view pattern) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= pattern.size()) {
    const std::size_t comma = pattern.find(',', start);
    const std::string_view part =
        trim(pattern.substr(start, comma == std::string_view::npos ? comma : comma - start));
    parts.emplace_back(part);
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return parts;
}

std::vector<Expression> expressions_for(const Entry& entry) {
  const NormaliseRules rules = rules_for(entry);
  std::vector<Expression> out;
  auto add_spaced = [&](std::string_view pattern, std::uint8_t part) {
    for (std::string& literal : spaced_literals(pattern, rules)) {
      out.push_back(Expression{std::move(literal), part});
    }
  };
  switch (entry.kind) {
    case EntryKind::word:
    case EntryKind::phrase:
    case EntryKind::exception: add_spaced(entry.pattern, 0); break;
    case EntryKind::combination: {
      const std::vector<std::string> parts = combination_parts(entry.pattern);
      for (std::size_t part = 0; part < parts.size() && part <= UINT8_MAX; ++part) {
        add_spaced(parts[part], static_cast<std::uint8_t>(part));
      }
      break;
    }
    case EntryKind::domain: {
      std::string_view name = entry.pattern;
      if (!name.empty() && name.back() == '.') {
        name.remove_suffix(1);  // "example.com." is example.com
      }
      out.push_back(Expression{normalise(name, TextForm::host_name, rules)});
      break;
    }
    case EntryKind::url:
      out.push_back(Expression{normalise(entry.pattern, TextForm::url, rules)});
      break;
    case EntryKind::regex: out.push_back(Expression{entry.pattern}); break;
    case EntryKind::sha256: break;
  }
  return out;
}

unsigned int hyperscan_flags(EntryKind /*kind*/) {
  // CASELESS although normalised text is lower-case: regex entries may be written
  // with capitals, and it costs Hyperscan nothing.
  // Not UTF8: Hyperscan's behaviour on invalid UTF-8 is undefined and network text
  // is often invalid, so expressions work on bytes.
  // No SINGLEMATCH: an occurrence inside an exception's span is suppressed while
  // another may not be, so the matcher sees each (and caps how many it keeps).
  // No SOM_LEFTMOST: a literal's start is its end less its length, and only
  // literals (exceptions) need a start.
  return HS_FLAG_CASELESS;
}

bool on_boundaries(EntryKind kind, std::string_view text, std::size_t start, std::size_t end) {
  switch (kind) {
    case EntryKind::domain: return label_starts_at(text, start) && label_ends_at(text, end);
    case EntryKind::url: return label_starts_at(text, start);
    case EntryKind::regex:
    case EntryKind::sha256: return true;
    default: return word_starts_at(text, start) && word_ends_at(text, end);
  }
}

bool applies_to(EntryKind kind, TextForm form) {
  if (kind == EntryKind::sha256) {
    return false;
  }
  return form != TextForm::host_name || kind == EntryKind::domain;
}

std::optional<std::string> check_entry(const Entry& entry) {
  for (const Expression& each : expressions_for(entry)) {
    const std::string& expression = each.text;
    if (expression.empty()) {
      return "nothing is left of the pattern once normalised; write letters or digits";
    }
    if (is_literal(entry.kind)) {
      continue;  // any non-empty literal compiles
    }
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* compile_error = nullptr;
    if (hs_expression_info(expression.c_str(), hyperscan_flags(entry.kind), &info,
                           &compile_error) != HS_SUCCESS) {
      std::string message = compile_error != nullptr ? compile_error->message : "unknown error";
      hs_free_compile_error(compile_error);
      return "the expression does not compile: " + message;
    }
    const bool matches_empty = info->min_width == 0;
    std::free(info);  // NOLINT: hs_expression_info allocates with the misc allocator (malloc)
    if (matches_empty) {
      return "the expression can match empty text, so it would hit everything; make it "
             "need at least one character";
    }
    // hs_expression_info checks syntax; compiling catches what only the compiler
    // rejects (too large, unsupported constructs in this position).
    hs_database_t* database = nullptr;
    if (hs_compile(expression.c_str(), hyperscan_flags(entry.kind), HS_MODE_BLOCK, nullptr,
                   &database, &compile_error) != HS_SUCCESS) {
      std::string message = compile_error != nullptr ? compile_error->message : "unknown error";
      hs_free_compile_error(compile_error);
      return "the expression does not compile: " + message;
    }
    hs_free_database(database);
  }
  return std::nullopt;
}

}  // namespace hm::match
