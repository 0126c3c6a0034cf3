#include "web/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store/accounts.h"
#include "store/audit_log.h"
#include "web/session_keys.h"
#include "web/static_assets.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

constexpr std::string_view kPassword = "the blue door at noon";

class RouterTest : public testing::DataDirTest {
 protected:
  void SetUp() override {
    DataDirTest::SetUp();
    pool_.emplace(data_dir_);
    router_.emplace(*pool_);
  }

  Response call(std::string method, std::string target, std::string body = {},
                std::string cookie = {}) {
    auto parsed = parse_target(target);
    EXPECT_TRUE(parsed.has_value()) << target;
    Request request;
    request.method = std::move(method);
    request.path = parsed->first;
    request.query = parsed->second;
    request.body = std::move(body);
    request.content_type = "application/json";
    request.csrf_token = testing::csrf_of(cookie);
    request.cookie = std::move(cookie);
    request.host = "127.0.0.1:8443";
    request.origin = "https://127.0.0.1:8443";
    return router_->handle(request);
  }

  static nlohmann::json json(const Response& response) {
    return nlohmann::json::parse(response.body);
  }

  std::string setup_code() {
    auto db = store::Database::open(data_dir_);
    return store::ensure_setup_code(**db);
  }

  // Sets the box up and signs in; returns the Cookie header to send.
  std::string sign_in() {
    const nlohmann::json form{{"setup_code", setup_code()},
                              {"display_name", "Anita Patel"},
                              {"username", "a.patel"},
                              {"password", kPassword}};
    EXPECT_EQ(call("POST", "/api/setup", form.dump()).status, 201);
    const Response login =
        call("POST", "/api/login",
             nlohmann::json{{"username", "a.patel"}, {"password", kPassword}}.dump());
    EXPECT_EQ(login.status, 200) << login.body;
    for (const auto& [name, value] : login.headers) {
      if (name == "Set-Cookie") return value.substr(0, value.find(';'));
    }
    ADD_FAILURE() << "no session cookie";
    return {};
  }

  std::optional<DatabasePool> pool_;
  std::optional<Router> router_;
};

TEST(PathMatches, MatchesLiteralAndTemplatedSegments) {
  std::map<std::string, std::string> params;
  EXPECT_TRUE(path_matches("/api/captures", "/api/captures", params));
  EXPECT_FALSE(path_matches("/api/captures", "/api/captures/1", params));
  EXPECT_FALSE(path_matches("/api/captures", "/api/capture", params));
  EXPECT_TRUE(path_matches("/api/captures/{id}", "/api/captures/42", params));
  EXPECT_EQ(params["id"], "42");
  EXPECT_FALSE(path_matches("/api/captures/{id}", "/api/captures/", params));
}

TEST(ParseTarget, DecodesPathAndQuery) {
  auto parsed = parse_target("/api/captures?limit=5&before=1.2&q=a+b%21");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->first, "/api/captures");
  EXPECT_EQ(parsed->second["limit"], "5");
  EXPECT_EQ(parsed->second["q"], "a b!");
  EXPECT_FALSE(parse_target("/bad%zz").has_value());
  EXPECT_FALSE(parse_target("/bad%2").has_value());
  EXPECT_FALSE(parse_target("no-slash").has_value());
}

TEST(RequestCookies, FindsTheNamedCookie) {
  Request request;
  request.cookie = "theme=dark; hm_session=ABC123; other=x";
  EXPECT_EQ(request.cookie_value("hm_session"), "ABC123");
  EXPECT_FALSE(request.cookie_value("missing").has_value());
}

TEST_F(RouterTest, EverySignedInRouteAnswers401WithoutASession) {
  for (const Route& route : api_routes()) {
    if (route.access != Access::signed_in) continue;
    const Response response = call(std::string(route.method), std::string(route.path), "{}");
    EXPECT_EQ(response.status, 401) << route.method << ' ' << route.path;
    EXPECT_EQ(json(response)["error"], "not_signed_in");
    // A stale cookie is no better than none.
    EXPECT_EQ(
        call(std::string(route.method), std::string(route.path), "{}", "hm_session=forged").status,
        401);
  }
}

