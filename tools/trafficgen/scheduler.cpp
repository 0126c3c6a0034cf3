#include "scheduler.h"

#include <algorithm>
#include <queue>

namespace hm::trafficgen {

bool Scheduler::refill(Active& active, std::vector<TimedFrame>& scratch) {
  while (active.pending.empty()) {
    scratch.clear();
    if (!active.flow->next_round(scratch)) return false;
    for (auto& frame : scratch) active.pending.push_back(std::move(frame));
  }
  return true;
}

ScheduleStats Scheduler::run(const FlowSource& source, PcapWriter& writer) {
  ScheduleStats stats;
  std::vector<std::unique_ptr<Active>> slots;  // owned; heap holds indices
  std::vector<size_t> free_slots;
  const auto later = [&slots](size_t a, size_t b) {
    const Active& x = *slots[a];
    const Active& y = *slots[b];
    const Micros tx = x.pending.front().ts;
    const Micros ty = y.pending.front().ts;
    return tx != ty ? tx > ty : x.order > y.order;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  std::vector<TimedFrame> scratch;

  std::unique_ptr<Flow> upcoming = source();
  uint64_t order = 0;
  Micros last_written = INT64_MIN;

  while (upcoming || !heap.empty()) {
    // Admit every flow that starts no later than the earliest pending frame.
    if (upcoming && (heap.empty() || upcoming->start() <= slots[heap.top()]->pending.front().ts)) {
      auto active = std::make_unique<Active>();
      active->flow = std::move(upcoming);
      active->order = order++;
      upcoming = source();
      if (upcoming && upcoming->start() < active->flow->start()) ++stats.out_of_order;
      ++stats.flows;
      if (!refill(*active, scratch)) continue;
      size_t slot = 0;
      if (free_slots.empty()) {
        slot = slots.size();
        slots.push_back(std::move(active));
      } else {
        slot = free_slots.back();
        free_slots.pop_back();
        slots[slot] = std::move(active);
      }
      heap.push(slot);
      stats.peak_active_flows = std::max<uint64_t>(stats.peak_active_flows, heap.size());
      continue;
    }
    const size_t slot = heap.top();
    heap.pop();
    Active& active = *slots[slot];
    TimedFrame frame = std::move(active.pending.front());
    active.pending.pop_front();
    if (frame.ts < last_written) ++stats.out_of_order;
    last_written = frame.ts;
    if (stats.packets == 0) stats.first = frame.ts;
    stats.last = frame.ts;
    ++stats.packets;
    stats.frame_bytes += frame.frame.size();
    writer.write(frame.ts, frame.frame);
    if (refill(active, scratch)) {
      heap.push(slot);
    } else {
      slots[slot].reset();
      free_slots.push_back(slot);
    }
  }
  return stats;
}

}  // namespace hm::trafficgen
