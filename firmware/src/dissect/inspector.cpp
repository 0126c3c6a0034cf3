#include "dissect/inspector.h"

#include <array>

#include "decode/decoder.h"
#include "decode/defragmenter.h"
#include "dissect/client_stream.h"
#include "dissect/dhcp.h"
#include "dissect/dns.h"
#include "dissect/http_body_stream.h"
#include "dissect/visibility.h"
#include "flows/flow_table.h"
#include "flows/tcp_reassembly.h"

namespace hm::dissect {

namespace {

constexpr std::uint16_t kDnsPort = 53;
constexpr std::uint16_t kMdnsPort = 5353;   // RFC 6762
constexpr std::uint16_t kLlmnrPort = 5355;  // RFC 4795
constexpr capture::TimestampUs kExpiryIntervalUs = 1'000'000;
constexpr std::uint8_t kUdpProtocol = 17;

bool is_dns_port(std::uint16_t port) {
  return port == kDnsPort || port == kMdnsPort || port == kLlmnrPort;
}

// RFC 2131 §4.1: client 68 ↔ server 67 (a relay talks 67 ↔ 67).
bool is_dhcp(const decode::DecodedPacket& packet) {
  return (packet.src_port == kDhcpClientPort || packet.src_port == kDhcpServerPort) &&
         (packet.dst_port == kDhcpClientPort || packet.dst_port == kDhcpServerPort);
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
  std::unique_ptr<HttpBodyStreams> http;   // bodies and search terms, beside the streams
};

// What the dissectors keep about one flow (TCP or UDP, both directions). The flow table
// owns it and frees it when the flow ends, expires or is evicted (flush() runs first).
//
// Per-flow slot: a dissector that needs state across packets of one flow adds one
// member here, a std::unique_ptr created on first use, so a flow that never needs it
// costs one pointer. inspect_udp() and inspect_tcp() get the flow (dev_notes.txt).
struct FlowState {
  std::unique_ptr<TcpFlow> tcp;          // TCP flows only: reassembly and client streams
  std::unique_ptr<QuicConnection> quic;  // UDP flows speaking QUIC: Initial keys, CRYPTO
  FlowVisibility visibility;             // what could be seen of it, for the minute statistics
  // Past what can be seen: its names are known (the TLS ClientHello, the QUIC Initial)
  // and the rest is ciphertext, or it is a VPN tunnel. Its dissection state is freed;
  // its packets are counted for the statistics and go no further (issue 9: most bytes
  // of a school's uplink are encrypted bulk, and cost nothing to look past).
  bool bypassed = false;
  std::array<bool, 2> fin{};  // a bypassed TCP flow's FINs, by direction as in TcpFlow
};

using FlowTable = flows::FlowTable<FlowState>;

}  // namespace

struct Inspector::State {
  explicit State(const InspectorSettings& s)
      : settings(s),
        reassembly_memory{s.max_reassembly_memory_bytes, 0},
        flows(s.max_flows, flows::FlowTimeouts{s.tcp_idle_timeout_us, s.udp_idle_timeout_us}),
        defragmenter(s.ip_fragments) {}

  InspectorSettings settings;
  InspectorCounters counters;
  flows::ReassemblyCounters reassembly;
  flows::ReassemblyMemory reassembly_memory;  // before `flows`: reassemblers give back to it
  QuicDissector quic{settings.quic};          // before `flows`: QUIC connections give back to it
  FlowTable flows;
  decode::Defragmenter defragmenter;
  QuicCounters quic_counters;
  HostTable hosts{settings.hosts};             // DHCP: IP → MAC → device name
  AddressNames address_names{settings.hosts};  // DNS answers: address → name
  capture::TimestampUs last_expiry_us = 0;
  capture::TimestampUs last_packet_us = 0;
  // The frame being inspected, decoded. Kept here rather than made per packet:
  // decode_packet() resets it anyway, and a fresh one was zeroed twice (issue 9).
  decode::DecodedPacket packet;
  VisibilityStats visibility_stats;  // flows and bytes by what could be seen, per minute
  // The observations of the packet being inspected (they classify its flow), and the
  // sink that notes them before passing them on: built once, not per packet.
  std::vector<Observation> seen;
  const ObservationSink* emit = nullptr;
  const ObservationSink noting = [this](const Observation& observation) {
    seen.push_back(observation);
    if (emit != nullptr && *emit) (*emit)(observation);
  };

