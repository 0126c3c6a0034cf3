#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <tuple>

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

// Inline: every packet makes one.
inline DirectedFlowKey make_flow_key(const decode::IpAddress& src_ip, std::uint16_t src_port,
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

// Inline: every packet hashes its key to find its flow (flow_index.h).
struct FlowKeyHash {
  std::size_t operator()(const FlowKey& key) const {
    // Eight-byte words folded with a multiply-xorshift (the finaliser of SplitMix64):
    // every key bit reaches every hash bit, at a handful of instructions per word where
    // a byte-at-a-time hash spent hundreds per packet (issue 9's profile). The key is
    // already symmetric.
    const auto word = [](const std::array<std::uint8_t, 16>& bytes, std::size_t at) {
      std::uint64_t value = 0;
      std::memcpy(&value, bytes.data() + at, sizeof value);
      return value;
    };
    const auto mix = [](std::uint64_t hash, std::uint64_t value) {
      hash ^= value;
      hash *= 0xbf58476d1ce4e5b9ULL;
      return hash ^ (hash >> 31);
    };
    std::uint64_t hash = 0x9e3779b97f4a7c15ULL;
    hash = mix(hash, word(key.first_ip.bytes, 0));
    hash = mix(hash, word(key.first_ip.bytes, 8));
    hash = mix(hash, word(key.second_ip.bytes, 0));
    hash = mix(hash, word(key.second_ip.bytes, 8));
    hash = mix(hash, std::uint64_t{key.first_port} << 32 | std::uint64_t{key.second_port} << 16 |
                         std::uint64_t{key.protocol} << 8 | (key.first_ip.is_v6 ? 1 : 0));
    hash *= 0x94d049bb133111ebULL;
    return static_cast<std::size_t>(hash ^ (hash >> 29));
  }
};

}  // namespace hm::flows
