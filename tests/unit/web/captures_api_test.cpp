// The captures list's filters and paging, one capture's evidence (audited, or not
// shown), its packets as a pcap file, and marking it reviewed or a false positive
// (web/api/captures.cpp) — through the router, as the browser calls them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/audit_log.h"
#include "store/incident_repository.h"
#include "web/session_keys.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

constexpr std::int64_t kTime = 1'717'400'000'000'000;

class CapturesApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    SessionKeys::instance().clear();  // one per process: earlier tests' sessions
  }

  // As ApiTest::call, with the query string of `target` parsed as the server does.
  Response call(std::string method, const std::string& target,
                const nlohmann::json& body = nullptr) {
    auto parsed = parse_target(target);
    EXPECT_TRUE(parsed.has_value()) << target;
    Request request;
    request.method = std::move(method);
    request.path = parsed->first;
    request.query = parsed->second;
    if (!body.is_null()) request.body = body.dump();
    request.content_type = "application/json";
    request.cookie = cookie_;
    request.csrf_token = testing::csrf_of(cookie_);
    request.host = "127.0.0.1:8443";
    request.origin = "https://127.0.0.1:8443";
    return router_->handle(request);
  }

  // A sealed capture with the fields the filters look at, and (optionally) the frame
  // that carried it, as the store thread seals it.
  std::int64_t plant(std::int64_t ts, int severity, const std::string& category,
                     const std::string& mac, std::string frame = {}) {
    auto db = store::Database::open(data_dir_);
    EXPECT_TRUE(db.ok());
    evidence::Capture capture;
    capture.ts_us = ts;
    capture.client_ip = "10.20.0.31";
    capture.client_mac = mac;
    capture.category = category;
    capture.severity = severity;
    capture.phrase = "how to kill myself";
    capture.entry_kind = "phrase";
    capture.observation_kind = "http_url";
    capture.library_version = "test";
    capture.evidence = {"http://www.google.com/search?q=how+to+kill+myself&hl=en", "www.google.com",
                        "http://www.google.com/search?q=how+to+kill+myself&hl=en"};
    if (!frame.empty()) capture.evidence.packets.push_back({ts, 1, 1514, frame});
    auto public_key = store::KeyStore(**db).ensure_key_pair();
    EXPECT_TRUE(public_key.ok());
    capture.id = store::CaptureRepository(**db).last_id() + 1;
    evidence::seal_evidence(capture, *public_key);
    EXPECT_TRUE(store::CaptureRepository(**db).insert(capture).ok());
    return capture.id;
  }

  std::vector<std::int64_t> listed(const std::string& query) {
    const Response answer = call("GET", "/api/captures" + query);
    EXPECT_EQ(answer.status, 200) << query << ": " << answer.body;
    const auto page = json(answer);  // kept alive while iterating (a temporary's part dangles)
    std::vector<std::int64_t> ids;
    for (const auto& capture : page["captures"]) ids.push_back(capture["id"]);
    return ids;
  }
};

TEST_F(CapturesApiTest, FiltersCombineAndPageThroughTheCursor) {
  sign_in();
  const auto a = plant(kTime + 1, 5, "suicide", "3c:22:fb:10:00:1f");
  const auto b = plant(kTime + 2, 3, "bullying", "3c:22:fb:10:00:1f");
  const auto c = plant(kTime + 3, 5, "suicide", "3c:22:fb:10:00:20");
  const auto d = plant(kTime + 4, 2, "gambling", "3c:22:fb:10:00:20");

  EXPECT_EQ(listed(""), (std::vector<std::int64_t>{d, c, b, a}));
  EXPECT_EQ(listed("?severity=5"), (std::vector<std::int64_t>{c, a}));
  EXPECT_EQ(listed("?category=suicide&device=3C:22:FB:10:00:1F"), (std::vector<std::int64_t>{a}));
  EXPECT_EQ(listed("?device=10.20.0.31&severity=3"), (std::vector<std::int64_t>{b}));
  EXPECT_EQ(
      listed("?from_us=" + std::to_string(kTime + 2) + "&until_us=" + std::to_string(kTime + 4)),
      (std::vector<std::int64_t>{c, b}));
  EXPECT_EQ(listed("?status=new"), (std::vector<std::int64_t>{d, c, b, a}));
  // Empty values are "any", as a form sends them.
  EXPECT_EQ(listed("?severity=&category=&status="), (std::vector<std::int64_t>{d, c, b, a}));

  // Paging keeps the filter: the cursor continues the same filtered list.
  const auto first = json(call("GET", "/api/captures?severity=5&limit=1"));
  ASSERT_EQ(first["captures"].size(), 1U);
  EXPECT_EQ(first["captures"][0]["id"], c);
  EXPECT_EQ(first["captures"][0]["status"], "new");
  EXPECT_FALSE(first["captures"][0].contains("text"));  // the list never opens evidence
  ASSERT_TRUE(first["next"].is_string());
  const auto second = json(
      call("GET", "/api/captures?severity=5&limit=1&before=" + first["next"].get<std::string>()));
  ASSERT_EQ(second["captures"].size(), 1U);
  EXPECT_EQ(second["captures"][0]["id"], a);
  EXPECT_TRUE(second["next"].is_null());
  EXPECT_FALSE(first["categories"].empty());

  for (const char* bad :
       {"?severity=6", "?severity=high", "?category=nonsense", "?device=x'%20OR%201=1",
        "?from_us=yesterday", "?until_us=-5", "?status=closed"}) {
    const Response answer = call("GET", std::string("/api/captures") + bad);
    EXPECT_EQ(answer.status, 400) << bad;
    EXPECT_EQ(json(answer)["error"], "invalid_filter") << bad;
  }
  // Nothing was opened by listing: no evidence view was audited.
  EXPECT_TRUE(audit_details("evidence_view").empty());
}

