#include "match/normalise.h"

#include <utf8proc.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace hm::match {
namespace {

constexpr std::size_t kMaxRunCodepoints = 64;  // a letter and its marks; Zalgo is cut

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_control(unsigned char byte) { return byte < 0x20 || byte == 0x7f; }

bool is_ascii_letter(unsigned char byte) { return byte >= 'a' && byte <= 'z'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

void push(NormalisedText& out, char c, std::uint32_t origin) {
  out.text.push_back(c);
  out.origin.push_back(origin);
}

// HTML character references (HTML Living Standard §13.5); the named ones people
// and editors actually write into text, the rest by number.
constexpr std::array<std::pair<std::string_view, char32_t>, 16> kNamedReferences = {{
    {"amp", U'&'},
    {"lt", U'<'},
    {"gt", U'>'},
    {"quot", U'"'},
    {"apos", U'\''},
    {"nbsp", U' '},
    {"hellip", U'\u2026'},
    {"ndash", U'\u2013'},
    {"mdash", U'\u2014'},
    {"lsquo", U'\u2018'},
    {"rsquo", U'\u2019'},
    {"ldquo", U'\u201c'},
    {"rdquo", U'\u201d'},
    {"shy", U'\u00ad'},
    {"zwj", U'\u200d'},
    {"zwnj", U'\u200c'},
}};

// The code point of the character reference at text[i] ('&'), and its length.
std::pair<char32_t, std::size_t> character_reference(std::string_view text, std::size_t i) {
  const std::size_t semicolon = text.find(';', i + 1);
  if (semicolon == std::string_view::npos || semicolon - i > 10 || semicolon == i + 1) {
    return {0, 0};
  }
  const std::string_view body = text.substr(i + 1, semicolon - i - 1);
  const std::size_t length = semicolon - i + 1;
  if (body[0] == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) {
      return {0, 0};
    }
    char32_t value = 0;
    for (char c : digits) {
      const int digit = hex ? hex_value(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
      if (digit < 0 || value > 0x10ffff) {
        return {0, 0};
      }
      value = value * (hex ? 16 : 10) + static_cast<char32_t>(digit);
    }
    if (value == 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
      return {0, 0};
    }
    return {value, length};
  }
  for (const auto& [name, value] : kNamedReferences) {
    if (name == body) {
      return {value, length};
    }
  }
  return {0, 0};
}

// Stage 1: decoding, into `out` with origins.
void decode(std::string_view text, TextForm form, bool enabled, NormalisedText& out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto origin = static_cast<std::uint32_t>(i);
    const char c = text[i];
    if (enabled && form == TextForm::url) {
      if (c == '+') {
        push(out, ' ', origin);
        continue;
      }
      // One pass only: a doubly encoded %2520 stays "%20", which phrase separators
      // still treat as a space (pattern.cpp).
      if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
          hex_value(text[i + 2]) >= 0) {
        push(out, static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])), origin);
        i += 2;
        continue;
      }
    } else if (enabled && form == TextForm::plain && c == '&') {
      const auto [code_point, length] = character_reference(text, i);
      if (length > 0) {
        utf8proc_uint8_t bytes[4];
        const auto count = utf8proc_encode_char(static_cast<utf8proc_int32_t>(code_point), bytes);
        for (utf8proc_ssize_t k = 0; k < count; ++k) {
          push(out, static_cast<char>(bytes[k]), origin);
        }
        i += length - 1;
        continue;
      }
    }
    push(out, c, origin);
  }
}

// What NFKC and case folding make of an ASCII byte, as emit_code_point() writes it.
char fold_ascii(char c) { return is_control(static_cast<unsigned char>(c)) ? ' ' : lower_ascii(c); }

// Where the run of ASCII bytes from text[from] on that utf8proc need not see ends:
// every byte of it is followed by another ASCII byte or ends the text. The last ASCII
// byte before a non-ASCII one is left out, as a combining mark may follow it ("e" +
// U+0301 composes to "é").
std::size_t ascii_run_end(const std::string& text, std::size_t from) {
  std::size_t end = from;
  while (end < text.size() && static_cast<unsigned char>(text[end]) < 0x80) ++end;
  return end < text.size() && end > from ? end - 1 : end;
}

