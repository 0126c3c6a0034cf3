#include "match/normalise.h"

namespace hm::match {
namespace {

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

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

// Control bytes (a decoded %00, %0A …) become spaces so they read as separators and
// never reach a JSON line or a log raw.
char tame_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 || byte == 0x7f) ? ' ' : c;
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

void normalise_into(std::string_view text, TextForm form, std::string& out) {
  out.clear();
  out.reserve(text.size());
  if (form != TextForm::url) {
    for (char c : text) {
      out.push_back(tame_control(lower_ascii(c)));
    }
    return;
  }
  // One pass of decoding, as a browser's form encoding does it (HTML 4.01 §17.13.4:
  // space → `+`, everything else unsafe → %XX). Not repeated: a doubly encoded %2520
  // stays "%20", which the phrase separators in pattern.cpp still treat as a space.
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      const int byte = hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]);
      out.push_back(tame_control(lower_ascii(static_cast<char>(byte))));
      i += 2;
    } else {
      out.push_back(tame_control(lower_ascii(c)));
    }
  }
}

std::string normalise(std::string_view text, TextForm form) {
  std::string out;
  normalise_into(text, form, out);
  return out;
}

}  // namespace hm::match
