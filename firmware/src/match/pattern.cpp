#include "match/pattern.h"

#include <cstdio>

namespace hm::match {
namespace {

// How entries become expressions
// ------------------------------
// Hyperscan has no look-around, so boundaries are written as a character that is
// consumed (or ^ / $). That is enough: the matcher reports *which* entries hit, not
// where, and HS_FLAG_SINGLEMATCH reports each entry once.
//
// A "word character" is an ASCII letter or digit or any byte ≥ 0x80. Non-ASCII bytes
// count as letters so that "café" is one word and "caf" cannot hit inside it. The
// database is compiled without HS_FLAG_UTF8 (see matcher.cpp), so classes work on
// bytes. `_` is deliberately *not* a word character (unlike PCRE's \w): URL paths
// and slugs use it as a space ("Zombie_knife").
constexpr std::string_view kWordByte = "a-zA-Z0-9\\x80-\\xff";

// A percent escape (%20, %2C …) in text that was not URL-decoded (a search term, a
// body) is punctuation too, and the byte before the word is then a hex digit, so
// it must be spelled out for the boundary to see it.
constexpr std::string_view kPercentEscape = "%[0-9a-fA-F]{2}";

// Apostrophes inside a word are optional on both sides: "can't" hits "cant",
// "can't" and "can’t" (U+2019, which phones type).
constexpr std::string_view kOptionalApostrophe = R"((?:'|\xe2\x80\x99)?)";

bool is_word_byte(unsigned char byte) {
  return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
         (byte >= '0' && byte <= '9') || byte >= 0x80;
}

bool is_right_single_quote(std::string_view text, std::size_t i) {
  return text.substr(i, 3) == "\xe2\x80\x99";
}

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

void append_escaped_byte(std::string& out, unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
  out += buffer;
}

// A literal run of pattern text: letters and digits as themselves, apostrophes
// optional, every other byte as \xHH so no entry can carry regex syntax.
void append_literal(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\'') {
      out += kOptionalApostrophe;
    } else if (is_right_single_quote(text, i)) {
      out += kOptionalApostrophe;
      i += 2;
    } else if ((byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9')) {
      out.push_back(static_cast<char>(byte));
    } else if (byte >= 'A' && byte <= 'Z') {
      out.push_back(lower_ascii(static_cast<char>(byte)));
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

}  // namespace

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
    if (is_right_single_quote(pattern, i)) {
      current.push_back('\'');
      i += 2;
    } else if (byte == '\'' || is_word_byte(byte)) {
      current.push_back(lower_ascii(static_cast<char>(byte)));
    } else {
      finish();
    }
  }
  finish();
  return words;
}

std::string expression_for(const Entry& entry) {
  std::string out;
  switch (entry.kind) {
    case EntryKind::word:
      // A word is exact: its characters as written (apostrophes optional), on word
      // boundaries, so "kill" never hits "skill" or "killer".
      out = word_start();
      append_literal(out, entry.pattern);
      out += word_end();
      break;
    case EntryKind::phrase: {
      // A phrase is its words in order, bounded like a word at both ends, with any
      // run of separators between them.
      out = word_start();
      const std::vector<std::string> words = words_of(entry.pattern);
      for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) {
          out += phrase_separator();
        }
        append_literal(out, words[i]);
      }
      out += word_end();
      break;
    }
    case EntryKind::domain: {
      out = domain_start();
      std::string_view name = entry.pattern;
      if (!name.empty() && name.back() == '.') {
        name.remove_suffix(1);  // "example.com." is example.com
      }
      append_literal(out, name);
      out += domain_end();
      break;
    }
  }
  return out;
}

bool applies_to(EntryKind kind, TextForm form) {
  return form != TextForm::host_name || kind == EntryKind::domain;
}

}  // namespace hm::match
