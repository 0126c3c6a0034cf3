// The Users and Account pages' API, and signing in with lockout and the second step,
// through the router as the browser calls them.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "crypto/totp.h"
#include "store/key_store.h"
#include "web/session_keys.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

constexpr std::string_view kFirstPassword = "a first password ok";

class UsersApiTest : public testing::ApiTest {
 protected:
  // Signs in as someone else (the fixture's cookie becomes theirs); the answer.
  Response sign_in_as(std::string_view name, std::string_view password,
                      std::optional<std::string> code = std::nullopt) {
    nlohmann::json body = {{"username", name}, {"password", password}};
    if (code) body["totp_code"] = *code;
    cookie_.clear();
    Response answer = call("POST", "/api/login", body);
    for (const auto& [header, value] : answer.headers) {
      if (header == "Set-Cookie") cookie_ = value.substr(0, value.find(';'));
    }
    return answer;
  }

  std::int64_t add(std::string_view name, std::string_view role) {
    const Response added = call("POST", "/api/users",
                                {{"username", name},
                                 {"display_name", std::string(name) + " Smith"},
                                 {"role", role},
                                 {"password", kFirstPassword}});
    EXPECT_EQ(added.status, 201) << added.body;
    return added.status == 201 ? json(added)["id"].get<std::int64_t>() : 0;
  }
};

TEST_F(UsersApiTest, ADslGetsTheEvidenceKeyAndATechnicianDoesNot) {
  plant_capture();
  sign_in();
  const auto dsl = add("d.okafor", "dsl");
  const auto tech = add("t.tech", "technician");
  const auto list = json(call("GET", "/api/users"));
  ASSERT_EQ(list["users"].size(), 3U);
  for (const auto& user : list["users"]) {
    if (user["username"] == "d.okafor") {
      EXPECT_EQ(user["role_title"], "Designated safeguarding lead (DSL)");
      EXPECT_TRUE(user["has_evidence_key"]);
    }
    if (user["username"] == "t.tech") {
      EXPECT_FALSE(user["has_evidence_key"]);
    }
    if (user["username"] == "a.patel") {
      EXPECT_TRUE(user["is_you"]);
    }
  }
  EXPECT_EQ(audit_details("account_change").size(), 2U);

  ASSERT_EQ(sign_in_as("d.okafor", kFirstPassword).status, 200);
  EXPECT_EQ(call("GET", "/api/captures").status, 200);
  const auto token = cookie_.substr(cookie_.find('=') + 1);
  EXPECT_NE(SessionKeys::instance().find(token), nullptr) << "the DSL's session holds the key";

  ASSERT_EQ(sign_in_as("t.tech", kFirstPassword).status, 200);
  EXPECT_EQ(call("GET", "/api/captures").status, 403);
  EXPECT_EQ(call("GET", "/api/users").status, 403);
  const auto tech_token = cookie_.substr(cookie_.find('=') + 1);
  EXPECT_EQ(SessionKeys::instance().find(tech_token), nullptr);
  (void)dsl;
  (void)tech;
}

TEST_F(UsersApiTest, ARemovedDslsEvidenceKeyLeavesMemoryAtOnce) {
  SessionKeys::instance().clear();  // one per process: earlier tests' sessions
  sign_in();
  const std::string head = cookie_;
  const auto dsl = add("d.okafor", "dsl");
  ASSERT_EQ(sign_in_as("d.okafor", kFirstPassword).status, 200);
  const auto dsl_token = cookie_.substr(cookie_.find('=') + 1);
  ASSERT_NE(SessionKeys::instance().find(dsl_token), nullptr);

  cookie_ = head;
  EXPECT_EQ(call("DELETE", "/api/users/" + std::to_string(dsl)).status, 200);
  // Not waiting for the DSL's next request or the idle sweep: gone now.
  EXPECT_EQ(SessionKeys::instance().find(dsl_token), nullptr);
  EXPECT_EQ(SessionKeys::instance().size(), 1U) << "the headteacher's own key stays";
}

