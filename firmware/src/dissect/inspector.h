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
  std::uint64_t not_ip = 0;           // ARP, STP, LLC …: nothing to inspect
  std::uint64_t ip_fragments = 0;     // waiting for IP reassembly (issue 3)
  std::uint64_t other_transport = 0;  // ICMP, ESP …: nothing to inspect
  std::uint64_t tcp_flows = 0;
  std::uint64_t flows_expired = 0;
  std::uint64_t flow_table_full = 0;
  std::uint64_t out_of_order_held = 0;
  std::uint64_t out_of_order_dropped = 0;
  std::uint64_t tcp_gaps = 0;  // holes in a stream skipped (segments lost before capture)
  std::uint64_t tcp_retransmitted_bytes = 0;
  std::uint64_t dns_malformed = 0;
  std::uint64_t tls_malformed = 0;
  std::uint64_t http_malformed = 0;
  std::uint64_t observations = 0;

  // Workers count apart; the totals shown are their sum (STYLE.md "One owner per
  // thread"). The fields listed once, here, so a new counter cannot be left out.
  template <typename Visit>
  static void for_each_field(Visit&& visit) {
    for (auto field :
         {&InspectorCounters::packets, &InspectorCounters::bytes, &InspectorCounters::decode_errors,
          &InspectorCounters::unsupported_link_type, &InspectorCounters::not_ip,
          &InspectorCounters::ip_fragments, &InspectorCounters::other_transport,
          &InspectorCounters::tcp_flows, &InspectorCounters::flows_expired,
          &InspectorCounters::flow_table_full, &InspectorCounters::out_of_order_held,
          &InspectorCounters::out_of_order_dropped, &InspectorCounters::tcp_gaps,
          &InspectorCounters::tcp_retransmitted_bytes, &InspectorCounters::dns_malformed,
          &InspectorCounters::tls_malformed, &InspectorCounters::http_malformed,
          &InspectorCounters::observations}) {
      visit(field);
    }
  }

  InspectorCounters& operator+=(const InspectorCounters& other) {
    for_each_field([&](auto field) { this->*field += other.*field; });
    return *this;
  }
};

static_assert(sizeof(InspectorCounters) == 18 * sizeof(std::uint64_t),
              "a counter was added: list it in InspectorCounters::for_each_field");

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

  // Forgets flows idle for longer than their timeout at `now_us`. inspect() does this
  // itself as packet time advances; call it when time passes without packets. Data a
  // flow still held is delivered across its gaps first, so it may emit observations.
  void expire_idle(capture::TimestampUs now_us, const ObservationSink& emit);
  void expire_idle(capture::TimestampUs now_us) { expire_idle(now_us, ObservationSink{}); }

  // End of input (end of a capture file, shutdown): flushes and forgets every flow.
  void finish(const ObservationSink& emit);

  const InspectorCounters& counters() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hm::dissect
