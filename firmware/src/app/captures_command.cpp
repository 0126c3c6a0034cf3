#include <iostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/arguments.h"
#include "app/commands.h"
#include "store/capture_repository.h"

namespace hm::app {
namespace {

constexpr std::string_view kUsage =
    "usage: hallmonitor captures list --data-dir DIR [--json] [--limit N]\n\n"
    "Lists stored captures, newest first: id, time, client, category, severity,\n"
    "library phrase and observation kind. Never prints evidence.\n";

nlohmann::json metadata_json(const evidence::Capture& capture) {
  return {{"id", capture.id},
          {"ts", static_cast<double>(capture.ts_us) / 1e6},
          {"client",
           {{"ip", capture.client_ip},
            {"mac", capture.client_mac.empty() ? nlohmann::json(nullptr)
                                               : nlohmann::json(capture.client_mac)}}},
          {"category", capture.category},
          {"severity", capture.severity},
          {"phrase", capture.phrase},
          {"entry_kind", capture.entry_kind},
          {"kind", capture.observation_kind}};
}

}  // namespace

int run_captures_command(int argc, char** argv) {
  std::string data_dir;
  bool json = false;
  std::size_t limit = 1'000'000;
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    (argc < 2 ? std::cerr : std::cout) << kUsage;
    return argc < 2 ? 2 : 0;
  }
  if (std::string_view(argv[1]) != "list") {
    std::cerr << "hallmonitor captures: unknown action \"" << argv[1] << "\"\n" << kUsage;
    return 2;
  }
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--data-dir" && i + 1 < argc) {
      data_dir = argv[++i];
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--limit" && i + 1 < argc) {
      const auto number = parse_number(argv[++i]);
      if (!number || *number < 1) {
        std::cerr << "hallmonitor captures list: --limit takes a positive whole number\n";
        return 2;
      }
      limit = static_cast<std::size_t>(*number);
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "hallmonitor captures list: unexpected argument \"" << arg << "\"\n" << kUsage;
      return 2;
    }
  }
  if (data_dir.empty()) {
    std::cerr << "hallmonitor captures list: --data-dir is required\n" << kUsage;
    return 2;
  }
  auto db = store::Database::open(data_dir, store::Database::Mode::read_only);
  if (!db) {
    std::cerr << "hallmonitor captures list: " << db.error() << '\n';
    return 1;
  }
  store::CaptureRepository captures(**db);
  for (const evidence::Capture& capture : captures.list_recent(limit)) {
    const nlohmann::json row = metadata_json(capture);
    if (json) {
      std::cout << row.dump() << '\n';
    } else {
      std::cout << capture.id << '\t' << capture.client_ip << '\t' << capture.category << '\t'
                << capture.severity << '\t' << capture.phrase << '\n';
    }
  }
  return 0;
}

}  // namespace hm::app
