// libFuzzer target: a stream of IP fragments through decode::Defragmenter with small
// bounds, so overlaps, timeouts and every limit are reached. Links the `decode` CMake
// target. Input: records of [flags][id][offset/8 high][offset/8 low][length][bytes…];
// flags bit 0: more fragments, bit 1: IPv6, bits 2-3: source address, bits 4-7: time
// step. The Defragmenter persists across inputs, as a worker's does.
#include <cstddef>
#include <cstdint>
#include <span>

#include "decode/defragmenter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const hm::decode::DefragmenterSettings settings = [] {
    hm::decode::DefragmenterSettings s;
    s.max_fragments_per_datagram = 8;
    s.max_held_bytes = 4096;
    s.max_datagrams = 16;
    s.timeout_us = 2'000'000;
    return s;
  }();
  static hm::decode::Defragmenter defragmenter(settings);
  static hm::capture::TimestampUs now_us = 0;
  const auto server = hm::decode::IpAddress::v4(0x0a0000fe);

  std::size_t at = 0;
  while (size - at >= 5) {
    const std::uint8_t flags = data[at];
    hm::decode::IpFragment fragment;
    fragment.more = (flags & 1) != 0;
    fragment.is_v6 = (flags & 2) != 0;
    fragment.id = data[at + 1];
    fragment.protocol = 17;
    fragment.offset = ((std::uint32_t{data[at + 2]} << 8) | data[at + 3]) * 8u;
    const std::size_t length = data[at + 4];
    at += 5;
    const std::size_t available = length < size - at ? length : size - at;
    fragment.data = std::span<const std::uint8_t>(data + at, available);
    at += available;
    now_us += (flags >> 4) * 250'000;
    const auto client = hm::decode::IpAddress::v4(0x0a000001u + ((flags >> 2) & 3));
    const auto datagram = defragmenter.add(client, server, fragment, now_us);
    if (datagram) {
      volatile std::uint8_t sum = 0;  // touch every byte: a bad span is a sanitizer report
      for (const std::uint8_t byte : datagram->payload) sum = sum + byte;
    }
    if (defragmenter.held_bytes() > settings.max_held_bytes ||
        defragmenter.datagrams_in_progress() > settings.max_datagrams) {
      __builtin_trap();  // a bound was not kept
    }
  }
  return 0;
}
