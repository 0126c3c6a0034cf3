#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dissect/observation.h"
#include "match/library.h"

namespace hm::match {

// What shape a text has, which decides how it is normalised and which entries may
// hit it.
enum class TextForm : std::uint8_t {
  host_name,  // a DNS name (dns_query, tls_sni, http_host …): only domain entries apply
  url,        // an absolute URL or request target: percent and `+` decoded first
  plain,      // anything else a person wrote or read (search terms, page text)
};

std::string_view to_string(TextForm form);
TextForm text_form_of(dissect::ObservationKind kind);

// A normalised text and, for each of its bytes, the offset in the original text of
// the byte it came from, so hits found in differently normalised copies of one
// observation can be compared (an exception suppresses hits inside its span).
struct NormalisedText {
  std::string text;
  std::vector<std::uint32_t> origin;  // origin.size() == text.size()

  void clear() {
    text.clear();
    origin.clear();
  }
};

// Rewrites text into the form the library's patterns are written in. Library
// entries go through the same function (matcher.cpp), so both sides agree. In order:
//
//  1. decode (kDecode): in a URL one pass of %XX and `+` → space (HTML 4.01
//     §17.13.4); in plain text HTML character references (&amp; &#39; &#x2019;).
//  2. Unicode, always: NFKC, case folding and default-ignorable characters removed
//     (zero-width spaces, soft hyphens) with utf8proc; marks removed too with
//     kAccents (café → cafe, Romanian ă → a, Urdu zer/zabar). Spaces, punctuation
//     and symbols outside ASCII become ASCII separators (’ → ', – → -, ۔ → space,
//     emoji → space) so word boundaries work in every script. Control bytes become
//     spaces; bytes that are not UTF-8 pass through unchanged.
//  3. split letters (kSplit): three or more single letters with the same separator
//     between them are joined: "s.u.i.c.i.d.e", "k m s" → "suicide", "kms".
//  4. leetspeak (kLeet): inside a word that has a letter, 0 1 3 4 5 7 @ $ read as
//     o i e a s t a s, and ! before a letter as i: "5u1c1d3" → "suicide"; "year 4"
//     and "kill!" stay as they are.
//  5. repeats (kRepeats): runs of one ASCII letter become one letter, "killlll" →
//     "kil" (and the entry "kill" → "kil" too, so they meet).
//  6. word spacing (kWordSpacing, set by the matcher, never by an entry's flags):
//     every run of non-word bytes and percent escapes becomes one space, so
//     "how...to - kill%20myself" reads "how to kill myself" and a phrase is one
//     literal. Apostrophes are separators too ("rhannu'r" holds "rhannu"); an entry
//     written with one also compiles without it, so "can't" hits "cant" (pattern.cpp).
//
// Host names only ever get decoding and accents (kExactRules): they are matched
// exactly. Works on bytes and never fails; no allocation once `out` has grown.
void normalise_into(std::string_view text, TextForm form, NormaliseRules rules,
                    NormalisedText& out);
std::string normalise(std::string_view text, TextForm form, NormaliseRules rules = kAllRules);

// normalise_into() in two halves, for a caller that normalises one text under several
// rule sets (the matcher's passes): stages 1 and 2 depend only on the form and on
// kDecode and kAccents, so passes that agree on those share them and only copy and
// redo stages 3 to 6 (issue 9: the same text was decoded and folded once per pass).
// normalise_into(t, f, r, out) == normalise_rest(base, r, out) after
// normalise_base(t, f, r, base).
void normalise_base(std::string_view text, TextForm form, NormaliseRules rules,
                    NormalisedText& base);
void normalise_rest(const NormalisedText& base, TextForm form, NormaliseRules rules,
                    NormalisedText& out);
// What normalise_base() depends on of `rules`: equal keys give equal bases.
NormaliseRules base_rules(TextForm form, NormaliseRules rules);

namespace detail {
// is_word_byte() for each byte value: one load instead of four range tests, for a
// question the normaliser's stages ask of every byte (issue 9's profile).
inline constexpr std::array<bool, 256> kWordBytes = [] {
  std::array<bool, 256> word{};
  for (unsigned byte = 0; byte < 256; ++byte) {
    word[byte] = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                 (byte >= '0' && byte <= '9') || byte >= 0x80;
  }
  return word;
}();
}  // namespace detail

// Whether a byte of normalised text is part of a word: ASCII letters and digits
// and every byte ≥ 0x80 (letters of other scripts; separators were made ASCII).
constexpr bool is_word_byte(unsigned char byte) { return detail::kWordBytes[byte]; }

}  // namespace hm::match
