// The audit log viewer's API: newest first, keyset pages, filters, the chain's check.
#include <gtest/gtest.h>

#include "store/audit_log.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

class AuditApiTest : public testing::ApiTest {
 protected:
  // A GET with a query string, split as the connection does.
  Response get(std::string_view target) {
    auto parsed = parse_target(target);
    EXPECT_TRUE(parsed.has_value()) << target;
    Request request;
    request.method = "GET";
    request.path = parsed->first;
    request.query = parsed->second;
    request.cookie = cookie_;
    return router_->handle(request);
  }
};

TEST_F(AuditApiTest, PagesFiltersAndVerifies) {
  sign_in();
  {
    auto db = store::Database::open(data_dir_);
    store::AuditLog log(**db);
    for (int i = 0; i < 30; ++i)
      ASSERT_TRUE(log.append("d.okafor", "evidence_view", "capture " + std::to_string(i)));
  }
  const auto first = json(get("/api/audit?limit=20"));
  ASSERT_EQ(first["entries"].size(), 20U);
  EXPECT_EQ(first["entries"][0]["detail"], "capture 29");
  ASSERT_TRUE(first["next"].is_string());
  const auto second = json(get("/api/audit?limit=20&before=" + first["next"].get<std::string>()));
  EXPECT_EQ(second["entries"][0]["id"].get<std::int64_t>(),
            first["entries"][19]["id"].get<std::int64_t>() - 1);
  // Setup and sign-in wrote the first entries; 30 views, then those.
  EXPECT_TRUE(second["next"].is_null());

  const auto logins = json(get("/api/audit?action=login"));
  ASSERT_EQ(logins["entries"].size(), 1U);
  EXPECT_EQ(logins["entries"][0]["actor"], "a.patel");
  const auto views = json(get("/api/audit?actor=d.okafor&limit=200"));
  EXPECT_EQ(views["entries"].size(), 30U);
  EXPECT_NE(std::find(views["actions"].begin(), views["actions"].end(), "evidence_view"),
            views["actions"].end());

  EXPECT_EQ(get("/api/audit?limit=0").status, 400);
  EXPECT_EQ(get("/api/audit?limit=999").status, 400);
  EXPECT_EQ(get("/api/audit?before=x").status, 400);

  const auto check = json(get("/api/audit/verify"));
  EXPECT_TRUE(check["intact"]);
  EXPECT_GE(check["entries"].get<int>(), 32);
}

TEST_F(AuditApiTest, ABrokenChainIsReported) {
  sign_in();
  {
    auto db = store::Database::open(data_dir_);
    // Tamper as someone with the file would: drop the triggers, edit a row.
    ASSERT_TRUE((*db)->exec("DROP TRIGGER audit_log_no_update;"));
    ASSERT_TRUE((*db)->exec("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 1;"));
  }
  const auto check = json(get("/api/audit/verify"));
  EXPECT_FALSE(check["intact"]);
  EXPECT_EQ(check["first_broken"], 1);
  EXPECT_FALSE(check["reason"].get<std::string>().empty());
}

}  // namespace
}  // namespace hm::web
