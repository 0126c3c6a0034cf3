#include "dissect/inspector.h"

#include <array>

#include "decode/decoder.h"
#include "dissect/client_stream.h"
#include "dissect/dns.h"
#include "flows/flow_table.h"
#include "flows/tcp_reassembly.h"

namespace hm::dissect {

namespace {

constexpr std::uint16_t kDnsPort = 53;
constexpr std::uint16_t kMdnsPort = 5353;   // RFC 6762
constexpr std::uint16_t kLlmnrPort = 5355;  // RFC 4795
constexpr capture::TimestampUs kExpiryIntervalUs = 1'000'000;

bool is_dns_port(std::uint16_t port) {
  return port == kDnsPort || port == kMdnsPort || port == kLlmnrPort;
}

// One direction of a TCP flow: its reassembly and the dissector its bytes feed.
struct TcpDirection {
  flows::TcpDirectionReassembler reassembler;
  std::unique_ptr<ClientStream> stream;
  std::optional<std::uint32_t> syn_seq;
  std::optional<decode::MacAddress> sender_mac;  // for data flushed after its packet
  bool fin = false;
};

struct TcpFlow {
  std::array<TcpDirection, 2> directions;  // [0]: sent by key.first_*, [1]: by key.second_*
};

using FlowTable = flows::FlowTable<TcpFlow>;

}  // namespace

struct Inspector::State {
  explicit State(const InspectorSettings& s) : settings(s), flows(s.max_flows) {}

  InspectorSettings settings;
  InspectorCounters counters;
  flows::ReassemblyCounters reassembly;
  FlowTable flows;
  capture::TimestampUs last_expiry_us = 0;
  capture::TimestampUs last_packet_us = 0;

