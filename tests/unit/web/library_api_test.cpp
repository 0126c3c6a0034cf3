// The library API (firmware/src/web/api/library.cpp): the active library, the school's
// own words and "test a phrase", through the router as the browser calls them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../library/bundle_test_support.h"
#include "library/bundle_store.h"
#include "store/accounts.h"
#include "web/router.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

class LibraryApiTest : public testing::ApiTest {
 protected:
  Response upload(const std::vector<std::uint8_t>& bytes, std::string content_type,
                  std::string name = "update.hmlib") {
    Request request;
    request.method = "POST";
    request.path = std::string(kUploadPath);
    request.query["name"] = std::move(name);
    request.body.assign(bytes.begin(), bytes.end());
    request.content_type = std::move(content_type);
    request.cookie = cookie_;
    request.csrf_token = testing::csrf_of(cookie_);
    request.host = "127.0.0.1:8443";
    request.origin = "https://127.0.0.1:8443";
    return router_->handle(request);
  }

  nlohmann::json test_phrase(std::string_view text, std::string_view form = "auto") {
    const Response answer = call("POST", "/api/library/test", {{"text", text}, {"form", form}});
    EXPECT_EQ(answer.status, 200) << answer.body;
    return json(answer);
  }

  std::vector<std::string> audit_details() { return ApiTest::audit_details("library_change"); }
};

const nlohmann::json kSchoolPhrase = {{"category", "bullying"}, {"pattern", "bogbrush gang"},
                                      {"kind", "phrase"},       {"severity", 3},
                                      {"language", "en"},       {"note", "Year 8, autumn term"}};

TEST_F(LibraryApiTest, NeedsASession) {
  EXPECT_EQ(call("GET", "/api/library").status, 401);
  EXPECT_EQ(call("POST", "/api/library/school", kSchoolPhrase).status, 401);
  EXPECT_EQ(call("DELETE", "/api/library/school", kSchoolPhrase).status, 401);
  EXPECT_EQ(call("POST", "/api/library/test", {{"text", "x"}}).status, 401);
  EXPECT_EQ(call("POST", "/api/library/bundle", {{"x", 1}}).status, 401);
}

// "Upload a bundle" on the Library page: the checks of `library import`, the new
// version active (the daemon's watcher swaps it in), every outcome audited.
TEST_F(LibraryApiTest, UploadsASignedBundleAndRefusesABadOne) {
  const auto publisher = crypto::generate_signing_key();
  const auto stranger = crypto::generate_signing_key();
  std::filesystem::create_directories(library::trusted_keys_dir(data_dir_));
  library::testing::write_file(library::trusted_keys_dir(data_dir_) / "publisher.pub",
                               std::string_view(publisher.public_pem));
  const auto good = library::testing::make_bundle(publisher, 3, library::testing::good_sources());

  EXPECT_EQ(upload(good, "application/octet-stream").status, 401);
  sign_in();
  EXPECT_EQ(upload(good, "text/plain").status, 415);  // what a cross-site form can send
  EXPECT_EQ(upload({}, "application/octet-stream").status, 400);

  const Response accepted = upload(good, "application/octet-stream", "C:\\fakepath\\v3.hmlib");
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(json(accepted)["version"], 3);
  EXPECT_EQ(json(accepted)["previous"], 0);
  EXPECT_EQ(json(call("GET", "/api/library"))["active"]["version"], 3);

  const Response foreign =
      upload(library::testing::make_bundle(stranger, 4, library::testing::good_sources()),
             "application/octet-stream");
  EXPECT_EQ(foreign.status, 422);
  EXPECT_NE(json(foreign)["message"].get<std::string>().find("unknown publisher"),
            std::string::npos)
      << foreign.body;
  const Response again = upload(good, "application/octet-stream");
  EXPECT_EQ(again.status, 422);
  EXPECT_NE(json(again)["message"].get<std::string>().find("edition 3 is already in use"),
            std::string::npos)
      << again.body;
  EXPECT_EQ(json(call("GET", "/api/library"))["active"]["version"], 3);

  const auto audited = audit_details();
  ASSERT_EQ(audited.size(), 3U);
  EXPECT_NE(audited[0].find("a.patel library bundle version 3 from Test Publisher"),
            std::string::npos)
      << audited[0];
  EXPECT_NE(audited[1].find("rejected (unknown publisher)"), std::string::npos) << audited[1];
  EXPECT_NE(audited[2].find("rejected (not newer)"), std::string::npos) << audited[2];
  const auto history = library::read_history(data_dir_);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3U);
  EXPECT_EQ(history->front().detail, "v3.hmlib");  // the browser's name, no path
}

