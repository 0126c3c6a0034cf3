#include "decode/defragmenter.h"

#include <algorithm>
#include <cstring>

namespace hm::decode {

namespace {

// RFC 791 §3.1 / RFC 8200 §4.5: a datagram's payload cannot pass 65535 bytes (a bigger
// one is the "ping of death" and has no honest sender).
constexpr std::uint32_t kMaxDatagramPayload = 65535;

}  // namespace

std::size_t Defragmenter::KeyHash::operator()(const Key& key) const {
  std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
  auto mix = [&hash](std::uint8_t byte) { hash = (hash ^ byte) * 1099511628211ull; };
  for (auto byte : key.src.bytes) mix(byte);
  for (auto byte : key.dst.bytes) mix(byte);
  for (int shift = 0; shift < 32; shift += 8) mix(static_cast<std::uint8_t>(key.id >> shift));
  mix(key.protocol);
  mix(key.src.is_v6 ? 1 : 0);
  return static_cast<std::size_t>(hash);
}

Defragmenter::Defragmenter(DefragmenterSettings settings) : settings_(settings) {
  if (settings_.max_fragments_per_datagram == 0) settings_.max_fragments_per_datagram = 1;
  if (settings_.max_datagrams == 0) settings_.max_datagrams = 1;
}

std::optional<ReassembledDatagram> Defragmenter::add(const IpAddress& src, const IpAddress& dst,
                                                     const IpFragment& fragment,
                                                     capture::TimestampUs now_us) {
  ++counters_.fragments;
  expire(now_us);
  const std::size_t size = fragment.data.size();
  const std::uint64_t end = std::uint64_t{fragment.offset} + size;
  // Every fragment but the last carries a multiple of 8 bytes (RFC 791, RFC 8200 §4.5).
  if (end > kMaxDatagramPayload || (fragment.more && (size == 0 || size % 8 != 0))) {
    ++counters_.malformed;
    return std::nullopt;
  }

  const Key key{src, dst, fragment.id, fragment.is_v6 ? std::uint8_t{0} : fragment.protocol};
  auto found = index_.find(key);
  if (found == index_.end()) {
    if (datagrams_.size() >= settings_.max_datagrams) {
      if (!datagrams_.front().dropped) ++counters_.memory_full;
      erase(datagrams_.begin());
    }
    datagrams_.push_back(Datagram{});
    datagrams_.back().key = key;
    datagrams_.back().first_seen_us = now_us;
    found = index_.emplace(key, std::prev(datagrams_.end())).first;
  }
  const auto position = found->second;
  Datagram& datagram = *position;
  if (datagram.dropped) return std::nullopt;

  if (++datagram.fragment_count > settings_.max_fragments_per_datagram) {
    ++counters_.too_many_fragments;
    drop(datagram);
    return std::nullopt;
  }
  // The end is fixed by the last fragment; nothing may lie beyond it.
  const std::uint32_t fragment_end = static_cast<std::uint32_t>(end);
  const bool bad_end =
      fragment.more
          ? (datagram.total_length && fragment_end > *datagram.total_length)
          : ((datagram.total_length && *datagram.total_length != fragment_end) ||
             (!datagram.pieces.empty() && std::prev(datagram.pieces.end())->first +
                                                  std::prev(datagram.pieces.end())->second.size() >
                                              fragment_end));
  if (bad_end) {
    ++counters_.malformed;
    drop(datagram);
    return std::nullopt;
  }
  if (!fragment.more) datagram.total_length = fragment_end;
  if (fragment.offset == 0) datagram.protocol = fragment.protocol;
  if (!insert(datagram, fragment.offset, fragment.data)) return std::nullopt;
  return complete(position);
}

// Adds the bytes of [offset, offset + data.size()) not held yet; false if the datagram
// was dropped (conflicting overlap, or no room).
bool Defragmenter::insert(Datagram& datagram, std::uint32_t offset,
                          std::span<const std::uint8_t> data) {
  const std::uint32_t end = offset + static_cast<std::uint32_t>(data.size());
  auto piece = datagram.pieces.upper_bound(offset);
  if (piece != datagram.pieces.begin() &&
      std::prev(piece)->first + std::prev(piece)->second.size() > offset) {
    --piece;
  }
  // The holes this fragment fills, and a check that what it overlaps is the same.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> holes;
  std::uint32_t cursor = offset;
  for (; piece != datagram.pieces.end() && piece->first < end; ++piece) {
    const std::uint32_t piece_end = piece->first + static_cast<std::uint32_t>(piece->second.size());
    const std::uint32_t from = std::max(offset, piece->first);
    const std::uint32_t to = std::min(end, piece_end);
    if (std::memcmp(piece->second.data() + (from - piece->first), data.data() + (from - offset),
                    to - from) != 0) {
      ++counters_.overlaps;
      drop(datagram);
      return false;
    }
    if (piece->first > cursor) holes.emplace_back(cursor, piece->first);
    cursor = std::max(cursor, piece_end);
  }
  if (cursor < end) holes.emplace_back(cursor, end);

  std::size_t added = 0;
  for (const auto& [from, to] : holes) added += to - from;
  if (!make_room(added, datagram)) {
    ++counters_.memory_full;
    drop(datagram);
    return false;
  }
  for (const auto& [from, to] : holes) {
    datagram.pieces.emplace(from, std::vector<std::uint8_t>(data.begin() + (from - offset),
                                                            data.begin() + (to - offset)));
  }
  datagram.bytes += added;
  held_bytes_ += added;
  return true;
}

// Drops the oldest other datagrams until `bytes` more fit; false if they never can.
bool Defragmenter::make_room(std::size_t bytes, const Datagram& keep) {
  if (keep.bytes + bytes > settings_.max_held_bytes) return false;
  auto oldest = datagrams_.begin();
  while (held_bytes_ + bytes > settings_.max_held_bytes && oldest != datagrams_.end()) {
    auto next = std::next(oldest);
    if (&*oldest != &keep && oldest->bytes > 0) {
      ++counters_.memory_full;
      erase(oldest);
    }
    oldest = next;
  }
  return held_bytes_ + bytes <= settings_.max_held_bytes;
}

std::optional<ReassembledDatagram> Defragmenter::complete(DatagramList::iterator position) {
  Datagram& datagram = *position;
  if (!datagram.total_length) return std::nullopt;
  std::uint32_t covered = 0;
  for (const auto& [offset, bytes] : datagram.pieces) {
    if (offset != covered) return std::nullopt;  // pieces never overlap: a hole
    covered += static_cast<std::uint32_t>(bytes.size());
  }
  if (covered != *datagram.total_length) return std::nullopt;
  reassembled_.clear();
  reassembled_.reserve(covered);
  for (const auto& [offset, bytes] : datagram.pieces) {
    reassembled_.insert(reassembled_.end(), bytes.begin(), bytes.end());
  }
  const ReassembledDatagram result{datagram.key.src.is_v6, datagram.protocol, reassembled_};
  ++counters_.reassembled;
  erase(position);
  return result;
}

void Defragmenter::drop(Datagram& datagram) {
  held_bytes_ -= datagram.bytes;
  datagram.bytes = 0;
  datagram.pieces.clear();
  datagram.dropped = true;
}

void Defragmenter::erase(DatagramList::iterator datagram) {
  held_bytes_ -= datagram->bytes;
  index_.erase(datagram->key);
  datagrams_.erase(datagram);
}

void Defragmenter::expire(capture::TimestampUs now_us) {
  while (!datagrams_.empty() && now_us - datagrams_.front().first_seen_us > settings_.timeout_us) {
    if (!datagrams_.front().dropped) ++counters_.timeouts;
    erase(datagrams_.begin());
  }
}

}  // namespace hm::decode