TEST_F(UsersApiTest, SigningSomeoneOutEverywhereDropsTheirKeys) {
  SessionKeys::instance().clear();
  sign_in();
  const std::string head = cookie_;
  const auto dsl = add("d.okafor", "dsl");
  std::vector<std::string> tokens;
  for (int browser = 0; browser < 2; ++browser) {
    ASSERT_EQ(sign_in_as("d.okafor", kFirstPassword).status, 200);
    tokens.push_back(cookie_.substr(cookie_.find('=') + 1));
  }
  cookie_ = head;
  ASSERT_EQ(call("POST", "/api/users/" + std::to_string(dsl) + "/sign-out").status, 200);
  for (const auto& token : tokens) EXPECT_EQ(SessionKeys::instance().find(token), nullptr);
  EXPECT_EQ(SessionKeys::instance().size(), 1U);
}

TEST_F(UsersApiTest, YourselfAndTheLastHeadteacherCannotBeRemoved) {
  sign_in();
  const auto list = json(call("GET", "/api/users"));
  const auto me = list["users"][0]["id"].get<std::int64_t>();
  const Response self = call("DELETE", "/api/users/" + std::to_string(me));
  EXPECT_EQ(self.status, 409);
  EXPECT_NE(json(self)["message"].get<std::string>().find("your own"), std::string::npos);
  EXPECT_EQ(call("PUT", "/api/users/" + std::to_string(me), {{"role", "viewer"}}).status, 409);
  EXPECT_EQ(call("DELETE", "/api/users/424242").status, 404);
  EXPECT_EQ(call("DELETE", "/api/users/abc").status, 404);

  const auto viewer = add("v.viewer", "viewer");
  // Into a role that sees evidence: the page must give a new first password.
  const Response needs = call("PUT", "/api/users/" + std::to_string(viewer), {{"role", "dsl"}});
  EXPECT_EQ(needs.status, 409);
  EXPECT_EQ(json(needs)["error"], "password_needed");
  EXPECT_EQ(call("PUT", "/api/users/" + std::to_string(viewer),
                 {{"role", "dsl"}, {"password", "the dsl's new password"}})
                .status,
            200);
  EXPECT_EQ(call("DELETE", "/api/users/" + std::to_string(viewer)).status, 200);
  EXPECT_EQ(json(call("GET", "/api/users"))["users"].size(), 1U);
}

TEST_F(UsersApiTest, WrongPasswordsLockTheNameAndTheRightOneWaits) {
  sign_in();
  cookie_.clear();
  for (const std::string_view name : {"a.patel", "no.such.person"}) {
    for (int i = 1; i <= 4; ++i) {
      const Response wrong =
          call("POST", "/api/login", {{"username", name}, {"password", "nope nope nope"}});
      EXPECT_EQ(wrong.status, 401) << name;
      EXPECT_EQ(json(wrong)["error"], "wrong_password");
    }
    const Response fifth = call("POST", "/api/login", {{"username", name}, {"password", "nope"}});
    EXPECT_EQ(fifth.status, 429) << name;
    EXPECT_EQ(json(fifth)["retry_after_seconds"], 60);
    EXPECT_NE(json(fifth)["message"].get<std::string>().find("paused for 1 minute"),
              std::string::npos);
  }
  // Known and unknown names got the same answers; now the right password waits too.
  const Response right =
      call("POST", "/api/login", {{"username", "a.patel"}, {"password", kPassword}});
  EXPECT_EQ(right.status, 429);
  EXPECT_EQ(json(right)["error"], "locked");
  EXPECT_EQ(audit_details("login_locked").size(), 1U);
  EXPECT_EQ(audit_details("login_failed").size(), 10U);
}

