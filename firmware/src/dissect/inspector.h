#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "capture/packet.h"
#include "decode/defragmenter.h"
#include "dissect/host_table.h"
#include "dissect/http_body.h"
#include "dissect/observation.h"
#include "dissect/quic.h"
#include "dissect/visibility.h"

namespace hm::dissect {

// Bounds of one worker's inspection state. Each is a named setting (STYLE.md).
struct InspectorSettings {
  std::size_t max_flows = 65536;
  std::size_t max_out_of_order_bytes_per_direction = 64 * 1024;
  std::size_t max_reassembly_memory_bytes = 32u << 20;  // out-of-order bytes, all flows
  std::uint64_t max_reassembly_depth_bytes = 4u << 20;  // per direction; 0: no limit
  std::size_t max_stream_buffer_bytes = 64 * 1024;
  capture::TimestampUs tcp_idle_timeout_us = 300'000'000;
  capture::TimestampUs udp_idle_timeout_us = 60'000'000;
  decode::DefragmenterSettings ip_fragments;  // IP reassembly bounds (decode/defragmenter.h)
  QuicSettings quic;                          // QUIC Initial decryption state (dissect/quic.h)
  HostTableSettings hosts;                    // DHCP devices and DNS answers (dissect/host_table.h)
  HttpBodySettings http_bodies;               // HTTP body decoding caps (dissect/http_body.h)
};

// Every limit reached and every bad frame is counted (STYLE.md: no silent drops).
struct InspectorCounters {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t decode_errors = 0;
  std::uint64_t unsupported_link_type = 0;
  std::uint64_t not_ip = 0;           // ARP, STP, LLC …: nothing to inspect
  std::uint64_t ip_fragments = 0;     // IP fragments seen (decode/defragmenter.h)
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
  // QUIC Initials (dissect/quic.h, QuicCounters).
  std::uint64_t quic_initials_decrypted = 0;
  std::uint64_t quic_initials_undecryptable = 0;
  std::uint64_t quic_malformed = 0;
  std::uint64_t quic_crypto_limit_reached = 0;
  std::uint64_t quic_handshake_table_full = 0;
  // DHCP and the address maps (dissect/dhcp.h, dissect/host_table.h).
  std::uint64_t dhcp_malformed = 0;
  std::uint64_t host_table_evictions = 0;   // max_devices reached: oldest binding forgotten
  std::uint64_t dns_address_evictions = 0;  // max_dns_addresses reached: oldest forgotten
  // HTTP bodies (dissect/http_body_stream.h).
  std::uint64_t http_bodies = 0;
  std::uint64_t body_truncated = 0;           // a body cap was reached (HttpBodySettings)
  std::uint64_t http_body_undecodable = 0;    // corrupt gzip/deflate, or br/zstd
  std::uint64_t http_requests_forgotten = 0;  // unanswered beyond kMaxPendingRequests
  // IP reassembly, flows and TCP reassembly limits (decode/defragmenter.h, flows/).
  std::uint64_t ip_reassembled = 0;
  std::uint64_t ip_fragment_overlaps = 0;     // datagram dropped: overlap with other bytes
  std::uint64_t ip_fragment_timeouts = 0;     // datagram dropped: incomplete at the timeout
  std::uint64_t ip_fragment_memory_full = 0;  // datagram dropped: held bytes/datagrams bound
  std::uint64_t ip_fragment_too_many = 0;     // datagram dropped: fragments-per-datagram bound
  std::uint64_t ip_fragment_malformed = 0;    // fragment dropped: past 64 KiB, odd size, bad end
  std::uint64_t udp_flows = 0;
  std::uint64_t flows_evicted = 0;             // live flows forgotten because the table was full
  std::uint64_t tcp_connections_reused = 0;    // SYN on a 5-tuple already in use
  std::uint64_t tcp_overlap_conflicts = 0;     // overlapping segments with different bytes
  std::uint64_t reassembly_depth_reached = 0;  // directions cut at the depth limit
  std::uint64_t reassembly_memory_full = 0;    // worker-wide out-of-order cap refused bytes
  // Packets of flows past what can be seen (named and encrypted): counted, not dissected.
  std::uint64_t bypassed_packets = 0;

