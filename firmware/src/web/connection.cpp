#include "web/connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <optional>

namespace hm::web {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;

std::string_view view(beast::string_view text) { return {text.data(), text.size()}; }
beast::string_view view(std::string_view text) { return {text.data(), text.size()}; }

Request to_request(const BeastRequest& in) {
  Request out;
  out.method = std::string(in.method_string());
  if (auto target = parse_target(view(in.target()))) {
    out.path = std::move(target->first);
    out.query = std::move(target->second);
  }
  out.body = in.body();
  out.content_type = std::string(in[http::field::content_type]);
  out.cookie = std::string(in[http::field::cookie]);
  out.origin = std::string(in[http::field::origin]);
  out.host = std::string(in[http::field::host]);
  out.csrf_token = std::string(in["X-CSRF-Token"]);
  return out;
}

BeastResponse to_beast(const Response& in, unsigned version, bool keep_alive, bool head) {
  BeastResponse out{static_cast<http::status>(in.status), version};
  out.set(http::field::server, "hallmonitor");
  out.set(http::field::content_type, in.content_type);
  out.set(http::field::cache_control, in.cache_control);
  for (const auto& [name, value] : security_headers()) out.set(view(name), view(value));
  for (const auto& [name, value] : in.headers) out.insert(name, value);
  out.keep_alive(keep_alive);
  out.body() = in.body;
  out.prepare_payload();
  if (head) out.body().clear();  // Content-Length stays that of the GET
  return out;
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::ip::tcp::socket socket, net::ssl::context& tls, Router& router)
      : stream_(std::move(socket), tls), router_(router) {}

  void start() {
    // Run on the connection's strand from the first step on.
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->handshake(); });
  }

 private:
  void handshake() {
    beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
    stream_.async_handshake(net::ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) {
                              if (!ec) self->read();
                            });
  }

  void read() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    // The largest body any route takes, checked by Beast against Content-Length as the
    // header ends; read_body() narrows it once the target is known.
    parser_->body_limit(kMaxUploadBytes);
    limit_ = kMaxUploadBytes;
    beast::get_lowest_layer(stream_).expires_after(kReadTimeout);
    // The header first: its target decides how large a body may be.
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) {
                                self->on_read(ec);
                              } else {
                                self->read_body();
                              }
                            });
  }

  void read_body() {
    // The body is not read yet: to_request() sees the path and the session cookie.
    const std::size_t limit = router_.body_limit_for(to_request(parser_->get()));
    // Beast checks a Content-Length against the limit only while parsing the header,
    // and a chunked body against what is left of it: both are covered here.
    limit_ = limit;
    if (const auto length = parser_->content_length(); length && *length > limit) {
      on_read(http::error::body_limit);
      return;
    }
    parser_->body_limit(limit);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      reply(Response::problem(413, "too_large",
                              "That is too large to send here: at most " +
                                  std::to_string(limit_ / 1024) + " KB."),
            false);
      return;
    }
    if (ec == http::error::header_limit) {
      reply(Response::problem(431, "headers_too_large", "The request headers are too large."),
            false);
      return;
    }
    if (ec == http::error::end_of_stream || ec == net::ssl::error::stream_truncated) {
      close();
      return;
    }
    if (ec) {
      // A malformed request gets a 400; a browser that stayed silent is closed; a
      // connection that broke is simply dropped.
      if (ec == beast::error::timeout) {
        close();
      } else if (parser_->got_some()) {
        reply(Response::problem(400, "bad_request", "The request could not be understood."), false);
      }
      return;
    }
    const BeastRequest& request = parser_->get();
    Request parsed = to_request(request);
    Response response =
        parsed.path.empty()
            ? Response::problem(400, "bad_request", "The address could not be understood.")
            : router_.handle(parsed);
    version_ = request.version();
    head_ = request.method() == http::verb::head;
    reply(response, request.keep_alive());
  }

  void reply(const Response& response, bool keep_alive) {
    response_ = std::make_shared<BeastResponse>(to_beast(response, version_, keep_alive, head_));
    beast::get_lowest_layer(stream_).expires_after(kWriteTimeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                        self->response_.reset();
                        if (ec) return;
                        if (keep_alive) {
                          self->read();
                        } else {
                          self->close();
                        }
                      });
  }

  void close() {
    beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_)
          .socket()
          .shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  Router& router_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::size_t limit_ = kMaxUploadBytes;  // the body limit in force, for the 413's words
  std::shared_ptr<BeastResponse> response_;
  unsigned version_ = 11;
  bool head_ = false;
};

}  // namespace

void serve_connection(net::ip::tcp::socket socket, net::ssl::context& tls, Router& router) {
  std::make_shared<Connection>(std::move(socket), tls, router)->start();
}

}  // namespace hm::web
