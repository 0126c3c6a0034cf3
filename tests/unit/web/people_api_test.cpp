// The people, devices and groups API (web/api/people.cpp) through the router.
#include <gtest/gtest.h>

#include <set>

#include "store/accounts.h"
#include "store/device_repository.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

// Line 3 has no name, line 4 a device that is neither a MAC address nor a host name.
constexpr std::string_view kExport =
    "UPN,Legal Surname,Legal Forename,Year,Reg Group,Device MAC\r\n"
    "A100,Lovelace,Ada,Year 4,4B,3C-22-FB-10-00-1F\r\n"
    "A101,,,Year 4,4B,\r\n"
    "A102,Turing,Alan,Year 5,5A,not a mac!\r\n"
    "A103,Hopper,Grace,Year 5,5A,\r\n";

class PeopleApiTest : public testing::ApiTest {
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

  void see_device(const std::string& mac, store::TimeUs ts) {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE(store::DeviceRepository(**db).seen(mac, ts));
  }
};

TEST_F(PeopleApiTest, PreviewNamesEachBadRowAndImportTakesTheGoodOnes) {
  sign_in();
  const Response preview = call("POST", "/api/people/import/preview", {{"csv", kExport}});
  ASSERT_EQ(preview.status, 200) << preview.body;
  const auto read = json(preview);
  EXPECT_EQ(read["valid"], 2);
  EXPECT_EQ(read["invalid"], 2);
  EXPECT_EQ(read["columns"]["upn"], 0);
  EXPECT_EQ(read["columns"]["last_name"], 1);
  EXPECT_EQ(read["columns"]["year_group"], 3);
  EXPECT_EQ(read["columns"]["class"], 4);
  EXPECT_EQ(read["columns"]["devices"], nlohmann::json::array({5}));
  ASSERT_EQ(read["rows"].size(), 4u);
  EXPECT_EQ(read["rows"][0]["person"]["name"], "Ada Lovelace");
  EXPECT_EQ(read["rows"][0]["person"]["devices"], nlohmann::json::array({"3c:22:fb:10:00:1f"}));
  EXPECT_EQ(read["rows"][1]["line"], 3);
  EXPECT_NE(read["rows"][1]["error"].get<std::string>().find("no name"), std::string::npos);
  EXPECT_EQ(read["rows"][2]["line"], 4);
  EXPECT_NE(read["rows"][2]["error"].get<std::string>().find("neither a MAC address"),
            std::string::npos);
  EXPECT_EQ(call("GET", "/api/people").status, 200);
  EXPECT_TRUE(json(call("GET", "/api/people"))["people"].empty()) << "a preview imports nothing";

  const Response imported = call("POST", "/api/people/import", {{"csv", kExport}});
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(json(imported)["added"], 2);
  EXPECT_EQ(json(imported)["skipped"].size(), 2u);
  const auto people = json(call("GET", "/api/people"))["people"];
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0]["name"], "Ada Lovelace");
  EXPECT_EQ(people[0]["year_group"], "Year 4");
  EXPECT_EQ(people[0]["class"], "4B");
  EXPECT_EQ(people[0]["assigned_devices"], nlohmann::json::array({"3c:22:fb:10:00:1f"}));
  EXPECT_EQ(people[1]["name"], "Grace Hopper");
  // Year groups and classes come from the import.
  std::set<std::string> groups;
  const auto listed = json(call("GET", "/api/groups"));
  for (const auto& group : listed["groups"]) {
    groups.insert(group["kind"].get<std::string>() + " " + group["name"].get<std::string>());
  }
  EXPECT_EQ(groups, (std::set<std::string>{"year Year 4", "year Year 5", "class 4B", "class 5A"}));
  EXPECT_EQ(audit_details("people_import").size(), 1u);
  EXPECT_FALSE(audit_details("people_view").empty()) << "showing names is audited";
  for (const auto& detail : audit_details("people_import")) {
    EXPECT_EQ(detail.find("Lovelace"), std::string::npos) << "the audit log names nobody";
  }
}

TEST_F(PeopleApiTest, ColumnsCanBeMappedByHandAndBadMappingsAreRefused) {
  sign_in();
  const std::string csv = "Pupil,Tutor,Form\nSam Smith,Mr Jones,3C\n";
  // Guessed: "Pupil" is the name and "Form" the class; mapped by hand: the tutor column.
  auto read = json(call("POST", "/api/people/import/preview", {{"csv", csv}}));
  EXPECT_EQ(read["rows"][0]["person"]["class"], "3C");
  read = json(call("POST", "/api/people/import/preview",
                   {{"csv", csv}, {"columns", {{"name", 0}, {"class", 1}}}}));
  EXPECT_EQ(read["rows"][0]["person"]["class"], "Mr Jones");
  EXPECT_EQ(
      call("POST", "/api/people/import/preview", {{"csv", csv}, {"columns", {{"name", 9}}}}).status,
      400);
  EXPECT_EQ(
      call("POST", "/api/people/import/preview", {{"csv", csv}, {"columns", {{"shoe_size", 1}}}})
          .status,
      400);
  EXPECT_EQ(call("POST", "/api/people/import/preview", {{"csv", "\"unclosed\n"}}).status, 400);
  EXPECT_EQ(call("POST", "/api/people/import/preview", {{"csv", ""}}).status, 400);
  EXPECT_EQ(call("POST", "/api/people/import", {{"csv", "name\n\n"}}).status, 400)
      << "nothing to import";
}

