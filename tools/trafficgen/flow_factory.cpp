#include "flow_factory.h"

#include <algorithm>

#include "dns_message.h"
#include "http_message.h"
#include "rng.h"
#include "tcp_conversation.h"
#include "udp_exchange.h"

namespace hm::trafficgen {
namespace {

constexpr uint16_t kDnsPort = 53;
constexpr uint16_t kHttpsPort = 443;
constexpr uint16_t kHttpPort = 80;
constexpr uint8_t kResolverTtl = 64;
constexpr uint64_t kFinishedCiphertext = 32 + 4 + 1 + 16;  // verify_data, header, type, tag
constexpr uint64_t kSessionTicketCiphertext = 250;

TcpPath path_for(const Network& network, const Client& client, uint16_t client_port,
                 const Server& server, uint16_t server_port) {
  TcpPath path;
  path.client = {client.mac, client.ip, client_port};
  path.server = {network.gateway_mac, server.ip, server_port};
  path.client_ttl = client.ttl;
  path.server_ttl = server.ttl;
  path.rtt = server.rtt;
  return path;
}

}  // namespace

Micros tcp_first_data_offset(const Server& server) {
  return server.rtt + TcpConversation::kFirstDataAfterSynAck;
}

std::unique_ptr<Flow> make_dns_lookup(const Network& network, const Client& client,
                                      uint16_t client_port, Micros start, const DnsLookup& lookup,
                                      uint64_t seed) {
  Rng rng(seed);
  const auto id = static_cast<uint16_t>(rng.next());
  std::vector<UdpDatagram> datagrams;
  datagrams.push_back({true, 0, dns_query(id, lookup.name, dns_type::kA)});
  datagrams.push_back(
      {false, lookup.latency, dns_response(id, lookup.name, dns_type::kA, lookup.addresses, 300)});
  const Endpoint device{client.mac, client.ip, client_port};
  const Endpoint resolver{network.gateway_mac, network.resolver_ip, kDnsPort};
  return std::make_unique<UdpExchange>(device, resolver, client.ttl, kResolverTtl, start,
                                       std::move(datagrams), rng.next());
}

std::unique_ptr<Flow> make_tls_connection(const Network& network, const Client& client,
                                          uint16_t client_port, const Server& server, Micros start,
                                          const TlsSession& session, uint64_t seed) {
  Rng rng(seed);
  ClientHelloSpec hello_spec;
  hello_spec.server_name = session.server_name;
  hello_spec.alpn = session.alpn;
  hello_spec.fingerprint = client.fingerprint;
  hello_spec.ech = session.ech;
  Bytes hello = tls_client_hello(hello_spec, rng);
  Bytes server_hello = tls_server_hello(hello, rng);

  std::vector<TcpMessage> messages;
  messages.push_back({true, 0, Payload(std::move(hello))});
  // EncryptedExtensions, Certificate, CertificateVerify, Finished: one record.
  Payload server_flight(std::move(server_hello));
  // Draws are separate statements throughout: the order in which a call's
  // arguments are evaluated is unspecified, and GCC and Clang differ.
  const auto encrypted_handshake = static_cast<uint64_t>(rng.between(2400, 4800));
  server_flight.add_tls_records(encrypted_handshake, rng.next());
  messages.push_back({false, rng.between(300, 2000), std::move(server_flight)});

  const uint32_t exchanges = std::max<uint32_t>(1, session.exchanges);
  const uint64_t per_response = std::max<uint64_t>(64, session.response_bytes / exchanges);
  for (uint32_t i = 0; i < exchanges; ++i) {
    Payload request;
    if (i == 0) {
      request.add_literal(tls_change_cipher_spec());
      request.add_tls_records(kFinishedCiphertext, rng.next());
    }
    const uint64_t request_bytes =
        session.request_bytes + static_cast<uint64_t>(rng.between(0, 200));
    request.add_tls_records(request_bytes, rng.next());
    messages.push_back({true, i == 0 ? 200 : session.user_think, std::move(request)});
    Payload response;
    if (i == 0) response.add_tls_records(kSessionTicketCiphertext, rng.next());
    response.add_tls_records(per_response, rng.next());
    messages.push_back({false, session.server_think, std::move(response)});
  }
  return std::make_unique<TcpConversation>(
      path_for(network, client, client_port, server, kHttpsPort), start, std::move(messages),
      session.close_after, rng.next());
}

std::unique_ptr<Flow> make_http_connection(const Network& network, const Client& client,
                                           uint16_t client_port, const Server& server, Micros start,
                                           const HttpExchange& exchange, uint64_t seed) {
  Rng rng(seed);
  std::vector<TcpMessage> messages;
  messages.push_back(
      {true, 0, Payload(http_get(exchange.host, exchange.target, client.user_agent))});
  const Micros answered =
      start + tcp_first_data_offset(server) + server.rtt + exchange.server_think;
  messages.push_back({false, exchange.server_think,
                      Payload(http_response(answered, exchange.status, exchange.reason,
                                            exchange.content_type, exchange.body))});
  return std::make_unique<TcpConversation>(
      path_for(network, client, client_port, server, kHttpPort), start, std::move(messages),
      exchange.close_after, rng.next());
}

}  // namespace hm::trafficgen
