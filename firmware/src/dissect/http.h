#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "dissect/http_body.h"

namespace hm::dissect {

// One HTTP/1.x request's head, as far as observations need it.
struct HttpRequestHead {
  std::string method;
  std::string target;  // request-target as sent (origin, absolute, authority or '*' form)
  std::string host;    // Host header; empty when absent (HTTP/1.0)
};

// The absolute URL of a request (RFC 9112 §3.3): the target itself when it is already
// absolute, else http:// + host + target. `fallback_host` (the server's address) is
// used when there is no Host header. std::nullopt for CONNECT and '*' targets.
std::optional<std::string> absolute_url(const HttpRequestHead& head,
                                        const std::string& fallback_host);

// True if `start` could begin an HTTP/1.x request (a known method and a space); nullopt
// when more bytes are needed to tell.
std::optional<bool> looks_like_http_request(std::span<const std::uint8_t> start);

struct HttpStreamSettings {
  std::size_t max_header_bytes = 64 * 1024;  // request line + headers; cookies can be long
};

// The client's side of an HTTP/1.x connection, parsed with Boost.Beast's
// http::request_parser: keep-alive and pipelined requests each give one head; bodies
// are skipped (counted, not kept) whatever their length or encoding. The stream keeps
// at most one unparsed head of bytes (`max_header_bytes`).
class HttpRequestStream {
 public:
  using OnRequest = std::function<void(const HttpRequestHead&)>;
  enum class State { parsing, failed };

  explicit HttpRequestStream(HttpStreamSettings settings = {});
  ~HttpRequestStream();
  HttpRequestStream(const HttpRequestStream&) = delete;
  HttpRequestStream& operator=(const HttpRequestStream&) = delete;

  // Parses what it can; calls `on_request` for each request head completed.
  State feed(std::span<const std::uint8_t> bytes, const OnRequest& on_request);
  // Bytes were lost: drop the request in progress and wait for one to start again.
  void restart();
  State state() const;
  std::uint64_t requests() const;

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

// True if `start` could begin an HTTP/1.x response ("HTTP/1."); nullopt when more bytes
// are needed to tell.
std::optional<bool> looks_like_http_response(std::span<const std::uint8_t> start);

// Both sides of one HTTP/1.x connection, for bodies: requests and responses each parsed
// with Beast (keep-alive, pipelining, chunked), bodies decoded (gzip, deflate) and
// turned into text by BodyDecoder. Responses are paired with requests in order (RFC
// 9112 §9.3.2), which also tells a HEAD response has no body.
class HttpConversation {
 public:
  enum class Side : std::uint8_t { client, server };
  struct Events {
    std::function<void(const HttpRequestHead&)> on_request;
    // `request` is the request the body belongs to or answers (empty fields when the
    // connection was joined mid-stream).
    std::function<void(const HttpRequestHead& request, Side sender, HttpBodyText body)> on_body;
  };
  enum class State { parsing, failed };

  HttpConversation(const HttpBodySettings& bodies, std::size_t max_header_bytes);
  ~HttpConversation();
  HttpConversation(const HttpConversation&) = delete;
  HttpConversation& operator=(const HttpConversation&) = delete;

  // Bytes `sender` sent, in order.
  State feed(Side sender, std::span<const std::uint8_t> bytes, const Events& events);
  // Bytes of `sender` were lost: the body in progress ends here (its text so far is
  // given); parsing starts again with the next message.
  void restart(Side sender, const Events& events);
  // The connection ended: a body delimited by the close (RFC 9112 §6.3 item 8) ends here.
  void finish(const Events& events);
  State state(Side sender) const;
  // Requests not yet answered beyond kMaxPendingRequests are forgotten (counted).
  std::uint64_t requests_forgotten() const;

  static constexpr std::size_t kMaxPendingRequests = 64;

 private:
  struct Parsers;
  std::unique_ptr<Parsers> parsers_;
};

}  // namespace hm::dissect
