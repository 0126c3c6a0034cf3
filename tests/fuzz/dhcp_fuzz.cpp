// libFuzzer target: arbitrary bytes as a DHCPv4 message (dissect/dhcp.h), then what the
// inspector does with one: the host table learns names and bindings (bounded small so
// eviction runs). Links: dissect.
#include <cstddef>
#include <cstdint>
#include <span>

#include "dissect/dhcp.h"
#include "dissect/host_table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hm::dissect::HostTable hosts([] {
    hm::dissect::HostTableSettings settings;
    settings.max_devices = 16;
    return settings;
  }());
  static hm::capture::TimestampUs now_us = 0;
  now_us += 1'000'000;
  const auto message = hm::dissect::parse_dhcp_message(std::span<const std::uint8_t>(data, size));
  if (!message || !message->client_mac) return 0;
  hosts.learn_name(*message->client_mac, message->host_name, message->client_id, now_us);
  if (const auto ip = message->bound_ip()) {
    hosts.learn_binding(*ip, *message->client_mac, now_us);
    const auto device = hosts.device_at(*ip, now_us);
    volatile std::size_t length = device ? device->host_name.size() : 0;
    (void)length;
  }
  return 0;
}
