#include "dissect/html_text.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <utility>

namespace hm::dissect {
namespace {

// The named references pages use for text; the full HTML table has 2,231.
constexpr std::array<std::pair<std::string_view, std::string_view>, 32> kNamedEntities = {{
    {"amp", "&"},         {"lt", "<"},          {"gt", ">"},          {"quot", "\""},
    {"apos", "'"},        {"nbsp", " "},        {"copy", "\u00a9"},   {"reg", "\u00ae"},
    {"pound", "\u00a3"},  {"euro", "\u20ac"},   {"hellip", "\u2026"}, {"mdash", "\u2014"},
    {"ndash", "\u2013"},  {"lsquo", "\u2018"},  {"rsquo", "\u2019"},  {"ldquo", "\u201c"},
    {"rdquo", "\u201d"},  {"laquo", "\u00ab"},  {"raquo", "\u00bb"},  {"middot", "\u00b7"},
    {"bull", "\u2022"},   {"eacute", "\u00e9"}, {"egrave", "\u00e8"}, {"aacute", "\u00e1"},
    {"agrave", "\u00e0"}, {"iacute", "\u00ed"}, {"oacute", "\u00f3"}, {"uacute", "\u00fa"},
    {"ccedil", "\u00e7"}, {"ntilde", "\u00f1"}, {"ouml", "\u00f6"},   {"uuml", "\u00fc"},
}};

// Inline elements do not separate words ("s<b>ui</b>cide" reads as one word).
constexpr std::array<std::string_view, 14> kInlineTags = {"a",      "b",    "i",     "u",    "em",
                                                          "strong", "span", "small", "font", "mark",
                                                          "abbr",   "code", "sub",   "sup"};

constexpr std::size_t kMaxEntityLength = 32;

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point == 0 || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    code_point = 0xFFFD;  // HTML §13.2.5.80: null, surrogates, out of range
  }
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// Decodes the reference starting at text[at] == '&'; returns the bytes consumed (0:
// not a reference, the '&' is literal).
std::size_t decode_entity(std::string_view text, std::size_t at, std::string& out) {
  const std::size_t semicolon = text.find(';', at + 1);
  if (semicolon == std::string_view::npos || semicolon - at > kMaxEntityLength) return 0;
  const std::string_view name = text.substr(at + 1, semicolon - at - 1);
  if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    std::uint32_t value = 0;
    for (const char c : digits) {
      const int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                        : hex && std::isxdigit(static_cast<unsigned char>(c))
                            ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                            : -1;
      if (digit < 0) return 0;
      value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
      if (value > 0x10FFFF) value = 0x110000;  // stays out of range, no overflow
    }
    append_utf8(out, value);
    return semicolon - at + 1;
  }
  for (const auto& [entity, replacement] : kNamedEntities) {
    if (entity == name) {
      out += replacement;
      return semicolon - at + 1;
    }
  }
  return 0;
}

bool iequals_prefix(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  }
  return true;
}

// Where the tag that starts at html[at] == '<' ends (after '>'), quotes respected.
std::size_t tag_end(std::string_view html, std::size_t at) {
  char quote = 0;
  for (std::size_t i = at + 1; i < html.size(); ++i) {
    const char c = html[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return html.size();
}

// <cctype>'s tests in the "C" locale (the daemon never sets another), without a call
// into the C library per byte of a page (issue 9's profile).
constexpr bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
constexpr char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string tag_name(std::string_view html, std::size_t at) {
  std::size_t i = at + 1;
  if (i < html.size() && html[i] == '/') ++i;
  std::string name;
  while (i < html.size() && is_alnum(html[i]) && name.size() < 16) {
    name += to_lower(html[i]);
    ++i;
  }
  return name;
}

bool is_inline(const std::string& name) {
  for (const auto tag : kInlineTags) {
    if (tag == name) return true;
  }
  return false;
}

// Collapses whitespace runs to one space and trims.
class TextBuilder {
 public:
  // Whole words at a time: a space only before a word that follows a gap.
  void add(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      if (is_space(text[i])) {
        space_pending_ = !text_.empty();
        ++i;
        continue;
      }
      std::size_t word_end = i + 1;
      while (word_end < text.size() && !is_space(text[word_end])) ++word_end;
      if (space_pending_) text_ += ' ';
      space_pending_ = false;
      text_.append(text.substr(i, word_end - i));
      i = word_end;
    }
  }
  void separate() { space_pending_ = !text_.empty(); }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
  bool space_pending_ = false;
};

}  // namespace

std::string decode_html_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') {
      if (const std::size_t used = decode_entity(text, i, out); used > 0) {
        i += used - 1;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  TextBuilder text;
  std::string decoded;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      decoded.clear();
      if (const std::size_t used = decode_entity(html, i, decoded); used > 0) {
        text.add(decoded);
        i += used;
        continue;
      }
    }
    const bool starts_markup =
        c == '<' && i + 1 < html.size() &&
        (is_alpha(html[i + 1]) || html[i + 1] == '/' || html[i + 1] == '!' || html[i + 1] == '?');
    if (!starts_markup) {
      // Up to the next possible reference or tag, all of it text.
      std::size_t text_end = i + 1;
      while (text_end < html.size() && html[text_end] != '&' && html[text_end] != '<') ++text_end;
      text.add(html.substr(i, text_end - i));
      i = text_end;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      const std::size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      text.separate();
      continue;
    }
    const bool end_tag = html[i + 1] == '/';
    const std::string name = tag_name(html, i);
    i = tag_end(html, i);
    if (!end_tag && (name == "script" || name == "style")) {
      // Raw text elements (HTML §13.1.2.1): everything up to the matching end tag.
      const std::string closing = "</" + name;
      std::size_t end = i;
      while (end < html.size() && !iequals_prefix(html, end, closing)) {
        end = html.find('<', end + 1);
        if (end == std::string_view::npos) end = html.size();
      }
      i = end < html.size() ? tag_end(html, end) : html.size();
      text.separate();
      continue;
    }
    if (!is_inline(name)) text.separate();
  }
  return text.take();
}

}  // namespace hm::dissect