  void inspect_udp(const decode::DecodedPacket& packet, EmitContext& context);
  void inspect_tcp(const decode::DecodedPacket& packet, EmitContext& context);
  void flush(FlowTable::Flow& flow, capture::TimestampUs now_us, const ObservationSink& emit);
  void sync_counters();
};

Inspector::Inspector(InspectorSettings settings) : state_(std::make_unique<State>(settings)) {}
Inspector::~Inspector() = default;

const InspectorCounters& Inspector::counters() const {
  state_->sync_counters();
  return state_->counters;
}

void Inspector::State::sync_counters() {
  counters.flow_table_full = flows.counters().flow_table_full;
  counters.flows_expired = flows.counters().flows_expired;
  counters.tcp_flows = flows.counters().flows_created;
  counters.out_of_order_held = reassembly.out_of_order_held;
  counters.out_of_order_dropped = reassembly.out_of_order_dropped;
  counters.tcp_gaps = reassembly.gaps;
  counters.tcp_retransmitted_bytes = reassembly.retransmitted_bytes;
}

void Inspector::inspect(const capture::PacketView& frame, const ObservationSink& emit) {
  State& s = *state_;
  ++s.counters.packets;
  s.counters.bytes += frame.bytes.size();
  s.last_packet_us = frame.ts_us;
  if (frame.ts_us - s.last_expiry_us >= kExpiryIntervalUs || frame.ts_us < s.last_expiry_us) {
    expire_idle(frame.ts_us, emit);
  }

  decode::DecodedPacket packet;
  switch (decode::decode_packet(frame, packet)) {
    case decode::DecodeStatus::ok: break;
    case decode::DecodeStatus::truncated:
    case decode::DecodeStatus::malformed: ++s.counters.decode_errors; return;
    case decode::DecodeStatus::unsupported_link_type: ++s.counters.unsupported_link_type; return;
    case decode::DecodeStatus::not_ip: ++s.counters.not_ip; return;
    case decode::DecodeStatus::ip_fragment: ++s.counters.ip_fragments; return;
    case decode::DecodeStatus::other_transport: ++s.counters.other_transport; return;
  }

  EmitContext context;
  context.ts_us = frame.ts_us;
  context.src_ip = packet.src_ip;
  context.dst_ip = packet.dst_ip;
  context.src_port = packet.src_port;
  context.dst_port = packet.dst_port;
  context.src_mac = packet.src_mac;
  context.emit = &emit;
  context.counters = &s.counters;
  if (packet.transport == decode::Transport::udp) {
    s.inspect_udp(packet, context);
  } else {
    s.inspect_tcp(packet, context);
  }
}

// DNS over UDP needs no flow: each datagram is a whole message. mDNS and LLMNR queries
// count too: tshark dissects them as DNS, and a school wants to see a device asking
// its LAN for a name as much as asking its resolver (documented in dev_notes.txt).
void Inspector::State::inspect_udp(const decode::DecodedPacket& packet, EmitContext& context) {
  if (!is_dns_port(packet.src_port) && !is_dns_port(packet.dst_port)) return;
  const auto message = parse_dns_message(packet.payload);
  if (!message || !message->complete) ++counters.dns_malformed;
  if (!message || message->is_response) return;
  for (const auto& name : message->question_names) {
    context.observe(ObservationKind::dns_query, name);
  }
}

void Inspector::State::inspect_tcp(const decode::DecodedPacket& packet, EmitContext& context) {
  const bool syn = (packet.tcp_flags & decode::tcp_flag::kSyn) != 0;
  const bool fin = (packet.tcp_flags & decode::tcp_flag::kFin) != 0;
  const bool rst = (packet.tcp_flags & decode::tcp_flag::kRst) != 0;
  const auto directed =
      flows::make_flow_key(packet.src_ip, packet.src_port, packet.dst_ip, packet.dst_port,
                           static_cast<std::uint8_t>(packet.transport));
  FlowTable::Flow* flow = flows.find(directed.key);
  if (flow == nullptr && !syn && packet.payload.empty()) return;  // nothing to follow yet
  const int index = directed.from_first ? 0 : 1;

  // A new SYN with another initial sequence number: the ports were reused.
  if (flow != nullptr && syn) {
    const auto& previous = flow->state.directions[index].syn_seq;
    if (previous && *previous != packet.tcp_seq) {
      flush(*flow, context.ts_us, *context.emit);
      flows.erase(directed.key);
      flow = nullptr;
    }
  }
  bool created = false;
  FlowTable::Flow& current = flows.find_or_create(directed.key, context.ts_us, created);
  if (created) {
    const bool dns = packet.src_port == kDnsPort || packet.dst_port == kDnsPort;
    for (auto& direction : current.state.directions) {
      direction.reassembler =
          flows::TcpDirectionReassembler(settings.max_out_of_order_bytes_per_direction);
      direction.stream = std::make_unique<ClientStream>(settings, dns);
    }
  }
  TcpDirection& direction = current.state.directions[index];
  if (syn && !direction.syn_seq) direction.syn_seq = packet.tcp_seq;
  direction.sender_mac = packet.src_mac;
  direction.stream->bind(&context);
  direction.reassembler.on_segment(packet.tcp_seq, syn, packet.payload, *direction.stream,
                                   reassembly);
  direction.fin = direction.fin || fin;

  if (rst || (current.state.directions[0].fin && current.state.directions[1].fin)) {
    flush(current, context.ts_us, *context.emit);
    flows.erase(directed.key);
  }
}

// Delivers what each direction still holds, across its gaps (FIN, RST, expiry, end).
void Inspector::State::flush(FlowTable::Flow& flow, capture::TimestampUs now_us,
                             const ObservationSink& emit) {
  for (int index = 0; index < 2; ++index) {
    TcpDirection& direction = flow.state.directions[index];
    if (!direction.stream || direction.reassembler.held_bytes() == 0) continue;
    const bool from_first = index == 0;
    EmitContext context;
    context.ts_us = now_us;
    context.src_ip = from_first ? flow.key.first_ip : flow.key.second_ip;
    context.src_port = from_first ? flow.key.first_port : flow.key.second_port;
    context.dst_ip = from_first ? flow.key.second_ip : flow.key.first_ip;
    context.dst_port = from_first ? flow.key.second_port : flow.key.first_port;
    context.src_mac = direction.sender_mac;
    context.emit = &emit;
    context.counters = &counters;
    direction.stream->bind(&context);
    direction.reassembler.flush(*direction.stream, reassembly);
    direction.stream->bind(nullptr);
  }
}

void Inspector::expire_idle(capture::TimestampUs now_us, const ObservationSink& emit) {
  State& s = *state_;
  s.last_expiry_us = now_us;
  s.flows.expire_idle(now_us, s.settings.tcp_idle_timeout_us, s.settings.udp_idle_timeout_us,
                      [&](FlowTable::Flow& flow) { s.flush(flow, now_us, emit); });
}

void Inspector::finish(const ObservationSink& emit) {
  State& s = *state_;
  s.flows.drain([&](FlowTable::Flow& flow) { s.flush(flow, s.last_packet_us, emit); });
}

}  // namespace hm::dissect
