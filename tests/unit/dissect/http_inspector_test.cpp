// HTTP bodies and search terms through the whole Inspector: hand-made segments and the
// shared captures (../shared/testdata/pcaps, facts from tshark in its README).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "capture/pcap_file_source.h"
#include "dissect/inspector.h"
#include "frame_builder.h"

namespace hm::dissect {
namespace {

using test::Bytes;

std::vector<Observation> of_kind(const std::vector<Observation>& all, ObservationKind kind) {
  std::vector<Observation> out;
  for (const auto& o : all) {
    if (o.kind == kind) out.push_back(o);
  }
  return out;
}

struct PcapRun {
  std::vector<Observation> seen;
  InspectorCounters counters;
};

PcapRun inspect_pcap(const std::string& name) {
  PcapRun run;
  auto source = capture::PcapFileSource::open(std::string(HM_TESTDATA_DIR) + "/pcaps/" + name);
  EXPECT_TRUE(source) << name;
  if (!source) return run;
  Inspector inspector;
  const ObservationSink sink = [&run](const Observation& o) { run.seen.push_back(o); };
  while (true) {
    auto packet = (*source)->next();
    if (!packet || !packet->has_value()) break;
    inspector.inspect(capture::view_of(**packet), sink);
  }
  inspector.finish(sink);
  run.counters = inspector.counters();
  return run;
}

TEST(HttpInspectorTest, RequestAndResponseBodiesNameTheClient) {
  const test::Endpoint client{7, 1, 40000}, server{9, 2, 80};
  const std::string request =
      "POST /send HTTP/1.1\r\nHost: chat.example\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: 23\r\n\r\nmsg=see+you+at+the+park";
  const std::string response =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 27\r\n\r\n"
      "<p>Message &quot;sent&quot;";
  Inspector inspector;
  std::vector<Observation> seen;
  const ObservationSink sink = [&seen](const Observation& o) { seen.push_back(o); };
  inspector.inspect(test::view(test::tcp_frame(client, server, 100, test::kSyn)), sink);
  inspector.inspect(test::view(test::tcp_frame(server, client, 500, test::kSyn | test::kAck)),
                    sink);
  // The request arrives in two segments, the second before the first.
  const Bytes first = test::bytes_of(request.substr(0, 30));
  const Bytes second = test::bytes_of(request.substr(30));
  inspector.inspect(test::view(test::tcp_frame(client, server, 131, test::kAck, second)), sink);
  inspector.inspect(test::view(test::tcp_frame(client, server, 101, test::kAck, first)), sink);
  inspector.inspect(
      test::view(test::tcp_frame(server, client, 501, test::kAck, test::bytes_of(response))), sink);
  const auto bodies = of_kind(seen, ObservationKind::http_body);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0].text, "msg=see you at the park");
  EXPECT_EQ(bodies[1].text, "Message \"sent\"");
  for (const auto& body : bodies) {
    EXPECT_EQ(body.host, "chat.example");
    EXPECT_EQ(body.src_port, 40000);
    EXPECT_EQ(body.dst_port, 80);
    ASSERT_TRUE(body.client_mac.has_value());
    EXPECT_EQ(body.client_mac->bytes[5], 7);  // the client's, even for the response
  }
  EXPECT_EQ(inspector.counters().http_bodies, 2u);
}

TEST(HttpInspectorTest, SearchFromAHandMadeRequest) {
  const test::Endpoint client{7, 1, 40001}, server{9, 2, 80};
  Inspector inspector;
  std::vector<Observation> seen;
  inspector.inspect(test::view(test::tcp_frame(
                        client, server, 1, test::kAck,
                        test::bytes_of("GET /results?search_query=how+to+draw+a+cat%21 HTTP/1.1\r\n"
                                       "Host: www.youtube.com\r\n\r\n"))),
                    [&seen](const Observation& o) { seen.push_back(o); });
  const auto searches = of_kind(seen, ObservationKind::http_search);
  ASSERT_EQ(searches.size(), 1u);
  EXPECT_EQ(searches[0].text, "how to draw a cat!");
  EXPECT_EQ(searches[0].host, "www.youtube.com");
}

