// libFuzzer target: search-term extraction from a request's Host and target, and the
// form/percent decoding it uses (links: dissect). Input: host, a NUL byte, target
// (no NUL: the whole input is the target of a www.google.com request).
// Seed: the request targets of ../shared/testdata/pcaps (tshark -e http.host
// -e http.request.uri), e.g. "clients1.google.ca\0/complete/search?q=cr".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dissect/html_text.h"
#include "dissect/search_terms.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nul = input.find('\0');
  const std::string_view host =
      nul == std::string_view::npos ? "www.google.com" : input.substr(0, nul);
  const std::string_view target = nul == std::string_view::npos ? input : input.substr(nul + 1);
  if (const auto terms = hm::dissect::search_terms(host, target)) {
    // Decoding only ever shrinks: "%XX" → one byte, '+' → ' '.
    if (terms->size() > target.size()) __builtin_trap();
  }
  if (hm::dissect::decode_form_component(target).size() > target.size()) __builtin_trap();
  volatile std::size_t length = hm::dissect::decode_html_entities(target).size();
  (void)length;
  return 0;
}
