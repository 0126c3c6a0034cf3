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

TEST(TcpReassemblyTest, OverlapWithOtherBytesKeepsTheFirstCopy) {
  TcpDirectionReassembler stream;
  ReassemblyCounters counters;
  Recorder out;
  stream.on_segment(0, false, bytes("ab"), out, counters);
  stream.on_segment(4, false, bytes("efgh"), out, counters);    // held
  stream.on_segment(3, false, bytes("dXYZhi"), out, counters);  // fills 3 and 8, not 4..7
  EXPECT_EQ(counters.overlap_conflicts, 1u);
  stream.on_segment(2, false, bytes("c"), out, counters);
  EXPECT_EQ(out.text, "abcdefghi");
  EXPECT_EQ(stream.held_bytes(), 0u);
}

TEST(TcpReassemblyTest, InOrderSegmentOverlappingHeldBytesDefersToThem) {
  TcpDirectionReassembler stream;
  ReassemblyCounters counters;
  Recorder out;
  stream.on_segment(0, false, bytes("ab"), out, counters);
  stream.on_segment(4, false, bytes("EF"), out, counters);
  stream.on_segment(2, false, bytes("cdXYg"), out, counters);
  EXPECT_EQ(out.text, "abcdEFg");
  EXPECT_EQ(counters.overlap_conflicts, 1u);
  // An identical retransmission is no conflict.
  stream.on_segment(8, false, bytes("i"), out, counters);
  stream.on_segment(8, false, bytes("i"), out, counters);
  EXPECT_EQ(counters.overlap_conflicts, 1u);
}

TEST(TcpReassemblyTest, DepthLimitStopsTheStream) {
  TcpDirectionReassembler stream(ReassemblySettings{64, 5}, nullptr);
  ReassemblyCounters counters;
  Recorder out;
  stream.on_segment(0, false, bytes("abc"), out, counters);
  stream.on_segment(10, false, bytes("later"), out, counters);  // held
  stream.on_segment(3, false, bytes("defghij"), out, counters);
  stream.on_segment(10, false, bytes("more"), out, counters);
  EXPECT_EQ(out.text, "abcde");
  EXPECT_TRUE(stream.depth_reached());
  EXPECT_EQ(counters.depth_reached, 1u);
  EXPECT_EQ(stream.held_bytes(), 0u);
}

TEST(TcpReassemblyTest, WorkerWideMemoryCapIsSharedAndGivenBack) {
  ReassemblyMemory memory{10, 0};
  ReassemblyCounters counters;
  Recorder out_a, out_b;
  {
    TcpDirectionReassembler a(ReassemblySettings{64, 0}, &memory);
    TcpDirectionReassembler b(ReassemblySettings{64, 0}, &memory);
    a.on_segment(0, false, bytes("x"), out_a, counters);
    a.on_segment(5, false, bytes("12345678"), out_a, counters);  // held: 8 of 10
    EXPECT_EQ(memory.held_bytes, 8u);
    b.on_segment(0, false, bytes("y"), out_b, counters);
    b.on_segment(5, false, bytes("abcde"), out_b, counters);  // does not fit: dropped
    EXPECT_GE(counters.memory_full, 1u);
    EXPECT_EQ(counters.out_of_order_dropped, 1u);
    EXPECT_EQ(b.held_bytes(), 0u);
    TcpDirectionReassembler moved = std::move(a);
    EXPECT_EQ(memory.held_bytes, 8u);
  }
  EXPECT_EQ(memory.held_bytes, 0u);  // the reassemblers gave their bytes back
}

TEST(TcpReassemblyTest, BytesBeforeAMidStreamStartAreSkipped) {
  // A flow picked up mid-stream: bytes before the first seen are never asked for.
  TcpDirectionReassembler stream;
  ReassemblyCounters counters;
  Recorder out;
  stream.on_segment(5000, false, bytes("tail of something"), out, counters);
  stream.on_segment(4000, false, bytes("earlier"), out, counters);  // before the start
  EXPECT_EQ(out.text, "tail of something");
  EXPECT_EQ(counters.retransmitted_bytes, 7u);
}

}  // namespace
}  // namespace hm::flows
