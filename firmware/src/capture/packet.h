#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace hm::capture {

// Microseconds since the Unix epoch: the one clock of the packet path.
using TimestampUs = std::int64_t;

// One captured frame as libpcap delivered it. Owns its bytes so it can cross the
// ring from the capture thread to a worker.
struct Packet {
  TimestampUs ts_us = 0;
  int link_type = 0;              // libpcap DLT_* of the source
  std::uint32_t wire_length = 0;  // length on the wire (bytes may be shorter: snap length)
  std::vector<std::uint8_t> bytes;
};

// A borrowed view of a frame, for parsers that must not own what they parse.
struct PacketView {
  TimestampUs ts_us = 0;
  int link_type = 0;
  std::span<const std::uint8_t> bytes;
  std::uint32_t wire_length = 0;  // length on the wire (bytes may be shorter)
};

inline PacketView view_of(const Packet& packet) {
  return PacketView{packet.ts_us, packet.link_type, packet.bytes, packet.wire_length};
}

}  // namespace hm::capture