TEST_F(UsersApiTest, TheSecondStepIsAskedForAndACodeWorksOnce) {
  sign_in();
  EXPECT_EQ(call("POST", "/api/account/two-step/start", {{"password", "not mine at all"}}).status,
            403);
  const Response started = call("POST", "/api/account/two-step/start", {{"password", kPassword}});
  ASSERT_EQ(started.status, 200) << started.body;
  const std::string uri = json(started)["uri"];
  const std::string secret_text = json(started)["secret"];
  EXPECT_NE(uri.find("secret=" + secret_text), std::string::npos);
  EXPECT_FALSE(json(call("GET", "/api/account"))["two_step"]);

  // The base32 secret, decoded as an authenticator app would (RFC 4648 §6).
  std::vector<std::uint8_t> secret;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : secret_text) {
    const auto value = c >= 'A' && c <= 'Z' ? c - 'A' : c - '2' + 26;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      secret.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
    }
  }
  ASSERT_EQ(secret.size(), crypto::kTotpSecretBytes);
  // The codes below are one step before, at and after the server's own clock, which it
  // reads later: start early in a 30-second step, so none crosses into the next one
  // while the test runs (under the sanitizers it takes a few seconds).
  std::int64_t now = store::now_us() / 1'000'000;
  if (now % 30 >= 20) {
    std::this_thread::sleep_for(std::chrono::seconds(30 - now % 30));
    now = store::now_us() / 1'000'000;
  }
  ASSERT_EQ(call("POST", "/api/account/two-step/confirm",
                 {{"password", kPassword}, {"code", crypto::totp(secret, now - 30)}})
                .status,
            200);
  EXPECT_TRUE(json(call("GET", "/api/account"))["two_step"]);
  EXPECT_EQ(audit_details("two_step_change").size(), 1U);

  const Response asks = sign_in_as("a.patel", kPassword);
  EXPECT_EQ(asks.status, 401);
  EXPECT_EQ(json(asks)["error"], "two_step_needed");
  const std::string code = crypto::totp(secret, now);
  EXPECT_EQ(sign_in_as("a.patel", kPassword, code).status, 200);
  const Response reused = sign_in_as("a.patel", kPassword, code);
  EXPECT_EQ(reused.status, 401);
  EXPECT_EQ(json(reused)["error"], "two_step_wrong");
  // Turning it off needs the password.
  ASSERT_EQ(sign_in_as("a.patel", kPassword, crypto::totp(secret, now + 30)).status, 200);
  EXPECT_EQ(call("POST", "/api/account/two-step/off", {{"password", "wrong one here"}}).status,
            403);
  EXPECT_EQ(call("POST", "/api/account/two-step/off", {{"password", kPassword}}).status, 200);
  EXPECT_EQ(sign_in_as("a.patel", kPassword).status, 200);
}

TEST_F(UsersApiTest, ChangingYourPasswordKeepsThisSessionAndEndsTheOthers) {
  sign_in();
  const std::string here = cookie_;
  ASSERT_EQ(sign_in_as("a.patel", kPassword).status, 200);
  const std::string elsewhere = cookie_;
  cookie_ = here;
  const Response weak = call("POST", "/api/account/password",
                             {{"current_password", kPassword}, {"new_password", "short"}});
  EXPECT_EQ(weak.status, 400);
  const Response changed =
      call("POST", "/api/account/password",
           {{"current_password", kPassword}, {"new_password", "the red door at dusk"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json(changed)["other_sessions_ended"], 1);
  EXPECT_EQ(call("GET", "/api/session").status, 200);
  cookie_ = elsewhere;
  EXPECT_EQ(call("GET", "/api/session").status, 401);
  EXPECT_EQ(sign_in_as("a.patel", "the red door at dusk").status, 200);
  // Sign out everywhere ends this one too.
  EXPECT_EQ(call("POST", "/api/account/sign-out-everywhere", nlohmann::json::object()).status, 200);
  EXPECT_EQ(call("GET", "/api/session").status, 401);
}

}  // namespace
}  // namespace hm::web
