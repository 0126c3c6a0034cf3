// Every route of the API (routes.cpp, which OpenApi.DescribesExactlyTheRouteTable ties to
// web/openapi.json) is called without a session, with each role, without the CSRF
// token, and with malformed and oversized bodies. New routes are covered by being in the
// table: nothing here names a route.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "https_test_client.h"
#include "store/accounts.h"
#include "store/roles.h"
#include "web/router.h"
#include "web/server.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

constexpr std::string_view kPassword = "the blue door at noon";

bool changes_state(std::string_view method) { return method != "GET"; }

// The route's path with every {name} filled by an id that names nothing, so that no
// call here can remove or change a real account, capture or incident.
std::string concrete_path(std::string_view pattern) {
  std::string path;
  std::size_t at = 0;
  while (at < pattern.size()) {
    const auto open = pattern.find('{', at);
    if (open == std::string_view::npos) {
      path += pattern.substr(at);
      break;
    }
    path += pattern.substr(at, open - at);
    path += "999999";
    at = pattern.find('}', open) + 1;
  }
  return path;
}

std::string describe(const Route& route) {
  return std::string(route.method) + " " + std::string(route.path);
}

class ApiSecurityTest : public testing::DataDirTest {
 protected:
  void SetUp() override {
    DataDirTest::SetUp();
    pool_.emplace(data_dir_);
    router_.emplace(*pool_);
    // The headteacher through setup, as on a real box; then one account per other role.
    {
      auto db = store::Database::open(data_dir_);
      ASSERT_TRUE(db.ok()) << db.error();
      store::Accounts accounts(**db);
      const auto done = accounts.complete_setup(
          store::ensure_setup_code(**db),
          {"head", "Anita Patel", store::Role::headteacher, std::string(kPassword)});
      ASSERT_EQ(done.outcome, store::SetupResult::Outcome::done) << done.message;
      for (const store::Role role : store::all_roles()) {
        if (role == store::Role::headteacher) continue;
        const std::string name(store::to_string(role));
        ASSERT_TRUE(accounts.create_user({name, name, role, std::string(kPassword)}).ok());
      }
    }
  }

  std::string username_of(store::Role role) {
    return role == store::Role::headteacher ? "head" : std::string(store::to_string(role));
  }

  Request request_for(const Route& route, std::string body = "{}") {
    Request request;
    request.method = std::string(route.method);
    request.path = concrete_path(route.path);
    request.body = std::move(body);
    request.content_type = "application/json";
    request.host = "127.0.0.1:8443";
    request.origin = "https://127.0.0.1:8443";
    return request;
  }

  // The Cookie header of a signed-in session for the role, signing in again when an
  // earlier call (sign out, sign out everywhere) ended it.
  std::string session_of(store::Role role) {
    auto& cookie = cookies_[role];
    if (!cookie.empty()) {
      Request check;
      check.method = "GET";
      check.path = "/api/session";
      check.cookie = cookie;
      if (router_->handle(check).status == 200) return cookie;
    }
    Request login;
    login.method = "POST";
    login.path = "/api/login";
    login.content_type = "application/json";
    login.body = nlohmann::json{{"username", username_of(role)}, {"password", kPassword}}.dump();
    const Response answer = router_->handle(login);
    EXPECT_EQ(answer.status, 200) << answer.body;
    for (const auto& [name, value] : answer.headers) {
      if (name == "Set-Cookie") cookie = value.substr(0, value.find(';'));
    }
    return cookie;
  }

  Response call_as(store::Role role, const Route& route, std::string body = "{}") {
    Request request = request_for(route, std::move(body));
    request.cookie = session_of(role);
    request.csrf_token = testing::csrf_of(request.cookie);
    return router_->handle(request);
  }

  std::optional<DatabasePool> pool_;
  std::optional<Router> router_;
  std::map<store::Role, std::string> cookies_;
};

TEST_F(ApiSecurityTest, EverySignedInRouteRefusesAStranger) {
  for (const Route& route : api_routes()) {
    if (route.access != Access::signed_in) continue;
    const Response answer = router_->handle(request_for(route));
    EXPECT_EQ(answer.status, 401) << describe(route);
    // A made-up session is no better than none.
    Request forged = request_for(route);
    forged.cookie = "hm_session=" + std::string(64, 'A');
    forged.csrf_token = testing::csrf_of(forged.cookie);
    EXPECT_EQ(router_->handle(forged).status, 401) << describe(route);
  }
}

TEST_F(ApiSecurityTest, EachRoleReachesOnlyWhatItsPermissionsAllow) {
  for (const Route& route : api_routes()) {
    if (route.access != Access::signed_in) continue;
    for (const store::Role role : store::all_roles()) {
      const bool allowed = !route.needs || store::allows(role, *route.needs);
      const Response answer = call_as(role, route);
      const std::string what = describe(route) + " as " + std::string(store::to_string(role));
      if (allowed) {
        EXPECT_NE(answer.status, 401) << what << ": " << answer.body;
        // A download (a PDF) is not JSON: only a JSON answer can say "not_allowed".
        const auto parsed = nlohmann::json::parse(answer.body, nullptr, false);
        EXPECT_NE(parsed.is_object() ? parsed.value("error", "") : "", "not_allowed") << what;
      } else {
        EXPECT_EQ(answer.status, 403) << what << ": " << answer.body;
      }
    }
  }
}

