#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hm::dissect {

// Where a site puts what a person typed into its search box. Add a row to
// search_terms.cpp's table to teach the box another site.
struct SearchSite {
  // Host on label boundaries. A trailing ".*" stands for any public suffix of one or
  // two labels: "google.*" is google.com, google.co.uk, clients1.google.ca.
  std::string_view host;
  std::string_view path_prefix;  // empty: any path
  std::string_view parameter;    // query parameter holding the terms
};

std::span<const SearchSite> search_sites();

// The decoded search terms of a request to `host` for `target` (origin or absolute
// form), when the site is in the table and the parameter is present and not blank.
std::optional<std::string> search_terms(std::string_view host, std::string_view target);

// application/x-www-form-urlencoded decoding of one component: '+' is a space and
// %XX a byte (WHATWG URL §5.1); a '%' not followed by two hex digits stays as it is.
std::string decode_form_component(std::string_view text);

}  // namespace hm::dissect
