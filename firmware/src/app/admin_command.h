#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "store/database.h"

namespace hm::app {

// The store's health for `admin status` and `stats` (store/capture_writer.h
// StoreHealth): state, since_us, captures_unstored_disk_full, message; null if no
// writer ever ran in `data_dir`.
nlohmann::json store_health(const std::filesystem::path& data_dir, store::Database& db);

// `hallmonitor admin status|…`: administration of a data folder from the box's console.
// argv[0] is "admin". Returns the process exit code.
int run_admin_command(int argc, char** argv);

}  // namespace hm::app
