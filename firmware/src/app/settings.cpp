#include "app/settings.h"

#include <charconv>
#include <fstream>
#include <functional>
#include <variant>

namespace hm::app {
namespace {

struct IntegerSetting {
  std::int64_t DaemonSettings::*field;
  std::int64_t min;
  std::int64_t max;
};
struct TextSetting {
  std::string DaemonSettings::*field;
};
struct PathSetting {
  std::filesystem::path DaemonSettings::*field;
};

struct SettingDefinition {
  std::string_view name;
  std::string_view help;
  std::variant<IntegerSetting, TextSetting, PathSetting> target;
};

// The one list of settings (defaults live in DaemonSettings' initialisers).
const std::vector<SettingDefinition>& definitions() {
  static const std::vector<SettingDefinition> kDefinitions = {
      {"mirror_interface", "network interface plugged into the switch's mirror (SPAN) port",
       TextSetting{&DaemonSettings::mirror_interface}},
      {"data_dir", "folder for the database, keys and certificate",
       PathSetting{&DaemonSettings::data_dir}},
      {"library_dir", "library source folder (empty: the built-in starter library)",
       PathSetting{&DaemonSettings::library_dir}},
      {"web_address", "address the web UI listens on (management port)",
       TextSetting{&DaemonSettings::web_address}},
      {"web_port", "HTTPS port of the web UI", IntegerSetting{&DaemonSettings::web_port, 1, 65535}},
      {"workers", "packet inspection threads (0: one per spare core, cores - 1, at least 1)",
       IntegerSetting{&DaemonSettings::workers, 0, 64}},
      {"ring_capacity", "packets queued per worker before new ones are dropped and counted",
       IntegerSetting{&DaemonSettings::ring_capacity, 64, 1 << 20}},
      {"snap_length", "bytes kept of each captured packet",
       IntegerSetting{&DaemonSettings::snap_length, 256, 262144}},
      {"capture_buffer_mb", "kernel capture buffer, in MiB",
       IntegerSetting{&DaemonSettings::capture_buffer_mb, 1, 2048}},
      {"flow_table_size", "connections tracked at once per worker",
       IntegerSetting{&DaemonSettings::flow_table_size, 1024, 1 << 24}},
      {"out_of_order_bytes", "out-of-order TCP bytes held per direction while waiting for a gap",
       IntegerSetting{&DaemonSettings::out_of_order_bytes, 0, 16 << 20}},
      {"reassembly_depth_bytes",
       "bytes of each TCP direction reassembled; the rest is not inspected "
       "(reassembly_depth_reached; 0: no limit)",
       IntegerSetting{&DaemonSettings::reassembly_depth_bytes, 0, 1 << 30}},
      {"reassembly_memory_mb",
       "out-of-order TCP bytes held per worker, all flows together (reassembly_memory_full)",
       IntegerSetting{&DaemonSettings::reassembly_memory_mb, 1, 4096}},
      {"tcp_idle_timeout_s", "seconds a TCP connection may stay silent before it is forgotten",
       IntegerSetting{&DaemonSettings::tcp_idle_timeout_s, 10, 86400}},
      {"udp_idle_timeout_s", "seconds a UDP flow may stay silent before it is forgotten",
       IntegerSetting{&DaemonSettings::udp_idle_timeout_s, 5, 3600}},
      {"ip_fragment_timeout_s",
       "seconds the fragments of an IP datagram are kept waiting for the rest "
       "(ip_fragment_timeouts)",
       IntegerSetting{&DaemonSettings::ip_fragment_timeout_s, 1, 120}},
      {"ip_fragment_memory_kb",
       "KiB of IP fragments held per worker while datagrams are put together "
       "(ip_fragment_memory_full)",
       IntegerSetting{&DaemonSettings::ip_fragment_memory_kb, 64, 1 << 20}},
      {"ip_fragments_per_datagram",
       "fragments one IP datagram may have before it is dropped (ip_fragment_too_many)",
       IntegerSetting{&DaemonSettings::ip_fragments_per_datagram, 2, 8192}},
      {"ip_fragment_datagrams",
       "IP datagrams being put together at once per worker (ip_fragment_memory_full)",
       IntegerSetting{&DaemonSettings::ip_fragment_datagrams, 16, 1 << 20}},
      {"http_body_decoded_bytes",
       "bytes of an HTTP body kept after de-chunking and inflating; the rest is skipped "
       "(body_truncated), so a zip bomb stops here",
       IntegerSetting{&DaemonSettings::http_body_decoded_bytes, 1024, 64 << 20}},
      {"http_body_text_bytes", "text of one HTTP body handed to the matcher (body_truncated)",
       IntegerSetting{&DaemonSettings::http_body_text_bytes, 256, 16 << 20}},
      {"quic_handshakes",
       "QUIC connections whose first packets are being put together at once per worker "
       "(quic_handshake_table_full)",
       IntegerSetting{&DaemonSettings::quic_handshakes, 16, 1 << 20}},
      {"quic_crypto_bytes",
       "bytes of a QUIC ClientHello gathered from its Initial packets (quic_crypto_limit_reached)",
       IntegerSetting{&DaemonSettings::quic_crypto_bytes, 1024, 1 << 20}},
      {"dhcp_devices", "devices remembered from DHCP leases per worker (host_table_evictions)",
       IntegerSetting{&DaemonSettings::dhcp_devices, 16, 1 << 20}},
      {"dns_addresses",
       "addresses remembered from DNS answers per worker, to name later connections "
       "(dns_address_evictions)",
       IntegerSetting{&DaemonSettings::dns_addresses, 16, 1 << 22}},
      {"dns_address_timeout_s", "seconds an address learned from a DNS answer names connections",
       IntegerSetting{&DaemonSettings::dns_address_timeout_s, 10, 86400}},
  };
  return kDefinitions;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::vector<SettingInfo> describe_settings() {
  const DaemonSettings defaults;
  std::vector<SettingInfo> infos;
  for (const SettingDefinition& definition : definitions()) {
    SettingInfo info{definition.name, definition.help, "", ""};
    if (const auto* integer = std::get_if<IntegerSetting>(&definition.target)) {
      info.default_text = std::to_string(defaults.*(integer->field));
      info.range_text = std::to_string(integer->min) + "-" + std::to_string(integer->max);
    } else if (const auto* text = std::get_if<TextSetting>(&definition.target)) {
      info.default_text = defaults.*(text->field);
    } else {
      info.default_text = (defaults.*(std::get<PathSetting>(definition.target).field)).string();
    }
    infos.push_back(std::move(info));
  }
  return infos;
}

Status apply_setting(DaemonSettings& settings, std::string_view key, std::string_view value) {
  for (const SettingDefinition& definition : definitions()) {
    if (definition.name != key) {
      continue;
    }
    if (const auto* integer = std::get_if<IntegerSetting>(&definition.target)) {
      std::int64_t number = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc() || end != value.data() + value.size()) {
        return error("setting " + std::string(key) + " must be a whole number, got \"" +
                     std::string(value) + "\"");
      }
      if (number < integer->min || number > integer->max) {
        return error("setting " + std::string(key) + " must be between " +
                     std::to_string(integer->min) + " and " + std::to_string(integer->max) +
                     ", got " + std::string(value));
      }
      settings.*(integer->field) = number;
    } else if (const auto* text = std::get_if<TextSetting>(&definition.target)) {
      settings.*(text->field) = std::string(value);
    } else {
      settings.*(std::get<PathSetting>(definition.target).field) = std::string(value);
    }
    return Ok{};
  }
  std::string known;
  for (const SettingDefinition& definition : definitions()) {
    known += known.empty() ? "" : ", ";
    known += definition.name;
  }
  return error("unknown setting \"" + std::string(key) + "\" (known: " + known + ")");
}

Result<DaemonSettings> load_settings_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    return error(file.string() + ": cannot open the configuration file");
  }
  DaemonSettings settings;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    std::string_view text = line;
    if (const auto hash = text.find('#'); hash != std::string_view::npos) {
      text = text.substr(0, hash);
    }
    text = trim(text);
    if (text.empty()) {
      continue;
    }
    const auto equals = text.find('=');
    const std::string where = file.string() + ":" + std::to_string(line_number) + ": ";
    if (equals == std::string_view::npos) {
      return error(where + "expected `name = value`, got \"" + std::string(text) + "\"");
    }
    if (auto applied =
            apply_setting(settings, trim(text.substr(0, equals)), trim(text.substr(equals + 1)));
        !applied) {
      return error(where + applied.error());
    }
  }
  return settings;
}

