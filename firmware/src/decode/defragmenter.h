#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "capture/packet.h"
#include "decode/address.h"
#include "decode/decoder.h"

namespace hm::decode {

// Bounds of one worker's IP reassembly (each a named setting, STYLE.md).
struct DefragmenterSettings {
  std::size_t max_fragments_per_datagram = 64;   // a 64 KiB datagram at a 1280-byte MTU is 52
  std::size_t max_held_bytes = 4u << 20;         // fragment bytes held, all datagrams together
  std::size_t max_datagrams = 1024;              // datagrams being put together at once
  capture::TimestampUs timeout_us = 30'000'000;  // Linux's ipfrag_time
};

struct DefragmenterCounters {
  std::uint64_t fragments = 0;           // fragments seen
  std::uint64_t reassembled = 0;         // datagrams put back together
  std::uint64_t overlaps = 0;            // datagrams dropped: fragments overlapped with other bytes
  std::uint64_t timeouts = 0;            // datagrams dropped: still incomplete at the timeout
  std::uint64_t memory_full = 0;         // datagrams dropped: bytes or datagrams bound reached
  std::uint64_t too_many_fragments = 0;  // datagrams dropped: fragments-per-datagram bound
  std::uint64_t malformed = 0;           // fragments dropped: past 64 KiB, odd size, bad end
};

// The payload of a reassembled datagram; `payload` is valid until the next add().
struct ReassembledDatagram {
  bool is_v6 = false;
  std::uint8_t protocol = 0;  // IPv4 protocol or the IPv6 fragment header's next header
  std::span<const std::uint8_t> payload;
};

// IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) fragment reassembly for one worker.
// Fragments of one datagram share (source, destination, id[, protocol for IPv4]);
// app/pipeline.cpp hashes packets to workers by address pair so they all meet here.
//
// Overlap policy: a fragment that overlaps bytes already held is accepted only if the
// overlapping bytes are the same (a duplicate); if they differ, the whole datagram is
// dropped, and fragments of it that come later are absorbed until its timeout. This
// is what RFC 5722 requires for IPv6 and what Linux has done for IPv4 since 4.19: the
// receiving host throws such a datagram away, so there is no "true" content to show,
// and choosing one copy would let a sender show the box one text and the host another.
//
// Bounds: too many fragments for one datagram drops it; when the held bytes or the
// number of datagrams in progress would pass their bound, the oldest datagrams are
// dropped to make room (a new datagram is likelier to complete than a stale one).
// Datagrams still incomplete `timeout_us` after their first fragment are dropped.
// Every drop is counted.
class Defragmenter {
 public:
  explicit Defragmenter(DefragmenterSettings settings = {});

  // Takes one fragment; returns the datagram when this fragment completes it.
  std::optional<ReassembledDatagram> add(const IpAddress& src, const IpAddress& dst,
                                         const IpFragment& fragment, capture::TimestampUs now_us);

  // Drops datagrams older than the timeout at `now_us` (add() does this too).
  void expire(capture::TimestampUs now_us);

  std::size_t datagrams_in_progress() const { return datagrams_.size(); }
  std::size_t held_bytes() const { return held_bytes_; }
  const DefragmenterCounters& counters() const { return counters_; }

 private:
  struct Key {
    IpAddress src;
    IpAddress dst;
    std::uint32_t id = 0;
    std::uint8_t protocol = 0;  // IPv4 only; 0 for IPv6
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };
  struct Datagram {
    Key key;
    capture::TimestampUs first_seen_us = 0;
    std::map<std::uint32_t, std::vector<std::uint8_t>> pieces;  // by offset, never overlapping
    std::size_t bytes = 0;
    std::size_t fragment_count = 0;
    std::optional<std::uint32_t> total_length;  // known once the last fragment is seen
    std::uint8_t protocol = 0;                  // from the first fragment
    bool dropped = false;                       // absorbing the rest until the timeout
  };
  using DatagramList = std::list<Datagram>;  // oldest first

  void drop(Datagram& datagram);  // frees its bytes, keeps it to absorb later fragments
  void erase(DatagramList::iterator datagram);
  bool make_room(std::size_t bytes, const Datagram& keep);
  bool insert(Datagram& datagram, std::uint32_t offset, std::span<const std::uint8_t> data);
  std::optional<ReassembledDatagram> complete(DatagramList::iterator datagram);

  DefragmenterSettings settings_;
  DatagramList datagrams_;
  std::unordered_map<Key, DatagramList::iterator, KeyHash> index_;
  std::size_t held_bytes_ = 0;
  std::vector<std::uint8_t> reassembled_;  // the last datagram completed
  DefragmenterCounters counters_;
};

}  // namespace hm::decode
