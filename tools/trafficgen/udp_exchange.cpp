#include "udp_exchange.h"

#include "rng.h"

namespace hm::trafficgen {

UdpExchange::UdpExchange(Endpoint client, Endpoint server, uint8_t client_ttl, uint8_t server_ttl,
                         Micros start, std::vector<UdpDatagram> datagrams, uint64_t seed)
    : client_(client),
      server_(server),
      client_ttl_(client_ttl),
      server_ttl_(server_ttl),
      start_(start),
      datagrams_(std::move(datagrams)),
      seed_(seed) {}

bool UdpExchange::next_round(std::vector<TimedFrame>& out) {
  if (done_) return false;
  done_ = true;
  Rng rng(seed_);
  auto client_id = static_cast<uint16_t>(rng.next());
  auto server_id = static_cast<uint16_t>(rng.next());
  Micros ts = start_;
  for (const UdpDatagram& datagram : datagrams_) {
    ts += datagram.delay;
    TimedFrame frame{ts, {}};
    Ipv4Fields ip;
    ip.dont_fragment = false;  // resolvers' habit for small datagrams
    if (datagram.from_client) {
      ip.ttl = client_ttl_;
      ip.id = client_id++;
      append_udp_frame(frame.frame, client_, server_, ip, datagram.payload);
    } else {
      ip.ttl = server_ttl_;
      ip.id = server_id++;
      append_udp_frame(frame.frame, server_, client_, ip, datagram.payload);
    }
    out.push_back(std::move(frame));
  }
  return true;
}

}  // namespace hm::trafficgen