dissect::InspectorSettings inspector_settings(const DaemonSettings& settings) {
  const auto size = [](std::int64_t value) { return static_cast<std::size_t>(value); };
  constexpr std::int64_t kUsPerSecond = 1'000'000;
  dissect::InspectorSettings out;
  out.max_flows = size(settings.flow_table_size);
  out.max_out_of_order_bytes_per_direction = size(settings.out_of_order_bytes);
  out.max_reassembly_depth_bytes = static_cast<std::uint64_t>(settings.reassembly_depth_bytes);
  out.max_reassembly_memory_bytes = size(settings.reassembly_memory_mb) << 20;
  out.tcp_idle_timeout_us = settings.tcp_idle_timeout_s * kUsPerSecond;
  out.udp_idle_timeout_us = settings.udp_idle_timeout_s * kUsPerSecond;
  out.ip_fragments.timeout_us = settings.ip_fragment_timeout_s * kUsPerSecond;
  out.ip_fragments.max_held_bytes = size(settings.ip_fragment_memory_kb) << 10;
  out.ip_fragments.max_fragments_per_datagram = size(settings.ip_fragments_per_datagram);
  out.ip_fragments.max_datagrams = size(settings.ip_fragment_datagrams);
  out.http_bodies.max_decoded_bytes = size(settings.http_body_decoded_bytes);
  out.http_bodies.max_text_bytes = size(settings.http_body_text_bytes);
  out.quic.max_handshakes = size(settings.quic_handshakes);
  out.quic.max_crypto_bytes = size(settings.quic_crypto_bytes);
  out.hosts.max_devices = size(settings.dhcp_devices);
  out.hosts.max_dns_addresses = size(settings.dns_addresses);
  out.hosts.dns_address_timeout_us = settings.dns_address_timeout_s * kUsPerSecond;
  return out;
}

}  // namespace hm::app
