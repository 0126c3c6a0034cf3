#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "base/result.h"

namespace hm::web {

struct ServerSettings {
  std::filesystem::path data_dir;  // holds hallmonitor.db and tls/
  std::string address = "127.0.0.1";
  std::uint16_t port = 8443;  // 0 picks a free port (tests); see Server::port()
  unsigned threads = 2;
};

// The headteacher's HTTPS server: the JSON API and the embedded UI (DESIGN.md "web").
// HTTPS only, with a self-signed certificate made on first start in data_dir/tls/.
class Server {
 public:
  explicit Server(ServerSettings settings);
  ~Server();  // stops if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Makes the certificate and the setup code if needed, binds, and serves on its own
  // threads. Fails with a message (address in use, data folder unwritable …).
  Status start();
  // Stops accepting, closes connections and joins the threads. Safe to call twice.
  void stop();

  // The port actually bound (differs from the setting when that was 0).
  std::uint16_t port() const;
  // e.g. "https://127.0.0.1:8443"
  std::string url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hm::web
