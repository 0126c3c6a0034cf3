#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "capture/packet.h"
#include "decode/address.h"
#include "dissect/dns.h"
#include "dissect/http.h"
#include "dissect/inspector.h"
#include "dissect/tls.h"
#include "flows/tcp_reassembly.h"

namespace hm::dissect {

// The packet being inspected and where observations from it go; set by the Inspector
// before it hands one direction's segment to the reassembler.
struct EmitContext {
  capture::TimestampUs ts_us = 0;
  decode::IpAddress src_ip;
  decode::IpAddress dst_ip;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::optional<decode::MacAddress> src_mac;
  const ObservationSink* emit = nullptr;
  InspectorCounters* counters = nullptr;
  // Where a client's MAC and device name come from when DHCP has told us (may be null),
  // and where DNS answers go (may be null).
  const HostTable* hosts = nullptr;
  AddressNames* address_names = nullptr;

  void observe(ObservationKind kind, std::string text, std::string host = {},
               ObservationAttributes attributes = {}) const;
};

// One direction of a TCP connection, in order. Decides from its first bytes (or the
// DNS port) what the sender speaks and routes the bytes to that dissector: a client
// sending a TLS ClientHello, HTTP/1.x requests, or DNS over TCP. A direction that
// speaks none of these, or loses sync, is watched for an HTTP request starting at a
// segment boundary (keep-alive connections picked up mid-stream).
class ClientStream final : public flows::StreamConsumer {
 public:
  ClientStream(const InspectorSettings& settings, bool dns_port)
      : settings_(settings), protocol_(dns_port ? Protocol::dns : Protocol::undecided) {}

  void bind(const EmitContext* context) { context_ = context; }

  // The sender's TLS ClientHello has been read: what follows is ciphertext.
  bool client_hello_read() const { return client_hello_read_; }

  void on_stream_data(std::span<const std::uint8_t> bytes) override;
  void on_stream_gap(std::uint64_t missing_bytes) override;

 private:
  enum class Protocol : std::uint8_t { undecided, tls, http, dns, watching, done };

  void sniff(std::span<const std::uint8_t> bytes);
  void start(Protocol protocol, std::span<const std::uint8_t> first_bytes);
  void feed_tls(std::span<const std::uint8_t> bytes);
  void feed_http(std::span<const std::uint8_t> bytes);
  void feed_dns(std::span<const std::uint8_t> bytes);

  const InspectorSettings& settings_;
  const EmitContext* context_ = nullptr;
  Protocol protocol_;
  bool client_hello_read_ = false;
  std::vector<std::uint8_t> prefix_;  // first bytes, until they say what this is
  std::unique_ptr<ClientHelloCollector> tls_;
  std::unique_ptr<HttpRequestStream> http_;
  std::unique_ptr<DnsOverTcpStream> dns_;
};

}  // namespace hm::dissect