TEST_F(RouterTest, SetupRejectsAWrongCodeThenCompletesOnce) {
  EXPECT_EQ(json(call("GET", "/api/setup/status"))["setup_needed"], true);
  nlohmann::json form{{"setup_code", "AAAA-AAAA-AAAA"},
                      {"display_name", "Anita Patel"},
                      {"username", "a.patel"},
                      {"password", kPassword}};
  const Response wrong = call("POST", "/api/setup", form.dump());
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(json(wrong)["error"], "wrong_setup_code");

  form["setup_code"] = setup_code();
  form["password"] = "too short";
  const Response weak = call("POST", "/api/setup", form.dump());
  EXPECT_EQ(weak.status, 400);
  EXPECT_NE(json(weak)["message"].get<std::string>().find("at least 10"), std::string::npos);

  form["password"] = kPassword;
  EXPECT_EQ(call("POST", "/api/setup", form.dump()).status, 201);
  EXPECT_EQ(json(call("GET", "/api/setup/status"))["setup_needed"], false);
  EXPECT_EQ(call("POST", "/api/setup", form.dump()).status, 409);
}

TEST_F(RouterTest, LoginSetsAStrictCookieAndLogoutEndsTheSession) {
  const std::string cookie = sign_in();
  const Response login =
      call("POST", "/api/login",
           nlohmann::json{{"username", "a.patel"}, {"password", kPassword}}.dump());
  std::string set_cookie;
  for (const auto& [name, value] : login.headers) {
    if (name == "Set-Cookie") set_cookie = value;
  }
  for (const char* attribute : {"HttpOnly", "Secure", "SameSite=Strict", "Path=/"}) {
    EXPECT_NE(set_cookie.find(attribute), std::string::npos) << attribute;
  }
  EXPECT_EQ(call("POST", "/api/login",
                 nlohmann::json{{"username", "a.patel"}, {"password", "wrong password"}}.dump())
                .status,
            401);

  const Response who = call("GET", "/api/session", {}, cookie);
  ASSERT_EQ(who.status, 200);
  EXPECT_EQ(json(who)["user"]["display_name"], "Anita Patel");
  EXPECT_EQ(json(who)["user"]["role"], "headteacher");

  EXPECT_EQ(call("POST", "/api/logout", "{}", cookie).status, 200);
  EXPECT_EQ(call("GET", "/api/session", {}, cookie).status, 401);
}