// The connection asks this before reading a body larger than kMaxBodyBytes.
TEST_F(LibraryApiTest, OnlyASessionMaySendALargeBody) {
  Request header;
  header.method = "POST";
  header.path = std::string(kUploadPath);
  EXPECT_EQ(router_->body_limit_for(header), kMaxBodyBytes);
  sign_in();
  header.cookie = cookie_;
  EXPECT_EQ(router_->body_limit_for(header), kMaxUploadBytes);
  header.path = "/api/people/import/preview";
  EXPECT_EQ(router_->body_limit_for(header), kMaxImportBytes);
  header.path = "/api/library/test";
  EXPECT_EQ(router_->body_limit_for(header), kMaxBodyBytes);
  header.method = "GET";
  header.path = std::string(kUploadPath);
  EXPECT_EQ(router_->body_limit_for(header), kMaxBodyBytes) << "no such route";
  header.method = "POST";
  header.cookie = "hm_session=not-a-session";
  EXPECT_EQ(router_->body_limit_for(header), kMaxBodyBytes);
}

TEST_F(LibraryApiTest, OverviewShowsTheStarterLibraryWhenNoBundleIsActive) {
  sign_in();
  const Response answer = call("GET", "/api/library");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto body = json(answer);
  EXPECT_EQ(body["active"]["source"], "starter");
  EXPECT_TRUE(body["active"]["version"].is_null());
  EXPECT_GT(body["active"]["entries"].get<int>(), 100);
  EXPECT_FALSE(body["active"]["categories"].empty());
  EXPECT_TRUE(body["history"].empty());
  EXPECT_TRUE(body["school"]["entries"].empty());
  EXPECT_TRUE(body["can_edit"].get<bool>());
  bool bullying = false;
  for (const auto& category : body["categories"]) bullying |= category["id"] == "bullying";
  EXPECT_TRUE(bullying);
}

TEST_F(LibraryApiTest, TestAPhraseShowsTheNormalisedTextAndHits) {
  sign_in();
  const auto result = test_phrase("How+to+KILL+myself", "url");
  EXPECT_EQ(result["form"], "url");
  EXPECT_EQ(result["normalised"], "how to kil myself");
  ASSERT_FALSE(result["hits"].empty());
  bool found = false;
  for (const auto& hit : result["hits"]) {
    if (hit["pattern"] == "how to kill myself") {
      found = true;
      EXPECT_EQ(hit["category"], "suicide");
      EXPECT_EQ(hit["severity"], 5);
      EXPECT_EQ(hit["kind"], "phrase");
      EXPECT_TRUE(hit["source"].get<std::string>().starts_with("suicide.hml:"));
      EXPECT_FALSE(hit["school"].get<bool>());
    }
  }
  EXPECT_TRUE(found) << result.dump();

  const auto suppressed = test_phrase("homo sapiens", "text");
  EXPECT_TRUE(suppressed["hits"].empty()) << suppressed.dump();
  ASSERT_EQ(suppressed["suppressed"].size(), 1U) << suppressed.dump();
  EXPECT_EQ(suppressed["suppressed"][0]["pattern"], "homo");
  EXPECT_EQ(suppressed["suppressed"][0]["exception"]["pattern"], "homo sapiens");

  EXPECT_EQ(test_phrase("www.bet365.com")["form"], "host");
  EXPECT_EQ(call("POST", "/api/library/test", {{"text", "x"}, {"form", "pdf"}}).status, 400);
  EXPECT_EQ(call("POST", "/api/library/test", {{"text", std::string(5000, 'a')}}).status, 400);
}

