// The incidents API (web/api/incidents.cpp) through the router, as the Incidents pages
// and a capture's page call it.
#include <gtest/gtest.h>

#include "store/accounts.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

class IncidentsApiTest : public testing::ApiTest {
 protected:
  // A request whose address carries a query string, split as the server does.
  Response call_target(std::string method, std::string_view target,
                       const nlohmann::json& body = nullptr) {
    auto split = parse_target(target);
    EXPECT_TRUE(split.has_value()) << target;
    Request request;
    request.method = std::move(method);
    request.path = split->first;
    request.query = split->second;
    if (!body.is_null()) request.body = body.dump();
    request.content_type = "application/json";
    request.cookie = cookie_;
    request.csrf_token = testing::csrf_of(cookie_);
    request.host = "127.0.0.1:8443";
    request.origin = "https://127.0.0.1:8443";
    return router_->handle(request);
  }

  std::vector<std::string> history_of(std::int64_t id) {
    std::vector<std::string> changes;
    const auto detail = json(call("GET", "/api/incidents/" + std::to_string(id)));
    for (const auto& entry : detail["history"])
      changes.push_back(entry["change"].get<std::string>());
    return changes;
  }
};

TEST_F(IncidentsApiTest, OpensFromACaptureAndFollowsItThroughToClosure) {
  sign_in();
  plant_capture();
  const Response opened = call("POST", "/api/incidents",
                               {{"title", "Searches about suicide, Year 5"}, {"capture_ids", {1}}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::int64_t id = json(opened)["id"];

  auto list = json(call("GET", "/api/incidents"))["incidents"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["title"], "Searches about suicide, Year 5");
  EXPECT_EQ(list[0]["status"], "new");
  EXPECT_EQ(list[0]["captures"], 1);
  EXPECT_EQ(list[0]["first_capture"], "2024-06-03T07:33:20Z");
  EXPECT_TRUE(list[0]["review_seconds"].is_null());
  EXPECT_GT(list[0]["waiting_seconds"].get<std::int64_t>(), 0) << "not reviewed yet: waiting";
  EXPECT_EQ(audit_details("incident_view").size(), 1u) << "opening the titles is audited";

  EXPECT_EQ(
      call("PUT", "/api/incidents/" + std::to_string(id) + "/status", {{"status", "in_review"}})
          .status,
      200);
  EXPECT_EQ(
      call("PUT", "/api/incidents/" + std::to_string(id) + "/assignee", {{"assignee", "a.patel"}})
          .status,
      200);
  EXPECT_EQ(call("POST", "/api/incidents/" + std::to_string(id) + "/notes",
                 {{"text", "Spoke to the class teacher"}})
                .status,
            201);
  const Response no_target =
      call("PUT", "/api/incidents/" + std::to_string(id) + "/status", {{"status", "escalated"}});
  EXPECT_EQ(no_target.status, 400);
  EXPECT_NE(json(no_target)["message"].get<std::string>().find("social care"), std::string::npos);
  EXPECT_EQ(
      call("PUT", "/api/incidents/" + std::to_string(id) + "/status", {{"status", "action_taken"}})
          .status,
      200);
  EXPECT_EQ(call("PUT", "/api/incidents/" + std::to_string(id) + "/intervention",
                 {{"text", "Met the parents; referral to the school counsellor"}})
                .status,
            200);
  EXPECT_EQ(call("PUT", "/api/incidents/" + std::to_string(id) + "/status", {{"status", "closed"}})
                .status,
            200);

  const auto detail = json(call("GET", "/api/incidents/" + std::to_string(id)));
  EXPECT_EQ(detail["status"], "closed");
  EXPECT_FALSE(detail["open"]);
  EXPECT_EQ(detail["assignee"], "a.patel");
  EXPECT_EQ(detail["intervention"], "Met the parents; referral to the school counsellor");
  ASSERT_EQ(detail["notes"].size(), 1u);
  EXPECT_EQ(detail["notes"][0]["text"], "Spoke to the class teacher");
  EXPECT_EQ(detail["notes"][0]["author"], "a.patel");
  EXPECT_FALSE(detail["review_seconds"].is_null()) << "the time to first review is kept";
  ASSERT_EQ(detail["capture_list"].size(), 1u);
  EXPECT_EQ(detail["capture_list"][0]["category"], "suicide");
  EXPECT_EQ(detail["assignees"][0]["username"], "a.patel");
  EXPECT_EQ(history_of(id),
            (std::vector<std::string>{"opened", "captures 1 added", "status: new → in review",
                                      "assigned to a.patel", "sealed note 1 added",
                                      "status: in review → action taken",
                                      "intervention recorded (sealed)",
                                      "status: action taken → closed; its capture follows "
                                      "retention again"}));
  // Every change is in the audit log too, by who made it.
  EXPECT_EQ(audit_details("incident_close"),
            std::vector<std::string>{"a.patel incident 1: status: action taken → closed; its "
                                     "capture follows retention again"});
  EXPECT_EQ(json(call_target("GET", "/api/incidents?status=open"))["incidents"].size(), 0u);
  EXPECT_EQ(json(call_target("GET", "/api/incidents?status=closed"))["incidents"].size(), 1u);
}

TEST_F(IncidentsApiTest, BadInputGetsAPlainAnswer) {
  sign_in();
  plant_capture();
  EXPECT_EQ(call("POST", "/api/incidents", {{"title", "No captures"}}).status, 400);
  EXPECT_EQ(call("POST", "/api/incidents", {{"title", "x"}, {"capture_ids", {-1}}}).status, 400);
  const Response missing = call("POST", "/api/incidents", {{"title", "x"}, {"capture_ids", {999}}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(json(missing)["message"].get<std::string>().find("no capture 999"), std::string::npos);
  EXPECT_EQ(call("POST", "/api/incidents", {{"title", ""}, {"capture_ids", {1}}}).status, 400);
  EXPECT_EQ(call("GET", "/api/incidents/abc").status, 404);
  EXPECT_EQ(call("GET", "/api/incidents/77").status, 404);
  EXPECT_EQ(call("PUT", "/api/incidents/77/status", {{"status", "closed"}}).status, 404);
  EXPECT_EQ(call_target("GET", "/api/incidents?status=lost").status, 400);
  ASSERT_EQ(call("POST", "/api/incidents", {{"title", "x"}, {"capture_ids", {1}}}).status, 201);
  EXPECT_EQ(call("PUT", "/api/incidents/1/status", {{"status", "new"}}).status, 400);
  EXPECT_EQ(call("PUT", "/api/incidents/1/status", {{"status", "sideways"}}).status, 400);
  EXPECT_EQ(call("PUT", "/api/incidents/1/assignee", {{"assignee", "nobody.here"}}).status, 400);
  EXPECT_EQ(call("POST", "/api/incidents/1/notes", {{"text", ""}}).status, 400);
  EXPECT_EQ(call("PUT", "/api/incidents/1/assignee", {{"assignee", nullptr}}).status, 200);
}

// A technician may not be given an incident, and cannot read one.
TEST_F(IncidentsApiTest, OnlyRolesThatHandleIncidentsSeeOrTakeThem) {
  sign_in();
  plant_capture();
  ASSERT_EQ(
      call("POST", "/api/incidents", {{"title", "About a pupil"}, {"capture_ids", {1}}}).status,
      201);
  {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE(store::Accounts(**db)
                    .create_user({"tech", "Tech", store::Role::technician, std::string(kPassword)})
                    .ok());
  }
  const Response to_tech = call("PUT", "/api/incidents/1/assignee", {{"assignee", "tech"}});
  EXPECT_EQ(to_tech.status, 400);
  EXPECT_NE(json(to_tech)["message"].get<std::string>().find("DSL"), std::string::npos);
  for (const auto& [role, name] :
       {std::pair{store::Role::technician, "tech2"}, std::pair{store::Role::viewer, "viewer"}}) {
    sign_in_as(role, name);
    EXPECT_EQ(call("GET", "/api/incidents").status, 403);
    EXPECT_EQ(call("GET", "/api/incidents/1").status, 403);
    EXPECT_EQ(call("PUT", "/api/incidents/1/status", {{"status", "closed"}}).status, 403);
  }
}

// Printing the record (or saving it as a PDF) takes a copy off the box: the page asks
// the box first, and the box writes it to the audit log. Only roles that handle
// incidents may; an unknown incident is a 404 and leaves no entry.
TEST_F(IncidentsApiTest, ExportingTheRecordIsAudited) {
  sign_in();
  plant_capture();
  ASSERT_EQ(
      call("POST", "/api/incidents", {{"title", "About a pupil"}, {"capture_ids", {1}}}).status,
      201);
  const Response exported = call("POST", "/api/incidents/1/export");
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(json(exported)["id"], 1);
  EXPECT_EQ(audit_details("incident_export"),
            std::vector<std::string>{"a.patel incident 1: printed record"});
  EXPECT_EQ(call("POST", "/api/incidents/99/export").status, 404);
  EXPECT_EQ(call("POST", "/api/incidents/nope/export").status, 404);
  EXPECT_EQ(audit_details("incident_export").size(), 1u) << "no entry for what does not exist";

  for (const auto& [role, name] :
       {std::pair{store::Role::technician, "tech"}, std::pair{store::Role::viewer, "viewer"}}) {
    sign_in_as(role, name);
    EXPECT_EQ(call("POST", "/api/incidents/1/export").status, 403) << name;
  }
  EXPECT_EQ(audit_details("incident_export").size(), 1u) << "a refused export is not recorded";
}

}  // namespace
}  // namespace hm::web
