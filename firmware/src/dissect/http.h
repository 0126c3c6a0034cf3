#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

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

}  // namespace hm::dissect
