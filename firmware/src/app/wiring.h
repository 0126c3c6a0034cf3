#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "base/result.h"
#include "match/matcher.h"
#include "web/server.h"

namespace hm::app {

// Loads a library source folder (empty: the built-in starter library) and compiles it.
Result<std::shared_ptr<const match::CompiledLibrary>> load_library(
    const std::filesystem::path& library_dir);

struct WebEndpoint {
  std::string address;
  std::uint16_t port = 8443;
};

// Starts the HTTPS web UI on the data folder and tells the person at the console
// where to go and, before setup, the one-time setup code.
Result<std::unique_ptr<web::Server>> start_web_ui(const std::filesystem::path& data_dir,
                                                  const WebEndpoint& endpoint);

}  // namespace hm::app
