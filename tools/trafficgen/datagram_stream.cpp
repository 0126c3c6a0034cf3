#include "datagram_stream.h"

#include <algorithm>

namespace hm::trafficgen {
namespace {

constexpr size_t kWireGuardHeader = 16;  // type, reserved, receiver index, counter
constexpr size_t kAckBytes = 40;

}  // namespace

DatagramStream::DatagramStream(Endpoint client, Endpoint server, uint8_t client_ttl,
                               uint8_t server_ttl, Micros start, std::vector<UdpDatagram> opening,
                               DatagramBulk bulk, uint64_t seed)
    : client_(client),
      server_(server),
      client_ttl_(client_ttl),
      server_ttl_(server_ttl),
      start_(start),
      opening_(std::move(opening)),
      bulk_(std::move(bulk)),
      rng_(seed) {
  client_ip_id_ = static_cast<uint16_t>(rng_.next());
  server_ip_id_ = static_cast<uint16_t>(rng_.next());
}

void DatagramStream::emit(std::vector<TimedFrame>& out, Micros ts, bool from_client,
                          std::span<const uint8_t> payload) {
  TimedFrame frame{ts, {}};
  Ipv4Fields ip;
  ip.dont_fragment = true;  // QUIC sets DF (RFC 9000 §14); so does WireGuard on Linux
  if (from_client) {
    ip.ttl = client_ttl_;
    ip.id = client_ip_id_++;
    append_udp_frame(frame.frame, client_, server_, ip, payload);
  } else {
    ip.ttl = server_ttl_;
    ip.id = server_ip_id_++;
    append_udp_frame(frame.frame, server_, client_, ip, payload);
  }
  out.push_back(std::move(frame));
}

Bytes DatagramStream::bulk_datagram(size_t size) {
  Bytes payload(size);
  rng_.fill(payload);
  if (bulk_.framing == DatagramFraming::kQuicShortHeader) {
    // Fixed bit set, spin and key phase random, 2-byte packet number; a server's
    // packets carry the client's connection ID, a client's the server's (here alike).
    payload[0] = static_cast<uint8_t>(0x40 | (payload[0] & 0x24) | 0x01);
    const size_t cid = std::min(bulk_.connection_id.size(), size - 1);
    std::copy_n(bulk_.connection_id.begin(), cid, payload.begin() + 1);
  } else {
    // Transport data: the ciphertext is a multiple of 16 bytes (whitepaper §5.4.6).
    const size_t body = std::max<size_t>(16, (size - kWireGuardHeader) / 16 * 16);
    payload.resize(kWireGuardHeader + body);
    payload[0] = 4;
    payload[1] = payload[2] = payload[3] = 0;
    const uint64_t counter = counter_++;
    for (int i = 0; i < 8; ++i) payload[8 + i] = static_cast<uint8_t>(counter >> (8 * i));
  }
  return payload;
}

bool DatagramStream::next_round(std::vector<TimedFrame>& out) {
  if (!opened_) {
    opened_ = true;
    clock_ = start_;
    for (const UdpDatagram& datagram : opening_) {
      clock_ += datagram.delay;
      emit(out, clock_, datagram.from_client, datagram.payload);
    }
    opening_.clear();
    return true;
  }
  if (sent_ >= bulk_.bytes) return false;
  // One burst from the server, then the client's acknowledgement a round trip later.
  clock_ += bulk_.rtt / 2;
  for (uint32_t i = 0; i < bulk_.burst && sent_ < bulk_.bytes; ++i) {
    const auto size = static_cast<size_t>(
        std::min<uint64_t>(bulk_.datagram_bytes, std::max<uint64_t>(bulk_.bytes - sent_, 48)));
    const Bytes payload = bulk_datagram(size);
    emit(out, clock_, false, payload);
    sent_ += payload.size();
    clock_ += bulk_.gap;
  }
  clock_ += bulk_.rtt / 2;
  const Bytes ack = bulk_datagram(
      bulk_.framing == DatagramFraming::kWireGuardData ? kWireGuardHeader + 16 : kAckBytes);
  emit(out, clock_, true, ack);
  return true;
}

}  // namespace hm::trafficgen
