#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

namespace hm::capture {

// Bounded single-producer single-consumer ring between the capture thread and one
// worker (DESIGN.md: a full ring drops and counts; it never blocks or grows).
//
// Slots are filled and read in place (next_free/publish, front/pop) and keep what
// they held: a slot of Packets keeps its byte buffer, so after the first lap a packet
// crosses the ring with one copy and no allocation (issue 9's profile: malloc on the
// capture thread and free on the worker cost more than decoding). try_push/try_pop
// move whole items, for callers that have them.
template <typename T>
class SpscRing {
 public:
  explicit SpscRing(std::size_t capacity) : capacity_(capacity + 1), slots_(new T[capacity_]) {}

  // Before either side uses the ring: calls prepare(slot) on every slot (to reserve
  // its buffer once, say, rather than on the first lap).
  template <typename Prepare>
  void prepare_each(Prepare prepare) {
    for (std::size_t i = 0; i < capacity_; ++i) prepare(slots_[i]);
  }

  // Producer side: the slot to fill next, or nullptr when the ring is full.
  T* next_free() {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    const std::size_t next = advance(head);
    if (next == tail_seen_) {
      tail_seen_ = tail_.load(std::memory_order_acquire);
      if (next == tail_seen_) return nullptr;
    }
    return &slots_[head];
  }
  // Hands the slot next_free() returned to the consumer.
  void publish() {
    head_.store(advance(head_.load(std::memory_order_relaxed)), std::memory_order_release);
  }

  // Consumer side: the oldest filled slot, or nullptr when the ring is empty.
  T* front() {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail == head_seen_) {
      head_seen_ = head_.load(std::memory_order_acquire);
      if (tail == head_seen_) return nullptr;
    }
    return &slots_[tail];
  }
  // Consumer side: the filled slot `ahead` places after front()'s, or nullptr when the
  // ring holds no more (as far as the consumer last looked).
  T* filled_ahead(std::size_t ahead) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    const std::size_t filled =
        head_seen_ >= tail ? head_seen_ - tail : head_seen_ + capacity_ - tail;
    return ahead < filled ? &slots_[wrap(tail + ahead)] : nullptr;
  }
  // Gives the slot front() returned back to the producer (its contents stay).
  void pop() {
    tail_.store(advance(tail_.load(std::memory_order_relaxed)), std::memory_order_release);
  }

  // Producer side. Returns false (and leaves `item` untouched) when full.
  bool try_push(T& item) {
    T* slot = next_free();
    if (slot == nullptr) return false;
    *slot = std::move(item);
    publish();
    return true;
  }

  // Consumer side.
  std::optional<T> try_pop() {
    T* slot = front();
    if (slot == nullptr) return std::nullopt;
    std::optional<T> item(std::move(*slot));
    pop();
    return item;
  }

  bool empty() const {
    return tail_.load(std::memory_order_acquire) == head_.load(std::memory_order_acquire);
  }

 private:
  std::size_t advance(std::size_t index) const { return index + 1 == capacity_ ? 0 : index + 1; }
  // An index up to twice the capacity, back into the ring.
  std::size_t wrap(std::size_t index) const {
    return index >= capacity_ ? index - capacity_ : index;
  }

  const std::size_t capacity_;
  std::unique_ptr<T[]> slots_;
  alignas(64) std::atomic<std::size_t> head_{0};
  std::size_t tail_seen_ = 0;  // producer's last look at tail_: one shared read per lap
  alignas(64) std::atomic<std::size_t> tail_{0};
  std::size_t head_seen_ = 0;  // consumer's last look at head_
};

}  // namespace hm::capture
