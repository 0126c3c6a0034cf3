#pragma once

#include <span>
#include <string_view>

namespace hm::web {

// One file of the built UI (web/dist), embedded into the daemon at build time by
// embed_assets.cmake.
struct Asset {
  std::string_view path;  // "/index.html", "/assets/index-1a2b3c.js"
  std::string_view content_type;
  std::span<const unsigned char> bytes;
};

// Defined in the generated embedded_assets.cpp.
std::span<const Asset> embedded_assets();

const Asset* find_asset(std::string_view path);

}  // namespace hm::web
