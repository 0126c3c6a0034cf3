#pragma once

// One request over a fresh TLS connection to a Server on 127.0.0.1 (the certificate is
// not verified: it is self-signed). For the tests that need the real socket: body
// limits and security headers live in the connection, not the router.
#include <chrono>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace hm::web::testing {

inline boost::beast::http::response<boost::beast::http::string_body> https_fetch(
    unsigned short port, boost::beast::http::request<boost::beast::http::string_body> request) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  namespace net = boost::asio;
  net::io_context io;
  net::ssl::context tls(net::ssl::context::tls_client);
  tls.set_verify_mode(net::ssl::verify_none);
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(stream).connect(
      net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  stream.handshake(net::ssl::stream_base::client);
  request.set(http::field::host, "127.0.0.1");
  request.prepare_payload();
  // The server may answer (413) and close before reading a body it refuses.
  beast::error_code write_error;
  http::write(stream, request, write_error);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  beast::error_code ignored;
  stream.shutdown(ignored);
  return response;
}

// The status of one JSON request, with a session's cookie and CSRF token if given.
inline int https_call(unsigned short port, const std::string& method, const std::string& target,
                      std::string body = {}, const std::string& cookie = {},
                      const std::string& csrf_token = {}) {
  namespace http = boost::beast::http;
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  if (!cookie.empty()) request.set(http::field::cookie, cookie);
  if (!csrf_token.empty()) request.set("X-CSRF-Token", csrf_token);
  request.body() = std::move(body);
  return https_fetch(port, std::move(request)).result_int();
}

}  // namespace hm::web::testing
