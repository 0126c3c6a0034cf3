#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "web/router.h"

namespace hm::web {

// Limits on what one browser connection may send (STYLE.md "every bound is named").
inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;  // → 431
// Bodies: kMaxBodyBytes and the routes' own larger limits (router.h) → 413.
inline constexpr std::chrono::seconds kHandshakeTimeout{10};
inline constexpr std::chrono::seconds kReadTimeout{30};  // idle keep-alive included
inline constexpr std::chrono::seconds kWriteTimeout{30};

// Serves one accepted TCP connection: TLS handshake, then HTTP/1.1 requests until the
// browser closes, a limit is hit, or the server stops. Owns itself (shared_from_this).
void serve_connection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls,
                      Router& router);

}  // namespace hm::web
