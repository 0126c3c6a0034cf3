#include "flows/tcp_reassembly.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace hm::flows {

namespace {

// A segment further ahead than this is not a hole we could ever fill: it is a bogus
// sequence number, and holding it would only waste the bound.
constexpr std::int64_t kMaxAheadFactor = 16;

}  // namespace

TcpDirectionReassembler::~TcpDirectionReassembler() { release_held(); }

TcpDirectionReassembler::TcpDirectionReassembler(TcpDirectionReassembler&& other) noexcept
    : settings_(other.settings_),
      memory_(other.memory_),
      started_(other.started_),
      depth_reached_(other.depth_reached_),
      next_seq_(other.next_seq_),
      delivered_(other.delivered_),
      held_(std::move(other.held_)),
      held_bytes_(std::exchange(other.held_bytes_, 0)) {
  other.held_.clear();
}

TcpDirectionReassembler& TcpDirectionReassembler::operator=(
    TcpDirectionReassembler&& other) noexcept {
  if (this != &other) {
    release_held();
    settings_ = other.settings_;
    memory_ = other.memory_;
    started_ = other.started_;
    depth_reached_ = other.depth_reached_;
    next_seq_ = other.next_seq_;
    delivered_ = other.delivered_;
    held_ = std::move(other.held_);
    other.held_.clear();
    held_bytes_ = std::exchange(other.held_bytes_, 0);
  }
  return *this;
}

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
  if (payload.empty() || depth_reached_) return;

  const auto ahead = static_cast<std::int32_t>(seq - next_seq_);
  if (ahead <= 0) {
    const auto already = static_cast<std::size_t>(-static_cast<std::int64_t>(ahead));
    if (already >= payload.size()) {
      counters.retransmitted_bytes += payload.size();
      return;
    }
    counters.retransmitted_bytes += already;
    accept_in_order(payload.subspan(already), consumer, counters);
    return;
  }
  if (ahead > kMaxAheadFactor * static_cast<std::int64_t>(settings_.max_held_bytes)) {
    ++counters.out_of_order_dropped;
    return;
  }
  const std::uint64_t offset = delivered_ + static_cast<std::uint64_t>(ahead);
  if (hold(offset, payload, true, counters)) return;
  // A bound was reached: the hole is not going to be filled in time; skip it and retry.
  skip_to_first_held(consumer, counters);
  if (depth_reached_) return;
  const auto still_ahead = static_cast<std::int32_t>(seq - next_seq_);
  if (still_ahead <= 0) {
    on_segment(seq, false, payload, consumer, counters);
  } else if (!hold(delivered_ + static_cast<std::uint64_t>(still_ahead), payload, true, counters)) {
    ++counters.out_of_order_dropped;
  }
}

void TcpDirectionReassembler::flush(StreamConsumer& consumer, ReassemblyCounters& counters) {
  while (!held_.empty()) skip_to_first_held(consumer, counters);
}

// `bytes` start at the next byte to deliver. Up to the first held piece they go straight
// out; past it, held bytes came first and win, so the rest is merged like a held segment.
void TcpDirectionReassembler::accept_in_order(std::span<const std::uint8_t> bytes,
                                              StreamConsumer& consumer,
                                              ReassemblyCounters& counters) {
  std::size_t direct = bytes.size();
  if (!held_.empty()) direct = std::min<std::uint64_t>(direct, held_.begin()->first - delivered_);
  deliver(bytes.first(direct), consumer, counters);
  if (direct < bytes.size() && !depth_reached_) {
    hold(delivered_, bytes.subspan(direct), false, counters);  // delivered at once, below
  }
  deliver_held(consumer, counters);
}

void TcpDirectionReassembler::deliver(std::span<const std::uint8_t> bytes, StreamConsumer& consumer,
                                      ReassemblyCounters& counters) {
  if (bytes.empty() || depth_reached_) return;
  const std::uint64_t depth = settings_.max_depth_bytes;
  if (depth != 0 && delivered_ + bytes.size() >= depth) {
    // A gap may already have skipped past the depth.
    bytes = bytes.first(delivered_ >= depth ? 0 : static_cast<std::size_t>(depth - delivered_));
    depth_reached_ = true;
    ++counters.depth_reached;
  }
  delivered_ += bytes.size();
  next_seq_ += static_cast<std::uint32_t>(bytes.size());
  if (!bytes.empty()) consumer.on_stream_data(bytes);
  if (depth_reached_) release_held();
}

void TcpDirectionReassembler::deliver_held(StreamConsumer& consumer, ReassemblyCounters& counters) {
  while (!held_.empty() && held_.begin()->first <= delivered_ && !depth_reached_) {
    auto node = held_.extract(held_.begin());
    account(-static_cast<std::ptrdiff_t>(node.mapped().size()));
    const std::uint64_t end = node.key() + node.mapped().size();
    if (end <= delivered_) {
      counters.retransmitted_bytes += node.mapped().size();
      continue;
    }
    const auto already = static_cast<std::size_t>(delivered_ - node.key());
    deliver(std::span<const std::uint8_t>(node.mapped()).subspan(already), consumer, counters);
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

// Holds the bytes of [offset, offset + size) that no held piece covers yet (first copy
// wins). False, holding nothing, if `bounded` and they do not fit.
bool TcpDirectionReassembler::hold(std::uint64_t offset, std::span<const std::uint8_t> bytes,
                                   bool bounded, ReassemblyCounters& counters) {
  const std::uint64_t end = offset + bytes.size();
  auto piece = held_.upper_bound(offset);
  if (piece != held_.begin() &&
      std::prev(piece)->first + std::prev(piece)->second.size() > offset) {
    --piece;
  }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> holes;
  std::uint64_t cursor = offset;
  bool conflict = false;
  for (; piece != held_.end() && piece->first < end; ++piece) {
    const std::uint64_t piece_end = piece->first + piece->second.size();
    const std::uint64_t from = std::max(offset, piece->first);
    const std::uint64_t to = std::min(end, piece_end);
    conflict = conflict || std::memcmp(piece->second.data() + (from - piece->first),
                                       bytes.data() + (from - offset), to - from) != 0;
    if (piece->first > cursor) holes.emplace_back(cursor, piece->first);
    cursor = std::max(cursor, piece_end);
  }
  if (cursor < end) holes.emplace_back(cursor, end);

  std::size_t added = 0;
  for (const auto& [from, to] : holes) added += to - from;
  if (bounded && added > 0) {
    if (held_bytes_ + added > settings_.max_held_bytes) return false;
    if (memory_ != nullptr && memory_->held_bytes + added > memory_->max_held_bytes) {
      ++counters.memory_full;
      return false;
    }
  }
  if (conflict) ++counters.overlap_conflicts;
  counters.retransmitted_bytes += bytes.size() - added;
  if (added == 0) return true;
  for (const auto& [from, to] : holes) {
    held_.emplace(from, std::vector<std::uint8_t>(bytes.begin() + (from - offset),
                                                  bytes.begin() + (to - offset)));
  }
  account(static_cast<std::ptrdiff_t>(added));
  if (bounded) ++counters.out_of_order_held;
  return true;
}

void TcpDirectionReassembler::release_held() {
  account(-static_cast<std::ptrdiff_t>(held_bytes_));
  held_.clear();
}

void TcpDirectionReassembler::account(std::ptrdiff_t delta) {
  held_bytes_ = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(held_bytes_) + delta);
  if (memory_ != nullptr) {
    memory_->held_bytes =
        static_cast<std::size_t>(static_cast<std::ptrdiff_t>(memory_->held_bytes) + delta);
  }
}

}  // namespace hm::flows