// Stage 2's fast path (issue 9: most text on the wire is ASCII): in.text[from, to),
// ASCII all of it, folded a run at a time instead of a code point at a time.
void append_ascii(const NormalisedText& in, std::size_t from, std::size_t to, NormalisedText& out) {
  const std::size_t at = out.text.size();
  out.text.resize(at + (to - from));
  for (std::size_t k = from; k < to; ++k) out.text[at + (k - from)] = fold_ascii(in.text[k]);
  out.origin.insert(out.origin.end(), in.origin.begin() + static_cast<std::ptrdiff_t>(from),
                    in.origin.begin() + static_cast<std::ptrdiff_t>(to));
}

// How a code point that survived NFKC and case folding is written out: ASCII
// separators for every space, punctuation mark and symbol, so that word
// boundaries (pattern.cpp) are plain ASCII tests in every script.
void emit_code_point(utf8proc_int32_t code_point, std::uint32_t origin, NormalisedText& out) {
  if (code_point < 0x80) {
    push(out, fold_ascii(static_cast<char>(code_point)), origin);
    return;
  }
  switch (code_point) {
    case 0x2018:  // ‘ ’ ‛ ʼ ′: apostrophes as phones and word processors type them
    case 0x2019:
    case 0x201b:
    case 0x02bc:
    case 0x2032: push(out, '\'', origin); return;
    default: break;
  }
  switch (utf8proc_category(code_point)) {
    case UTF8PROC_CATEGORY_PD: push(out, '-', origin); return;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO: push(out, ' ', origin); return;
    default: break;
  }
  utf8proc_uint8_t bytes[4];
  const auto count = utf8proc_encode_char(code_point, bytes);
  for (utf8proc_ssize_t k = 0; k < count; ++k) {
    push(out, static_cast<char>(bytes[k]), origin);
  }
}

// Stage 2: NFKC, case folding, ignorables (and marks) removed. A starter and the
// combining marks after it are normalised together, as NFKC composes them.
void unicode(const NormalisedText& in, bool strip_marks, NormalisedText& out) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(in.text.data());
  const auto size = static_cast<utf8proc_ssize_t>(in.text.size());
  const auto options =
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                     UTF8PROC_IGNORE | (strip_marks ? UTF8PROC_STRIPMARK : 0));
  std::array<utf8proc_int32_t, kMaxRunCodepoints> run{};
  utf8proc_ssize_t i = 0;
  while (i < size) {
    const auto ascii_end =
        static_cast<utf8proc_ssize_t>(ascii_run_end(in.text, static_cast<std::size_t>(i)));
    if (ascii_end > i) {
      append_ascii(in, static_cast<std::size_t>(i), static_cast<std::size_t>(ascii_end), out);
      i = ascii_end;
      continue;
    }
    const std::uint32_t origin = in.origin[static_cast<std::size_t>(i)];
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + i, size - i, &code_point);
    if (length <= 0) {
      // Not UTF-8 (network text often is not): the byte as it is, a word byte.
      push(out, static_cast<char>(bytes[i]), origin);
      ++i;
      continue;
    }
    // The run: this code point and the combining marks that follow it.
    utf8proc_ssize_t end = i + length;
    while (end < size) {
      utf8proc_int32_t next = 0;
      const utf8proc_ssize_t next_length = utf8proc_iterate(bytes + end, size - end, &next);
      if (next_length <= 0 || utf8proc_get_property(next)->combining_class == 0) {
        break;
      }
      end += next_length;
    }
    utf8proc_ssize_t count = utf8proc_decompose(bytes + i, end - i, run.data(),
                                                static_cast<utf8proc_ssize_t>(run.size()), options);
    if (count > static_cast<utf8proc_ssize_t>(run.size())) {
      // Dozens of stacked marks: keep the letter alone.
      count = utf8proc_decompose(bytes + i, length, run.data(),
                                 static_cast<utf8proc_ssize_t>(run.size()), options);
    }
    if (count > 0 && count <= static_cast<utf8proc_ssize_t>(run.size())) {
      count = utf8proc_normalize_utf32(
          run.data(), count, static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
      for (utf8proc_ssize_t k = 0; k < count; ++k) {
        emit_code_point(run[static_cast<std::size_t>(k)], origin, out);
      }
    }
    i = end;
  }
}

// The length of the word unit (one ASCII letter or digit, or one UTF-8 sequence)
// at text[i], or 0 if text[i] does not start one.
std::size_t unit_length(const std::string& text, std::size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if (!is_word_byte(byte)) {
    return 0;
  }
  std::size_t length = 1;
  if (byte >= 0xc0) {
    while (i + length < text.size() &&
           (static_cast<unsigned char>(text[i + length]) & 0xc0U) == 0x80U && length < 4) {
      ++length;
    }
  }
  return length;
}

