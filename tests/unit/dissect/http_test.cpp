#include "dissect/http.h"

#include <gtest/gtest.h>

#include "dissect/inspector.h"
#include "frame_builder.h"

namespace hm::dissect {
namespace {

using test::Bytes;

std::vector<HttpRequestHead> parse_all(const std::vector<std::string>& chunks) {
  HttpRequestStream stream;
  std::vector<HttpRequestHead> heads;
  for (const auto& chunk : chunks) {
    stream.feed(test::bytes_of(chunk),
                [&heads](const HttpRequestHead& head) { heads.push_back(head); });
  }
  return heads;
}

TEST(HttpTest, TwoPipelinedRequestsInOneSegment) {
  const auto heads =
      parse_all({"GET /a?q=1 HTTP/1.1\r\nHost: one.example\r\n\r\n"
                 "POST /b HTTP/1.1\r\nHost: two.example\r\nContent-Length: 5\r\n\r\nhello"
                 "GET /c HTTP/1.1\r\nHost: three.example\r\n\r\n"});
  ASSERT_EQ(heads.size(), 3u);
  EXPECT_EQ(heads[0].target, "/a?q=1");
  EXPECT_EQ(heads[0].host, "one.example");
  EXPECT_EQ(heads[1].method, "POST");
  EXPECT_EQ(heads[1].host, "two.example");
  EXPECT_EQ(heads[2].host, "three.example");
}

TEST(HttpTest, HeadSplitAcrossChunksAndChunkedBody) {
  const auto heads = parse_all(
      {"GET /first HTTP/1.1\r\nHo", "st: split.example\r\n", "\r\n",
       "POST /up HTTP/1.1\r\nHost: x.example\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
       "lo\r\n0\r\n\r\n", "\r\nGET /next HTTP/1.1\r\nHost: y.example\r\n\r\n"});
  ASSERT_EQ(heads.size(), 3u);
  EXPECT_EQ(heads[0].host, "split.example");
  EXPECT_EQ(heads[2].target, "/next");
}

TEST(HttpTest, AbsoluteUrl) {
  EXPECT_EQ(absolute_url({"GET", "/p?q", "h.example"}, "10.0.0.2"), "http://h.example/p?q");
  EXPECT_EQ(absolute_url({"GET", "/", ""}, "10.0.0.2"), "http://10.0.0.2/");
  EXPECT_EQ(absolute_url({"GET", "http://proxy.example/x", "proxy.example"}, "10.0.0.2"),
            "http://proxy.example/x");
  EXPECT_EQ(absolute_url({"CONNECT", "h.example:443", "h.example:443"}, "10.0.0.2"), std::nullopt);
  EXPECT_EQ(absolute_url({"OPTIONS", "*", "h.example"}, "10.0.0.2"), std::nullopt);
}

TEST(HttpTest, GarbageFailsTheStream) {
  HttpRequestStream stream;
  EXPECT_EQ(
      stream.feed(test::bytes_of("GET / HTTP/1.1\r\nHost\r\n\r\n"), [](const HttpRequestHead&) {}),
      HttpRequestStream::State::failed);
}

TEST(HttpTest, RequestStartIsRecognised) {
  EXPECT_EQ(looks_like_http_request(test::bytes_of("GET / HTTP/1.1")), true);
  EXPECT_EQ(looks_like_http_request(test::bytes_of("M-SEARCH * HTTP/1.1")), true);
  EXPECT_EQ(looks_like_http_request(test::bytes_of("HTTP/1.1 200 OK")), false);
  EXPECT_EQ(looks_like_http_request(test::bytes_of("GE")), std::nullopt);
  EXPECT_EQ(looks_like_http_request(test::bytes_of("FOO / HTTP/1.1")), false);
}

TEST(HttpTest, InspectorEmitsHostAndUrlForPipelinedRequests) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 80};
  Inspector inspector;
  std::vector<Observation> seen;
  const ObservationSink sink = [&seen](const Observation& o) { seen.push_back(o); };
  inspector.inspect(test::view(test::tcp_frame(client, server, 1, test::kSyn)), sink);
  inspector.inspect(test::view(test::tcp_frame(
                        client, server, 2, test::kAck,
                        test::bytes_of("GET /one HTTP/1.1\r\nHost: a.example\r\n\r\n"
                                       "GET /two?x=1 HTTP/1.1\r\nHost: a.example\r\n\r\n"))),
                    sink);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].kind, ObservationKind::http_host);
  EXPECT_EQ(seen[0].text, "a.example");
  EXPECT_EQ(seen[1].kind, ObservationKind::http_url);
  EXPECT_EQ(seen[1].text, "http://a.example/one");
  EXPECT_EQ(seen[1].host, "a.example");
  EXPECT_EQ(seen[3].text, "http://a.example/two?x=1");
}

}  // namespace
}  // namespace hm::dissect
