#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <utility>

#include "capture/packet.h"
#include "flows/flow_index.h"
#include "flows/flow_key.h"

namespace hm::flows {

struct FlowTableCounters {
  std::uint64_t tcp_flows_created = 0;
  std::uint64_t udp_flows_created = 0;  // and any other non-TCP protocol
  std::uint64_t flows_expired = 0;      // idle for longer than their class's timeout
  std::uint64_t flow_table_full = 0;    // a new flow found the table full
  std::uint64_t flows_evicted = 0;      // a live flow was forgotten to make room
};

// Idle timeouts per class of flow.
struct FlowTimeouts {
  capture::TimestampUs tcp_us = 300'000'000;
  capture::TimestampUs udp_us = 60'000'000;
};

// A worker's flows with a hard size bound. Each flow carries the caller's `State`
// (the dissectors' per-flow state), so this stage need not know about dissect.
//
// Flows sit in least-recently-used lists by class (TCP or UDP) and by whether both
// endpoints have sent yet (one-sided: a scan, a SYN never answered, a query to a dead
// server), so expiry and eviction look only at list fronts. When a new flow finds the
// table full, flows past their idle timeout go first (counted as expired); if none is,
// the least recently used one-sided flow is evicted, and only when there is none the
// least recently used two-sided one (counted in flows_evicted). A new conversation is
// more likely to matter than a stale one, and refusing new flows would let a flood
// blind the box.
template <typename State>
class FlowTable {
 public:
  struct Flow {
    FlowKey key;
    capture::TimestampUs first_seen_us = 0;
    capture::TimestampUs last_seen_us = 0;
    std::array<bool, 2> sent{};  // [0]: key.first_* has sent, [1]: key.second_* has
    State state;

    bool two_sided() const { return sent[0] && sent[1]; }
  };

  explicit FlowTable(std::size_t max_flows, FlowTimeouts timeouts = {})
      : max_flows_(max_flows == 0 ? 1 : max_flows), timeouts_(timeouts) {}

  Flow* find(const FlowKey& key) {
    const Position* found = index_.find(key);
    return found == nullptr ? nullptr : &**found;
  }

  // Finds the flow, or creates it (making room first if the table is full: flows
  // forgotten for it are passed to `on_remove(Flow&)` before they go). Marks it used
  // at `now_us` by the packet's sender. `created` says whether it is new.
  template <typename OnRemove>
  Flow& find_or_create(const DirectedFlowKey& directed, capture::TimestampUs now_us, bool& created,
                       OnRemove&& on_remove) {
    const Position* found = index_.find(directed.key);
    Position position;
    if (found == nullptr) {
      created = true;
      if (index_.size() >= max_flows_) make_room(now_us, on_remove);
      auto& list = lists_[list_index(directed.key, false)];
      list.push_back(Flow{directed.key, now_us, now_us, {}, State{}});
      position = std::prev(list.end());
      index_.insert(position);
      ++(is_tcp(directed.key) ? counters_.tcp_flows_created : counters_.udp_flows_created);
    } else {
      created = false;
      position = *found;
    }
    touch(position, now_us, directed.from_first);
    return *position;
  }

  // find() that also marks the flow used at `now_us` by the packet's sender, as
  // find_or_create() does: one lookup for a packet of a flow that exists.
  Flow* find_and_touch(const DirectedFlowKey& directed, capture::TimestampUs now_us) {
    const Position* found = index_.find(directed.key);
    if (found == nullptr) return nullptr;
    const auto position = *found;
    touch(position, now_us, directed.from_first);
    return &*position;
  }

  void erase(const FlowKey& key) {
    const Position* found = index_.find(key);
    if (found == nullptr) return;
    const auto position = *found;
    index_.erase(key);  // before the flow holding the key goes
    lists_[list_index(key, position->two_sided())].erase(position);
  }

  // Calls `on_expire(Flow&)` for, then forgets, every flow idle for longer than its
  // class's timeout at `now_us`.
  template <typename OnExpire>
  void expire_idle(capture::TimestampUs now_us, OnExpire&& on_expire) {
    for (std::size_t i = 0; i < lists_.size(); ++i) {
      auto& list = lists_[i];
      const capture::TimestampUs timeout = i < 2 ? timeouts_.tcp_us : timeouts_.udp_us;
      while (!list.empty() && now_us - list.front().last_seen_us > timeout) {
        on_expire(list.front());
        index_.erase(list.front().key);
        list.pop_front();
        ++counters_.flows_expired;
      }
    }
  }

  // Calls `on_flow(Flow&)` for every flow, then forgets them all (end of input).
  template <typename OnFlow>
  void drain(OnFlow&& on_flow) {
    for (auto& list : lists_) {
      for (auto& flow : list) on_flow(flow);
      list.clear();
    }
    index_.clear();
  }

  std::size_t size() const { return index_.size(); }
  const FlowTableCounters& counters() const { return counters_; }

 private:
  using FlowList = std::list<Flow>;
  static constexpr std::uint8_t kTcp = 6;

  static bool is_tcp(const FlowKey& key) { return key.protocol == kTcp; }
  // 0: TCP one-sided, 1: TCP two-sided, 2: UDP one-sided, 3: UDP two-sided.
  static std::size_t list_index(const FlowKey& key, bool two_sided) {
    return (is_tcp(key) ? 0 : 2) + (two_sided ? 1 : 0);
  }

  using Position = typename std::list<Flow>::iterator;

  void touch(Position position, capture::TimestampUs now_us, bool from_first) {
    const bool was_two_sided = position->two_sided();
    position->last_seen_us = now_us;
    position->sent[from_first ? 0 : 1] = true;
    auto& to = lists_[list_index(position->key, position->two_sided())];
    if (position->two_sided() != was_two_sided) {
      to.splice(to.end(), lists_[list_index(position->key, was_two_sided)], position);
    } else if (std::next(position) != to.end()) {
      to.splice(to.end(), to, position);
    }
  }

  template <typename OnRemove>
  void make_room(capture::TimestampUs now_us, OnRemove& on_remove) {
    ++counters_.flow_table_full;
    expire_idle(now_us, on_remove);
    if (index_.size() < max_flows_) return;
    // The least recently used one-sided flow, else the least recently used of all.
    FlowList* victim = nullptr;
    for (const std::size_t group : {0u, 1u}) {
      for (const std::size_t i : {group, group + 2}) {
        auto& list = lists_[i];
        if (!list.empty() &&
            (victim == nullptr || list.front().last_seen_us < victim->front().last_seen_us)) {
          victim = &list;
        }
      }
      if (victim != nullptr) break;
    }
    if (victim == nullptr) return;
    on_remove(victim->front());
    index_.erase(victim->front().key);
    victim->pop_front();
    ++counters_.flows_evicted;
  }

  std::size_t max_flows_;
  FlowTimeouts timeouts_;
  std::array<FlowList, 4> lists_;
  FlowIndex<Position> index_;  // reads each flow's key through its Position
  FlowTableCounters counters_;
};

}  // namespace hm::flows
