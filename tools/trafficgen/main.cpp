// hallmonitor-trafficgen: writes a deterministic synthetic school morning as a
// classic pcap file. The defaults produce the bundled sample,
// tools/sample/school-morning.pcap; see tools/sample/README.md.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "packet_builder.h"
#include "pcap_writer.h"
#include "planted.h"
#include "scheduler.h"
#include "school_day.h"
#include "school_profile.h"
#include "time_format.h"

namespace hm::trafficgen {
namespace {

constexpr const char* kDefaultStart = "2026-03-02T08:45:00Z";

struct Options {
  std::string out;
  std::string profile = "sample";
  std::string start = kDefaultStart;
  ProfileOptions profile_options;
  uint64_t duration_minutes = 0;  // 0: the profile's own (sample 120, school-day 390)
  bool flows_given = false;
  uint64_t size_bytes = 64ULL << 20;
  bool list_planted = false;
  bool help = false;
};

void print_help() {
  std::printf(
      "Usage: hallmonitor-trafficgen --out FILE.pcap [options]\n"
      "       hallmonitor-trafficgen --list-planted [options]\n"
      "\n"
      "Writes a deterministic synthetic school morning as a classic pcap file\n"
      "(Ethernet, microsecond timestamps): DNS over UDP, TLS 1.3 and plain HTTP/1.1\n"
      "over complete TCP connections, and a handful of planted concerns at known\n"
      "times. The same options always give the same bytes; the defaults give the\n"
      "bundled sample, tools/sample/school-morning.pcap.\n"
      "\n"
      "Options:\n"
      "  --out FILE            pcap file to write\n"
      "  --seed N              random seed (default 20260302)\n"
      "  --devices N           devices on the network, at least %u (default 40)\n"
      "  --flows N             benign flows (DNS lookups and TCP connections) to make;\n"
      "                        the planted concerns' flows come on top (default 400)\n"
      "  --start ISO8601       start of the morning, UTC (default %s)\n"
      "  --duration-minutes N  how long the visits are spread over (default 120 for\n"
      "                        sample, 390 for school-day: 08:45 to 15:15)\n"
      "  --profile NAME        \"sample\" (the bundled sample's web mix), or \"school-day\":\n"
      "                        the same plus DHCP leases, QUIC (HTTP/3) visits, bulk\n"
      "                        encrypted video and updates carrying most bytes, DoH,\n"
      "                        ECH and WireGuard flows (tools/trafficgen/README.md)\n"
      "  --size BYTES          school-day: about how big the file gets; K, M, G\n"
      "                        suffixes (default 64M); --flows defaults from it\n"
      "  --planted-every SECS  plant the concerns again every SECS seconds (wrapping\n"
      "                        round the duration, each time from the next pupil): a\n"
      "                        dense capture for the store's tests (default: once)\n"
      "  --list-planted        print the planted concerns as JSON lines and exit\n"
      "  --help                this text\n",
      SchoolMorning::kMinDevices, kDefaultStart);
}

template <typename T>
bool parse_number(std::string_view text, T& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

std::optional<Options> parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&](const char* name) -> std::optional<std::string_view> {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "hallmonitor-trafficgen: %s needs a value (see --help)\n", name);
        return std::nullopt;
      }
      return std::string_view(argv[++i]);
    };
    const auto number = [&](const char* name, auto& target) {
      const auto text = value(name);
      if (!text) return false;
      if (!parse_number(*text, target)) {
        std::fprintf(stderr, "hallmonitor-trafficgen: %s: not a number: %.*s\n", name,
                     static_cast<int>(text->size()), text->data());
        return false;
      }
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--list-planted") {
      options.list_planted = true;
    } else if (arg == "--out") {
      const auto text = value("--out");
      if (!text) return std::nullopt;
      options.out = std::string(*text);
    } else if (arg == "--profile") {
      const auto text = value("--profile");
      if (!text) return std::nullopt;
      options.profile = std::string(*text);
    } else if (arg == "--start") {
      const auto text = value("--start");
      if (!text) return std::nullopt;
      options.start = std::string(*text);
    } else if (arg == "--seed") {
      if (!number("--seed", options.profile_options.seed)) return std::nullopt;
    } else if (arg == "--devices") {
      if (!number("--devices", options.profile_options.devices)) return std::nullopt;
    } else if (arg == "--flows") {
      if (!number("--flows", options.profile_options.flows)) return std::nullopt;
      options.flows_given = true;
    } else if (arg == "--size") {
      const auto text = value("--size");
      if (!text) return std::nullopt;
      std::string_view digits = *text;
      uint64_t unit = 1;
      if (!digits.empty()) {
        const char suffix = digits.back();
        unit = suffix == 'K' || suffix == 'k'   ? 1ULL << 10
               : suffix == 'M' || suffix == 'm' ? 1ULL << 20
               : suffix == 'G' || suffix == 'g' ? 1ULL << 30
                                                : 1;
        if (unit != 1) digits.remove_suffix(1);
      }
      uint64_t count = 0;
      if (!parse_number(digits, count) || count == 0 || count > (64ULL << 30) / unit) {
        std::fprintf(stderr, "hallmonitor-trafficgen: --size: 1 byte to 64G, got %.*s\n",
                     static_cast<int>(text->size()), text->data());
        return std::nullopt;
      }
      options.size_bytes = count * unit;
    } else if (arg == "--planted-every") {
      uint64_t seconds = 0;
      if (!number("--planted-every", seconds)) return std::nullopt;
      if (seconds == 0 || seconds > 7ULL * 24 * 3600) {
        std::fprintf(stderr, "hallmonitor-trafficgen: --planted-every: 1 to 604800 seconds\n");
        return std::nullopt;
      }
      options.profile_options.planted_every = static_cast<Micros>(seconds) * kSecond;
    } else if (arg == "--duration-minutes") {
      if (!number("--duration-minutes", options.duration_minutes)) return std::nullopt;
    } else {
      std::fprintf(stderr, "hallmonitor-trafficgen: unknown option %s (see --help)\n", argv[i]);
      return std::nullopt;
    }
  }
  return options;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void list_planted(const SchoolMorning& morning) {
  for (const PlantedPlacement& placement : morning.planted()) {
    const PlantedConcern& concern = *placement.concern;
    const Device& device = morning.devices()[placement.device];
    std::printf(
        "{\"ts\":%s,\"ts_us\":%lld,\"device\":%s,\"ip\":%s,\"mac\":%s,\"kind\":%s,\"text\":%s,"
        "\"host\":%s,\"category\":%s,\"severity\":%d,\"phrase\":%s}\n",
        json_string(format_iso8601(placement.time)).c_str(), static_cast<long long>(placement.time),
        json_string(device.name).c_str(), json_string(format_ipv4(device.client.ip)).c_str(),
        json_string(format_mac(device.client.mac)).c_str(),
        json_string(kind_name(concern.kind)).c_str(),
        json_string(observation_text(concern)).c_str(), json_string(concern.host).c_str(),
        json_string(concern.category).c_str(), concern.severity,
        json_string(concern.phrase).c_str());
  }
}

