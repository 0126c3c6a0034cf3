#include "app/observe_command.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "capture/pcap_file_source.h"
#include "decode/address.h"
#include "dissect/inspector.h"

namespace hm::app {

namespace {

constexpr std::string_view kHelp =
    "usage: hallmonitor observe [--counters] FILE.pcap|FILE.pcapng...\n"
    "\n"
    "Reads capture files and prints every observation the dissectors make, one JSON\n"
    "object per line: ts (seconds), kind (dns_query, tls_sni, quic_sni, http_host,\n"
    "http_url, dhcp_lease …),\n"
    "text, src and dst (ip:port, the client first), mac (the client's, or null) and,\n"
    "for http_url, host. When known: name (the device's DHCP host name), alpn, ech\n"
    "and ech_public_name (TLS/QUIC), doh_canary (DNS). Each file is inspected on its own.\n"
    "\n"
    "  --counters   also print each file's inspection counters (JSON) on stderr\n"
    "  --help       this text\n"
    "\n"
    "Exit status: 0, or 1 if a file could not be read (the message names the file\n"
    "and where it is damaged; the observations before the damage are still printed).\n";

std::string timestamp_text(capture::TimestampUs ts_us) {
  // Seconds with exactly six decimals: a double would round the microseconds.
  const bool negative = ts_us < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(ts_us) : ts_us;
  char text[40];
  std::snprintf(text, sizeof text, "%s%llu.%06llu", negative ? "-" : "",
                static_cast<unsigned long long>(magnitude / 1'000'000),
                static_cast<unsigned long long>(magnitude % 1'000'000));
  return text;
}

void print_observation(const dissect::Observation& observation) {
  nlohmann::ordered_json line;
  line["kind"] = dissect::to_string(observation.kind);
  line["text"] = observation.text;
  line["src"] = decode::endpoint_text(observation.src_ip, observation.src_port);
  line["dst"] = decode::endpoint_text(observation.dst_ip, observation.dst_port);
  line["mac"] = observation.client_mac ? nlohmann::ordered_json(observation.client_mac->to_string())
                                       : nlohmann::ordered_json(nullptr);
  if (!observation.host.empty()) line["host"] = observation.host;
  if (!observation.client_name.empty()) line["name"] = observation.client_name;
  // Attributes appear only when set, so earlier readers see the lines they knew.
  const auto& attributes = observation.attributes;
  if (!attributes.alpn.empty()) line["alpn"] = attributes.alpn;
  if (attributes.ech_extension) line["ech"] = true;
  if (attributes.ech_public_name) line["ech_public_name"] = true;
  if (attributes.doh_canary) line["doh_canary"] = true;
  // Network bytes need not be UTF-8: replace what is not, rather than throw.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // "ts" comes first, written as a number with exactly six decimals (nlohmann would
  // print a double's shortest form, e.g. 1700000000.1 for .100000).
  text = "{\"ts\":" + timestamp_text(observation.ts_us) + "," + text.substr(1);
  std::cout << text << '\n';
}

nlohmann::ordered_json counters_json(const std::string& path, const dissect::InspectorCounters& c) {
  nlohmann::ordered_json out{{"file", path}};
  dissect::InspectorCounters::for_each_field(
      [&](std::string_view name, auto field) { out[std::string(name)] = c.*field; });
  return out;
}

// Inspects one file; false (after printing why) if it could not be read to the end.
bool observe_file(const std::string& path, bool print_counters) {
  auto source = capture::PcapFileSource::open(path);
  if (!source) {
    std::cerr << "hallmonitor observe: " << source.error() << '\n';
    return false;
  }
  dissect::Inspector inspector;
  const dissect::ObservationSink sink = print_observation;
  bool complete = true;
  for (;;) {
    auto packet = (*source)->next();
    if (!packet) {
      std::cerr << "hallmonitor observe: " << packet.error() << '\n';
      complete = false;
      break;
    }
    if (!packet->has_value()) break;
    inspector.inspect(capture::view_of(**packet), sink);
  }
  inspector.finish(sink);
  std::cout.flush();
  if (print_counters) {
    std::cerr << counters_json(path, inspector.counters()).dump() << '\n';
  }
  return complete;
}

}  // namespace

int run_observe_command(int argc, char** argv) {
  std::vector<std::string> files;
  bool print_counters = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--help" || argument == "-h") {
      std::cout << kHelp;
      return 0;
    }
    if (argument == "--counters") {
      print_counters = true;
    } else if (argument.starts_with("-") && argument != "-") {
      std::cerr << "hallmonitor observe: unknown option " << argument << " (see --help)\n";
      return 2;
    } else {
      files.emplace_back(argument);
    }
  }
  if (files.empty()) {
    std::cerr << "hallmonitor observe: no capture files given (see --help)\n";
    return 2;
  }
  bool all_read = true;
  for (const auto& file : files) {
    all_read = observe_file(file, print_counters) && all_read;
  }
  return all_read ? 0 : 1;
}

}  // namespace hm::app
