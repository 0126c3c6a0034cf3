#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "store/accounts.h"
#include "store/database.h"
#include "store/roles.h"
#include "web/database_pool.h"
#include "web/http.h"

namespace hm::web {

inline constexpr std::string_view kSessionCookie = "hm_session";

// The one route whose body is not JSON: a library bundle uploaded from the Library
// page, as application/octet-stream (the starter library's is 0.3 MB; larger bundles
// come on a USB stick, up to library::kMaxBundleBytes).
inline constexpr std::string_view kUploadPath = "/api/library/bundle";

// How large a request body may be (STYLE.md "every bound is named"; more → 413). Most
// routes take a small JSON form. Two take files, and only from a signed-in session, so a
// stranger cannot make the box hold megabytes per connection: the bundle upload, and
// the people import (a roster CSV inside JSON; a 2,000-pupil school's is about 200 KB).
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;
inline constexpr std::size_t kMaxImportBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kMaxUploadBytes = 16 * 1024 * 1024;

// What a handler gets: the request, a database connection, and — on routes that need
// one — the signed-in user.
struct ApiContext {
  const Request& request;
  store::Database& db;
  std::map<std::string, std::string> path_params;  // {id} segments of the route's path
  std::optional<store::User> user;
  std::string session_token;
  std::filesystem::path data_dir;  // the box's data folder (library/, tls/ …)

  // The body as a JSON object, or nullopt (the handler answers 400).
  std::optional<nlohmann::json> json_body() const;
};

using Handler = Response (*)(ApiContext&);

enum class Access { anyone, signed_in };

// One API route. The table of them (routes.cpp) is the one list of the API: the router
// serves it, and unit tests check it against web/openapi.json (where `x-permission`
// names `needs`) and call every route without a session, with each role and without
// the CSRF token.
struct Route {
  std::string_view method;
  std::string_view path;  // may hold {name} segments, e.g. /api/captures/{id}
  Access access;
  Handler handler;
  // What the signed-in role must be allowed (store/roles.h); none: any signed-in role.
  std::optional<store::Permission> needs = std::nullopt;
  // The largest body it reads (granted to signed-in sessions only; see kMaxBodyBytes).
  std::size_t max_body = kMaxBodyBytes;
};

std::span<const Route> api_routes();

// Matches a route's path template; fills `params` with its {name} segments.
bool path_matches(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>& params);

// Turns every request into a response: API routes (with session and CSRF checks), the
// embedded UI's files, and index.html for any other page (the UI routes itself).
class Router {
 public:
  explicit Router(DatabasePool& pool) : pool_(pool) {}
  Response handle(const Request& request);
  // The largest body the connection may read for this request (its header only): the
  // route's own max_body for a signed-in session, else kMaxBodyBytes.
  std::size_t body_limit_for(const Request& header) const;

 private:
  Response handle_api(const Request& request);
  DatabasePool& pool_;
};

// The token a signed-in page sends as X-CSRF-Token on every state-changing request.
// It is derived from the session token (which the page cannot read: the cookie is
// HttpOnly) and given to the page by /api/login and /api/session, so a request forged
// by another site, which can send the cookie but never read our answers, lacks it.
std::string csrf_token_for(std::string_view session_token);

// Set-Cookie values that start and end a session.
std::string session_cookie(std::string_view token);
std::string expired_session_cookie();

}  // namespace hm::web