TEST_F(LibraryApiTest, SchoolWordHitsUntilItsExceptionAndBothAreRemovedWithAnAudit) {
  sign_in();
  EXPECT_TRUE(test_phrase("the bogbrush gang is back")["hits"].empty());

  const Response added = call("POST", "/api/library/school", kSchoolPhrase);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(json(added)["entry"]["source"], "school/bullying.hml:9");
  const auto overview = json(call("GET", "/api/library"));
  ASSERT_EQ(overview["school"]["entries"].size(), 1U);
  EXPECT_EQ(overview["school"]["entries"][0]["note"], "Year 8, autumn term");

  auto hits = test_phrase("the bogbrush gang is back")["hits"];
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0]["pattern"], "bogbrush gang");
  EXPECT_TRUE(hits[0]["school"].get<bool>());

  const Response again = call("POST", "/api/library/school", kSchoolPhrase);
  EXPECT_EQ(again.status, 400);
  EXPECT_NE(json(again)["message"].get<std::string>().find("already"), std::string::npos);
  const Response in_bundle = call("POST", "/api/library/school",
                                  {{"category", "bullying"},
                                   {"pattern", "How to kill MYSELF"},
                                   {"kind", "phrase"},
                                   {"severity", 5},
                                   {"language", "en"}});
  EXPECT_EQ(in_bundle.status, 400);
  EXPECT_NE(json(in_bundle)["message"].get<std::string>().find("already in the library"),
            std::string::npos)
      << in_bundle.body;
  nlohmann::json bad = kSchoolPhrase;
  bad["severity"] = 9;
  EXPECT_EQ(call("POST", "/api/library/school", bad).status, 400);
  bad["severity"] = 3;
  bad["language"] = "english please";
  EXPECT_EQ(call("POST", "/api/library/school", bad).status, 400);

  const Response exception = call("POST", "/api/library/school",
                                  {{"category", "bullying"},
                                   {"pattern", "bogbrush gang fan club"},
                                   {"kind", "exception"},
                                   {"severity", 1},
                                   {"language", "en"}});
  ASSERT_EQ(exception.status, 201) << exception.body;
  const auto hidden = test_phrase("the bogbrush gang fan club");
  EXPECT_TRUE(hidden["hits"].empty()) << hidden.dump();
  ASSERT_EQ(hidden["suppressed"].size(), 1U);
  EXPECT_EQ(hidden["suppressed"][0]["pattern"], "bogbrush gang");
  EXPECT_EQ(hidden["suppressed"][0]["exception"]["pattern"], "bogbrush gang fan club");

  EXPECT_EQ(call("DELETE", "/api/library/school",
                 {{"category", "bullying"}, {"pattern", "bogbrush gang fan club"}})
                .status,
            200);
  EXPECT_EQ(call("DELETE", "/api/library/school",
                 {{"category", "bullying"}, {"pattern", "bogbrush gang"}})
                .status,
            200);
  EXPECT_EQ(call("DELETE", "/api/library/school",
                 {{"category", "bullying"}, {"pattern", "bogbrush gang"}})
                .status,
            404);
  EXPECT_TRUE(json(call("GET", "/api/library"))["school"]["entries"].empty());
  EXPECT_TRUE(test_phrase("the bogbrush gang is back")["hits"].empty());

  const std::vector<std::string> expected = {
      "a.patel school entry added to bullying: \"bogbrush gang\" (phrase, severity 3, en)",
      "a.patel school entry added to bullying: \"bogbrush gang fan club\" (exception, severity 1, "
      "en)",
      "a.patel school entry removed from bullying: \"bogbrush gang fan club\"",
      "a.patel school entry removed from bullying: \"bogbrush gang\""};
  EXPECT_EQ(audit_details(), expected);
}

}  // namespace
}  // namespace hm::web
