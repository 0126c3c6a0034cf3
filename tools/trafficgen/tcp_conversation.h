#pragma once

#include <cstdint>
#include <vector>

#include "flow.h"
#include "packet_builder.h"
#include "payload.h"

namespace hm::trafficgen {

// What the path between a device and a server looks like from the mirror port,
// which sits next to the devices: client packets are seen as they leave, server
// packets as they arrive, and a round trip separates a client segment from the
// server's answer.
struct TcpPath {
  Endpoint client;
  Endpoint server;
  uint8_t client_ttl = 64;
  uint8_t server_ttl = 56;
  Micros rtt = 20 * kMillisecond;
  Micros client_gap = 120;  // spacing of back-to-back client segments
  Micros server_gap = 240;  // ... and of server segments (the downlink's share)
};

struct TcpMessage {
  bool from_client = true;
  // Pause before sending, counted from when the sender has received the
  // previous message (a server's processing time, a user's reading time).
  Micros think = 0;
  Payload payload;
};

// A whole TCP connection: three-way handshake, the messages in order (each split
// at the MSS, sent in slow-start rounds and acknowledged every second segment),
// then the client's FIN and the server's FIN. Sequence and acknowledgement
// numbers are exact so dissectors can reassemble it and tshark finds nothing amiss.
class TcpConversation : public Flow {
 public:
  // The first client byte is seen this long after the SYN-ACK: lets a profile
  // place a planted ClientHello or GET at an exact second.
  static constexpr Micros kFirstDataAfterSynAck = 60;

  TcpConversation(TcpPath path, Micros start, std::vector<TcpMessage> messages, Micros close_after,
                  uint64_t seed);

  Micros start() const override { return start_; }
  bool next_round(std::vector<TimedFrame>& out) override;

 private:
  enum class Stage { kHandshake, kMessages, kClose, kDone };

  void handshake(std::vector<TimedFrame>& out);
  void message_round(std::vector<TimedFrame>& out);
  void close(std::vector<TimedFrame>& out);
  void begin_message(Micros ready);
  void emit(std::vector<TimedFrame>& out, Micros ts, bool from_client, uint8_t flags,
            std::span<const uint8_t> payload, std::span<const uint8_t> options = {});

  TcpPath path_;
  Micros start_;
  std::vector<TcpMessage> messages_;
  Micros close_after_;
  Stage stage_ = Stage::kHandshake;

  uint32_t client_next_ = 0;  // next sequence number each side will send
  uint32_t server_next_ = 0;
  uint16_t client_ip_id_ = 0;
  uint16_t server_ip_id_ = 0;

  size_t message_ = 0;   // current message
  uint64_t offset_ = 0;  // bytes of it already sent
  uint32_t window_ = 0;  // segments per round (slow start)
  Micros round_start_ = 0;
  Micros last_frame_ = 0;  // latest frame emitted so far
  Micros last_data_ = 0;   // last data segment of the previous message
  Bytes scratch_;
};

}  // namespace hm::trafficgen
