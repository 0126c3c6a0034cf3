#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "flows/flow_key.h"

namespace hm::flows {

// The flow table's key → flow map: open addressing with linear probing over slots of
// a hash and a handle (anything whose `->key` is the flow's FlowKey: the flow list's
// iterator). Every packet looks its flow up here (issue 9's profile). A slot is 16
// bytes and the flow's key is read through its handle, so the index takes less memory
// than a std::unordered_map's nodes did (5 MiB less with 100,000 flows).
//
// At most half the slots are used, so a probe always ends at an empty slot; deleting
// shifts the following entries back (no tombstones), so lookups stay short however
// many flows come and go.
template <typename Handle>
class FlowIndex {
 public:
  // The handle of `key`'s flow, or nullptr. Read it before the next call.
  const Handle* find(const FlowKey& key) {
    if (last_found_ && (*last_found_)->key == key) return &*last_found_;
    if (size_ == 0) return nullptr;
    const std::uint64_t hash = slot_hash(key);
    for (std::size_t i = hash & mask();; i = (i + 1) & mask()) {
      Slot& slot = slots_[i];
      if (slot.hash == kEmpty) return nullptr;
      if (slot.hash == hash && slot.handle->key == key) {
        last_found_ = slot.handle;
        return &slot.handle;
      }
    }
  }

  // `handle->key` must not be in the index yet.
  void insert(Handle handle) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const std::uint64_t hash = slot_hash(handle->key);
    place(hash, std::move(handle));
    ++size_;
  }

  // Forgets `key`'s flow; false if it was not there.
  bool erase(const FlowKey& key) {
    last_found_.reset();  // its flow may be the one going
    if (size_ == 0) return false;
    const std::uint64_t hash = slot_hash(key);
    for (std::size_t i = hash & mask();; i = (i + 1) & mask()) {
      Slot& slot = slots_[i];
      if (slot.hash == kEmpty) return false;
      if (slot.hash == hash && slot.handle->key == key) {
        close_gap(i);
        --size_;
        return true;
      }
    }
  }

  void clear() {
    last_found_.reset();
    for (Slot& slot : slots_) slot = Slot{};
    size_ = 0;
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;  // kEmpty: free
    Handle handle{};
  };
  static constexpr std::uint64_t kEmpty = 0;
  static constexpr std::size_t kFirstCapacity = 16;

  // FlowKeyHash, never kEmpty.
  static std::uint64_t slot_hash(const FlowKey& key) {
    const std::uint64_t hash = FlowKeyHash{}(key);
    return hash == kEmpty ? 1 : hash;
  }

  std::size_t mask() const { return slots_.size() - 1; }
  std::size_t home(std::uint64_t hash) const { return hash & mask(); }

  void place(std::uint64_t hash, Handle handle) {
    std::size_t i = home(hash);
    while (slots_[i].hash != kEmpty) i = (i + 1) & mask();
    slots_[i] = Slot{hash, std::move(handle)};
  }

  void grow() {
    std::vector<Slot> old(slots_.empty() ? kFirstCapacity : slots_.size() * 2);
    old.swap(slots_);
    for (Slot& slot : old) {
      if (slot.hash != kEmpty) place(slot.hash, std::move(slot.handle));
    }
  }

  // Backward-shift deletion: entries after the freed slot whose probe passed through
  // it move into it, so no probe meets an empty slot before its entry.
  void close_gap(std::size_t gap) {
    for (std::size_t i = (gap + 1) & mask(); slots_[i].hash != kEmpty; i = (i + 1) & mask()) {
      // Distances are counted cyclically from the entry's home slot.
      const std::size_t from_home_to_entry = (i - home(slots_[i].hash)) & mask();
      const std::size_t from_home_to_gap = (gap - home(slots_[i].hash)) & mask();
      if (from_home_to_gap < from_home_to_entry) {
        slots_[gap] = std::move(slots_[i]);
        gap = i;
      }
    }
    slots_[gap] = Slot{};
  }

  std::vector<Slot> slots_;  // a power of two in size, or empty
  std::size_t size_ = 0;
  // Packets come in trains of one flow (a TCP window, a burst of video), so the flow
  // found last is tried before hashing: one key comparison instead of a hash and a
  // probe. Forgotten on every erase, so it never names a flow that has gone.
  std::optional<Handle> last_found_;
};

}  // namespace hm::flows