TEST_F(CapturesApiTest, DetailOpensTheEvidenceOnlyAfterAuditingIt) {
  sign_in();
  const auto older = plant(kTime, 4, "self_harm", "3c:22:fb:10:00:1f");
  plant(kTime + 5, 2, "gambling", "3c:22:fb:10:00:99");  // another device
  const auto id = plant(kTime + 10, 5, "suicide", "3c:22:fb:10:00:1f");

  const Response answer = call("GET", "/api/captures/" + std::to_string(id));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto detail = json(answer);
  EXPECT_EQ(detail["host"], "www.google.com");
  EXPECT_EQ(detail["context"]["before"], "http://www.google.com/search?q=");
  EXPECT_EQ(detail["context"]["match"], "how+to+kill+myself");
  EXPECT_EQ(detail["context"]["after"], "&hl=en");
  EXPECT_EQ(detail["device"]["mac"], "3c:22:fb:10:00:1f");
  EXPECT_EQ(detail["review"]["status"], "new");
  EXPECT_EQ(detail["packets"], 0);
  ASSERT_EQ(detail["earlier"].size(), 1U);
  EXPECT_EQ(detail["earlier"][0]["id"], older);
  EXPECT_TRUE(detail["incidents"].empty());
  EXPECT_EQ(audit_details("evidence_view"),
            std::vector<std::string>{"a.patel capture " + std::to_string(id)});

  EXPECT_EQ(call("GET", "/api/captures/999").status, 404);
  EXPECT_EQ(call("GET", "/api/captures/abc").status, 404);
  EXPECT_EQ(call("GET", "/api/captures/-1").status, 404);

  // No audit entry, no view: with the audit log refusing writes, nothing is shown.
  {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE(
        (*db)->exec("CREATE TRIGGER refuse BEFORE INSERT ON audit_log "
                    "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;"));
  }
  const Response refused = call("GET", "/api/captures/" + std::to_string(id));
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.body.find("kill"), std::string::npos);
  {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE((*db)->exec("DROP TRIGGER refuse;"));
  }

  // A session without the key (as after a restart) is refused, and nothing is audited.
  SessionKeys::instance().clear();
  const Response keyless = call("GET", "/api/captures/" + std::to_string(id));
  EXPECT_EQ(keyless.status, 403);
  EXPECT_EQ(json(keyless)["error"], "no_evidence_key");
  EXPECT_EQ(audit_details("evidence_view").size(), 1U);
}