bool word_byte_at(const std::string& text, std::size_t i) {
  return i < text.size() && is_word_byte(static_cast<unsigned char>(text[i]));
}

// Stage 3, in place: "s.u.i.c.i.d.e" → "suicide".
void join_split_letters(NormalisedText& buffer) {
  constexpr std::size_t kMinLetters = 3;
  constexpr std::size_t kMaxSeparator = 3;
  std::string& text = buffer.text;
  std::vector<std::uint32_t>& origin = buffer.origin;
  std::size_t read = 0;
  std::size_t write = 0;
  auto copy = [&](std::size_t from, std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) {
      text[write] = text[from + k];
      origin[write] = origin[from + k];
      ++write;
    }
  };
  while (read < text.size()) {
    const bool token_start = read == 0 || !word_byte_at(text, read - 1);
    const std::size_t first = token_start ? unit_length(text, read) : 0;
    if (first == 0 || word_byte_at(text, read + first)) {
      copy(read, 1);
      ++read;
      continue;
    }
    // A one-letter token: see how many follow with the same separator.
    std::size_t letters = 1;
    std::size_t end = read + first;  // one past the last letter of the run
    std::string_view separator;
    while (end < text.size()) {
      std::size_t gap = 0;
      while (end + gap < text.size() && gap <= kMaxSeparator && !word_byte_at(text, end + gap)) {
        ++gap;
      }
      if (gap == 0 || gap > kMaxSeparator || end + gap >= text.size()) {
        break;
      }
      const std::string_view this_separator(text.data() + end, gap);
      if (!separator.empty() && this_separator != separator) {
        break;
      }
      const std::size_t next = unit_length(text, end + gap);
      if (next == 0 || word_byte_at(text, end + gap + next)) {
        break;
      }
      separator = this_separator;
      end += gap + next;
      ++letters;
    }
    if (letters < kMinLetters) {
      copy(read, first);
      read += first;
      continue;
    }
    // Copy the letters, dropping the separators.
    std::size_t position = read;
    while (position < end) {
      const std::size_t length = unit_length(text, position);
      if (length == 0) {
        ++position;
        continue;
      }
      copy(position, length);
      position += length;
    }
    read = end;
  }
  text.resize(write);
  origin.resize(write);
}

char leet_letter(char c) {
  switch (c) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '@': return 'a';
    case '$': return 's';
    default: return 0;
  }
}

bool has_hex_pair_after(const std::string& text, std::size_t i) {
  return i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0;
}

// "%2F" left in text that was not URL-decoded is punctuation (pattern.cpp treats it
// so): its digits are not leetspeak and its letters not a repeat. Stages 4 to 6 ask
// this of every byte: the '%' test is inline, the rest is rare.
inline bool is_percent_escape(const std::string& text, std::size_t i) {
  return text[i] == '%' && has_hex_pair_after(text, i);
}

bool is_leet_token_byte(unsigned char byte) {
  return is_word_byte(byte) || byte == '@' || byte == '$' || byte == '!';
}

// Stage 4, in place and length-preserving: "5u1c1d3" → "suicide".
void read_leetspeak(std::string& text) {
  std::size_t start = 0;
  while (start < text.size()) {
    if (is_percent_escape(text, start)) {
      start += 3;
      continue;
    }
    if (!is_leet_token_byte(static_cast<unsigned char>(text[start]))) {
      ++start;
      continue;
    }
    std::size_t end = start;
    bool has_letter = false;
    while (end < text.size() && is_leet_token_byte(static_cast<unsigned char>(text[end]))) {
      has_letter = has_letter || is_ascii_letter(static_cast<unsigned char>(text[end]));
      ++end;
    }
    if (has_letter) {
      for (std::size_t k = start; k < end; ++k) {
        if (text[k] == '!') {
          // "!" only inside a word ("k!ll"), never the exclamation after one.
          if (k + 1 < end && is_ascii_letter(static_cast<unsigned char>(text[k + 1]))) {
            text[k] = 'i';
          }
        } else if (const char letter = leet_letter(text[k]); letter != 0) {
          text[k] = letter;
        }
      }
    }
    start = end;
  }
}

