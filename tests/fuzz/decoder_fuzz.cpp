// libFuzzer target: arbitrary bytes as one frame through decode::decode_packet under
// every link type it knows, and, when a frame is an IP fragment, the fragment's bytes
// through decode_ip_payload as if reassembled. Links the `decode` CMake target. Seed it
// from the frames of ../shared/testdata/pcaps (fuzz.seeds writes them, one per file).
#include <pcap/dlt.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "decode/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr int kLinkTypes[] = {DLT_EN10MB,    DLT_RAW,        DLT_IPV4, DLT_IPV6,
                                       DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL, DLT_LOOP};
  const std::span<const std::uint8_t> frame(data, size);
  for (const int link_type : kLinkTypes) {
    hm::decode::DecodedPacket packet;
    const auto status = hm::decode::decode_packet({0, link_type, frame}, packet);
    // Whatever was decoded must lie inside the frame it came from.
    for (const auto part : {packet.payload, packet.fragment.data}) {
      if (!part.empty() && (part.data() < data || part.data() + part.size() > data + size)) {
        __builtin_trap();
      }
    }
    if (status == hm::decode::DecodeStatus::ip_fragment) {
      hm::decode::DecodedPacket whole = packet;
      (void)hm::decode::decode_ip_payload(packet.fragment.is_v6, packet.fragment.protocol,
                                          packet.fragment.data, whole);
    }
  }
  return 0;
}
