#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "dissect/inspector.h"

namespace hm::app {

// The daemon's settings. Every bound is declared once, in settings.cpp's table, with
// its default, range and help line; the config file parser and `--help` both read
// that table (STYLE.md "Settings and limits").
struct DaemonSettings {
  std::string mirror_interface = "eth1";
  std::filesystem::path data_dir = "/var/lib/hallmonitor";
  std::filesystem::path library_dir;  // empty: the built-in starter library
  std::string web_address = "0.0.0.0";
  std::int64_t web_port = 8443;
  std::int64_t workers = 0;  // 0: one per spare core (app/pipeline.h default_worker_count)
  // Each slot keeps a 1.5 KiB frame buffer: 4096 slots are 6 MiB a worker. Bursts are
  // absorbed first by the kernel's capture buffer (capture_buffer_mb); 8192 slots made
  // the 100,000-flow peak 98 MiB, over issue 9's 96 MiB (tests/bench/README.md).
  std::int64_t ring_capacity = 4096;
  std::int64_t snap_length = 65535;
  std::int64_t capture_buffer_mb = 32;
  std::int64_t flow_table_size = 65536;
  std::int64_t out_of_order_bytes = 64 * 1024;
  std::int64_t reassembly_depth_bytes = 4 << 20;
  std::int64_t reassembly_memory_mb = 32;
  std::int64_t tcp_idle_timeout_s = 300;
  std::int64_t udp_idle_timeout_s = 60;
  std::int64_t ip_fragment_timeout_s = 30;
  std::int64_t ip_fragment_memory_kb = 4096;
  std::int64_t ip_fragments_per_datagram = 64;
  std::int64_t ip_fragment_datagrams = 1024;
  std::int64_t http_body_decoded_bytes = 256 * 1024;
  std::int64_t http_body_text_bytes = 32 * 1024;
  std::int64_t quic_handshakes = 1024;
  std::int64_t quic_crypto_bytes = 16 * 1024;
  std::int64_t dhcp_devices = 4096;
  std::int64_t dns_addresses = 16384;
  std::int64_t dns_address_timeout_s = 600;
};

// The inspector's bounds (dissect/inspector.h) as the settings give them.
dissect::InspectorSettings inspector_settings(const DaemonSettings& settings);

struct SettingInfo {
  std::string_view name;
  std::string_view help;
  std::string default_text;
  std::string range_text;  // empty for text settings
};

// Every setting with its help line, for `--help` and (later) the web UI.
std::vector<SettingInfo> describe_settings();

// Reads `key = value` lines (# comments) over the defaults. Errors name the file,
// the line and what to change.
Result<DaemonSettings> load_settings_file(const std::filesystem::path& file);

// Applies one `key=value` (used by the file parser and by command-line overrides).
Status apply_setting(DaemonSettings& settings, std::string_view key, std::string_view value);

}  // namespace hm::app
