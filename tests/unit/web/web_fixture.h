#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "evidence/capture.h"
#include "store/accounts.h"
#include "store/capture_repository.h"
#include "store/database.h"
#include "store/key_store.h"
#include "web/database_pool.h"
#include "web/router.h"

namespace hm::web::testing {

// The X-CSRF-Token a page signed in with this Cookie header ("hm_session=…") sends.
inline std::string csrf_of(std::string_view cookie) {
  const auto equals = cookie.find('=');
  return cookie.empty() ? std::string() : csrf_token_for(cookie.substr(equals + 1));
}

// A fresh data folder per test, removed afterwards.
class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("hm-web-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(data_dir_);
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  // The planted concern the browser test also looks for.
  void plant_capture(std::int64_t ts_us = 1'717'400'000'000'000, std::string category = "suicide") {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE(db.ok()) << db.error();
    evidence::Capture capture;
    capture.ts_us = ts_us;
    capture.client_ip = "10.20.0.31";
    capture.client_mac = "3c:22:fb:10:00:1f";
    capture.category = std::move(category);
    capture.severity = 5;
    capture.phrase = "how to kill myself";
    capture.entry_kind = "phrase";
    capture.observation_kind = "http_url";
    capture.library_version = "test";
    capture.evidence = {"how to kill myself", "www.google.com",
                        "http://www.google.com/search?q=how+to+kill+myself"};
    // As the store thread does: number it, seal it to the box's public key.
    auto public_key = store::KeyStore(**db).ensure_key_pair();
    ASSERT_TRUE(public_key.ok()) << public_key.error();
    capture.id = store::CaptureRepository(**db).last_id() + 1;
    evidence::seal_evidence(capture, *public_key);
    auto id = store::CaptureRepository(**db).insert(capture);
    ASSERT_TRUE(id.ok()) << id.error();
  }

  std::filesystem::path data_dir_;
};

// The API through the router, as the browser calls it, with the headteacher's
// account made at setup and signed in by sign_in().
class ApiTest : public DataDirTest {
 protected:
  static constexpr std::string_view kPassword = "the blue door at noon";

  void SetUp() override {
    DataDirTest::SetUp();
    pool_.emplace(data_dir_);
    router_.emplace(*pool_);
  }

  // `target` may carry a query string ("/api/alerts/outbox?state=failed"), split as the
  // connection splits it.
  Response call(std::string method, std::string_view target, const nlohmann::json& body = nullptr) {
    auto split = parse_target(target);
    EXPECT_TRUE(split.has_value()) << target;
    Request request;
    request.method = std::move(method);
    if (split) {
      request.path = std::move(split->first);
      request.query = std::move(split->second);
    }
    if (!body.is_null()) request.body = body.dump();
    request.content_type = "application/json";
    request.cookie = cookie_;
    request.csrf_token = csrf_of(cookie_);
    request.host = "127.0.0.1:8443";
    request.origin = "https://127.0.0.1:8443";
    return router_->handle(request);
  }

  static nlohmann::json json(const Response& response) {
    return nlohmann::json::parse(response.body);
  }

  void sign_in() {
    std::string code;
    {
      auto db = store::Database::open(data_dir_);
      code = store::ensure_setup_code(**db);
    }
    ASSERT_EQ(call("POST", "/api/setup",
                   {{"setup_code", code},
                    {"display_name", "Anita Patel"},
                    {"username", "a.patel"},
                    {"password", kPassword}})
                  .status,
              201);
    log_in("a.patel");
  }

  // Makes an account with `role` (as the headteacher's Users page would) and signs this
  // test's browser in as it instead.
  void sign_in_as(store::Role role, const std::string& username) {
    {
      auto db = store::Database::open(data_dir_);
      ASSERT_TRUE(store::Accounts(**db)
                      .create_user({username, username, role, std::string(kPassword)})
                      .ok());
    }
    log_in(username);
  }

  void log_in(const std::string& username) {
    cookie_.clear();
    const Response login =
        call("POST", "/api/login", {{"username", username}, {"password", kPassword}});
    ASSERT_EQ(login.status, 200) << login.body;
    for (const auto& [name, value] : login.headers) {
      if (name == "Set-Cookie") cookie_ = value.substr(0, value.find(';'));
    }
    // The page sends the token the sign-in answer gave it.
    ASSERT_EQ(json(login)["csrf_token"], csrf_of(cookie_));
  }

  // "actor detail" of each audit entry with this action, oldest first.
  std::vector<std::string> audit_details(std::string_view action) {
    auto db = store::Database::open(data_dir_);
    store::Statement rows(**db,
                          "SELECT actor || ' ' || detail FROM audit_log WHERE action = ? ORDER "
                          "BY id");
    rows.bind(1, action);
    std::vector<std::string> details;
    while (rows.step()) details.push_back(rows.column_text(0));
    return details;
  }

  std::optional<DatabasePool> pool_;
  std::optional<Router> router_;
  std::string cookie_;
};

}  // namespace hm::web::testing
