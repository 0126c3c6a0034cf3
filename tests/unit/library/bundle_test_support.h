#pragma once

// Shared by bundle_test.cpp and bundle_store_test.cpp: small libraries, keys and
// bundles made on the fly.
#include <unistd.h>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/signature.h"
#include "library/bundle.h"

namespace hm::library::testing {

inline std::string gambling_source(std::string_view extra_entries = "") {
  return "category: gambling\n"
         "title: Gambling\n"
         "description: Betting sites.\n\n"
         "bet365.com | domain | 3 | en\n"
         "online casino | phrase | 2 | en\n" +
         std::string(extra_entries);
}

inline std::string weapons_source() {
  return "category: weapons\n"
         "title: Weapons\n"
         "description: Knives and guns.\n\n"
         "zombie knife | phrase | 4 | en\n";
}

inline std::vector<BundleSource> good_sources(std::string_view extra_gambling = "") {
  return {{"gambling.hml", gambling_source(extra_gambling)}, {"weapons.hml", weapons_source()}};
}

inline BundleManifest manifest(std::uint64_t version) {
  BundleManifest out;
  out.version = version;
  out.created_unix = 1'790'000'000;
  out.publisher = "Test Publisher";
  return out;
}

inline std::vector<std::uint8_t> make_bundle(const crypto::SigningKeyPair& key,
                                             std::uint64_t version,
                                             const std::vector<BundleSource>& sources) {
  auto bytes = write_bundle(manifest(version), sources, key.private_pem);
  if (!bytes) throw std::runtime_error(bytes.error());
  return *bytes;
}

inline void write_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

inline void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// A fresh empty folder under the test temp dir.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hm-bundle-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace hm::library::testing
