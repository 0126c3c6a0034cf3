#pragma once

#include <vector>

#include "byte_writer.h"
#include "time_format.h"

namespace hm::trafficgen {

struct TimedFrame {
  Micros ts = 0;
  Bytes frame;
};

// One flow (a TCP connection, a DNS exchange; later a QUIC connection, a DHCP
// lease) producing its packets lazily, a round at a time, so the scheduler holds
// only the frames of flows that are active right now.
class Flow {
 public:
  virtual ~Flow() = default;

  // Time of the flow's first packet; the scheduler admits flows in this order.
  virtual Micros start() const = 0;

  // Appends the flow's next round of frames in time order, none earlier than any
  // frame of a previous round (nor than start()). False when the flow is over.
  virtual bool next_round(std::vector<TimedFrame>& out) = 0;
};

}  // namespace hm::trafficgen
