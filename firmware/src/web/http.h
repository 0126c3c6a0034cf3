#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace hm::web {

// A request as the router and handlers see it: no Beast types, so handlers are tested
// without sockets.
struct Request {
  std::string method;  // "GET", "POST" …
  std::string path;    // percent-decoded, without the query
  std::map<std::string, std::string> query;
  std::string body;
  std::string content_type;
  std::string cookie;      // the raw Cookie header
  std::string origin;      // the Origin header, if the browser sent one
  std::string host;        // the Host header
  std::string csrf_token;  // the X-CSRF-Token header (router.h: csrf_token_for)

  std::optional<std::string> cookie_value(std::string_view name) const;
  std::optional<std::string> query_value(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::string cache_control = "no-store";
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Set-Cookie

  // JSON bodies never fail to encode: text from the network that is not valid UTF-8
  // is replaced, not thrown on.
  static Response json(int status, const nlohmann::json& body);
  // {"error": code, "message": message} — the message is for the person at the screen.
  static Response problem(int status, std::string_view code, std::string_view message);
};

// Splits "/api/x?a=1&b=2" and percent-decodes both parts; nullopt on bad escapes.
std::optional<std::pair<std::string, std::map<std::string, std::string>>> parse_target(
    std::string_view target);

// Security headers on every response (issue 2 item 6, issue 6 item 8): a CSP without
// inline script, no framing, HSTS, no MIME sniffing, no referrer.
const std::vector<std::pair<std::string_view, std::string_view>>& security_headers();

}  // namespace hm::web
