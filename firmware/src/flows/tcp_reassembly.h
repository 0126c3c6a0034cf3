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
  std::uint64_t out_of_order_dropped = 0;  // segments beyond the per-direction bound
  std::uint64_t retransmitted_bytes = 0;   // already delivered, skipped
  std::uint64_t gaps = 0;                  // holes skipped (lost in capture)
};

// In-order reassembly of one direction of a TCP connection (RFC 9293 sequence space).
// A SYN sets the initial sequence number; a flow picked up mid-stream starts at the
// first sequence number seen. Segments ahead of the next expected byte are held (copied)
// up to `max_held_bytes`; when that bound is reached the hole before them is declared a
// gap so the stream can go on, and a segment that still does not fit is dropped and
// counted. Bytes already delivered (retransmissions, overlaps) are skipped.
class TcpDirectionReassembler {
 public:
  TcpDirectionReassembler() = default;
  explicit TcpDirectionReassembler(std::size_t max_held_bytes) : max_held_bytes_(max_held_bytes) {}

  void on_segment(std::uint32_t seq, bool syn, std::span<const std::uint8_t> payload,
                  StreamConsumer& consumer, ReassemblyCounters& counters);

  // End of the connection (FIN, RST, expiry): delivers what is held, across gaps.
  void flush(StreamConsumer& consumer, ReassemblyCounters& counters);

  bool started() const { return started_; }
  std::uint64_t delivered_bytes() const { return delivered_; }
  std::size_t held_bytes() const { return held_bytes_; }

 private:
  void deliver(std::span<const std::uint8_t> bytes, StreamConsumer& consumer);
  void deliver_held(StreamConsumer& consumer, ReassemblyCounters& counters);
  void skip_to_first_held(StreamConsumer& consumer, ReassemblyCounters& counters);
  bool hold(std::uint64_t offset, std::span<const std::uint8_t> bytes,
            ReassemblyCounters& counters);

  std::size_t max_held_bytes_ = 64 * 1024;
  bool started_ = false;
  std::uint32_t next_seq_ = 0;   // sequence number of the next byte to deliver
  std::uint64_t delivered_ = 0;  // stream offset of next_seq_
  std::map<std::uint64_t, std::vector<std::uint8_t>> held_;  // by stream offset
  std::size_t held_bytes_ = 0;
};

}  // namespace hm::flows
