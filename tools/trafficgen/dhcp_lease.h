#pragma once

#include <string>

#include "flow.h"
#include "packet_builder.h"

namespace hm::trafficgen {

struct DhcpLeaseSpec {
  MacAddress client_mac{};
  uint32_t offered_ip = 0;
  std::string host_name;  // option 12, as the device calls itself
  MacAddress server_mac{};
  uint32_t server_ip = 0;  // the school router, also the DNS forwarder
  uint32_t lease_seconds = 8 * 3600;
  uint32_t transaction_id = 0;
  Micros latency = 2 * kMillisecond;  // the server's answer time
};

// A device joining the network (RFC 2131 §3.1): DISCOVER and REQUEST broadcast from
// 0.0.0.0:68, OFFER and ACK from the server to the offered address. Client messages
// carry the host name (option 12) and a client identifier (option 61); the ACK the
// lease time.
class DhcpLease : public Flow {
 public:
  DhcpLease(const DhcpLeaseSpec& spec, Micros start) : spec_(spec), start_(start) {}

  Micros start() const override { return start_; }
  bool next_round(std::vector<TimedFrame>& out) override;

 private:
  DhcpLeaseSpec spec_;
  Micros start_;
  bool done_ = false;
};

}  // namespace hm::trafficgen
