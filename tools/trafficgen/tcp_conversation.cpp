#include "tcp_conversation.h"

#include <algorithm>

#include "rng.h"

namespace hm::trafficgen {
namespace {

constexpr uint32_t kMss = 1460;
constexpr uint32_t kInitialWindow = 10;  // RFC 6928
constexpr uint32_t kMaxWindow = 64;      // stays under both receive windows below
constexpr Micros kAckDelay = 40;         // a device acknowledging what just arrived
constexpr Micros kDelayedAckTimeout = 40 * kMillisecond;
// Receive windows after the handshake: 2048 << 6 and 1024 << 7, both 128 KiB.
constexpr uint16_t kClientWindow = 2048;
constexpr uint16_t kServerWindow = 1024;
// MSS 1460, NOP, window scale, NOP, NOP, SACK permitted.
constexpr uint8_t kClientSynOptions[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 6, 1, 1, 4, 2};
constexpr uint8_t kServerSynOptions[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7, 1, 1, 4, 2};

}  // namespace

TcpConversation::TcpConversation(TcpPath path, Micros start, std::vector<TcpMessage> messages,
                                 Micros close_after, uint64_t seed)
    : path_(path), start_(start), messages_(std::move(messages)), close_after_(close_after) {
  Rng rng(seed);
  client_next_ = static_cast<uint32_t>(rng.next());
  server_next_ = static_cast<uint32_t>(rng.next());
  client_ip_id_ = static_cast<uint16_t>(rng.next());
  server_ip_id_ = static_cast<uint16_t>(rng.next());
}

void TcpConversation::emit(std::vector<TimedFrame>& out, Micros ts, bool from_client, uint8_t flags,
                           std::span<const uint8_t> payload, std::span<const uint8_t> options) {
  TcpFields tcp;
  tcp.flags = flags;
  tcp.options = options;
  Ipv4Fields ip;
  TimedFrame frame{ts, {}};
  if (from_client) {
    tcp.seq = client_next_;
    tcp.ack = (flags & tcp_flag::kAck) != 0 ? server_next_ : 0;
    tcp.window = (flags & tcp_flag::kSyn) != 0 ? 64240 : kClientWindow;
    ip.ttl = path_.client_ttl;
    ip.id = client_ip_id_++;
    append_tcp_frame(frame.frame, path_.client, path_.server, ip, tcp, payload);
    client_next_ += static_cast<uint32_t>(payload.size());
  } else {
    tcp.seq = server_next_;
    tcp.ack = client_next_;
    tcp.window = (flags & tcp_flag::kSyn) != 0 ? 65535 : kServerWindow;
    ip.ttl = path_.server_ttl;
    ip.id = server_ip_id_++;
    append_tcp_frame(frame.frame, path_.server, path_.client, ip, tcp, payload);
    server_next_ += static_cast<uint32_t>(payload.size());
  }
  if ((flags & (tcp_flag::kSyn | tcp_flag::kFin)) != 0) {
    (from_client ? client_next_ : server_next_) += 1;
  }
  last_frame_ = std::max(last_frame_, ts);
  out.push_back(std::move(frame));
}

bool TcpConversation::next_round(std::vector<TimedFrame>& out) {
  switch (stage_) {
    case Stage::kHandshake: handshake(out); return true;
    case Stage::kMessages: message_round(out); return true;
    case Stage::kClose: close(out); return true;
    case Stage::kDone: break;
  }
  return false;
}

void TcpConversation::handshake(std::vector<TimedFrame>& out) {
  emit(out, start_, true, tcp_flag::kSyn, {}, kClientSynOptions);
  const Micros syn_ack = start_ + path_.rtt;
  emit(out, syn_ack, false, tcp_flag::kSyn | tcp_flag::kAck, {}, kServerSynOptions);
  emit(out, syn_ack + kAckDelay, true, tcp_flag::kAck, {});
  // A client that speaks first (every protocol here) sends right after its ACK.
  last_data_ = syn_ack + kFirstDataAfterSynAck;
  if (messages_.empty()) {
    stage_ = Stage::kClose;
    return;
  }
  stage_ = Stage::kMessages;
  const TcpMessage& first = messages_.front();
  round_start_ = last_data_ + first.think;
  offset_ = 0;
  window_ = kInitialWindow;
}

// Positions the next message after the one just finished (`ready`: when its last
// data segment was seen).
void TcpConversation::begin_message(Micros ready) {
  last_data_ = ready;
  ++message_;
  offset_ = 0;
  window_ = kInitialWindow;
  if (message_ == messages_.size()) {
    stage_ = Stage::kClose;
    return;
  }
  const TcpMessage& previous = messages_[message_ - 1];
  const TcpMessage& next = messages_[message_];
  Micros at = ready + next.think;
  if (next.from_client != previous.from_client) {
    // The new sender first has to receive the last segment.
    at += previous.from_client ? path_.rtt : kAckDelay;
  }
  round_start_ = std::max(at, last_frame_ + 1);
}

void TcpConversation::message_round(std::vector<TimedFrame>& out) {
  const TcpMessage& message = messages_[message_];
  const bool from_client = message.from_client;
  const Micros gap = from_client ? path_.client_gap : path_.server_gap;
  // The receiver's acknowledgement is seen a round trip later if it is the server,
  // at once if it is the device next to the mirror port.
  const Micros ack_lag = from_client ? path_.rtt : kAckDelay;
  const bool next_from_receiver = message_ + 1 < messages_.size() &&
                                  messages_[message_ + 1].from_client != from_client &&
                                  messages_[message_ + 1].think <= kDelayedAckTimeout;

  std::vector<TimedFrame> round;
  Micros last_segment = round_start_;
  for (uint32_t k = 0; k < window_ && offset_ < message.payload.size(); ++k) {
    const auto length =
        static_cast<size_t>(std::min<uint64_t>(kMss, message.payload.size() - offset_));
    scratch_.resize(length);
    message.payload.read(offset_, scratch_);
    offset_ += length;
    const bool last_of_message = offset_ == message.payload.size();
    const bool last_of_round = last_of_message || k + 1 == window_;
    last_segment = round_start_ + static_cast<Micros>(k) * gap;
    emit(round, last_segment, from_client, tcp_flag::kAck | (last_of_message ? tcp_flag::kPsh : 0),
         scratch_);
    // Delayed ACKs: every second segment, and whatever ends the round, unless the
    // receiver's own reply is about to carry the acknowledgement.
    if ((k % 2 == 1 || last_of_round) && !(last_of_message && next_from_receiver)) {
      emit(round, last_segment + ack_lag, !from_client, tcp_flag::kAck, {});
    }
  }
  // Segments and acknowledgements interleave in time; emit() numbered them in
  // sending order, which is also time order per direction, so a stable sort keeps
  // every sequence number consistent.
  std::stable_sort(round.begin(), round.end(),
                   [](const TimedFrame& a, const TimedFrame& b) { return a.ts < b.ts; });
  for (auto& frame : round) out.push_back(std::move(frame));

  if (offset_ == message.payload.size()) {
    begin_message(last_segment);
    return;
  }
  window_ = std::min(window_ * 2, kMaxWindow);
  round_start_ = std::max(round_start_ + path_.rtt, last_frame_ + gap);
}

void TcpConversation::close(std::vector<TimedFrame>& out) {
  const Micros fin = std::max(last_data_ + close_after_, last_frame_ + 1);
  emit(out, fin, true, tcp_flag::kFin | tcp_flag::kAck, {});
  emit(out, fin + path_.rtt, false, tcp_flag::kFin | tcp_flag::kAck, {});
  emit(out, fin + path_.rtt + kAckDelay, true, tcp_flag::kAck, {});
  stage_ = Stage::kDone;
}

}  // namespace hm::trafficgen