TEST_F(ApiSecurityTest, TheRolesMatchTheIssue) {
  using enum store::Permission;
  // The technician runs the box but sees no evidence and no names; the viewer sees
  // figures only; the deputy DSL is the DSL without the audit log.
  EXPECT_FALSE(store::allows(store::Role::technician, see_evidence));
  EXPECT_FALSE(store::allows(store::Role::technician, see_people));
  EXPECT_TRUE(store::allows(store::Role::technician, manage_system));
  EXPECT_TRUE(store::allows(store::Role::viewer, see_dashboard));
  EXPECT_FALSE(store::allows(store::Role::viewer, see_evidence));
  EXPECT_TRUE(store::allows(store::Role::dsl, see_evidence));
  EXPECT_TRUE(store::allows(store::Role::deputy_dsl, handle_incidents));
  EXPECT_FALSE(store::allows(store::Role::dsl, manage_accounts));
  for (const auto permission : store::all_permissions()) {
    EXPECT_TRUE(store::allows(store::Role::headteacher, permission));
    EXPECT_EQ(store::to_string(permission).empty(), false);
  }
  for (const auto role : store::all_roles()) {
    EXPECT_EQ(store::role_from_string(store::to_string(role)), role);
  }
  EXPECT_FALSE(store::role_from_string("superuser").has_value());
}

TEST_F(ApiSecurityTest, EveryStateChangeNeedsTheSessionsCsrfToken) {
  for (const Route& route : api_routes()) {
    if (route.access != Access::signed_in || !changes_state(route.method)) continue;
    Request request = request_for(route);
    request.cookie = session_of(store::Role::headteacher);
    const Response missing = router_->handle(request);
    EXPECT_EQ(missing.status, 403) << describe(route);
    request.csrf_token = csrf_token_for("some other session");
    EXPECT_EQ(router_->handle(request).status, 403) << describe(route);
  }
}

// Whether web/openapi.json says the operation reads a request body.
bool documented_with_body(const Route& route) {
  std::ifstream file(std::string(HM_SOURCE_DIR) + "/web/openapi.json");
  const auto spec = nlohmann::json::parse(file);
  std::string method(route.method);
  std::transform(method.begin(), method.end(), method.begin(), ::tolower);
  return spec["paths"][std::string(route.path)][method].contains("requestBody");
}

TEST_F(ApiSecurityTest, MalformedBodiesGetA4xxAndTheApiCarriesOn) {
  const std::string bodies[] = {
      "{\"unterminated",
      "[]",
      "null",
      "\xff\xfe{}",
      std::string(5000, '[') + std::string(5000, ']'),
      R"({"username": 7, "password": [], "days": "many", "id": {"x": 1}, "text": null})",
      R"({"category": "suicide", "days": 1e308, "limit": -1})",
  };
  for (const Route& route : api_routes()) {
    if (!changes_state(route.method)) continue;
    // A route that reads no body (sign out) may ignore it; one that does must refuse.
    const bool reads_body = documented_with_body(route);
    for (const std::string& body : bodies) {
      const Response answer = route.access == Access::signed_in
                                  ? call_as(store::Role::headteacher, route, body)
                                  : router_->handle(request_for(route, body));
      if (reads_body) {
        EXPECT_GE(answer.status, 400) << describe(route) << " with " << body.substr(0, 40);
      }
      EXPECT_LT(answer.status, 500)
          << describe(route) << " with " << body.substr(0, 40) << ": " << answer.body;
    }
  }
  // Still answering, still signed in.
  Request status;
  status.method = "GET";
  status.path = "/api/session";
  status.cookie = session_of(store::Role::headteacher);
  EXPECT_EQ(router_->handle(status).status, 200);
}

// Through the real HTTPS server: the body limit is enforced by the connection before
// any handler runs, for every route, and the server keeps serving.
TEST_F(ApiSecurityTest, EveryRouteRefusesAnOversizedBodyOverHttps) {
  Server server(ServerSettings{data_dir_, "127.0.0.1", 0, 2});
  ASSERT_TRUE(server.start().ok());
  const std::string cookie = session_of(store::Role::headteacher);
  for (const Route& route : api_routes()) {
    if (!changes_state(route.method)) continue;
    // Each route's own limit (a session may send a file to the upload and import routes).
    const std::size_t size = route.max_body + 1024;
    const auto answer =
        testing::https_call(server.port(), std::string(route.method), concrete_path(route.path),
                            std::string(size, 'x'), cookie, testing::csrf_of(cookie));
    EXPECT_EQ(answer, 413) << describe(route);
  }
  EXPECT_EQ(testing::https_call(server.port(), "GET", "/api/setup/status"), 200);
}

// A whole school's roster is more than a form's 64 KiB: the import routes take it from a
// signed-in session (and only from one).
TEST_F(ApiSecurityTest, ALargeRosterReachesTheImportOverHttps) {
  Server server(ServerSettings{data_dir_, "127.0.0.1", 0, 2});
  ASSERT_TRUE(server.start().ok());
  std::string csv = "UPN,Name,Year,Class\n";
  for (int pupil = 0; csv.size() < 300 * 1024; ++pupil) {
    csv += "A" + std::to_string(100000000000 + pupil) + ",Pupil " + std::to_string(pupil) +
           ",Year 4,4B\n";
  }
  const std::string body = nlohmann::json{{"csv", csv}}.dump();
  const std::string cookie = session_of(store::Role::headteacher);
  EXPECT_EQ(testing::https_call(server.port(), "POST", "/api/people/import/preview", body, cookie,
                                testing::csrf_of(cookie)),
            200);
  EXPECT_EQ(testing::https_call(server.port(), "POST", "/api/people/import/preview", body), 413);
}

}  // namespace
}  // namespace hm::web
