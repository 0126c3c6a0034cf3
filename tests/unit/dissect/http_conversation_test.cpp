#include <zlib.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dissect/http.h"
#include "frame_builder.h"

namespace hm::dissect {
namespace {

using Side = HttpConversation::Side;

std::string gzip(std::string_view text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string chunked(std::string_view body, std::size_t chunk) {
  std::string out;
  char size[16];
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const auto piece = body.substr(at, chunk);
    std::snprintf(size, sizeof size, "%zx", piece.size());
    out += std::string(size) + "\r\n" + std::string(piece) + "\r\n";
  }
  return out + "0\r\n\r\n";
}

struct Seen {
  std::string host;
  Side sender;
  HttpBodyText body;
};

struct Conversation {
  HttpBodySettings settings;
  HttpConversation conversation{settings, 64 * 1024};
  std::vector<HttpRequestHead> requests;
  std::vector<Seen> bodies;
  HttpConversation::Events events{
      [this](const HttpRequestHead& head) { requests.push_back(head); },
      [this](const HttpRequestHead& request, Side sender, HttpBodyText body) {
        bodies.push_back({request.host, sender, std::move(body)});
      }};

  // Delivers `bytes` in pieces of `piece`, as segments would.
  HttpConversation::State send(Side sender, std::string_view bytes, std::size_t piece = 1000) {
    HttpConversation::State state = HttpConversation::State::parsing;
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
      state = conversation.feed(sender, test::bytes_of(bytes.substr(at, piece)), events);
    }
    return state;
  }
};

TEST(HttpConversationTest, PipelinedRequestsAnsweredInOrderWithChunkedGzip) {
  Conversation c;
  c.send(Side::client,
         "GET /one HTTP/1.1\r\nHost: one.example\r\n\r\n"
         "HEAD /two HTTP/1.1\r\nHost: two.example\r\n\r\n"
         "GET /three HTTP/1.1\r\nHost: three.example\r\n\r\n");
  const std::string page = "<html><body><h1>Welcome</h1><p>to the school &amp; nursery</p>";
  const std::string zipped = gzip(page);
  c.send(Side::server,
         "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 11\r\n\r\nhello world"
         "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n"
         "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
         "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" +
             chunked(zipped, 10),
         13);
  ASSERT_EQ(c.requests.size(), 3u);
  ASSERT_EQ(c.bodies.size(), 2u);  // the HEAD response has no body despite its length
  EXPECT_EQ(c.bodies[0].host, "one.example");
  EXPECT_EQ(c.bodies[0].body.text, "hello world");
  EXPECT_EQ(c.bodies[0].sender, Side::server);
  EXPECT_EQ(c.bodies[1].host, "three.example");
  EXPECT_EQ(c.bodies[1].body.text, "Welcome to the school & nursery");
  EXPECT_EQ(c.bodies[1].body.format, BodyFormat::html);
}

TEST(HttpConversationTest, FormPostAfterInterimContinue) {
  Conversation c;
  c.send(Side::client,
         "POST /comment HTTP/1.1\r\nHost: blog.example\r\nExpect: 100-continue\r\n"
         "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 28\r\n\r\n"
         "text=nobody+likes+you&id=%37",
         5);
  c.send(Side::server,
         "HTTP/1.1 100 Continue\r\n\r\n"
         "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
         "{\"ok\":true}");
  ASSERT_EQ(c.bodies.size(), 2u);
  EXPECT_EQ(c.bodies[0].sender, Side::client);
  EXPECT_EQ(c.bodies[0].body.text, "text=nobody likes you\nid=7");
  EXPECT_EQ(c.bodies[0].host, "blog.example");
  EXPECT_EQ(c.bodies[1].host, "blog.example");  // the 100 did not use up the request
  EXPECT_EQ(c.bodies[1].body.text, "{\"ok\":true}");
}

TEST(HttpConversationTest, BodyDelimitedByCloseEndsAtFinish) {
  Conversation c;
  c.send(Side::client, "GET / HTTP/1.0\r\nHost: old.example\r\n\r\n");
  c.send(Side::server, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
  EXPECT_TRUE(c.bodies.empty());
  c.conversation.finish(c.events);
  ASSERT_EQ(c.bodies.size(), 1u);
  EXPECT_EQ(c.bodies[0].body.text, "until the end");
  EXPECT_EQ(c.bodies[0].host, "old.example");
}

TEST(HttpConversationTest, GapMidBodyGivesWhatCameAndResynchronises) {
  Conversation c;
  c.send(Side::client, "GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n");
  c.send(Side::server,
         "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nfirst half");
  c.conversation.restart(Side::server, c.events);
  ASSERT_EQ(c.bodies.size(), 1u);
  EXPECT_EQ(c.bodies[0].body.text, "first half");
  c.send(Side::client, "GET /b HTTP/1.1\r\nHost: b.example\r\n\r\n");
  c.send(Side::server,
         "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nnext");
  ASSERT_EQ(c.bodies.size(), 2u);
  EXPECT_EQ(c.bodies[1].host, "b.example");
  EXPECT_EQ(c.bodies[1].body.text, "next");
}

TEST(HttpConversationTest, ImagesAreNotKeptAndGarbageFailsOneSide) {
  Conversation c;
  c.send(Side::client, "GET /cat.jpg HTTP/1.1\r\nHost: img.example\r\n\r\n");
  c.send(
      Side::server,
      "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 4\r\n\r\n\xFF\xD8\xFF\xE0");
  EXPECT_TRUE(c.bodies.empty());
  EXPECT_EQ(c.send(Side::server, "HTTP/1.1 200 OK\r\nBroken header\r\n\r\n"),
            HttpConversation::State::failed);
  EXPECT_EQ(c.conversation.state(Side::client), HttpConversation::State::parsing);
}

TEST(HttpConversationTest, UnansweredRequestsAreBounded) {
  Conversation c;
  std::string many;
  for (std::size_t i = 0; i < HttpConversation::kMaxPendingRequests + 3; ++i) {
    many += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: h.example\r\n\r\n";
  }
  c.send(Side::client, many);
  EXPECT_EQ(c.conversation.requests_forgotten(), 3u);
}

TEST(HttpConversationTest, ResponseRecognisedByItsStatusLine) {
  EXPECT_EQ(looks_like_http_response(test::bytes_of("HTTP/1.1 200 OK")), true);
  EXPECT_EQ(looks_like_http_response(test::bytes_of("HTTP/")), std::nullopt);
  EXPECT_EQ(looks_like_http_response(test::bytes_of("HTTP/2 ")), false);
  EXPECT_EQ(looks_like_http_response(test::bytes_of("\x16\x03\x01")), false);
}

}  // namespace
}  // namespace hm::dissect