  // Workers count apart; the totals shown are their sum (STYLE.md "One owner per
  // thread"). The fields listed once, here, with the names `observe --counters` and
  // the logs print, so a new counter cannot be left out of either.
  template <typename Visit>
  static void for_each_field(Visit&& visit) {
    visit("packets", &InspectorCounters::packets);
    visit("bytes", &InspectorCounters::bytes);
    visit("decode_errors", &InspectorCounters::decode_errors);
    visit("unsupported_link_type", &InspectorCounters::unsupported_link_type);
    visit("not_ip", &InspectorCounters::not_ip);
    visit("ip_fragments", &InspectorCounters::ip_fragments);
    visit("other_transport", &InspectorCounters::other_transport);
    visit("tcp_flows", &InspectorCounters::tcp_flows);
    visit("flows_expired", &InspectorCounters::flows_expired);
    visit("flow_table_full", &InspectorCounters::flow_table_full);
    visit("out_of_order_held", &InspectorCounters::out_of_order_held);
    visit("out_of_order_dropped", &InspectorCounters::out_of_order_dropped);
    visit("tcp_gaps", &InspectorCounters::tcp_gaps);
    visit("tcp_retransmitted_bytes", &InspectorCounters::tcp_retransmitted_bytes);
    visit("dns_malformed", &InspectorCounters::dns_malformed);
    visit("tls_malformed", &InspectorCounters::tls_malformed);
    visit("http_malformed", &InspectorCounters::http_malformed);
    visit("observations", &InspectorCounters::observations);
    visit("quic_initials_decrypted", &InspectorCounters::quic_initials_decrypted);
    visit("quic_initials_undecryptable", &InspectorCounters::quic_initials_undecryptable);
    visit("quic_malformed", &InspectorCounters::quic_malformed);
    visit("quic_crypto_limit_reached", &InspectorCounters::quic_crypto_limit_reached);
    visit("quic_handshake_table_full", &InspectorCounters::quic_handshake_table_full);
    visit("dhcp_malformed", &InspectorCounters::dhcp_malformed);
    visit("host_table_evictions", &InspectorCounters::host_table_evictions);
    visit("dns_address_evictions", &InspectorCounters::dns_address_evictions);
    visit("http_bodies", &InspectorCounters::http_bodies);
    visit("body_truncated", &InspectorCounters::body_truncated);
    visit("http_body_undecodable", &InspectorCounters::http_body_undecodable);
    visit("http_requests_forgotten", &InspectorCounters::http_requests_forgotten);
    visit("ip_reassembled", &InspectorCounters::ip_reassembled);
    visit("ip_fragment_overlaps", &InspectorCounters::ip_fragment_overlaps);
    visit("ip_fragment_timeouts", &InspectorCounters::ip_fragment_timeouts);
    visit("ip_fragment_memory_full", &InspectorCounters::ip_fragment_memory_full);
    visit("ip_fragment_too_many", &InspectorCounters::ip_fragment_too_many);
    visit("ip_fragment_malformed", &InspectorCounters::ip_fragment_malformed);
    visit("udp_flows", &InspectorCounters::udp_flows);
    visit("flows_evicted", &InspectorCounters::flows_evicted);
    visit("tcp_connections_reused", &InspectorCounters::tcp_connections_reused);
    visit("tcp_overlap_conflicts", &InspectorCounters::tcp_overlap_conflicts);
    visit("reassembly_depth_reached", &InspectorCounters::reassembly_depth_reached);
    visit("reassembly_memory_full", &InspectorCounters::reassembly_memory_full);
    visit("bypassed_packets", &InspectorCounters::bypassed_packets);
  }

  InspectorCounters& operator+=(const InspectorCounters& other) {
    for_each_field([&](std::string_view, auto field) { this->*field += other.*field; });
    return *this;
  }
};

static_assert(sizeof(InspectorCounters) == 43 * sizeof(std::uint64_t),
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

  // Flows and bytes by what could be seen (dissect/visibility.h) of the minutes before
  // `now_us`'s; every minute with `all` (after finish(), every flow is in them).
  std::vector<VisibilityMinute> take_visibility(capture::TimestampUs now_us, bool all = false);

  const InspectorCounters& counters() const;

  // What DHCP and DNS taught this worker (dissect/host_table.h): the classification of
  // flows without a name looks their addresses up here.
  const HostTable& host_table() const;
  const AddressNames& address_names() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hm::dissect
