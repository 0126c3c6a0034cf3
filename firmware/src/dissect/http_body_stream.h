#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "decode/address.h"
#include "dissect/http.h"
#include "flows/tcp_reassembly.h"

namespace hm::dissect {

struct EmitContext;
struct InspectorSettings;

// HTTP bodies (http_body) and search terms (http_search) of one TCP connection, for
// the Inspector. It sits beside the ClientStreams, which report request heads
// (http_host, http_url): each direction's bytes go to its ClientStream first, then
// here (through a Tap). A direction is a client if its first bytes are a request, a
// server if they are a response; one that loses sync is watched for a message that
// starts a segment, as ClientStream does.
class HttpBodyStreams {
 public:
  explicit HttpBodyStreams(const InspectorSettings& settings) : settings_(settings) {}

  // The consumer for direction `index` (0 or 1) while `context` is the packet being
  // inspected: `first` sees the bytes, then these streams.
  class Tap final : public flows::StreamConsumer {
   public:
    Tap(HttpBodyStreams& streams, int index, flows::StreamConsumer& first,
        const EmitContext& context)
        : streams_(streams), index_(index), first_(first), context_(context) {}
    void on_stream_data(std::span<const std::uint8_t> bytes) override;
    void on_stream_gap(std::uint64_t missing_bytes) override;

   private:
    HttpBodyStreams& streams_;
    int index_;
    flows::StreamConsumer& first_;
    const EmitContext& context_;
  };

  // The connection ended (FIN, RST, expiry, end of input): bodies still open end here.
  // `context` is any packet context of the connection (its time, sink and counters).
  void finish(const EmitContext& context);

 private:
  enum class Mode : std::uint8_t { undecided, client, server, watching, done };
  struct Direction {
    Mode mode = Mode::undecided;
    std::vector<std::uint8_t> prefix;  // first bytes, until they say what this is
  };
  struct Client {
    decode::IpAddress ip;
    std::uint16_t port = 0;
    decode::IpAddress server_ip;
    std::uint16_t server_port = 0;
    std::optional<decode::MacAddress> mac;
  };

  void on_data(int index, std::span<const std::uint8_t> bytes, const EmitContext& context);
  void on_gap(int index, const EmitContext& context);
  void start(int index, Mode mode, std::span<const std::uint8_t> bytes, const EmitContext& context);
  void feed(int index, std::span<const std::uint8_t> bytes, const EmitContext& context);
  HttpConversation::Events events(const EmitContext& context);

  const InspectorSettings& settings_;
  std::array<Direction, 2> directions_;
  std::unique_ptr<HttpConversation> conversation_;  // once a direction speaks HTTP
  std::optional<Client> client_;                    // who asks, once a request is seen
};

}  // namespace hm::dissect