TEST_F(CapturesApiTest, PacketsDownloadAsAPcapAndTheDownloadIsAnAuditedExport) {
  sign_in();
  std::string frame(60, '\0');
  frame[12] = '\x08';  // EtherType IPv4
  const auto id = plant(kTime + 123'456, 5, "suicide", "3c:22:fb:10:00:1f", frame);
  const auto without = plant(kTime + 1'000'000, 5, "suicide", "3c:22:fb:10:00:1f");

  EXPECT_EQ(json(call("GET", "/api/captures/" + std::to_string(id)))["packets"], 1);
  const Response pcap = call("GET", "/api/captures/" + std::to_string(id) + "/pcap");
  ASSERT_EQ(pcap.status, 200) << pcap.body;
  EXPECT_EQ(pcap.content_type, "application/vnd.tcpdump.pcap");
  ASSERT_EQ(pcap.body.size(), 24U + 16U + 60U);
  EXPECT_EQ(pcap.body.substr(0, 4), std::string("\xd4\xc3\xb2\xa1", 4));
  EXPECT_EQ(pcap.body.substr(40), frame);
  bool attachment = false;
  for (const auto& [name, value] : pcap.headers) {
    attachment |= name == "Content-Disposition" &&
                  value == "attachment; filename=\"capture-" + std::to_string(id) + ".pcap\"";
  }
  EXPECT_TRUE(attachment);
  EXPECT_EQ(audit_details("evidence_export"),
            std::vector<std::string>{"a.patel capture " + std::to_string(id) + " packets (pcap)"});

  const Response none = call("GET", "/api/captures/" + std::to_string(without) + "/pcap");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(json(none)["error"], "no_packets");
}

TEST_F(CapturesApiTest, ReviewAndFalsePositiveWithAnExceptionForTheSchoolsLibrary) {
  sign_in();
  const auto id = plant(kTime, 5, "suicide", "3c:22:fb:10:00:1f");
  const auto other = plant(kTime + 1, 5, "suicide", "3c:22:fb:10:00:1f");
  const std::string path = "/api/captures/" + std::to_string(id) + "/review";

  const Response reviewed = call("POST", path, {{"status", "reviewed"}});
  ASSERT_EQ(reviewed.status, 200) << reviewed.body;
  EXPECT_EQ(json(reviewed)["review"]["status"], "reviewed");
  const auto first_time = json(reviewed)["review"]["first_reviewed"];
  EXPECT_TRUE(first_time.is_string());
  EXPECT_EQ(listed("?status=reviewed"), std::vector<std::int64_t>{id});
  EXPECT_EQ(listed("?status=new"), std::vector<std::int64_t>{other});

  const Response wrong = call("POST", path, {{"status", "false_positive"}});
  ASSERT_EQ(wrong.status, 200);
  EXPECT_EQ(json(wrong)["review"]["status"], "false_positive");
  EXPECT_EQ(json(wrong)["review"]["first_reviewed"], first_time);
  EXPECT_EQ(json(wrong)["review"]["reviewed_by"], "a.patel");
  EXPECT_EQ(listed("?status=false_positive"), std::vector<std::int64_t>{id});
  EXPECT_EQ(audit_details("capture_review"),
            (std::vector<std::string>{
                "a.patel capture " + std::to_string(id) + " marked reviewed",
                "a.patel capture " + std::to_string(id) + " marked false positive"}));

  // The page's one-click exception goes through the library's own route.
  const Response exception = call("POST", "/api/library/school",
                                  {{"category", "suicide"},
                                   {"pattern", "how to kill myself in minecraft"},
                                   {"kind", "exception"},
                                   {"severity", 1},
                                   {"language", "en"}});
  EXPECT_EQ(exception.status, 201) << exception.body;

  EXPECT_EQ(call("POST", path, {{"status", "new"}}).status, 400);
  EXPECT_EQ(call("POST", path, {{"state", "reviewed"}}).status, 400);
  EXPECT_EQ(call("POST", "/api/captures/999/review", {{"status", "reviewed"}}).status, 404);

  // An incident outranks the mark in the list and the detail.
  {
    auto db = store::Database::open(data_dir_);
    auto key = store::KeyStore(**db).ensure_key_pair();
    auto incident = store::IncidentRepository(**db).open("Concern", *key, "a.patel");
    ASSERT_TRUE(incident);
    const std::int64_t ids[] = {other};
    ASSERT_TRUE(store::IncidentRepository(**db).add_captures(*incident, ids, "a.patel"));
  }
  EXPECT_EQ(listed("?status=incident"), std::vector<std::int64_t>{other});
  EXPECT_TRUE(listed("?status=new").empty());
  const auto detail = json(call("GET", "/api/captures/" + std::to_string(other)));
  EXPECT_EQ(detail["status"], "incident");
  ASSERT_EQ(detail["incidents"].size(), 1U);
  EXPECT_EQ(detail["incidents"][0]["open"], true);
}

TEST_F(CapturesApiTest, ViewerAndTechnicianSeeNoCaptures) {
  sign_in();
  const auto id = plant(kTime, 5, "suicide", "3c:22:fb:10:00:1f", std::string(60, 'x'));
  for (const auto& [role, name] :
       {std::pair{store::Role::viewer, "viewer1"}, std::pair{store::Role::technician, "tech1"}}) {
    sign_in_as(role, name);
    for (const std::string& path :
         {std::string("/api/captures"), "/api/captures/" + std::to_string(id),
          "/api/captures/" + std::to_string(id) + "/pcap"}) {
      EXPECT_EQ(call("GET", path).status, 403) << name << " " << path;
    }
    EXPECT_EQ(
        call("POST", "/api/captures/" + std::to_string(id) + "/review", {{"status", "reviewed"}})
            .status,
        403);
  }
  sign_in_as(store::Role::dsl, "dsl1");
  EXPECT_EQ(listed(""), std::vector<std::int64_t>{id});
  EXPECT_TRUE(audit_details("evidence_view").empty());
  EXPECT_TRUE(audit_details("evidence_export").empty());
}

}  // namespace
}  // namespace hm::web
