#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "flow.h"
#include "packet_builder.h"
#include "tls_handshake.h"

namespace hm::trafficgen {

// The device starting a flow, as the flow builders need it.
struct Client {
  MacAddress mac{};
  uint32_t ip = 0;
  uint8_t ttl = 64;
  TlsFingerprint fingerprint = TlsFingerprint::kChromium;
  std::string user_agent;
};

struct Server {
  uint32_t ip = 0;
  uint8_t ttl = 56;  // as seen after the hops back to the school
  Micros rtt = 20 * kMillisecond;
};

struct Network {
  MacAddress gateway_mac{};
  uint32_t resolver_ip = 0;  // the school router's DNS forwarder
};

// A DNS lookup over UDP/53: one A query, one answer `latency` later.
struct DnsLookup {
  std::string name;
  std::vector<uint32_t> addresses;
  Micros latency = 2 * kMillisecond;
};

// A TLS 1.3 connection: ClientHello, the server's flight (ServerHello and
// ChangeCipherSpec in clear, encrypted handshake as application data), the
// client's Finished, then `exchanges` request/response pairs of ciphertext.
struct TlsSession {
  std::string server_name;
  std::vector<std::string> alpn = {"h2", "http/1.1"};
  bool ech = false;  // server_name is then the ECH provider's public name
  uint32_t exchanges = 1;
  uint64_t request_bytes = 400;     // per exchange
  uint64_t response_bytes = 20000;  // in total, shared between the exchanges
  Micros server_think = 5 * kMillisecond;
  Micros user_think = 2 * kSecond;  // between exchanges
  Micros close_after = 5 * kSecond;
};

// A plain HTTP/1.1 GET and its response over port 80.
struct HttpExchange {
  std::string host;
  std::string target;
  int status = 200;
  std::string reason = "OK";
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  Micros server_think = 30 * kMillisecond;
  Micros close_after = 2 * kSecond;
};

// When the first client byte of a TCP flow starting at 0 is seen.
Micros tcp_first_data_offset(const Server& server);

std::unique_ptr<Flow> make_dns_lookup(const Network& network, const Client& client,
                                      uint16_t client_port, Micros start, const DnsLookup& lookup,
                                      uint64_t seed);
std::unique_ptr<Flow> make_tls_connection(const Network& network, const Client& client,
                                          uint16_t client_port, const Server& server, Micros start,
                                          const TlsSession& session, uint64_t seed);
std::unique_ptr<Flow> make_http_connection(const Network& network, const Client& client,
                                           uint16_t client_port, const Server& server, Micros start,
                                           const HttpExchange& exchange, uint64_t seed);

}  // namespace hm::trafficgen
