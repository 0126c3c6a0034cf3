#include "app/admin_command.h"

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "store/accounts.h"
#include "store/capture_repository.h"
#include "store/database.h"
#include "store/settings_repository.h"

namespace hm::app {
namespace {

constexpr std::string_view kUsage =
    "usage: hallmonitor admin <action> --data-dir DIR [options]\n"
    "\n"
    "Administration of a hallmonitor data folder, from the box's console.\n"
    "\n"
    "actions:\n"
    "  status     whether first-run setup is done; if not, the one-time setup code;\n"
    "             and the address of the web UI\n"
    "\n"
    "options:\n"
    "  --data-dir DIR   the data folder (holds hallmonitor.db)\n"
    "  --json           print one JSON object instead of text\n"
    "  -h, --help       show this help\n";

// Where the web UI listens unless the server has stored the address it announced.
constexpr std::string_view kDefaultUrl = "https://127.0.0.1:8443";

int status(const std::filesystem::path& data_dir, bool json) {
  if (!std::filesystem::exists(store::database_path(data_dir))) {
    std::cerr << "hallmonitor admin status: no hallmonitor database in " << data_dir.string()
              << " (start `hallmonitor run` or `hallmonitor replay --data-dir " << data_dir.string()
              << "` first)\n";
    return 1;
  }
  // Read-write: on a box that has never served the UI, this makes the setup code.
  auto db = store::Database::open(data_dir);
  if (!db) {
    std::cerr << "hallmonitor admin status: " << db.error() << '\n';
    return 1;
  }
  const bool done = store::setup_complete(**db);
  const std::string code = done ? std::string() : store::ensure_setup_code(**db);
  const std::string url =
      store::SettingsRepository(**db).get("web.url").value_or(std::string(kDefaultUrl));
  const std::int64_t captures = store::CaptureRepository(**db).count();

  if (json) {
    nlohmann::json out{{"data_dir", data_dir.string()},
                       {"setup_complete", done},
                       {"setup_code", done ? nlohmann::json() : nlohmann::json(code)},
                       {"url", url},
                       {"captures", captures}};
    std::cout << out.dump() << '\n';
    return 0;
  }
  std::cout << "hallmonitor data folder " << data_dir.string() << "\n"
            << "  web UI:      " << url << "/\n"
            << "  captures:    " << captures << "\n";
  if (done) {
    std::cout << "  setup:       done (sign in on the web UI)\n";
  } else {
    std::cout << "  setup:       not done yet\n"
              << "  setup code:  " << code << "\n\n"
              << "Open the web UI in a browser and type the setup code there to create the\n"
                 "headteacher's account. The code works once.\n";
  }
  return 0;
}

}  // namespace

int run_admin_command(int argc, char** argv) {
  std::string_view action;
  std::filesystem::path data_dir;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--json") {
      json = true;
    } else if (arg == "--data-dir") {
      if (i + 1 >= argc) {
        std::cerr << "hallmonitor admin: --data-dir needs a folder\n";
        return 2;
      }
      data_dir = argv[++i];
    } else if (!arg.starts_with("-") && action.empty()) {
      action = arg;
    } else {
      std::cerr << "hallmonitor admin: unknown option \"" << arg << "\"\n\n" << kUsage;
      return 2;
    }
  }
  if (action.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  if (action != "status") {
    std::cerr << "hallmonitor admin: unknown action \"" << action << "\"\n\n" << kUsage;
    return 2;
  }
  if (data_dir.empty()) {
    std::cerr << "hallmonitor admin status: --data-dir DIR is required\n";
    return 2;
  }
  return status(data_dir, json);
}

}  // namespace hm::app
