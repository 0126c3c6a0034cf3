#include "app/wiring.h"

#include <iostream>

#include "library/source_format.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::app {

Result<std::shared_ptr<const match::CompiledLibrary>> load_library(
    const std::filesystem::path& library_dir) {
  const std::filesystem::path dir =
      library_dir.empty() ? library::default_source_dir() : library_dir;
  auto source = library::load_source_dir(dir);
  if (!source) {
    return Error{source.error()};
  }
  return match::CompiledLibrary::compile(std::move(*source));
}

Result<std::unique_ptr<web::Server>> start_web_ui(const std::filesystem::path& data_dir,
                                                  const WebEndpoint& endpoint) {
  std::string setup_code;
  {
    auto db = store::Database::open(data_dir);
    if (!db) {
      return Error{db.error()};
    }
    if (!store::setup_complete(**db)) {
      setup_code = store::ensure_setup_code(**db);
    }
  }
  web::ServerSettings settings;
  settings.data_dir = data_dir;
  settings.address = endpoint.address;
  settings.port = endpoint.port;
  auto server = std::make_unique<web::Server>(settings);
  if (auto started = server->start(); !started) {
    return Error{"cannot start the web UI on " + endpoint.address + ":" +
                 std::to_string(endpoint.port) + ": " + started.error()};
  }
  const std::string host = endpoint.address == "0.0.0.0" ? "hallmonitor.local" : endpoint.address;
  std::cout << "\nThe hallmonitor web UI is at https://" << host << ":" << endpoint.port << "/\n";
  if (!setup_code.empty()) {
    std::cout << "One-time setup code: " << setup_code << "\n";
  }
  std::cout << "(Its certificate is self-signed: your browser will ask you to accept it.)\n"
            << std::endl;
  return server;
}

}  // namespace hm::app
