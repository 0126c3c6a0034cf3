#include "dissect/client_stream.h"

namespace hm::dissect {

namespace {

constexpr std::size_t kMaxSniffBytes = 32;

std::string server_address_text(const decode::IpAddress& ip, std::uint16_t port) {
  if (port == 80) return ip.is_v6 ? "[" + ip.to_string() + "]" : ip.to_string();
  return decode::endpoint_text(ip, port);
}

}  // namespace

void EmitContext::observe(ObservationKind kind, std::string text, std::string host,
                          ObservationAttributes attributes) const {
  if (text.empty()) return;
  ++counters->observations;
  if (emit == nullptr || !*emit) return;
  Observation observation;
  observation.ts_us = ts_us;
  observation.kind = kind;
  observation.text = std::move(text);
  observation.src_ip = src_ip;
  observation.src_port = src_port;
  observation.dst_ip = dst_ip;
  observation.dst_port = dst_port;
  observation.client_mac = src_mac;
  // DHCP's binding wins over the frame's source MAC, which is the gateway's when the
  // mirror port sees routed traffic.
  if (hosts != nullptr) {
    if (auto device = hosts->device_at(src_ip, ts_us)) {
      observation.client_mac = device->mac;
      observation.client_name = std::move(device->host_name);
    }
  }
  observation.host = std::move(host);
  observation.attributes = std::move(attributes);
  (*emit)(observation);
}

void ClientStream::on_stream_data(std::span<const std::uint8_t> bytes) {
  switch (protocol_) {
    case Protocol::undecided:
      prefix_.insert(prefix_.end(), bytes.begin(), bytes.end());
      sniff(prefix_);
      return;
    case Protocol::watching:
      // A request that starts a segment after we lost sync (or joined mid-stream).
      if (looks_like_http_request(bytes).value_or(false)) start(Protocol::http, bytes);
      return;
    case Protocol::tls: return feed_tls(bytes);
    case Protocol::http: return feed_http(bytes);
    case Protocol::dns: return feed_dns(bytes);
    case Protocol::done: return;
  }
}

void ClientStream::on_stream_gap(std::uint64_t /*missing_bytes*/) {
  switch (protocol_) {
    case Protocol::undecided:
    case Protocol::http:
      prefix_ = {};
      http_.reset();
      protocol_ = Protocol::watching;
      return;
    case Protocol::tls:
      tls_.reset();
      protocol_ = Protocol::done;  // a ClientHello with a hole in it cannot be trusted
      return;
    case Protocol::dns:
      if (dns_) dns_->reset();  // the next length prefix is not where we would look
      protocol_ = Protocol::done;
      return;
    case Protocol::watching:
    case Protocol::done: return;
  }
}

void ClientStream::sniff(std::span<const std::uint8_t> bytes) {
  const auto tls = ClientHelloCollector::looks_like_tls(bytes);
  const auto http = looks_like_http_request(bytes);
  std::vector<std::uint8_t> first = std::move(prefix_);
  prefix_ = {};
  if (tls.value_or(false)) return start(Protocol::tls, first);
  if (http.value_or(false)) return start(Protocol::http, first);
  if ((tls.has_value() && http.has_value()) || first.size() >= kMaxSniffBytes) {
    protocol_ = Protocol::watching;
    return;
  }
  prefix_ = std::move(first);  // not enough bytes to tell yet
}

void ClientStream::start(Protocol protocol, std::span<const std::uint8_t> first_bytes) {
  protocol_ = protocol;
  if (protocol == Protocol::tls) {
    tls_ = std::make_unique<ClientHelloCollector>(settings_.max_stream_buffer_bytes);
    feed_tls(first_bytes);
  } else if (protocol == Protocol::http) {
    http_ =
        std::make_unique<HttpRequestStream>(HttpStreamSettings{settings_.max_stream_buffer_bytes});
    feed_http(first_bytes);
  }
}

void ClientStream::feed_tls(std::span<const std::uint8_t> bytes) {
  switch (tls_->feed(bytes)) {
    case ClientHelloCollector::Progress::need_more: return;
    case ClientHelloCollector::Progress::done:
      client_hello_read_ = true;
      for (const auto& name : tls_->client_hello().server_names) {
        context_->observe(ObservationKind::tls_sni, name, {},
                          attributes_of(tls_->client_hello(), name));
      }
      break;
    case ClientHelloCollector::Progress::malformed: ++context_->counters->tls_malformed; break;
    case ClientHelloCollector::Progress::not_tls: break;
  }
  tls_.reset();
  protocol_ = Protocol::done;  // later ClientHellos (after HelloRetryRequest) repeat the name
}

void ClientStream::feed_http(std::span<const std::uint8_t> bytes) {
  const EmitContext& context = *context_;
  const auto on_request = [&context](const HttpRequestHead& head) {
    context.observe(ObservationKind::http_host, head.host);
    const auto url = absolute_url(head, server_address_text(context.dst_ip, context.dst_port));
    if (url) context.observe(ObservationKind::http_url, *url, head.host);
  };
  if (http_->feed(bytes, on_request) == HttpRequestStream::State::failed) {
    ++context_->counters->http_malformed;
    http_.reset();
    protocol_ = Protocol::watching;
  }
}

void ClientStream::feed_dns(std::span<const std::uint8_t> bytes) {
  if (!dns_) dns_ = std::make_unique<DnsOverTcpStream>();
  dns_->feed(bytes, [this](std::span<const std::uint8_t> message) {
    const auto parsed = parse_dns_message(message);
    if (!parsed || !parsed->complete) ++context_->counters->dns_malformed;
    if (!parsed) return;
    learn_dns_answers(*parsed, *context_);
    if (parsed->is_response) return;
    for (const auto& name : parsed->question_names) observe_dns_query(*context_, name);
  });
}

}  // namespace hm::dissect
