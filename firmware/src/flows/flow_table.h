#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <unordered_map>
#include <utility>

#include "capture/packet.h"
#include "flows/flow_key.h"

namespace hm::flows {

struct FlowTableCounters {
  std::uint64_t flows_created = 0;
  std::uint64_t flows_expired = 0;
  std::uint64_t flow_table_full = 0;  // a live flow was evicted to make room
};

// A worker's flows with a hard size bound. Each flow carries the caller's `State`
// (the dissectors' per-flow state), so this stage need not know about dissect.
//
// Flows sit in one of two least-recently-used lists by timeout class (TCP, other), so
// expiry and eviction look only at list fronts. When the table is full the least
// recently used flow is evicted and counted: a new conversation is more likely to
// matter than a stale one, and refusing new flows would let a flood blind the box.
template <typename State>
class FlowTable {
 public:
  struct Flow {
    FlowKey key;
    capture::TimestampUs last_seen_us = 0;
    State state;
  };

  explicit FlowTable(std::size_t max_flows) : max_flows_(max_flows == 0 ? 1 : max_flows) {}

  Flow* find(const FlowKey& key) {
    auto found = index_.find(key);
    return found == index_.end() ? nullptr : &*found->second;
  }

  // Finds the flow, or creates it (evicting the least recently used one if full).
  // Marks it used at `now_us`. `created` says whether it is new.
  Flow& find_or_create(const FlowKey& key, capture::TimestampUs now_us, bool& created) {
    auto& list = list_for(key);
    auto found = index_.find(key);
    if (found != index_.end()) {
      created = false;
      found->second->last_seen_us = now_us;
      list.splice(list.end(), list, found->second);
      return *found->second;
    }
    created = true;
    if (index_.size() >= max_flows_) evict_least_recently_used();
    list.push_back(Flow{key, now_us, State{}});
    index_.emplace(key, std::prev(list.end()));
    ++counters_.flows_created;
    return list.back();
  }

  void erase(const FlowKey& key) {
    auto found = index_.find(key);
    if (found == index_.end()) return;
    list_for(key).erase(found->second);
    index_.erase(found);
  }

  // Calls `on_expire(Flow&)` for, then forgets, every flow idle for longer than its
  // class's timeout at `now_us`.
  template <typename OnExpire>
  void expire_idle(capture::TimestampUs now_us, capture::TimestampUs tcp_timeout_us,
                   capture::TimestampUs other_timeout_us, OnExpire&& on_expire) {
    expire_list(tcp_flows_, now_us - tcp_timeout_us, on_expire);
    expire_list(other_flows_, now_us - other_timeout_us, on_expire);
  }

  // Calls `on_flow(Flow&)` for every flow, then forgets them all (end of input).
  template <typename OnFlow>
  void drain(OnFlow&& on_flow) {
    for (auto* list : {&tcp_flows_, &other_flows_}) {
      for (auto& flow : *list) on_flow(flow);
      list->clear();
    }
    index_.clear();
  }

  std::size_t size() const { return index_.size(); }
  const FlowTableCounters& counters() const { return counters_; }

 private:
  using FlowList = std::list<Flow>;
  static constexpr std::uint8_t kTcp = 6;

  FlowList& list_for(const FlowKey& key) {
    return key.protocol == kTcp ? tcp_flows_ : other_flows_;
  }

  void evict_least_recently_used() {
    FlowList* oldest = &tcp_flows_;
    if (tcp_flows_.empty() || (!other_flows_.empty() && other_flows_.front().last_seen_us <
                                                            tcp_flows_.front().last_seen_us)) {
      oldest = &other_flows_;
    }
    if (oldest->empty()) return;
    index_.erase(oldest->front().key);
    oldest->pop_front();
    ++counters_.flow_table_full;
  }

  template <typename OnExpire>
  void expire_list(FlowList& list, capture::TimestampUs idle_before_us, OnExpire& on_expire) {
    while (!list.empty() && list.front().last_seen_us < idle_before_us) {
      on_expire(list.front());
      index_.erase(list.front().key);
      list.pop_front();
      ++counters_.flows_expired;
    }
  }

  std::size_t max_flows_;
  FlowList tcp_flows_;
  FlowList other_flows_;
  std::unordered_map<FlowKey, typename FlowList::iterator, FlowKeyHash> index_;
  FlowTableCounters counters_;
};

}  // namespace hm::flows
