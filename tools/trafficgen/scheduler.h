#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "flow.h"
#include "pcap_writer.h"

namespace hm::trafficgen {

// Supplies flows in order of start(); nullptr when there are no more.
using FlowSource = std::function<std::unique_ptr<Flow>()>;

struct ScheduleStats {
  uint64_t flows = 0;
  uint64_t packets = 0;
  uint64_t frame_bytes = 0;
  Micros first = 0;
  Micros last = 0;
  uint64_t peak_active_flows = 0;
  uint64_t out_of_order = 0;  // frames a flow emitted before its start: a generator bug
};

// Merges the packets of all flows into one time-ordered stream: a min-heap of
// active flows keyed by their next frame's time (ties broken by admission order,
// so the output never depends on heap internals). Memory is bounded by the flows
// active at once, not by the length of the capture.
class Scheduler {
 public:
  static ScheduleStats run(const FlowSource& source, PcapWriter& writer);

 private:
  struct Active {
    std::unique_ptr<Flow> flow;
    std::deque<TimedFrame> pending;
    uint64_t order = 0;
  };
  // Refills `active.pending` from the flow; false when it has nothing left.
  static bool refill(Active& active, std::vector<TimedFrame>& scratch);
};

}  // namespace hm::trafficgen
