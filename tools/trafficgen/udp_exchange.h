#pragma once

#include <vector>

#include "flow.h"
#include "packet_builder.h"

namespace hm::trafficgen {

struct UdpDatagram {
  bool from_client = true;
  Micros delay = 0;  // after the previous datagram (the first: after start)
  Bytes payload;
};

// A short UDP conversation emitted in one round: a DNS query and its answer
// today; DHCP's four messages or a QUIC handshake's first flight later.
class UdpExchange : public Flow {
 public:
  UdpExchange(Endpoint client, Endpoint server, uint8_t client_ttl, uint8_t server_ttl,
              Micros start, std::vector<UdpDatagram> datagrams, uint64_t seed);

  Micros start() const override { return start_; }
  bool next_round(std::vector<TimedFrame>& out) override;

 private:
  Endpoint client_;
  Endpoint server_;
  uint8_t client_ttl_;
  uint8_t server_ttl_;
  Micros start_;
  std::vector<UdpDatagram> datagrams_;
  uint64_t seed_;
  bool done_ = false;
};

}  // namespace hm::trafficgen
