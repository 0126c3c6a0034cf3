#include <iostream>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/admin_command.h"
#include "app/commands.h"
#include "store/stats_repository.h"

namespace hm::app {
namespace {

constexpr std::string_view kUsage =
    "usage: hallmonitor stats --data-dir DIR [--json]\n\n"
    "What the box saw and could not see, per minute of traffic: flows, bytes and\n"
    "packets by class. Seen: plain_http, named_tls, named_quic, dns, dhcp. Not seen:\n"
    "ech, doh, dot, vpn, quic_unknown, tls_no_sni, other.\n"
    "With --json, one JSON object per minute:\n"
    "  {\"minute\": \"2026-03-02T08:45:00Z\", \"minute_start_us\": N,\n"
    "   \"classes\": {\"named_tls\": {\"flows\": N, \"bytes\": N, \"packets\": N}, ...}}\n"
    "and last one line on the store's health (a full disk stops storing; what could not\n"
    "be stored is counted):\n"
    "  {\"store_health\": {\"state\": \"ok\"|\"disk_full\", \"since_us\": N,\n"
    "   \"captures_unstored_disk_full\": N, \"message\": \"...\"}}\n";

std::string utc_minute(std::int64_t minute_start_us) {
  const std::time_t seconds = static_cast<std::time_t>(minute_start_us / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

int run_stats_command(int argc, char** argv) {
  std::string data_dir;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--data-dir" && i + 1 < argc) {
      data_dir = argv[++i];
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "hallmonitor stats: unexpected argument \"" << arg << "\"\n" << kUsage;
      return 2;
    }
  }
  if (data_dir.empty()) {
    std::cerr << "hallmonitor stats: --data-dir is required\n" << kUsage;
    return 2;
  }
  auto db = store::Database::open(data_dir, store::Database::Mode::read_only);
  if (!db) {
    std::cerr << "hallmonitor stats: " << db.error() << '\n';
    return 1;
  }
  std::map<std::int64_t, nlohmann::json> minutes;  // ordered by time
  for (const store::VisibilityRow& row : store::StatsRepository(**db).list()) {
    nlohmann::json& minute = minutes[row.minute_start_us];
    if (minute.is_null()) {
      minute = {{"minute", utc_minute(row.minute_start_us)},
                {"minute_start_us", row.minute_start_us},
                {"classes", nlohmann::json::object()}};
    }
    minute["classes"][row.visibility] = {
        {"flows", row.flows}, {"bytes", row.bytes}, {"packets", row.packets}};
  }
  for (const auto& [start, minute] : minutes) {
    if (json) {
      std::cout << minute.dump() << '\n';
      continue;
    }
    std::cout << minute["minute"].get<std::string>();
    for (const auto& [name, totals] : minute["classes"].items()) {
      std::cout << "  " << name << ' ' << totals["flows"] << " flows " << totals["bytes"]
                << " bytes";
    }
    std::cout << '\n';
  }
  const nlohmann::json health = store_health(data_dir, **db);
  if (json) {
    std::cout << nlohmann::json{{"store_health", health}}.dump() << '\n';
  } else if (health.is_object()) {
    std::cout << "store " << health.value("state", "") << ": " << health.value("message", "")
              << "; " << health.value("captures_unstored_disk_full", 0)
              << " captures_unstored_disk_full\n";
  }
  return 0;
}

}  // namespace hm::app