int run(int argc, char** argv) {
  const std::optional<Options> parsed = parse(argc, argv);
  if (!parsed) return 2;
  Options options = *parsed;
  if (options.help) {
    print_help();
    return 0;
  }
  const bool school_day = options.profile == "school-day";
  if (options.profile != "sample" && !school_day) {
    std::fprintf(stderr,
                 "hallmonitor-trafficgen: unknown profile \"%s\" (\"sample\" or \"school-day\")\n",
                 options.profile.c_str());
    return 2;
  }
  if (options.duration_minutes == 0) options.duration_minutes = school_day ? 390 : 120;
  if (school_day && !options.flows_given) {
    const uint64_t web_bytes = options.size_bytes / 100 * (100 - SchoolDay::kBulkPercent);
    options.profile_options.flows = std::max<uint64_t>(50, web_bytes / SchoolDay::kWebBytesPerFlow);
  }
  const std::optional<Micros> start = parse_iso8601(options.start);
  if (!start) {
    std::fprintf(stderr,
                 "hallmonitor-trafficgen: --start: expected YYYY-MM-DDTHH:MM[:SS][Z] in UTC, "
                 "got \"%s\"\n",
                 options.start.c_str());
    return 2;
  }
  if (options.profile_options.devices < SchoolMorning::kMinDevices) {
    std::fprintf(stderr,
                 "hallmonitor-trafficgen: --devices: at least %u (one per planted "
                 "concern, staff and a printer), got %u\n",
                 SchoolMorning::kMinDevices, options.profile_options.devices);
    return 2;
  }
  if (options.duration_minutes == 0 || options.duration_minutes > 7ULL * 24 * 60) {
    std::fprintf(stderr, "hallmonitor-trafficgen: --duration-minutes: 1 to 10080\n");
    return 2;
  }
  options.profile_options.start = *start;
  options.profile_options.duration = static_cast<Micros>(options.duration_minutes) * kMinute;

  // Only the profile asked for is built: the school-day one plans its flows up front.
  std::optional<SchoolMorning> morning;
  std::optional<SchoolDay> day;
  if (school_day) {
    day.emplace(SchoolDayOptions{options.profile_options, options.size_bytes});
  } else {
    morning.emplace(options.profile_options);
  }
  const SchoolMorning& planted_from = day ? day->morning() : *morning;
  if (options.list_planted) {
    list_planted(planted_from);
    return 0;
  }
  if (options.out.empty()) {
    std::fprintf(stderr, "hallmonitor-trafficgen: --out FILE.pcap is required (see --help)\n");
    return 2;
  }
  PcapWriter writer;
  if (!writer.open(options.out)) {
    std::fprintf(stderr, "hallmonitor-trafficgen: %s\n", writer.error().c_str());
    return 1;
  }
  const ScheduleStats stats =
      Scheduler::run([&] { return day ? day->next_flow() : morning->next_flow(); }, writer);
  if (!writer.close()) {
    std::fprintf(stderr, "hallmonitor-trafficgen: %s\n", writer.error().c_str());
    return 1;
  }
  if (stats.out_of_order != 0) {
    std::fprintf(stderr, "hallmonitor-trafficgen: internal error: %llu frames out of time order\n",
                 static_cast<unsigned long long>(stats.out_of_order));
    return 1;
  }
  std::fprintf(stderr,
               "%s: %llu packets, %llu flows (%zu planted concerns), %llu bytes, %s to %s, "
               "at most %llu flows active\n",
               options.out.c_str(), static_cast<unsigned long long>(stats.packets),
               static_cast<unsigned long long>(stats.flows), planted_from.planted().size(),
               static_cast<unsigned long long>(writer.bytes_written()),
               format_iso8601(stats.first).c_str(), format_iso8601(stats.last).c_str(),
               static_cast<unsigned long long>(stats.peak_active_flows));
  return 0;
}

}  // namespace
}  // namespace hm::trafficgen

int main(int argc, char** argv) { return hm::trafficgen::run(argc, argv); }