TEST_F(PeopleApiTest, AssignsADeviceAndSaysWhoHadItAtATime) {
  sign_in();
  ASSERT_EQ(call("POST", "/api/people/import",
                 {{"csv", "UPN,Name,Class\nA1,Ada Lovelace,4B\nA2,Alan Turing,5A\n"}})
                .status,
            200);
  const std::string mac = "3c:22:fb:10:00:1f";
  constexpr store::TimeUs kMonday = 1'717'400'000'000'000;
  constexpr store::TimeUs kDay = 86'400'000'000;
  see_device(mac, kMonday);
  EXPECT_EQ(
      call("PUT", "/api/devices/" + mac + "/assignment", {{"person_id", 1}, {"from_us", kMonday}})
          .status,
      200);
  EXPECT_EQ(call("PUT", "/api/devices/" + mac + "/assignment",
                 {{"person_id", 2}, {"from_us", kMonday + kDay}})
                .status,
            200);
  const Response both =
      call("PUT", "/api/devices/" + mac + "/assignment", {{"person_id", 1}, {"pool", "Trolley"}});
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(call("PUT", "/api/devices/00:00:00:00:00:01/assignment", {{"person_id", 1}}).status,
            400);

  auto holder = json(
      call_target("GET", "/api/devices/" + mac + "/holder?at_us=" + std::to_string(kMonday + 1)));
  EXPECT_EQ(holder["assignment"]["person"]["name"], "Ada Lovelace");
  holder = json(call_target(
      "GET", "/api/devices/" + mac + "/holder?at_us=" + std::to_string(kMonday + kDay)));
  EXPECT_EQ(holder["assignment"]["person"]["name"], "Alan Turing");
  holder = json(
      call_target("GET", "/api/devices/" + mac + "/holder?at_us=" + std::to_string(kMonday - 1)));
  EXPECT_TRUE(holder["assignment"].is_null());
  const auto devices = json(call("GET", "/api/devices"))["devices"];
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0]["assignment"]["person"]["name"], "Alan Turing");

  EXPECT_EQ(call("DELETE", "/api/devices/" + mac + "/assignment").status, 200);
  EXPECT_TRUE(json(call("GET", "/api/devices"))["devices"][0]["assignment"].is_null());
  EXPECT_EQ(audit_details("people_change").size(), 3u);
}

TEST_F(PeopleApiTest, AGroupKeepsItsAgeProfile) {
  sign_in();
  const Response made =
      call("POST", "/api/groups", {{"name", "Vulnerable / high-risk"}, {"kind", "vulnerable"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string path = "/api/groups/" + std::to_string(json(made)["id"].get<int>());
  EXPECT_EQ(
      call("POST", "/api/groups", {{"name", "vulnerable / high-risk"}, {"kind", "custom"}}).status,
      400);
  EXPECT_EQ(call("POST", "/api/groups", {{"name", "X"}, {"kind", "secret"}}).status, 400);
  EXPECT_EQ(
      call("PUT", path + "/profile", {{"profile", {{"suicide", 1}, {"gambling", "never"}}}}).status,
      200);
  EXPECT_EQ(call("PUT", path + "/profile", {{"profile", {{"knitting", 1}}}}).status, 400);
  EXPECT_EQ(call("PUT", path + "/profile", {{"profile", {{"suicide", 9}}}}).status, 400);
  EXPECT_EQ(call("PUT", "/api/groups/99/profile", {{"profile", nlohmann::json::object()}}).status,
            404);
  const auto listed = json(call("GET", "/api/groups"));
  ASSERT_EQ(listed["groups"].size(), 1u);
  EXPECT_EQ(listed["groups"][0]["profile"],
            (nlohmann::json{{"suicide", 1}, {"gambling", "never"}}));
  EXPECT_FALSE(listed["categories"].empty());

  ASSERT_EQ(call("POST", "/api/people/import", {{"csv", "Name\nAda\n"}}).status, 200);
  EXPECT_EQ(call("PUT", path + "/members/1").status, 200);
  EXPECT_EQ(call("PUT", path + "/members/7").status, 400);
  EXPECT_EQ(json(call("GET", "/api/groups"))["groups"][0]["member_ids"],
            nlohmann::json::array({1}));
  EXPECT_EQ(call("DELETE", path + "/members/1").status, 200);
  EXPECT_EQ(call("DELETE", path).status, 200);
  EXPECT_TRUE(json(call("GET", "/api/groups"))["groups"].empty());
}

// Names are for roles that see people: the technician and the staff viewer never get one.
TEST_F(PeopleApiTest, TheTechnicianAndTheViewerNeverSeeAName) {
  sign_in();
  ASSERT_EQ(
      call("POST", "/api/people/import", {{"csv", "Name,MAC\nAda Lovelace,3c:22:fb:10:00:1f\n"}})
          .status,
      200);
  for (const auto& [role, name] :
       {std::pair{store::Role::technician, "tech"}, std::pair{store::Role::viewer, "viewer"}}) {
    sign_in_as(role, name);
    for (const char* path :
         {"/api/people", "/api/devices", "/api/groups", "/api/devices/3c:22:fb:10:00:1f/holder"}) {
      const Response answer = call("GET", path);
      EXPECT_EQ(answer.status, 403) << path;
      EXPECT_EQ(answer.body.find("Lovelace"), std::string::npos) << path;
    }
    EXPECT_EQ(call("POST", "/api/people/import/preview", {{"csv", "Name\nAda\n"}}).status, 403);
  }
}

}  // namespace
}  // namespace hm::web
