#pragma once

#include <cstddef>
#include <cstdint>

#include "decode/address.h"

namespace hm::flows {

// The symmetric 5-tuple: both directions of a conversation map to the same key, with
// the lower (ip, port) endpoint first. `from_first` says which way a packet went.
struct FlowKey {
  decode::IpAddress first_ip;
  decode::IpAddress second_ip;
  std::uint16_t first_port = 0;
  std::uint16_t second_port = 0;
  std::uint8_t protocol = 0;

  bool operator==(const FlowKey&) const = default;
};

struct DirectedFlowKey {
  FlowKey key;
  bool from_first = true;  // the packet's source is key.first_*
};

DirectedFlowKey make_flow_key(const decode::IpAddress& src_ip, std::uint16_t src_port,
                              const decode::IpAddress& dst_ip, std::uint16_t dst_port,
                              std::uint8_t protocol);

struct FlowKeyHash {
  std::size_t operator()(const FlowKey& key) const;
};

}  // namespace hm::flows