  decode::DecodeStatus defragment(decode::DecodedPacket& packet, capture::TimestampUs now_us);
  void inspect_udp(const decode::DecodedPacket& packet, FlowTable::Flow& flow,
                   EmitContext& context);
  // The flow the packet went to, or nullptr (not followed, or ended by this packet).
  // `flow`: the packet's flow if it exists (found and marked used).
  FlowTable::Flow* inspect_tcp(const decode::DecodedPacket& packet,
                               const flows::DirectedFlowKey& directed, FlowTable::Flow* flow,
                               EmitContext& context);
  // A packet of a bypassed flow: counted; false when it starts a new connection on
  // the flow's 5-tuple, which is then inspected as usual.
  bool pass_bypassed(FlowTable::Flow& flow, const decode::DecodedPacket& packet,
                     const flows::DirectedFlowKey& directed, std::size_t frame_bytes,
                     const ObservationSink& emit);
  void maybe_bypass(FlowTable::Flow& flow);
  void inspect_dhcp(const decode::DecodedPacket& packet, EmitContext& context);
  void new_tcp_connection(FlowTable::Flow& flow, const decode::DecodedPacket& packet);
  void flush(FlowTable::Flow& flow, capture::TimestampUs now_us, const ObservationSink& emit);
  void account_other_protocol(const decode::DecodedPacket& packet, const capture::PacketView& frame,
                              const ObservationSink& emit);
  void sync_counters();
};

Inspector::Inspector(InspectorSettings settings) : state_(std::make_unique<State>(settings)) {}
Inspector::~Inspector() = default;

const HostTable& Inspector::host_table() const { return state_->hosts; }
const AddressNames& Inspector::address_names() const { return state_->address_names; }

const InspectorCounters& Inspector::counters() const {
  state_->sync_counters();
  return state_->counters;
}

void Inspector::State::sync_counters() {
  counters.flow_table_full = flows.counters().flow_table_full;
  counters.flows_evicted = flows.counters().flows_evicted;
  counters.flows_expired = flows.counters().flows_expired;
  counters.tcp_flows = flows.counters().tcp_flows_created;
  counters.udp_flows = flows.counters().udp_flows_created;
  counters.tcp_overlap_conflicts = reassembly.overlap_conflicts;
  counters.reassembly_depth_reached = reassembly.depth_reached;
  counters.reassembly_memory_full = reassembly.memory_full;
  const auto& fragments = defragmenter.counters();
  counters.ip_fragments = fragments.fragments;
  counters.ip_reassembled = fragments.reassembled;
  counters.ip_fragment_overlaps = fragments.overlaps;
  counters.ip_fragment_timeouts = fragments.timeouts;
  counters.ip_fragment_memory_full = fragments.memory_full;
  counters.ip_fragment_too_many = fragments.too_many_fragments;
  counters.ip_fragment_malformed = fragments.malformed;
  counters.out_of_order_held = reassembly.out_of_order_held;
  counters.out_of_order_dropped = reassembly.out_of_order_dropped;
  counters.tcp_gaps = reassembly.gaps;
  counters.tcp_retransmitted_bytes = reassembly.retransmitted_bytes;
  counters.quic_initials_decrypted = quic_counters.initials_decrypted;
  counters.quic_initials_undecryptable = quic_counters.initials_undecryptable;
  counters.quic_malformed = quic_counters.malformed;
  counters.quic_crypto_limit_reached = quic_counters.crypto_limit_reached;
  counters.quic_handshake_table_full = quic_counters.handshake_table_full;
  counters.host_table_evictions = hosts.evictions();
  counters.dns_address_evictions = address_names.evictions();
}

void Inspector::inspect(const capture::PacketView& frame, const ObservationSink& emit) {
  State& s = *state_;
  ++s.counters.packets;
  s.counters.bytes += frame.bytes.size();
  s.last_packet_us = frame.ts_us;
  if (frame.ts_us - s.last_expiry_us >= kExpiryIntervalUs || frame.ts_us < s.last_expiry_us) {
    expire_idle(frame.ts_us, emit);
  }

  decode::DecodedPacket& packet = s.packet;
  decode::DecodeStatus status = decode::decode_packet(frame, packet);
  if (status == decode::DecodeStatus::ip_fragment) status = s.defragment(packet, frame.ts_us);
  switch (status) {
    case decode::DecodeStatus::ok: break;
    case decode::DecodeStatus::truncated:
    case decode::DecodeStatus::malformed: ++s.counters.decode_errors; return;
    case decode::DecodeStatus::unsupported_link_type: ++s.counters.unsupported_link_type; return;
    case decode::DecodeStatus::not_ip: ++s.counters.not_ip; return;
    case decode::DecodeStatus::ip_fragment: return;  // held, or dropped: the Defragmenter counts
    case decode::DecodeStatus::other_transport:
      ++s.counters.other_transport;
      s.account_other_protocol(packet, frame, emit);
      return;
  }

  const auto directed =
      flows::make_flow_key(packet.src_ip, packet.src_port, packet.dst_ip, packet.dst_port,
                           static_cast<std::uint8_t>(packet.transport));
  // One lookup for a packet of a known flow: found here, marked used, handed on.
  FlowTable::Flow* flow = s.flows.find_and_touch(directed, frame.ts_us);
  if (flow != nullptr && flow->state.bypassed) {
    if (s.pass_bypassed(*flow, packet, directed, frame.bytes.size(), emit)) return;
    flow = nullptr;  // forgotten: a new connection on its 5-tuple
  }

  EmitContext context;
  context.ts_us = frame.ts_us;
  context.src_ip = packet.src_ip;
  context.dst_ip = packet.dst_ip;
  context.src_port = packet.src_port;
  context.dst_port = packet.dst_port;
  context.src_mac = packet.src_mac;
  context.counters = &s.counters;
  context.hosts = &s.hosts;
  context.address_names = &s.address_names;
  // What the dissectors see of this packet classifies its flow (dissect/visibility.h).
  s.seen.clear();
  s.emit = &emit;
  context.emit = &s.noting;
  if (packet.transport == decode::Transport::udp) {
    if (flow == nullptr) {
      bool created = false;
      flow = &s.flows.find_or_create(directed, frame.ts_us, created, [&](FlowTable::Flow& old) {
        s.flush(old, frame.ts_us, emit);
      });
    }
    s.inspect_udp(packet, *flow, context);
  } else {
    flow = s.inspect_tcp(packet, directed, flow, context);
  }
  s.emit = nullptr;
  if (flow != nullptr) {
    FlowVisibility& visibility = flow->state.visibility;
    visibility.on_packet(packet);
    for (const Observation& observation : s.seen) visibility.on_observation(observation);
    s.visibility_stats.on_packet(visibility, frame.bytes.size(), frame.ts_us);
    s.maybe_bypass(*flow);
  }
}

bool Inspector::State::pass_bypassed(FlowTable::Flow& flow, const decode::DecodedPacket& packet,
                                     const flows::DirectedFlowKey& directed,
                                     std::size_t frame_bytes, const ObservationSink& emit) {
  const bool tcp = packet.transport == decode::Transport::tcp;
  const bool syn = tcp && (packet.tcp_flags & decode::tcp_flag::kSyn) != 0;
  const bool ack = tcp && (packet.tcp_flags & decode::tcp_flag::kAck) != 0;
  if (syn && !ack) {
    // A new connection on the 5-tuple (the old one ended unseen): inspect it afresh.
    flush(flow, last_packet_us, emit);
    flows.erase(directed.key);
    ++counters.tcp_connections_reused;
    return false;
  }
  ++counters.bypassed_packets;
  visibility_stats.on_packet(flow.state.visibility, frame_bytes, last_packet_us);
  if (!tcp) return true;
  flow.state.fin[directed.from_first ? 0 : 1] |= (packet.tcp_flags & decode::tcp_flag::kFin) != 0;
  if ((packet.tcp_flags & decode::tcp_flag::kRst) != 0 ||
      (flow.state.fin[0] && flow.state.fin[1])) {
    flush(flow, last_packet_us, emit);
    flows.erase(directed.key);
  }
  return true;
}

void Inspector::State::maybe_bypass(FlowTable::Flow& flow) {
  FlowState& state = flow.state;
  if (state.tcp) {
    // The client's ClientHello is read (either direction may be the client).
    const auto& directions = state.tcp->directions;
    const bool named = std::any_of(directions.begin(), directions.end(), [](const auto& d) {
      return d.stream && d.stream->client_hello_read();
    });
    if (!named) return;
    state.fin = {directions[0].fin, directions[1].fin};
    state.tcp.reset();  // reassembly, streams and their buffers go now, not at the flow's end
  } else if (state.quic) {
    if (!state.quic->done()) return;
    state.quic.reset();
  } else if (!state.visibility.tunnel() || flow.key.protocol != kUdpProtocol) {
    return;
  }
  state.bypassed = true;
}

std::vector<VisibilityMinute> Inspector::take_visibility(capture::TimestampUs now_us, bool all) {
  return state_->visibility_stats.take(now_us, all);
}

// DNS over UDP needs no flow: each datagram is a whole message. mDNS and LLMNR queries
// count too: tshark dissects them as DNS, and a school wants to see a device asking
// its LAN for a name as much as asking its resolver (documented in dev_notes.txt).
void Inspector::State::inspect_udp(const decode::DecodedPacket& packet, FlowTable::Flow& flow,
                                   EmitContext& context) {
  if (is_dhcp(packet)) return inspect_dhcp(packet, context);
  // QUIC is recognised by content (a v1/v2 long header) on any port but DHCP's and
  // DNS's (a DNS header can look like a long header: ID 0xc000, flags 0, one question).
  if (!is_dns_port(packet.src_port) && !is_dns_port(packet.dst_port)) {
    if (!QuicDissector::looks_like_quic_initial(packet.payload)) return;
    const bool from_first =
        packet.src_ip == flow.key.first_ip && packet.src_port == flow.key.first_port;
    const auto hello = quic.on_datagram(from_first, packet.payload, flow.state.quic, quic_counters);
    if (hello) {
      for (const auto& name : hello->server_names) {
        context.observe(ObservationKind::quic_sni, name, {}, attributes_of(*hello, name));
      }
    }
    return;
  }
  const auto message = parse_dns_message(packet.payload);
  if (!message || !message->complete) ++counters.dns_malformed;
  if (!message) return;
  learn_dns_answers(*message, context);
  if (message->is_response) return;
  for (const auto& name : message->question_names) observe_dns_query(context, name);
}

// DHCPv4 (dissect/dhcp.h): leases feed the host table; a message naming its client
// (option 12, from the client or echoed by the server) is a dhcp_lease observation
// whose client is the device the lease is for (dev_notes.txt).
void Inspector::State::inspect_dhcp(const decode::DecodedPacket& packet, EmitContext& context) {
  const auto message = parse_dhcp_message(packet.payload);
  if (!message || !message->complete) ++counters.dhcp_malformed;
  if (!message) return;
  const auto bound_ip = message->bound_ip();
  if (message->client_mac) {
    if (message->from_client) {
      hosts.learn_name(*message->client_mac, message->host_name, message->client_id, context.ts_us);
    }
    if (bound_ip) hosts.learn_binding(*bound_ip, *message->client_mac, context.ts_us);
  }
  EmitContext lease = context;
  if (!message->from_client) {  // a server's reply: the client is the other side
    std::swap(lease.src_ip, lease.dst_ip);
    std::swap(lease.src_port, lease.dst_port);
  }
  if (bound_ip) lease.src_ip = *bound_ip;
  lease.src_mac = message->client_mac;
  lease.observe(ObservationKind::dhcp_lease, message->host_name);
}

// Puts IP fragments back together; `ok` (and `packet` describing the whole datagram)
// once the last missing fragment arrives, `ip_fragment` while it is held or dropped.
decode::DecodeStatus Inspector::State::defragment(decode::DecodedPacket& packet,
                                                  capture::TimestampUs now_us) {
  const auto datagram = defragmenter.add(packet.src_ip, packet.dst_ip, packet.fragment, now_us);
  if (!datagram) return decode::DecodeStatus::ip_fragment;
  const auto status =
      decode::decode_ip_payload(datagram->is_v6, datagram->protocol, datagram->payload, packet);
  // A fragment header inside a reassembled packet is not something a sender does.
  return status == decode::DecodeStatus::ip_fragment ? decode::DecodeStatus::malformed : status;
}

FlowTable::Flow* Inspector::State::inspect_tcp(const decode::DecodedPacket& packet,
                                               const flows::DirectedFlowKey& directed,
                                               FlowTable::Flow* flow, EmitContext& context) {
  const bool syn = (packet.tcp_flags & decode::tcp_flag::kSyn) != 0;
  const bool fin = (packet.tcp_flags & decode::tcp_flag::kFin) != 0;
  const bool rst = (packet.tcp_flags & decode::tcp_flag::kRst) != 0;
  if (flow == nullptr && !syn && packet.payload.empty()) return nullptr;  // nothing to follow yet
  const int index = directed.from_first ? 0 : 1;
  const ObservationSink& emit = *context.emit;

  // SYN reuse of the 5-tuple: a SYN from a side that has already sent, and that is not
  // a retransmission of its own SYN, opens a new connection (the old one ended unseen).
  if (flow != nullptr && syn && flow->state.tcp) {
    const TcpDirection& previous = flow->state.tcp->directions[index];
    const bool same_syn = previous.syn_seq && *previous.syn_seq == packet.tcp_seq;
    if (previous.reassembler.started() && !same_syn) {
      flush(*flow, context.ts_us, emit);
      flow->state.tcp.reset();
      ++counters.tcp_connections_reused;
    }
  }
  bool created = false;
  FlowTable::Flow& current =
      flow != nullptr
          ? *flow
          : flows.find_or_create(directed, context.ts_us, created,
                                 [&](FlowTable::Flow& old) { flush(old, context.ts_us, emit); });
  if (!current.state.tcp) new_tcp_connection(current, packet);
  TcpDirection& direction = current.state.tcp->directions[index];
  if (syn && !direction.syn_seq) direction.syn_seq = packet.tcp_seq;
  direction.sender_mac = packet.src_mac;
  direction.stream->bind(&context);
  HttpBodyStreams::Tap tap(*current.state.tcp->http, index, *direction.stream, context);
  direction.reassembler.on_segment(packet.tcp_seq, syn, packet.payload, tap, reassembly);
  direction.stream->bind(nullptr);
  direction.fin = direction.fin || fin;

  const auto& directions = current.state.tcp->directions;
  if (rst || (directions[0].fin && directions[1].fin)) {
    flush(current, context.ts_us, emit);
    flows.erase(directed.key);
    return nullptr;
  }
  return &current;
}

void Inspector::State::new_tcp_connection(FlowTable::Flow& flow,
                                          const decode::DecodedPacket& packet) {
  flow.state.tcp = std::make_unique<TcpFlow>();
  const bool dns = packet.src_port == kDnsPort || packet.dst_port == kDnsPort;
  const flows::ReassemblySettings reassembly_settings{settings.max_out_of_order_bytes_per_direction,
                                                      settings.max_reassembly_depth_bytes};
  for (auto& direction : flow.state.tcp->directions) {
    direction.reassembler = flows::TcpDirectionReassembler(reassembly_settings, &reassembly_memory);
    direction.stream = std::make_unique<ClientStream>(settings, dns);
  }
  flow.state.tcp->http = std::make_unique<HttpBodyStreams>(settings);
}

// Delivers what each direction still holds, across its gaps (FIN, RST, SYN reuse,
// eviction, expiry, end of input).
// Nothing to dissect in ICMP, ESP, GRE …, but the headteacher's "what the box could
// not see" must still hold their flows and bytes: one flow per address pair and
// protocol, classified from the protocol alone (IPsec and GRE tunnels are VPNs).
void Inspector::State::account_other_protocol(const decode::DecodedPacket& packet,
                                              const capture::PacketView& frame,
                                              const ObservationSink& emit) {
  bool created = false;
  auto& flow = flows.find_or_create(
      flows::make_flow_key(packet.src_ip, 0, packet.dst_ip, 0, packet.other_protocol), frame.ts_us,
      created, [&](FlowTable::Flow& old) { flush(old, frame.ts_us, emit); });
  FlowVisibility& visibility = flow.state.visibility;
  visibility.on_packet(packet);
  visibility.on_ip_protocol(packet.other_protocol);
  visibility_stats.on_packet(visibility, frame.bytes.size(), frame.ts_us);
}

void Inspector::State::flush(FlowTable::Flow& flow, capture::TimestampUs now_us,
                             const ObservationSink& emit) {
  visibility_stats.on_flow_end(flow.state.visibility);  // every flow ends through here
  flow.state.visibility = FlowVisibility{};
  if (!flow.state.tcp) return;
  for (int index = 0; index < 2; ++index) {
    TcpDirection& direction = flow.state.tcp->directions[index];
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
    context.hosts = &hosts;
    context.address_names = &address_names;
    direction.stream->bind(&context);
    HttpBodyStreams::Tap tap(*flow.state.tcp->http, index, *direction.stream, context);
    direction.reassembler.flush(tap, reassembly);
    direction.stream->bind(nullptr);
  }
  // HTTP bodies delimited by the connection's end (dissect/http_body_stream.h).
  EmitContext ending;
  ending.ts_us = now_us;
  ending.emit = &emit;
  ending.counters = &counters;
  ending.hosts = &hosts;
  ending.address_names = &address_names;
  flow.state.tcp->http->finish(ending);
}

void Inspector::expire_idle(capture::TimestampUs now_us, const ObservationSink& emit) {
  State& s = *state_;
  s.last_expiry_us = now_us;
  s.flows.expire_idle(now_us, [&](FlowTable::Flow& flow) { s.flush(flow, now_us, emit); });
  s.defragmenter.expire(now_us);
}

void Inspector::finish(const ObservationSink& emit) {
  State& s = *state_;
  s.flows.drain([&](FlowTable::Flow& flow) { s.flush(flow, s.last_packet_us, emit); });
}

}  // namespace hm::dissect
