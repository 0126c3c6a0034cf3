#include "flows/flow_key.h"

#include <tuple>

namespace hm::flows {

DirectedFlowKey make_flow_key(const decode::IpAddress& src_ip, std::uint16_t src_port,
                              const decode::IpAddress& dst_ip, std::uint16_t dst_port,
                              std::uint8_t protocol) {
  const bool src_first = std::tie(src_ip, src_port) <= std::tie(dst_ip, dst_port);
  DirectedFlowKey directed;
  directed.from_first = src_first;
  directed.key.protocol = protocol;
  directed.key.first_ip = src_first ? src_ip : dst_ip;
  directed.key.first_port = src_first ? src_port : dst_port;
  directed.key.second_ip = src_first ? dst_ip : src_ip;
  directed.key.second_port = src_first ? dst_port : src_port;
  return directed;
}

std::size_t FlowKeyHash::operator()(const FlowKey& key) const {
  // FNV-1a over the key's bytes: cheap, and the key is already symmetric.
  std::uint64_t hash = 1469598103934665603ull;
  auto mix = [&hash](std::uint8_t byte) {
    hash ^= byte;
    hash *= 1099511628211ull;
  };
  for (auto byte : key.first_ip.bytes) mix(byte);
  for (auto byte : key.second_ip.bytes) mix(byte);
  mix(static_cast<std::uint8_t>(key.first_port >> 8));
  mix(static_cast<std::uint8_t>(key.first_port));
  mix(static_cast<std::uint8_t>(key.second_port >> 8));
  mix(static_cast<std::uint8_t>(key.second_port));
  mix(key.protocol);
  mix(key.first_ip.is_v6 ? 1 : 0);
  return static_cast<std::size_t>(hash);
}

}  // namespace hm::flows