TEST_F(RouterTest, CapturesAreListedNewestFirstInPages) {
  const std::string cookie = sign_in();
  EXPECT_EQ(json(call("GET", "/api/captures", {}, cookie))["captures"].size(), 0U);
  for (int i = 0; i < 5; ++i) plant_capture(1'717'400'000'000'000 + i * 1'000'000);

  const Response first = call("GET", "/api/captures?limit=2", {}, cookie);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto page = json(first);
  ASSERT_EQ(page["captures"].size(), 2U);
  const auto& newest = page["captures"][0];
  EXPECT_EQ(newest["ts_us"], 1'717'400'004'000'000);
  EXPECT_EQ(newest["time"], "2024-06-03T07:33:24Z");
  EXPECT_EQ(newest["category"], "suicide");
  EXPECT_EQ(newest["severity"], 5);
  EXPECT_EQ(newest["status"], "new");  // the list is metadata: the site is on the capture's page
  EXPECT_EQ(newest["device"]["ip"], "10.20.0.31");
  EXPECT_EQ(newest["device"]["mac"], "3c:22:fb:10:00:1f");
  ASSERT_TRUE(page["next"].is_string());

  const auto rest = json(
      call("GET", "/api/captures?limit=10&before=" + page["next"].get<std::string>(), {}, cookie));
  EXPECT_EQ(rest["captures"].size(), 3U);
  EXPECT_TRUE(rest["next"].is_null());
  EXPECT_EQ(rest["captures"][0]["ts_us"], 1'717'400'002'000'000);

  EXPECT_EQ(call("GET", "/api/captures?limit=0", {}, cookie).status, 400);
  EXPECT_EQ(call("GET", "/api/captures?before=junk", {}, cookie).status, 400);
}

TEST_F(RouterTest, RefusesCrossSiteAndNonJsonStateChanges) {
  const std::string cookie = sign_in();
  Request request;
  request.method = "POST";
  request.path = "/api/logout";
  request.cookie = cookie;
  request.host = "127.0.0.1:8443";
  request.origin = "https://evil.example";
  request.content_type = "application/json";
  EXPECT_EQ(router_->handle(request).status, 403);
  request.origin.clear();
  request.content_type = "application/x-www-form-urlencoded";
  EXPECT_EQ(router_->handle(request).status, 415);
  // Same site and JSON, but without the session's CSRF token, or with another's.
  request.content_type = "application/json";
  EXPECT_EQ(json(router_->handle(request))["error"], "csrf_token_missing");
  request.csrf_token = csrf_token_for("another session");
  EXPECT_EQ(router_->handle(request).status, 403);
  request.csrf_token = testing::csrf_of(cookie);
  EXPECT_EQ(router_->handle(request).status, 200);
}

TEST_F(RouterTest, UnknownApiRoutesAnd405) {
  EXPECT_EQ(call("GET", "/api/nothing").status, 404);
  EXPECT_EQ(call("DELETE", "/api/session").status, 405);
  EXPECT_EQ(call("GET", "/api/login").status, 405);
}

TEST_F(RouterTest, PagesServeTheEmbeddedUi) {
  const Response root = call("GET", "/");
  ASSERT_EQ(root.status, 200);
  EXPECT_EQ(root.content_type, "text/html; charset=utf-8");
  EXPECT_NE(root.body.find("<div id=\"app\">"), std::string::npos);
  // Pages the UI routes itself get index.html too.
  EXPECT_EQ(call("GET", "/captures").body, root.body);
  EXPECT_EQ(call("GET", "/assets/missing.js").status, 404);
  EXPECT_EQ(call("POST", "/").status, 405);

  bool found_script = false;
  for (const Asset& asset : embedded_assets()) {
    if (asset.path.ends_with(".js")) {
      found_script = true;
      EXPECT_EQ(asset.content_type, "text/javascript; charset=utf-8");
      const Response script = call("GET", std::string(asset.path));
      EXPECT_EQ(script.status, 200);
      EXPECT_NE(script.cache_control.find("immutable"), std::string::npos);
    }
  }
  EXPECT_TRUE(found_script);
}

TEST_F(RouterTest, EvidenceOpensOnlyWithTheSessionsKeyAndEveryViewIsAudited) {
  SessionKeys::instance().clear();  // one per process: earlier tests' sessions
  plant_capture();
  const std::string cookie = sign_in();
  ASSERT_EQ(SessionKeys::instance().size(), 1U);
  // The list never opens evidence; one capture's page does, audited.
  EXPECT_FALSE(json(call("GET", "/api/captures", {}, cookie))["captures"][0].contains("text"));
  const auto page = json(call("GET", "/api/captures/1", {}, cookie));
  EXPECT_EQ(page["text"], "how to kill myself");

  auto db = store::Database::open(data_dir_);
  ASSERT_TRUE(db);
  store::Statement views(**db,
                         "SELECT actor, detail FROM audit_log WHERE action = 'evidence_view';");
  ASSERT_TRUE(views.step());
  EXPECT_EQ(views.column_text(0), "a.patel");
  EXPECT_EQ(views.column_text(1), "capture 1");
  EXPECT_FALSE(store::AuditLog(**db).verify().first_broken);

  // Logout wipes the session's key; a session that lost its key sees only metadata.
  EXPECT_EQ(call("POST", "/api/logout", "{}", cookie).status, 200);
  EXPECT_EQ(SessionKeys::instance().size(), 0U);
  const Response login =
      call("POST", "/api/login",
           nlohmann::json{{"username", "a.patel"}, {"password", kPassword}}.dump());
  std::string again;
  for (const auto& [name, value] : login.headers) {
    if (name == "Set-Cookie") again = value.substr(0, value.find(';'));
  }
  SessionKeys::instance().clear();  // as after a restart of the daemon
  const Response sealed = call("GET", "/api/captures/1", {}, again);
  EXPECT_EQ(sealed.status, 403);
  EXPECT_EQ(json(sealed)["error"], "no_evidence_key");
  EXPECT_EQ(sealed.body.find("kill"), std::string::npos);
}

TEST_F(RouterTest, SetupShowsTheRecoveryKeyOnceAndFailedLoginsAreAudited) {
  const nlohmann::json form{{"setup_code", setup_code()},
                            {"display_name", "Anita Patel"},
                            {"username", "a.patel"},
                            {"password", kPassword}};
  const Response done = call("POST", "/api/setup", form.dump());
  ASSERT_EQ(done.status, 201);
  EXPECT_EQ(json(done)["recovery_key"].get<std::string>().size(), 47U);
  EXPECT_EQ(call("POST", "/api/login",
                 nlohmann::json{{"username", "a.patel"}, {"password", "wrong wrong"}}.dump())
                .status,
            401);
  auto db = store::Database::open(data_dir_);
  ASSERT_TRUE(db);
  store::Statement actions(
      **db, "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log ORDER BY id);");
  ASSERT_TRUE(actions.step());
  EXPECT_EQ(actions.column_text(0), "setup login_failed");
}

}  // namespace
}  // namespace hm::web
