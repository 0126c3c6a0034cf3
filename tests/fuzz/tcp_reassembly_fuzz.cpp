// libFuzzer target: a stream of TCP segments for one direction through
// flows::TcpDirectionReassembler with small bounds and a shared memory cap, so
// retransmissions, overlaps, gaps, wrap-around and every limit are reached. Links the
// `flows` CMake target. Input: records of [flags][seq delta high][seq delta low][length]
// [bytes…]; flags bit 0: SYN, bit 1: a backwards delta, bit 2: flush, bit 3: start a
// new connection. Checks that what is delivered is exactly what the reassembler says.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "flows/tcp_reassembly.h"

namespace {

struct Consumer final : hm::flows::StreamConsumer {
  std::uint64_t delivered = 0;  // data plus gaps: the stream offset reached
  void on_stream_data(std::span<const std::uint8_t> bytes) override {
    volatile std::uint8_t sum = 0;
    for (const std::uint8_t byte : bytes) sum = sum + byte;
    delivered += bytes.size();
  }
  void on_stream_gap(std::uint64_t missing_bytes) override { delivered += missing_bytes; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hm::flows::ReassemblyMemory memory{2048, 0};
  hm::flows::ReassemblyCounters counters;
  const hm::flows::ReassemblySettings settings{1024, 8192};
  auto stream = std::make_unique<hm::flows::TcpDirectionReassembler>(settings, &memory);
  Consumer consumer;
  std::uint32_t seq = 0xfffff000u;  // near the wrap
  std::size_t at = 0;
  while (size - at >= 4) {
    const std::uint8_t flags = data[at];
    const std::uint32_t delta = (std::uint32_t{data[at + 1]} << 8) | data[at + 2];
    const std::size_t length = data[at + 3];
    at += 4;
    const std::size_t available = length < size - at ? length : size - at;
    seq = (flags & 2) ? seq - delta : seq + delta;
    if (flags & 8) {
      stream = std::make_unique<hm::flows::TcpDirectionReassembler>(settings, &memory);
      consumer = Consumer{};
    }
    stream->on_segment(seq, (flags & 1) != 0, std::span<const std::uint8_t>(data + at, available),
                       consumer, counters);
    at += available;
    if (flags & 4) stream->flush(consumer, counters);
    if (consumer.delivered != stream->delivered_bytes() ||
        stream->held_bytes() > settings.max_held_bytes ||
        memory.held_bytes > memory.max_held_bytes || memory.held_bytes != stream->held_bytes()) {
      __builtin_trap();
    }
  }
  stream.reset();
  if (memory.held_bytes != 0) __builtin_trap();  // every held byte was given back
  return 0;
}
