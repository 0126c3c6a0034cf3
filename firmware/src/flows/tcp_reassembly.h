#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace hm::flows {

// Receives one direction's bytes in order. Implemented by the dissectors' stream state.
class StreamConsumer {
 public:
  virtual ~StreamConsumer() = default;
  virtual void on_stream_data(std::span<const std::uint8_t> bytes) = 0;
  // `missing_bytes` were never seen: a parser must resynchronise after this.
  virtual void on_stream_gap(std::uint64_t missing_bytes) = 0;
};

struct ReassemblyCounters {
  std::uint64_t out_of_order_held = 0;     // segments held until the hole before them filled
  std::uint64_t out_of_order_dropped = 0;  // segments that could not be held (bogus or too big)
  std::uint64_t retransmitted_bytes = 0;   // already delivered or held, skipped
  std::uint64_t overlap_conflicts = 0;     // segments overlapping held bytes with other bytes
  std::uint64_t gaps = 0;                  // holes skipped (lost in capture)
  std::uint64_t depth_reached = 0;         // directions that reached the depth limit
  std::uint64_t memory_full = 0;           // times the worker-wide cap refused to hold bytes
};

struct ReassemblySettings {
  std::size_t max_held_bytes = 64 * 1024;  // out-of-order bytes held for one direction
  std::uint64_t max_depth_bytes = 0;       // stream bytes reassembled per direction; 0: all
};

// Out-of-order bytes held by all reassemblers of one worker, against one cap.
struct ReassemblyMemory {
  std::size_t max_held_bytes = 64u << 20;
  std::size_t held_bytes = 0;
};

// In-order reassembly of one direction of a TCP connection (RFC 9293 sequence space).
//
// Policies (what a SPAN port really delivers):
// * Start: a SYN sets the initial sequence number; a flow picked up mid-stream starts
//   at the first sequence number seen (the consumer decides whether it can parse from
//   there; client_stream.cpp waits for the next HTTP request).
// * Out of order: segments ahead of the next expected byte are copied and held, up to
//   `max_held_bytes` per direction and the worker-wide ReassemblyMemory cap. When either
//   is reached the hole before the held bytes is declared a gap (they are delivered and
//   the stream goes on); a segment that still does not fit is dropped and counted
//   (out_of_order_dropped; reassembly_memory_full when the worker-wide cap refused it).
// * Retransmissions and overlaps: the first copy of a byte wins, as Linux and the BSDs
//   keep it. Bytes already delivered are skipped (they are not kept, so a conflicting
//   retransmission of them goes unseen); a segment overlapping held bytes fills only the
//   holes between them, and if the overlapped bytes differ it is counted once in
//   overlap_conflicts (an evasion attempt or a broken middlebox).
// * Gaps: a hole that is never filled (lost before capture) is skipped when a bound is
//   reached or at the end (flush); the consumer gets on_stream_gap() and must
//   resynchronise. Counted in `gaps`.
// * Depth: past `max_depth_bytes` of stream offset nothing more is delivered or held
//   (counted once per direction in depth_reached).
// * FIN, RST and SYN reuse of a 5-tuple are the flow's business (dissect/inspector.cpp):
//   it flushes this direction and starts a new connection with new reassemblers.
class TcpDirectionReassembler {
 public:
  TcpDirectionReassembler() = default;
  explicit TcpDirectionReassembler(std::size_t max_held_bytes) {
    settings_.max_held_bytes = max_held_bytes;
  }
  TcpDirectionReassembler(ReassemblySettings settings, ReassemblyMemory* memory)
      : settings_(settings), memory_(memory) {}
  ~TcpDirectionReassembler();
  TcpDirectionReassembler(const TcpDirectionReassembler&) = delete;
  TcpDirectionReassembler& operator=(const TcpDirectionReassembler&) = delete;
  TcpDirectionReassembler(TcpDirectionReassembler&& other) noexcept;
  TcpDirectionReassembler& operator=(TcpDirectionReassembler&& other) noexcept;

  void on_segment(std::uint32_t seq, bool syn, std::span<const std::uint8_t> payload,
                  StreamConsumer& consumer, ReassemblyCounters& counters);

  // End of the connection (FIN, RST, expiry): delivers what is held, across gaps.
  void flush(StreamConsumer& consumer, ReassemblyCounters& counters);

  bool started() const { return started_; }
  bool depth_reached() const { return depth_reached_; }
  std::uint64_t delivered_bytes() const { return delivered_; }
  std::size_t held_bytes() const { return held_bytes_; }

 private:
  void accept_in_order(std::span<const std::uint8_t> bytes, StreamConsumer& consumer,
                       ReassemblyCounters& counters);
  void deliver(std::span<const std::uint8_t> bytes, StreamConsumer& consumer,
               ReassemblyCounters& counters);
  void deliver_held(StreamConsumer& consumer, ReassemblyCounters& counters);
  void skip_to_first_held(StreamConsumer& consumer, ReassemblyCounters& counters);
  bool hold(std::uint64_t offset, std::span<const std::uint8_t> bytes, bool bounded,
            ReassemblyCounters& counters);
  void release_held();
  void account(std::ptrdiff_t delta);

  ReassemblySettings settings_;
  ReassemblyMemory* memory_ = nullptr;
  bool started_ = false;
  bool depth_reached_ = false;
  std::uint32_t next_seq_ = 0;   // sequence number of the next byte to deliver
  std::uint64_t delivered_ = 0;  // stream offset of next_seq_
  // By stream offset; pieces never overlap and all start after `delivered_`.
  std::map<std::uint64_t, std::vector<std::uint8_t>> held_;
  std::size_t held_bytes_ = 0;
};

}  // namespace hm::flows
