#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "capture/packet.h"
#include "dissect/observation.h"

namespace hm::dissect {

// Bounds of one worker's inspection state. Each is a named setting (STYLE.md).
struct InspectorSettings {
  std::size_t max_flows = 65536;
  std::size_t max_out_of_order_bytes_per_direction = 64 * 1024;
  std::size_t max_stream_buffer_bytes = 64 * 1024;
  capture::TimestampUs tcp_idle_timeout_us = 300'000'000;
  capture::TimestampUs udp_idle_timeout_us = 60'000'000;
};

// Every limit reached and every bad frame is counted (STYLE.md: no silent drops).
struct InspectorCounters {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t decode_errors = 0;
  std::uint64_t unsupported_link_type = 0;
  std::uint64_t flow_table_full = 0;
  std::uint64_t out_of_order_dropped = 0;
  std::uint64_t dns_malformed = 0;
  std::uint64_t tls_malformed = 0;
  std::uint64_t http_malformed = 0;
  std::uint64_t observations = 0;
};

using ObservationSink = std::function<void(const Observation&)>;

// Decode → flows → reassembly → dissectors for one worker. Not thread-safe: a worker
// owns its inspector outright.
class Inspector {
 public:
  explicit Inspector(InspectorSettings settings = {});
  ~Inspector();
  Inspector(const Inspector&) = delete;
  Inspector& operator=(const Inspector&) = delete;

  // Inspects one frame; calls `emit` for each observation it completes.
  void inspect(const capture::PacketView& packet, const ObservationSink& emit);

  // Forgets flows idle since before `now_us` (called as time advances).
  void expire_idle(capture::TimestampUs now_us);

  const InspectorCounters& counters() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hm::dissect
