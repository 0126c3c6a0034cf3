#include "school_day.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "datagram_stream.h"
#include "dhcp_lease.h"
#include "quic_initial.h"
#include "school_sites.h"
#include "tls_handshake.h"

namespace hm::trafficgen {
namespace {

constexpr uint16_t kHttpsPort = 443;
constexpr uint16_t kWireGuardPort = 51820;
constexpr uint64_t kBulkFlowBytes = 24ULL << 20;  // average bulk transfer
constexpr size_t kTlsRecordHeader = 5;

// Where the bulk goes: video (YouTube's caches, BBC iPlayer, Netflix's), and updates
// (Windows, iPadOS, ChromeOS, Microsoft 365).
struct BulkSite {
  std::string_view host;
  bool quic;  // HTTP/3: Google's and Meta's caches answer over QUIC first
  uint8_t net_a, net_b;
};
constexpr std::array<BulkSite, 8> kBulkSites = {{
    {"rr4---sn-aigl6nze.googlevideo.com", true, 173, 194},
    {"rr2---sn-aigzrn7e.googlevideo.com", true, 173, 194},
    {"vod-dash-uk-live.akamaized.net", false, 23, 55},
    {"ipv4-c001-lhr001-ix.1.oca.nflxvideo.net", false, 45, 57},
    {"dl.delivery.mp.microsoft.com", false, 13, 107},
    {"updates.cdn-apple.com", false, 17, 253},
    {"dl.google.com", true, 142, 250},
    {"officecdn.microsoft.com", false, 13, 107},
}};

// HTTP/3 visits: Google's own sites answer over QUIC.
constexpr std::array<std::string_view, 6> kQuicHosts = {"www.google.com",  "www.youtube.com",
                                                        "i.ytimg.com",     "fonts.gstatic.com",
                                                        "docs.google.com", "classroom.google.com"};

constexpr std::array<std::string_view, 4> kDohResolvers = {
    "dns.google", "cloudflare-dns.com", "mozilla.cloudflare-dns.com", "dns.quad9.net"};

// Cloudflare's ECH public name: the real site is inside the encrypted hello.
constexpr std::string_view kEchPublicName = "cloudflare-ech.com";

Server bulk_server(const BulkSite& site, Rng& rng) {
  Server server = server_for(site.host);
  server.ip = ipv4(site.net_a, site.net_b, static_cast<uint8_t>(rng.below(256)),
                   static_cast<uint8_t>(1 + rng.below(253)));
  return server;
}

Bytes random_bytes(Rng& rng, size_t n) {
  Bytes out(n);
  rng.fill(out);
  return out;
}

// The server's first flight as the mirror sees it: a long header addressed to the
// client's connection ID, then protected bytes (its keys come from the server's
// own connection ID too, but nothing in the school reads them: random stands in).
Bytes server_initial(const Bytes& client_cid, Rng& rng) {
  constexpr size_t kFlight = 1200;
  Bytes out;
  ByteWriter w(out);
  w.u8(0xc1);  // long header, fixed bit, Initial, 2-byte packet number
  w.u32(1);
  w.u8(static_cast<uint32_t>(client_cid.size()));
  w.bytes(client_cid);
  w.u8(8);
  w.bytes(random_bytes(rng, 8));
  w.u8(0);  // no token
  const size_t rest = kFlight - out.size() - 2;
  w.u16(0x4000 | static_cast<uint32_t>(rest));
  w.bytes(random_bytes(rng, rest));
  return out;
}

}  // namespace

SchoolDay::SchoolDay(const SchoolDayOptions& options)
    : options_(options), morning_(options.morning), rng_(options.morning.seed ^ 0x5c4001da7ULL) {
  next_port_.resize(morning_.devices().size());
  for (uint16_t& port : next_port_) port = static_cast<uint16_t>(rng_.between(32768, 40000));
  plan_leases();
  plan_extras();
  plan_bulk(options.target_bytes / 100 * kBulkPercent);
  std::sort(planned_.begin(), planned_.end(), [](const Planned& a, const Planned& b) {
    return a.start != b.start ? a.start < b.start : a.order < b.order;
  });
}

void SchoolDay::add(std::unique_ptr<Flow> flow) {
  const Micros start = flow->start();
  planned_.push_back({start, planned_.size(), std::move(flow)});
}

uint16_t SchoolDay::port(size_t device) {
  uint16_t& next = next_port_[device];
  const uint16_t chosen = next;
  next = next >= 48999 ? 32768 : static_cast<uint16_t>(next + 1);
  return chosen;
}

size_t SchoolDay::pick_device(bool staff_only) {
  const auto& devices = morning_.devices();
  for (;;) {
    const size_t device = rng_.below(devices.size());
    const DeviceKind kind = devices[device].kind;
    if (kind == DeviceKind::kPrinter) continue;
    if (staff_only && kind != DeviceKind::kStaffLaptop) continue;
    return device;
  }
}

Micros SchoolDay::random_time() {
  return options_.morning.start + rng_.between(0, options_.morning.duration - 1);
}

// Devices arrive in the two minutes before the day starts, and each takes a lease
// that names it (dissect/dhcp.h turns these into the host table).
void SchoolDay::plan_leases() {
  const auto& devices = morning_.devices();
  const Network& network = morning_.network();
  for (size_t i = 0; i < devices.size(); ++i) {
    DhcpLeaseSpec spec;
    spec.client_mac = devices[i].client.mac;
    spec.offered_ip = devices[i].client.ip;
    spec.host_name = devices[i].name;
    spec.server_mac = network.gateway_mac;
    spec.server_ip = network.resolver_ip;
    spec.transaction_id = static_cast<uint32_t>(rng_.next());
    spec.latency = rng_.between(800, 4000);
    const Micros at = options_.morning.start - 2 * kMinute + rng_.between(0, 2 * kMinute - kSecond);
    add(std::make_unique<DhcpLease>(spec, at));
  }
}

// QUIC visits, DoH, ECH and VPN flows in proportion to the web mix.
void SchoolDay::plan_extras() {
  const Network& network = morning_.network();
  const auto& devices = morning_.devices();
  const uint64_t web_flows = options_.morning.flows;

  for (uint64_t i = 0; i < std::max<uint64_t>(2, web_flows / 8); ++i) {
    const size_t device = pick_device(false);
    const std::string host(kQuicHosts[rng_.below(kQuicHosts.size())]);
    const Server server = server_for(host);
    DatagramBulk bulk;
    bulk.bytes = static_cast<uint64_t>(rng_.between(8, 160)) * 1024;
    bulk.rtt = server.rtt;
    bulk.connection_id = random_bytes(rng_, 8);
    const Micros at = random_time();
    const uint16_t client_port = port(device);
    const uint64_t seed = rng_.next();
    ClientHelloSpec hello;
    hello.server_name = host;
    hello.alpn = {"h3"};
    hello.fingerprint = devices[device].client.fingerprint;
    hello.quic_transport_parameters = true;
    Rng flow_rng(seed);
    Bytes record = tls_client_hello(hello, flow_rng);
    const Bytes message(record.begin() + kTlsRecordHeader, record.end());
    std::vector<UdpDatagram> opening;
    opening.push_back(
        {true, 0, quic_client_initial(random_bytes(flow_rng, 8), bulk.connection_id, 0, message)});
    opening.push_back({false, server.rtt, server_initial(bulk.connection_id, flow_rng)});
    const Endpoint client{devices[device].client.mac, devices[device].client.ip, client_port};
    const Endpoint remote{network.gateway_mac, server.ip, kHttpsPort};
    add(std::make_unique<DatagramStream>(client, remote, devices[device].client.ttl, server.ttl, at,
                                         std::move(opening), bulk, flow_rng.next()));
  }

  for (uint64_t i = 0; i < std::max<uint64_t>(2, web_flows / 100); ++i) {
    const size_t device = pick_device(false);
    TlsSession session;
    session.server_name = std::string(kDohResolvers[rng_.below(kDohResolvers.size())]);
    session.exchanges = static_cast<uint32_t>(rng_.between(3, 12));
    session.request_bytes = 120;
    session.response_bytes = session.exchanges * 200;
    session.user_think = rng_.between(200, 3000) * kMillisecond;
    const Server server = server_for(session.server_name);
    add(make_tls_connection(network, devices[device].client, port(device), server, random_time(),
                            session, rng_.next()));
  }

  for (uint64_t i = 0; i < std::max<uint64_t>(2, web_flows / 100); ++i) {
    const size_t device = pick_device(false);
    TlsSession session;
    session.server_name = std::string(kEchPublicName);
    session.ech = true;
    session.exchanges = static_cast<uint32_t>(rng_.between(1, 3));
    session.response_bytes = static_cast<uint64_t>(rng_.between(4, 60)) * 1024;
    const Server server = server_for(session.server_name);
    add(make_tls_connection(network, devices[device].client, port(device), server, random_time(),
                            session, rng_.next()));
  }

  // A few staff laptops keep a WireGuard tunnel home.
  for (uint64_t i = 0; i < std::max<uint64_t>(1, devices.size() / 50); ++i) {
    const size_t device = pick_device(true);
    Rng flow_rng = rng_.fork(i);
    Bytes initiation = random_bytes(flow_rng, 148);
    initiation[0] = 1;
    initiation[1] = initiation[2] = initiation[3] = 0;
    Bytes response = random_bytes(flow_rng, 92);
    response[0] = 2;
    response[1] = response[2] = response[3] = 0;
    std::vector<UdpDatagram> opening;
    opening.push_back({true, 0, std::move(initiation)});
    opening.push_back({false, 30 * kMillisecond, std::move(response)});
    DatagramBulk bulk;
    bulk.framing = DatagramFraming::kWireGuardData;
    bulk.bytes = static_cast<uint64_t>(rng_.between(256, 4096)) * 1024;
    bulk.datagram_bytes = 1420;
    bulk.rtt = 30 * kMillisecond;
    bulk.burst = 16;
    const uint32_t home =
        ipv4(81, static_cast<uint8_t>(rng_.between(2, 200)), static_cast<uint8_t>(rng_.below(256)),
             static_cast<uint8_t>(1 + rng_.below(253)));
    const Endpoint client{devices[device].client.mac, devices[device].client.ip, port(device)};
    const Endpoint remote{network.gateway_mac, home, kWireGuardPort};
    add(std::make_unique<DatagramStream>(client, remote, devices[device].client.ttl, 52,
                                         random_time(), std::move(opening), bulk, flow_rng.next()));
  }
}

// Video and updates: a handful of long transfers carrying most of the day's bytes.
void SchoolDay::plan_bulk(uint64_t bytes) {
  const Network& network = morning_.network();
  const auto& devices = morning_.devices();
  const uint64_t flows = std::max<uint64_t>(2, bytes / kBulkFlowBytes);
  const uint64_t average = bytes / flows;
  for (uint64_t i = 0; i < flows; ++i) {
    const size_t device = pick_device(false);
    const BulkSite& site = kBulkSites[rng_.below(kBulkSites.size())];
    const Server server = bulk_server(site, rng_);
    const auto size = static_cast<uint64_t>(
        rng_.between(static_cast<int64_t>(average / 2), static_cast<int64_t>(average * 3 / 2)));
    const Micros at = random_time();
    if (site.quic && rng_.chance_per_mille(600)) {
      DatagramBulk bulk;
      bulk.bytes = size;
      bulk.rtt = server.rtt;
      bulk.burst = 64;
      bulk.connection_id = random_bytes(rng_, 8);
      Rng flow_rng = rng_.fork(i);
      ClientHelloSpec hello;
      hello.server_name = std::string(site.host);
      hello.alpn = {"h3"};
      hello.fingerprint = devices[device].client.fingerprint;
      hello.quic_transport_parameters = true;
      const Bytes record = tls_client_hello(hello, flow_rng);
      std::vector<UdpDatagram> opening;
      opening.push_back(
          {true, 0,
           quic_client_initial(random_bytes(flow_rng, 8), bulk.connection_id, 0,
                               Bytes(record.begin() + kTlsRecordHeader, record.end()))});
      const Endpoint client{devices[device].client.mac, devices[device].client.ip, port(device)};
      const Endpoint remote{network.gateway_mac, server.ip, kHttpsPort};
      add(std::make_unique<DatagramStream>(client, remote, devices[device].client.ttl, server.ttl,
                                           at, std::move(opening), bulk, flow_rng.next()));
      continue;
    }
    TlsSession session;
    session.server_name = std::string(site.host);
    session.exchanges = static_cast<uint32_t>(rng_.between(1, 4));
    session.response_bytes = size;
    session.server_think = rng_.between(5, 40) * kMillisecond;
    session.user_think = rng_.between(100, 2000) * kMillisecond;
    session.close_after = rng_.between(1, 20) * kSecond;
    add(make_tls_connection(network, devices[device].client, port(device), server, at, session,
                            rng_.next()));
  }
}

std::unique_ptr<Flow> SchoolDay::next_flow() {
  if (!morning_done_ && !morning_next_) {
    morning_next_ = morning_.next_flow();
    morning_done_ = morning_next_ == nullptr;
  }
  const bool have_planned = next_planned_ < planned_.size();
  if (morning_next_ && (!have_planned || morning_next_->start() < planned_[next_planned_].start)) {
    return std::move(morning_next_);
  }
  if (have_planned) return std::move(planned_[next_planned_++].flow);
  return nullptr;
}

}  // namespace hm::trafficgen