// Stage 5, in place: runs of one ASCII letter become one.
void collapse_repeats(NormalisedText& buffer) {
  std::string& text = buffer.text;
  std::size_t write = 0;
  for (std::size_t read = 0; read < text.size(); ++read) {
    if (is_percent_escape(text, read)) {
      for (std::size_t k = 0; k < 3; ++k, ++write) {
        text[write] = text[read + k];
        buffer.origin[write] = buffer.origin[read + k];
      }
      read += 2;
      // The escape's last byte must not start a run with the letter after it.
      continue;
    }
    if (write > 0 && text[read] == text[write - 1] &&
        is_ascii_letter(static_cast<unsigned char>(text[read]))) {
      continue;
    }
    text[write] = text[read];
    buffer.origin[write] = buffer.origin[read];
    ++write;
  }
  text.resize(write);
  buffer.origin.resize(write);
}

// Stage 6, in place: words and single spaces. A space keeps the origin of the first
// separator byte it stands for.
void space_words(NormalisedText& buffer) {
  std::string& text = buffer.text;
  std::size_t write = 0;
  bool last_was_space = false;
  for (std::size_t read = 0; read < text.size(); ++read) {
    const auto byte = static_cast<unsigned char>(text[read]);
    if (is_word_byte(byte)) {
      text[write] = text[read];
      buffer.origin[write] = buffer.origin[read];
      ++write;
      last_was_space = false;
      continue;
    }
    const std::uint32_t origin = buffer.origin[read];
    if (is_percent_escape(text, read)) {
      read += 2;
    }
    if (!last_was_space) {
      text[write] = ' ';
      buffer.origin[write] = origin;
      ++write;
      last_was_space = true;
    }
  }
  text.resize(write);
  buffer.origin.resize(write);
}

// The decoded text between stages 1 and 2; one per thread, reused.
NormalisedText& decoded_scratch() {
  thread_local NormalisedText scratch;
  return scratch;
}

}  // namespace

std::string_view to_string(TextForm form) {
  switch (form) {
    case TextForm::host_name: return "host_name";
    case TextForm::url: return "url";
    case TextForm::plain: return "plain";
  }
  return "plain";
}

TextForm text_form_of(dissect::ObservationKind kind) {
  if (dissect::is_host_name_kind(kind)) {
    return TextForm::host_name;
  }
  // http_search already carries decoded query terms (the dissector decodes them), so
  // decoding again would turn a searched-for "%" or "+" ("c++") into something else.
  return kind == dissect::ObservationKind::http_url ? TextForm::url : TextForm::plain;
}

NormaliseRules base_rules(TextForm form, NormaliseRules rules) {
  if (form == TextForm::host_name) {
    rules &= kExactRules;  // a DNS name is matched exactly: "bet365", "www"
  }
  return rules & (kDecode | kAccents);
}

void normalise_base(std::string_view text, TextForm form, NormaliseRules rules,
                    NormalisedText& out) {
  // Offsets are 32-bit: observations are capped far below 4 GiB by the dissectors.
  text = text.substr(0, UINT32_MAX);
  rules = base_rules(form, rules);
  NormalisedText& decoded = decoded_scratch();
  decoded.clear();
  decoded.text.reserve(text.size());
  decoded.origin.reserve(text.size());
  decode(text, form, (rules & kDecode) != 0, decoded);

  out.clear();
  out.text.reserve(decoded.text.size());
  out.origin.reserve(decoded.text.size());
  unicode(decoded, (rules & kAccents) != 0, out);
}

namespace {

// Stages 3 to 6, in place.
void normalise_words(TextForm form, NormaliseRules rules, NormalisedText& out) {
  if (form == TextForm::host_name) {
    rules &= kExactRules;
  }
  if ((rules & kSplit) != 0) {
    join_split_letters(out);
  }
  if ((rules & kLeet) != 0) {
    read_leetspeak(out.text);
  }
  if ((rules & kRepeats) != 0) {
    collapse_repeats(out);
  }
  if ((rules & kWordSpacing) != 0) {
    space_words(out);
  }
}

}  // namespace

void normalise_rest(const NormalisedText& base, TextForm form, NormaliseRules rules,
                    NormalisedText& out) {
  out.text.assign(base.text);
  out.origin.assign(base.origin.begin(), base.origin.end());
  normalise_words(form, rules, out);
}

void normalise_into(std::string_view text, TextForm form, NormaliseRules rules,
                    NormalisedText& out) {
  normalise_base(text, form, rules, out);
  normalise_words(form, rules, out);
}

std::string normalise(std::string_view text, TextForm form, NormaliseRules rules) {
  NormalisedText out;
  normalise_into(text, form, rules, out);
  return std::move(out.text);
}

}  // namespace hm::match