TEST(HttpInspectorTest, GoogleSuggestCapture) {
  const auto run = inspect_pcap("http-google-suggest-search-query.pcap");
  const auto searches = of_kind(run.seen, ObservationKind::http_search);
  ASSERT_EQ(searches.size(), 1u);
  EXPECT_EQ(searches[0].text, "cr");
  EXPECT_EQ(searches[0].host, "clients1.google.ca");
}

TEST(HttpInspectorTest, TrackingPixelCarryingAUrlIsNoSearch) {
  // 14 requests to tag.crsspxl.com whose parameters carry salary.com URLs and titles.
  const auto run = inspect_pcap("http-search-params-salary-tcp-reassembly.pcap");
  EXPECT_EQ(of_kind(run.seen, ObservationKind::http_url).size(), 14u);
  EXPECT_TRUE(of_kind(run.seen, ObservationKind::http_search).empty());
  for (const auto& body : of_kind(run.seen, ObservationKind::http_body)) {
    EXPECT_EQ(body.text.find("<script"), std::string::npos);  // scripts are not text
  }
}

TEST(HttpInspectorTest, GzipJsonResponse) {
  const auto run = inspect_pcap("http-get-gzip-httpbin.pcap");
  const auto bodies = of_kind(run.seen, ObservationKind::http_body);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0].host, "httpbin.org");
  EXPECT_NE(bodies[0].text.find("\"gzipped\": true"), std::string::npos);
  EXPECT_EQ(bodies[0].src_ip.to_string(), "141.142.228.5");
  EXPECT_EQ(run.counters.http_body_undecodable, 0u);
}

TEST(HttpInspectorTest, ChunkedGzipHtmlBecomesText) {
  const auto run = inspect_pcap("http-msn-gzip-chunked.pcap");
  const auto bodies = of_kind(run.seen, ObservationKind::http_body);
  ASSERT_GE(bodies.size(), 2u);
  EXPECT_EQ(bodies[0].host, "ca.msn.com");
  EXPECT_NE(bodies[0].text.find("MSN Canada"), std::string::npos);
  EXPECT_EQ(bodies[0].text.find("<div"), std::string::npos);
  bool horoscope = false;
  for (const auto& body : bodies) horoscope |= body.text.find("Horoscope") != std::string::npos;
  EXPECT_TRUE(horoscope);
  EXPECT_EQ(run.counters.http_body_undecodable, 0u);
}

TEST(HttpInspectorTest, FormPostBody) {
  const auto run = inspect_pcap("http-post-body-httpbin.pcap");
  const auto bodies = of_kind(run.seen, ObservationKind::http_body);
  ASSERT_EQ(bodies.size(), 2u);  // the form posted, and httpbin's JSON echo
  EXPECT_EQ(bodies[0].text, "hello world");
  EXPECT_EQ(bodies[0].host, "httpbin.org");
  EXPECT_NE(bodies[1].text.find("\"url\": \"http://httpbin.org/post\""), std::string::npos);
}

TEST(HttpInspectorTest, MixedCapturesGiveBodiesWithoutMarkup) {
  for (const char* name :
       {"mixed-windows-browsing_dns-tls-http-gzip-chunked.pcap",
        "mixed-lan-1kxun_dns-dhcp-http-gzip-chunked-ipv6.pcap",
        "mixed-browsing-win-ie_dns-tls-http-retrans-ooo.pcap", "ipv6-four-http-streams.pcap"}) {
    const auto run = inspect_pcap(name);
    const auto bodies = of_kind(run.seen, ObservationKind::http_body);
    EXPECT_FALSE(bodies.empty()) << name;
    for (const auto& body : bodies) {
      EXPECT_LE(body.text.size(), HttpBodySettings{}.max_text_bytes) << name;
      EXPECT_EQ(body.text.find("<script"), std::string::npos) << name;
    }
  }
}

}  // namespace
}  // namespace hm::dissect
