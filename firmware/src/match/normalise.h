#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dissect/observation.h"

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

// Rewrites observed text into the form the library's patterns are written for.
// First cut (issue 2): ASCII lower-casing; for URLs, `+` → space and %XX decoding.
// Issue 4 deepens this (utf8proc NFKC + case folding + accents, leetspeak, split
// letters, repeats, HTML entities); the same function will normalise entries too, so
// keep it the one place where text is rewritten.
//
// Works on bytes: invalid UTF-8 from the network passes through unchanged.
void normalise_into(std::string_view text, TextForm form, std::string& out);
std::string normalise(std::string_view text, TextForm form);

}  // namespace hm::match
