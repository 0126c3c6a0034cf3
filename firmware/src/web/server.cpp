#include "web/server.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "store/accounts.h"
#include "store/key_store.h"
#include "store/settings_repository.h"
#include "web/connection.h"
#include "web/database_pool.h"
#include "web/router.h"
#include "web/session_keys.h"
#include "web/tls_certificate.h"

namespace hm::web {

namespace net = boost::asio;
using net::ip::tcp;

struct Server::Impl {
  explicit Impl(ServerSettings s) : settings(std::move(s)), pool(settings.data_dir), router(pool) {}

  void accept() {
    acceptor->async_accept(net::make_strand(io),
                           [this](boost::system::error_code ec, tcp::socket socket) {
                             if (ec == net::error::operation_aborted || !acceptor->is_open())
                               return;
                             if (!ec) serve_connection(std::move(socket), tls, router);
                             accept();
                           });
  }

  // Declared so that they are destroyed in a safe order: threads, acceptor, then the
  // io_context (and with it every connection), and only then what connections use.
  ServerSettings settings;
  DatabasePool pool;
  Router router;
  net::ssl::context tls{net::ssl::context::tls_server};
  net::io_context io;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::uint16_t bound_port = 0;
};

Server::Server(ServerSettings settings) : impl_(std::make_unique<Impl>(std::move(settings))) {}

Server::~Server() { stop(); }

Status Server::start() {
  Impl& s = *impl_;
  if (!s.threads.empty()) return error("the web server is already running");

  auto db = s.pool.acquire();
  if (!db) return error(db.error());
  store::ensure_setup_code(**db);
  // Seal from the first packet: the key pair exists before anyone sets the box up. A
  // box set up before sealing existed has none yet; its headteacher's next sign-in
  // makes it (api/session.cpp).
  (void)store::KeyStore(**db).ensure_key_pair();

  auto certificate = ensure_certificate(s.settings.data_dir);
  if (!certificate) return error(certificate.error());

  boost::system::error_code ec;
  // TLS 1.2 and 1.3 only (NCSC TLS guidance); OpenSSL 3's default ciphers otherwise.
  s.tls.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                    net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                    net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(s.tls.native_handle(), TLS1_2_VERSION);
  s.tls.use_certificate_chain_file(certificate->certificate.string(), ec);
  if (!ec)
    s.tls.use_private_key_file(certificate->private_key.string(), net::ssl::context::pem, ec);
  if (ec) {
    return error("cannot load the TLS certificate from " +
                 certificate->certificate.parent_path().string() + ": " + ec.message() +
                 " (delete that folder to make a new one)");
  }

  const auto address = net::ip::make_address(s.settings.address, ec);
  if (ec) return error("web address \"" + s.settings.address + "\" is not an IP address");
  const tcp::endpoint endpoint(address, s.settings.port);
  s.acceptor.emplace(net::make_strand(s.io));
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    s.acceptor.reset();
    return error("cannot listen on " + s.settings.address + ":" + std::to_string(s.settings.port) +
                 ": " + ec.message() +
                 (ec == net::error::address_in_use ? " (is another hallmonitor running?)" : ""));
  }
  s.bound_port = s.acceptor->local_endpoint().port();

  // `admin status` tells the headteacher where to go.
  (void)store::SettingsRepository(**db).set("web.url", url());

  s.accept();
  const unsigned count = std::max(1U, s.settings.threads);
  for (unsigned i = 0; i < count; ++i) s.threads.emplace_back([&io = s.io] { io.run(); });
  return Ok{};
}

void Server::stop() {
  Impl& s = *impl_;
  if (s.threads.empty()) return;
  net::post(s.acceptor->get_executor(), [&s] {
    boost::system::error_code ignored;
    s.acceptor->close(ignored);
  });
  // Open connections are abandoned; the browser retries against the next start.
  s.io.stop();
  for (auto& thread : s.threads) thread.join();
  s.threads.clear();
  s.acceptor.reset();
  // Shutdown wipes every signed-in session's evidence key.
  SessionKeys::instance().clear();
}

std::uint16_t Server::port() const { return impl_->bound_port; }

std::string Server::url() const {
  const std::string& address = impl_->settings.address;
  const std::string host = address.find(':') != std::string::npos ? "[" + address + "]" : address;
  return "https://" + host + ":" + std::to_string(impl_->bound_port);
}

}  // namespace hm::web
