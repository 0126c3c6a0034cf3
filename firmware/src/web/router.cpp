#include "web/router.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "web/session_keys.h"
#include "web/static_assets.h"

namespace hm::web {
namespace {

bool is_api_path(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

bool changes_state(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

Response serve_asset(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    return Response::problem(405, "method_not_allowed", "Only GET is allowed here.");
  }
  std::string_view path = request.path;
  if (path == "/") path = "/index.html";
  const Asset* asset = find_asset(path);
  // The UI routes itself (/login, /captures …): any other page gets index.html. A
  // missing hashed bundle file is a real 404, not a page.
  if (asset == nullptr && !path.starts_with("/assets/")) asset = find_asset("/index.html");
  if (asset == nullptr) {
    Response missing = Response::problem(404, "not_found", "There is no such file.");
    return missing;
  }
  Response response;
  response.content_type = std::string(asset->content_type);
  response.body.assign(reinterpret_cast<const char*>(asset->bytes.data()), asset->bytes.size());
  // Vite names bundle files by content hash, so they never change; index.html does.
  response.cache_control =
      path.starts_with("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
  return response;
}

}  // namespace

std::optional<nlohmann::json> ApiContext::json_body() const {
  auto parsed = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

bool path_matches(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>& params) {
  params.clear();
  while (!pattern.empty() && !path.empty()) {
    const auto pattern_end = pattern.find('/', 1);
    const auto path_end = path.find('/', 1);
    const std::string_view want = pattern.substr(0, pattern_end);
    const std::string_view got = path.substr(0, path_end);
    if (want.size() > 3 && want[1] == '{' && want.back() == '}') {
      if (got.size() < 2) return false;
      params.emplace(std::string(want.substr(2, want.size() - 3)), std::string(got.substr(1)));
    } else if (want != got) {
      return false;
    }
    pattern =
        pattern_end == std::string_view::npos ? std::string_view() : pattern.substr(pattern_end);
    path = path_end == std::string_view::npos ? std::string_view() : path.substr(path_end);
  }
  return pattern.empty() && path.empty();
}

Response Router::handle(const Request& request) {
  if (is_api_path(request.path)) return handle_api(request);
  return serve_asset(request);
}

std::size_t Router::body_limit_for(const Request& header) const {
  std::map<std::string, std::string> ignored;
  const auto route = std::ranges::find_if(api_routes(), [&](const Route& candidate) {
    return candidate.method == header.method && path_matches(candidate.path, header.path, ignored);
  });
  if (route == api_routes().end() || route->max_body <= kMaxBodyBytes) return kMaxBodyBytes;
  const auto token = header.cookie_value(kSessionCookie);
  if (!token) return kMaxBodyBytes;
  auto lease = pool_.acquire();
  const bool signed_in = lease && store::Accounts(**lease).session_user(*token).has_value();
  return signed_in ? route->max_body : kMaxBodyBytes;
}

Response Router::handle_api(const Request& request) {
  const Route* route = nullptr;
  bool path_known = false;
  std::map<std::string, std::string> params;
  for (const Route& candidate : api_routes()) {
    if (!path_matches(candidate.path, request.path, params)) continue;
    path_known = true;
    if (candidate.method == request.method) {
      route = &candidate;
      break;
    }
  }
  if (route == nullptr) {
    return path_known
               ? Response::problem(405, "method_not_allowed", "That method is not allowed here.")
               : Response::problem(404, "not_found", "There is no such API route.");
  }

  auto lease = pool_.acquire();
  if (!lease) {
    return Response::problem(503, "database_unavailable",
                             "The box cannot open its database just now: " + lease.error());
  }
  ApiContext context{request, **lease, std::move(params), std::nullopt, {}, pool_.data_dir()};

  if (route->access == Access::signed_in) {
    const auto token = request.cookie_value(kSessionCookie);
    if (token) context.user = store::Accounts(context.db).session_user(*token);
    if (!context.user) {
      // Expired or idle: the session's evidence key goes with it.
      if (token) SessionKeys::instance().erase(*token);
      Response response = Response::problem(401, "not_signed_in", "Please sign in.");
      if (token) response.headers.emplace_back("Set-Cookie", expired_session_cookie());
      return response;
    }
    context.session_token = *token;
    if (route->needs && !store::allows(context.user->role, *route->needs)) {
      return Response::problem(403, "not_allowed",
                               "Your account cannot do this. Ask the headteacher if you need "
                               "to.");
    }
  }

  if (changes_state(request.method)) {
    // CSRF: a cross-site form cannot send JSON (nor octet-stream: another site's
    // script would need a CORS preflight we never answer), and a browser's Origin
    // must be ours.
    // SameSite=Strict already keeps the cookie off cross-site requests; a signed-in
    // request must also carry the session's CSRF token.
    if (!request.origin.empty() && request.origin != "https://" + request.host) {
      return Response::problem(403, "cross_site", "Requests from other sites are refused.");
    }
    const bool upload =
        request.path == kUploadPath && request.content_type.starts_with("application/octet-stream");
    if (!upload && !request.content_type.starts_with("application/json")) {
      return Response::problem(415, "json_required", "Send the request body as JSON.");
    }
    if (route->access == Access::signed_in &&
        request.csrf_token != csrf_token_for(context.session_token)) {
      return Response::problem(403, "csrf_token_missing",
                               "This page is out of date. Reload it and try again.");
    }
  }
  Response response = route->handler(context);
  if (route->access == Access::signed_in && changes_state(request.method)) {
    // A change may have ended sessions (an account removed, a password reset, "sign out
    // everywhere"): their evidence keys leave memory now, not at the next sweep.
    SessionKeys::instance().keep_only(store::Accounts(context.db).session_digests());
  }
  return response;
}

std::string csrf_token_for(std::string_view session_token) {
  const auto digest = crypto::sha256("hallmonitor csrf\n" + std::string(session_token));
  return crypto::to_hex(digest);
}

std::string session_cookie(std::string_view token) {
  const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(store::kSessionLifetime);
  return std::string(kSessionCookie) + "=" + std::string(token) +
         "; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age.count());
}

std::string expired_session_cookie() {
  return std::string(kSessionCookie) + "=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0";
}

}  // namespace hm::web
