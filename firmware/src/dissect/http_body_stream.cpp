#include "dissect/http_body_stream.h"

#include "dissect/client_stream.h"
#include "dissect/search_terms.h"

namespace hm::dissect {
namespace {

constexpr std::size_t kMaxSniffBytes = 32;

}  // namespace

void HttpBodyStreams::Tap::on_stream_data(std::span<const std::uint8_t> bytes) {
  first_.on_stream_data(bytes);
  streams_.on_data(index_, bytes, context_);
}

void HttpBodyStreams::Tap::on_stream_gap(std::uint64_t missing_bytes) {
  first_.on_stream_gap(missing_bytes);
  streams_.on_gap(index_, context_);
}

HttpConversation::Events HttpBodyStreams::events(const EmitContext& context) {
  HttpConversation::Events events;
  events.on_request = [&context](const HttpRequestHead& head) {
    if (auto terms = search_terms(head.host, head.target)) {
      context.observe(ObservationKind::http_search, std::move(*terms), head.host);
    }
  };
  // A request's body or a response's: either way the client is the one who asked.
  events.on_body = [this, &context](const HttpRequestHead& request, HttpConversation::Side,
                                    HttpBodyText body) {
    InspectorCounters& counters = *context.counters;
    ++counters.http_bodies;
    if (body.truncated) ++counters.body_truncated;
    if (body.undecodable) ++counters.http_body_undecodable;
    EmitContext from_client = context;
    from_client.src_ip = client_->ip;
    from_client.src_port = client_->port;
    from_client.dst_ip = client_->server_ip;
    from_client.dst_port = client_->server_port;
    from_client.src_mac = client_->mac;
    from_client.observe(ObservationKind::http_body, std::move(body.text), request.host);
  };
  return events;
}

void HttpBodyStreams::on_data(int index, std::span<const std::uint8_t> bytes,
                              const EmitContext& context) {
  Direction& direction = directions_[index];
  switch (direction.mode) {
    case Mode::undecided: {
      direction.prefix.insert(direction.prefix.end(), bytes.begin(), bytes.end());
      const auto request = looks_like_http_request(direction.prefix);
      const auto response = looks_like_http_response(direction.prefix);
      std::vector<std::uint8_t> first = std::move(direction.prefix);
      direction.prefix = {};
      if (request.value_or(false)) return start(index, Mode::client, first, context);
      if (response.value_or(false)) return start(index, Mode::server, first, context);
      if ((request.has_value() && response.has_value()) || first.size() >= kMaxSniffBytes) {
        direction.mode = Mode::watching;
        return;
      }
      direction.prefix = std::move(first);  // not enough bytes to tell yet
      return;
    }
    case Mode::watching:
      if (looks_like_http_request(bytes).value_or(false))
        return start(index, Mode::client, bytes, context);
      if (looks_like_http_response(bytes).value_or(false)) {
        return start(index, Mode::server, bytes, context);
      }
      return;
    case Mode::client:
    case Mode::server: return feed(index, bytes, context);
    case Mode::done: return;
  }
}

void HttpBodyStreams::start(int index, Mode mode, std::span<const std::uint8_t> bytes,
                            const EmitContext& context) {
  const bool resync = directions_[index].mode == Mode::watching;
  // One side asks, the other answers: a second client (or server) is not HTTP as we know it.
  const Direction& other = directions_[1 - index];
  if (other.mode == mode) {
    directions_[index].mode = Mode::done;
    return;
  }
  directions_[index].mode = mode;
  if (!client_ || mode == Mode::client) {
    // Every observation names the client that asked (its MAC only when it sent this).
    client_ = mode == Mode::client ? Client{context.src_ip, context.src_port, context.dst_ip,
                                            context.dst_port, context.src_mac}
                                   : Client{context.dst_ip, context.dst_port, context.src_ip,
                                            context.src_port, std::nullopt};
  }
  if (!conversation_) {
    conversation_ = std::make_unique<HttpConversation>(settings_.http_bodies,
                                                       settings_.max_stream_buffer_bytes);
  }
  const auto side =
      mode == Mode::client ? HttpConversation::Side::client : HttpConversation::Side::server;
  if (resync) conversation_->restart(side, events(context));
  feed(index, bytes, context);
}

void HttpBodyStreams::feed(int index, std::span<const std::uint8_t> bytes,
                           const EmitContext& context) {
  Direction& direction = directions_[index];
  const auto side = direction.mode == Mode::client ? HttpConversation::Side::client
                                                   : HttpConversation::Side::server;
  const std::uint64_t forgotten = conversation_->requests_forgotten();
  const auto state = conversation_->feed(side, bytes, events(context));
  context.counters->http_requests_forgotten += conversation_->requests_forgotten() - forgotten;
  if (state == HttpConversation::State::failed) {
    if (side == HttpConversation::Side::server) ++context.counters->http_malformed;
    direction.mode = Mode::watching;  // requests' failures are ClientStream's to count
  }
}

void HttpBodyStreams::on_gap(int index, const EmitContext& context) {
  Direction& direction = directions_[index];
  switch (direction.mode) {
    case Mode::client:
    case Mode::server:
      conversation_->restart(direction.mode == Mode::client ? HttpConversation::Side::client
                                                            : HttpConversation::Side::server,
                             events(context));
      direction.mode = Mode::watching;
      return;
    case Mode::undecided:
      direction.prefix = {};
      direction.mode = Mode::watching;
      return;
    case Mode::watching:
    case Mode::done: return;
  }
}

void HttpBodyStreams::finish(const EmitContext& context) {
  if (conversation_) conversation_->finish(events(context));
}

}  // namespace hm::dissect
