#include "flows/tcp_reassembly.h"

#include <gtest/gtest.h>

#include <string>

namespace hm::flows {
namespace {

struct Recorder : StreamConsumer {
  std::string text;
  std::uint64_t gaps = 0;
  void on_stream_data(std::span<const std::uint8_t> bytes) override {
    text.append(bytes.begin(), bytes.end());
  }
  void on_stream_gap(std::uint64_t missing) override {
    text += "[gap " + std::to_string(missing) + "]";
    ++gaps;
  }
};

std::span<const std::uint8_t> bytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(TcpReassemblyTest, OutOfOrderSegmentsAreDeliveredInOrder) {
  TcpDirectionReassembler stream;
  ReassemblyCounters counters;
  Recorder out;
  const std::string a = "hello ", b = "out of ", c = "order";
  stream.on_segment(1000, true, {}, out, counters);  // SYN: ISN 1000, data from 1001
  stream.on_segment(1001 + 13, false, bytes(c), out, counters);
  stream.on_segment(1001 + 6, false, bytes(b), out, counters);
  EXPECT_EQ(out.text, "");
  stream.on_segment(1001, false, bytes(a), out, counters);
  EXPECT_EQ(out.text, "hello out of order");
  EXPECT_EQ(counters.out_of_order_held, 2u);
  EXPECT_EQ(stream.held_bytes(), 0u);
}

TEST(TcpReassemblyTest, RetransmittedAndOverlappingBytesAreSkipped) {
  TcpDirectionReassembler stream;
  ReassemblyCounters counters;
  Recorder out;
  stream.on_segment(1, false, bytes("abcdef"), out, counters);  // mid-stream: starts at 1
  stream.on_segment(1, false, bytes("abcdef"), out, counters);
  stream.on_segment(4, false, bytes("defghi"), out, counters);
  EXPECT_EQ(out.text, "abcdefghi");
  EXPECT_EQ(counters.retransmitted_bytes, 9u);
}

TEST(TcpReassemblyTest, SequenceNumbersWrapAround) {
  TcpDirectionReassembler stream;
  ReassemblyCounters counters;
  Recorder out;
  stream.on_segment(0xfffffffc, false, bytes("1234"), out, counters);
  stream.on_segment(4, false, bytes("9"), out, counters);
  stream.on_segment(0, false, bytes("5678"), out, counters);
  EXPECT_EQ(out.text, "123456789");
}

TEST(TcpReassemblyTest, BoundReachedSkipsTheHoleAndCountsAGap) {
  TcpDirectionReassembler stream(8);
  ReassemblyCounters counters;
  Recorder out;
  stream.on_segment(0, false, bytes("ab"), out, counters);
  stream.on_segment(10, false, bytes("12345"), out, counters);  // hole at 2..9
  stream.on_segment(15, false, bytes("6789"), out, counters);   // 9 held > 8: give up the hole
  EXPECT_EQ(out.text, "ab[gap 8]123456789");
  EXPECT_EQ(counters.gaps, 1u);
}

TEST(TcpReassemblyTest, SegmentLargerThanTheBoundIsDroppedAndCounted) {
  TcpDirectionReassembler stream(4);
  ReassemblyCounters counters;
  Recorder out;
  stream.on_segment(0, false, bytes("a"), out, counters);
  stream.on_segment(5, false, bytes("too long"), out, counters);
  EXPECT_EQ(out.text, "a");
  EXPECT_EQ(counters.out_of_order_dropped, 1u);
}

TEST(TcpReassemblyTest, FlushDeliversHeldDataAcrossGaps) {
  TcpDirectionReassembler stream;
  ReassemblyCounters counters;
  Recorder out;
  stream.on_segment(0, false, bytes("a"), out, counters);
  stream.on_segment(3, false, bytes("d"), out, counters);
  stream.flush(out, counters);
  EXPECT_EQ(out.text, "a[gap 2]d");
}

}  // namespace
}  // namespace hm::flows
