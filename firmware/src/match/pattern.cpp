#include "match/pattern.h"

#include <hs.h>

#include <cstdio>
#include <cstdlib>

namespace hm::match {
namespace {

// How entries become expressions
// ------------------------------
// Hyperscan has no look-around, so boundaries are written as a character that is
// consumed (or ^ / $); the matcher strips the trailing one when it works out where
// a hit ends (matcher.cpp), and exceptions, compiled with start of match, include
// the leading one in their span, which is harmless (a hit that ends on it ends
// before the exception's first letter).
//
// A "word character" is an ASCII letter or digit or any byte ≥ 0x80
// (is_word_byte). The normaliser turns every space, punctuation mark and symbol
// outside ASCII into an ASCII separator, so bytes ≥ 0x80 left in normalised text
// are letters of other scripts (or bytes that were not UTF-8): "café" is one word
// and "caf" cannot hit inside it. The database is compiled without HS_FLAG_UTF8
// (see matcher.cpp), so classes work on bytes. `_` is deliberately *not* a word
// character (unlike PCRE's \w): URL paths and slugs use it as a space
// ("Zombie_knife").
constexpr std::string_view kWordByte = "a-zA-Z0-9\\x80-\\xff";

// A percent escape (%20, %2C …) in text that was not URL-decoded (a search term, a
// body) is punctuation too, and the byte before the word is then a hex digit, so
// it must be spelled out for the boundary to see it.
constexpr std::string_view kPercentEscape = "%[0-9a-fA-F]{2}";

// Apostrophes inside a word are optional: "can't" hits "cant" and "can't" (the
// normaliser has already made ’ an ASCII apostrophe).
constexpr std::string_view kOptionalApostrophe = "'?";

void append_escaped_byte(std::string& out, unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
  out += buffer;
}

// A literal run of (normalised) pattern text: letters and digits as themselves,
// apostrophes optional, every other byte as \xHH so no entry can carry regex syntax.
void append_literal(std::string& out, std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\'') {
      out += kOptionalApostrophe;
    } else if ((byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9')) {
      out.push_back(c);
    } else if (byte >= 'A' && byte <= 'Z') {
      out.push_back(static_cast<char>(byte - 'A' + 'a'));
    } else {
      append_escaped_byte(out, byte);
    }
  }
}

// Word boundary before: start of text, a non-word byte, or a percent escape.
std::string word_start() {
  return "(?:^|[^" + std::string(kWordByte) + "]|" + std::string(kPercentEscape) + ")";
}

// Word boundary after: a non-word byte or end of text.
std::string word_end() { return "(?:[^" + std::string(kWordByte) + "]|$)"; }

// Between a phrase's words: any run of spaces, punctuation, `+`, `_` or percent
// escapes ("how to kill myself", "how+to+kill+myself", "how%20to%20kill",
// "how...to - kill"). Unbounded because Hyperscan handles `+` cheaply and a cap
// would only invent a way round it.
std::string phrase_separator() {
  return "(?:[^" + std::string(kWordByte) + "]|" + std::string(kPercentEscape) + ")+";
}

// Label boundaries (RFC 1035 §2.3.1: labels are letters, digits and hyphens).
// Before the domain: start, or any byte that cannot be part of a label ('.', '/',
// '@', ':', space …), so "example.com" hits "www.example.com" and
// "https://example.com/", never "badexample.com" nor "bad-example.com".
std::string domain_start() {
  return "(?:^|[^" + std::string(kWordByte) + "\\-]|" + std::string(kPercentEscape) + ")";
}

// After the domain: end, a byte that cannot continue a host name (':', '/', '?',
// space …), or a final dot that is not followed by another label (the root dot of
// "example.com." or a full stop in prose). Never ".evil.net": "example.com.evil.net"
// is evil.net's name, not example.com's.
std::string domain_end() {
  const std::string label_byte = std::string(kWordByte) + "\\-";
  return "(?:$|[^" + label_byte + ".]|\\.(?:$|[^" + label_byte + "]))";
}

// A phrase (or a single word): its words in order, bounded like a word at both ends,
// with any run of separators between them. Empty if there are no words left.
std::string phrase_expression(std::string_view normalised) {
  const std::vector<std::string> words = words_of(normalised);
  if (words.empty()) {
    return {};
  }
  std::string out = word_start();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) {
      out += phrase_separator();
    }
    append_literal(out, words[i]);
  }
  out += word_end();
  return out;
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
    default: return entry.rules;
  }
}

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

std::vector<std::string> expressions_for(const Entry& entry) {
  const NormaliseRules rules = rules_for(entry);
  std::vector<std::string> out;
  switch (entry.kind) {
    case EntryKind::word: {
      // A word is exact: its characters as normalised (apostrophes optional), on word
      // boundaries, so "kill" never hits "skill" or "killer".
      const std::string normalised = normalise(entry.pattern, TextForm::plain, rules);
      if (words_of(normalised).empty()) {
        out.emplace_back();
        break;
      }
      std::string expression = word_start();
      append_literal(expression, normalised);
      expression += word_end();
      out.push_back(std::move(expression));
      break;
    }
    case EntryKind::phrase:
    case EntryKind::exception:
      out.push_back(phrase_expression(normalise(entry.pattern, TextForm::plain, rules)));
      break;
    case EntryKind::combination:
      for (const std::string& part : combination_parts(entry.pattern)) {
        out.push_back(phrase_expression(normalise(part, TextForm::plain, rules)));
      }
      break;
    case EntryKind::domain: {
      std::string_view name = entry.pattern;
      if (!name.empty() && name.back() == '.') {
        name.remove_suffix(1);  // "example.com." is example.com
      }
      std::string expression = domain_start();
      append_literal(expression, normalise(name, TextForm::host_name, rules));
      expression += domain_end();
      out.push_back(std::move(expression));
      break;
    }
    case EntryKind::url: {
      // The host on a label boundary, as a domain, then the path as a prefix.
      std::string expression = domain_start();
      append_literal(expression, normalise(entry.pattern, TextForm::url, rules));
      out.push_back(std::move(expression));
      break;
    }
    case EntryKind::regex: out.push_back(entry.pattern); break;
    case EntryKind::sha256: break;
  }
  return out;
}

bool needs_start_of_match(EntryKind kind) { return kind == EntryKind::exception; }

unsigned int hyperscan_flags(EntryKind kind) {
  // CASELESS although normalised text is lower-case: regex entries may be written
  // with capitals, and it costs Hyperscan nothing.
  // Not UTF8: Hyperscan's behaviour on invalid UTF-8 is undefined and network text
  // is often invalid, so expressions work on bytes.
  // No SINGLEMATCH: an occurrence inside an exception's span is suppressed while
  // another may not be, so the matcher sees each (and caps how many it keeps).
  unsigned int flags = HS_FLAG_CASELESS;
  if (needs_start_of_match(kind)) {
    flags |= HS_FLAG_SOM_LEFTMOST;
  }
  return flags;
}

bool applies_to(EntryKind kind, TextForm form) {
  if (kind == EntryKind::sha256) {
    return false;
  }
  return form != TextForm::host_name || kind == EntryKind::domain;
}

std::optional<std::string> check_entry(const Entry& entry) {
  const std::vector<std::string> expressions = expressions_for(entry);
  for (const std::string& expression : expressions) {
    if (expression.empty()) {
      return "nothing is left of the pattern once normalised; write letters or digits";
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
