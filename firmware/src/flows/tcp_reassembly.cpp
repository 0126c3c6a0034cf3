#include "flows/tcp_reassembly.h"

namespace hm::flows {

namespace {

// A segment further ahead than this is not a hole we could ever fill: it is a bogus
// sequence number, and holding it would only waste the bound.
constexpr std::int64_t kMaxAheadFactor = 16;

}  // namespace

void TcpDirectionReassembler::on_segment(std::uint32_t seq, bool syn,
                                         std::span<const std::uint8_t> payload,
                                         StreamConsumer& consumer, ReassemblyCounters& counters) {
  if (syn) {
    seq += 1;  // the SYN occupies one sequence number; any data follows it
    if (!started_) {
      started_ = true;
      next_seq_ = seq;
    }
  } else if (!started_) {
    started_ = true;  // picked up mid-stream
    next_seq_ = seq;
  }
  if (payload.empty()) return;

  const auto ahead = static_cast<std::int32_t>(seq - next_seq_);
  if (ahead <= 0) {
    const auto already = static_cast<std::size_t>(-static_cast<std::int64_t>(ahead));
    if (already >= payload.size()) {
      counters.retransmitted_bytes += payload.size();
      return;
    }
    counters.retransmitted_bytes += already;
    deliver(payload.subspan(already), consumer);
    deliver_held(consumer, counters);
    return;
  }
  if (ahead > kMaxAheadFactor * static_cast<std::int64_t>(max_held_bytes_)) {
    ++counters.out_of_order_dropped;
    return;
  }
  const std::uint64_t offset = delivered_ + static_cast<std::uint64_t>(ahead);
  if (hold(offset, payload, counters)) return;
  // Bound reached: the hole is not going to be filled in time; skip it and try again.
  skip_to_first_held(consumer, counters);
  const auto still_ahead = static_cast<std::int32_t>(seq - next_seq_);
  if (still_ahead <= 0) {
    on_segment(seq, false, payload, consumer, counters);
  } else if (!hold(delivered_ + static_cast<std::uint64_t>(still_ahead), payload, counters)) {
    ++counters.out_of_order_dropped;
  }
}

void TcpDirectionReassembler::flush(StreamConsumer& consumer, ReassemblyCounters& counters) {
  while (!held_.empty()) skip_to_first_held(consumer, counters);
}

void TcpDirectionReassembler::deliver(std::span<const std::uint8_t> bytes,
                                      StreamConsumer& consumer) {
  delivered_ += bytes.size();
  next_seq_ += static_cast<std::uint32_t>(bytes.size());
  consumer.on_stream_data(bytes);
}

void TcpDirectionReassembler::deliver_held(StreamConsumer& consumer, ReassemblyCounters& counters) {
  while (!held_.empty() && held_.begin()->first <= delivered_) {
    auto node = held_.extract(held_.begin());
    held_bytes_ -= node.mapped().size();
    const std::uint64_t end = node.key() + node.mapped().size();
    if (end <= delivered_) {
      counters.retransmitted_bytes += node.mapped().size();
      continue;
    }
    const std::size_t already = delivered_ - node.key();
    counters.retransmitted_bytes += already;
    deliver(std::span<const std::uint8_t>(node.mapped()).subspan(already), consumer);
  }
}

void TcpDirectionReassembler::skip_to_first_held(StreamConsumer& consumer,
                                                 ReassemblyCounters& counters) {
  if (held_.empty()) return;
  const std::uint64_t first = held_.begin()->first;
  if (first > delivered_) {
    const std::uint64_t missing = first - delivered_;
    ++counters.gaps;
    delivered_ = first;
    next_seq_ += static_cast<std::uint32_t>(missing);
    consumer.on_stream_gap(missing);
  }
  deliver_held(consumer, counters);
}

bool TcpDirectionReassembler::hold(std::uint64_t offset, std::span<const std::uint8_t> bytes,
                                   ReassemblyCounters& counters) {
  auto existing = held_.find(offset);
  if (existing != held_.end() && existing->second.size() >= bytes.size()) {
    counters.retransmitted_bytes += bytes.size();
    return true;  // a retransmission of something already held
  }
  const std::size_t replaced = existing != held_.end() ? existing->second.size() : 0;
  if (held_bytes_ - replaced + bytes.size() > max_held_bytes_) return false;
  held_bytes_ = held_bytes_ - replaced + bytes.size();
  held_[offset].assign(bytes.begin(), bytes.end());
  ++counters.out_of_order_held;
  return true;
}

}  // namespace hm::flows
