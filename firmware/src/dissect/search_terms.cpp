#include "dissect/search_terms.h"

#include <array>
#include <cctype>

namespace hm::dissect {
namespace {

constexpr std::array kSearchSites = {
    SearchSite{"google.*", "/search", "q"},
    SearchSite{"google.*", "/complete/search", "q"},  // suggestions as the pupil types
    SearchSite{"bing.com", "/search", "q"},
    SearchSite{"bing.com", "/AS/Suggestions", "qry"},
    SearchSite{"duckduckgo.com", "", "q"},  // /, /html/, /lite/, /ac/
    SearchSite{"search.yahoo.*", "/search", "p"},
    SearchSite{"youtube.com", "/results", "search_query"},
    SearchSite{"ecosia.org", "/search", "q"},
    SearchSite{"wikipedia.org", "/w/index.php", "search"},
    SearchSite{"wikipedia.org", "/wiki/Special:Search", "search"},
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool ends_with_labels(std::string_view host, std::string_view suffix) {
  if (host.size() < suffix.size()) return false;
  const std::size_t start = host.size() - suffix.size();
  if (!iequals(host.substr(start), suffix)) return false;
  return start == 0 || host[start - 1] == '.';
}

// "name.*": `name` followed by one or two labels (com, ca, co.uk, com.au).
bool matches_any_suffix(std::string_view host, std::string_view name) {
  for (int suffix_labels = 1; suffix_labels <= 2; ++suffix_labels) {
    std::size_t cut = host.size();
    for (int i = 0; i < suffix_labels && cut != std::string_view::npos; ++i) {
      cut = cut == 0 ? std::string_view::npos : host.rfind('.', cut - 1);
    }
    if (cut == std::string_view::npos || cut == 0) continue;
    if (ends_with_labels(host.substr(0, cut), name)) return true;
  }
  return false;
}

bool host_matches(std::string_view host, std::string_view pattern) {
  if (pattern.ends_with(".*"))
    return matches_any_suffix(host, pattern.substr(0, pattern.size() - 2));
  return ends_with_labels(host, pattern);
}

std::string_view strip_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') return host;  // IPv6 literal: never a search site
  const auto colon = host.rfind(':');
  host = colon == std::string_view::npos ? host : host.substr(0, colon);
  while (host.ends_with('.')) host.remove_suffix(1);
  return host;
}

bool is_blank(std::string_view text) {
  for (const char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::span<const SearchSite> search_sites() { return kSearchSites; }

std::string decode_form_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> search_terms(std::string_view host, std::string_view target) {
  // absolute-form (to a proxy): the authority in the target names the host
  if (const auto scheme = target.find("://"); scheme != std::string_view::npos) {
    target.remove_prefix(scheme + 3);
    const auto slash = target.find('/');
    host = target.substr(0, slash);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  host = strip_port(host);
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view path = target.substr(0, question);
  std::string_view query = target.substr(question + 1);
  if (const auto hash = query.find('#'); hash != std::string_view::npos) {
    query = query.substr(0, hash);
  }
  for (const SearchSite& site : kSearchSites) {
    if (!host_matches(host, site.host) || !path.starts_with(site.path_prefix)) continue;
    std::string_view rest = query;
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      const auto equals = pair.find('=');
      if (equals == std::string_view::npos || pair.substr(0, equals) != site.parameter) continue;
      std::string terms = decode_form_component(pair.substr(equals + 1));
      if (!is_blank(terms)) return terms;
    }
  }
  return std::nullopt;
}

}  // namespace hm::dissect
