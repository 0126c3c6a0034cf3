#pragma once

#include <cstdint>
#include <vector>

#include "flow.h"
#include "packet_builder.h"
#include "rng.h"
#include "udp_exchange.h"

namespace hm::trafficgen {

// How the bulk datagrams of a UDP stream look on the wire.
enum class DatagramFraming {
  kQuicShortHeader,  // RFC 9000 §17.3.1: 0b01 then the connection ID, then ciphertext
  kWireGuardData,    // WireGuard transport data: type 4, receiver index, counter, ciphertext
};

// Encrypted bulk carried after the opening datagrams: the server sends `bytes` in
// datagrams of `datagram_bytes`, `burst` per round trip, and the client answers each
// burst with one short acknowledgement (QUIC ACK frames, WireGuard keepalives).
struct DatagramBulk {
  DatagramFraming framing = DatagramFraming::kQuicShortHeader;
  uint64_t bytes = 0;
  uint32_t datagram_bytes = 1252;
  uint32_t burst = 32;
  Micros gap = 100;  // between the server's datagrams of a burst
  Micros rtt = 20 * kMillisecond;
  Bytes connection_id;  // QUIC: the client's connection ID, which server packets carry
};

// A UDP conversation that goes on: a handshake (a QUIC Initial flight, WireGuard's
// two handshake messages) sent like UdpExchange, then bulk ciphertext a burst per
// round, generated on demand so gigabytes cost no memory.
class DatagramStream : public Flow {
 public:
  DatagramStream(Endpoint client, Endpoint server, uint8_t client_ttl, uint8_t server_ttl,
                 Micros start, std::vector<UdpDatagram> opening, DatagramBulk bulk, uint64_t seed);

  Micros start() const override { return start_; }
  bool next_round(std::vector<TimedFrame>& out) override;

 private:
  void emit(std::vector<TimedFrame>& out, Micros ts, bool from_client,
            std::span<const uint8_t> payload);
  Bytes bulk_datagram(size_t size);

  Endpoint client_;
  Endpoint server_;
  uint8_t client_ttl_;
  uint8_t server_ttl_;
  Micros start_;
  std::vector<UdpDatagram> opening_;
  DatagramBulk bulk_;
  Rng rng_;
  bool opened_ = false;
  uint64_t sent_ = 0;
  Micros clock_ = 0;
  uint16_t client_ip_id_ = 0;
  uint16_t server_ip_id_ = 0;
  uint64_t counter_ = 0;  // WireGuard's nonce counter
};

}  // namespace hm::trafficgen
