#include "dhcp_lease.h"

namespace hm::trafficgen {
namespace {

constexpr uint16_t kClientPort = 68;
constexpr uint16_t kServerPort = 67;
constexpr uint32_t kMagicCookie = 0x63825363;  // RFC 2131 §3
enum MessageType : uint8_t { kDiscover = 1, kOffer = 2, kRequest = 3, kAck = 5 };

// RFC 2131 §2: the fixed BOOTP fields, then options (RFC 2132).
Bytes dhcp_message(const DhcpLeaseSpec& spec, MessageType type) {
  const bool from_client = type == kDiscover || type == kRequest;
  Bytes out;
  ByteWriter w(out);
  w.u8(from_client ? 1 : 2);  // op: BOOTREQUEST / BOOTREPLY
  w.u8(1);                    // htype: Ethernet
  w.u8(6);                    // hlen
  w.u8(0);                    // hops
  w.u32(spec.transaction_id);
  w.u16(0);                                  // secs
  w.u16(0);                                  // flags: unicast replies are fine
  w.u32(0);                                  // ciaddr
  w.u32(from_client ? 0 : spec.offered_ip);  // yiaddr
  w.u32(from_client ? 0 : spec.server_ip);   // siaddr
  w.u32(0);                                  // giaddr
  w.bytes(spec.client_mac);
  w.zeros(10 + 64 + 128);  // chaddr padding, sname, file
  w.u32(kMagicCookie);
  w.u8(53);  // message type
  w.u8(1);
  w.u8(type);
  if (from_client) {
    w.u8(61);  // client identifier: hardware type and MAC
    w.u8(7);
    w.u8(1);
    w.bytes(spec.client_mac);
    if (type == kRequest) {
      w.u8(50);  // requested address
      w.u8(4);
      w.u32(spec.offered_ip);
      w.u8(54);  // server identifier
      w.u8(4);
      w.u32(spec.server_ip);
    }
    w.u8(12);  // host name
    w.u8(static_cast<uint32_t>(spec.host_name.size()));
    w.text(spec.host_name);
    w.u8(55);  // parameter request list: subnet, router, DNS, domain
    w.u8(4);
    for (const uint8_t option : {1, 3, 6, 15}) w.u8(option);
  } else {
    w.u8(54);
    w.u8(4);
    w.u32(spec.server_ip);
    w.u8(51);  // lease time
    w.u8(4);
    w.u32(spec.lease_seconds);
    w.u8(1);  // subnet mask 255.255.0.0
    w.u8(4);
    w.u32(0xffff0000);
    w.u8(3);  // router
    w.u8(4);
    w.u32(spec.server_ip);
    w.u8(6);  // DNS server
    w.u8(4);
    w.u32(spec.server_ip);
  }
  w.u8(255);                                  // end
  while (out.size() < 300) out.push_back(0);  // BOOTP minimum (RFC 1542 §3.1.1)
  return out;
}

}  // namespace

bool DhcpLease::next_round(std::vector<TimedFrame>& out) {
  if (done_) return false;
  done_ = true;
  const MacAddress broadcast_mac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  const Endpoint client{spec_.client_mac, 0, kClientPort};
  const Endpoint broadcast{broadcast_mac, 0xffffffff, kServerPort};
  const Endpoint server{spec_.server_mac, spec_.server_ip, kServerPort};
  const Endpoint leased{spec_.client_mac, spec_.offered_ip, kClientPort};
  Ipv4Fields client_ip;
  client_ip.ttl = 64;
  client_ip.dont_fragment = false;
  Ipv4Fields server_ip;
  server_ip.ttl = 64;
  server_ip.id = static_cast<uint16_t>(spec_.transaction_id);
  Micros ts = start_;
  const auto add = [&](const Endpoint& from, const Endpoint& to, Ipv4Fields& ip, MessageType type) {
    TimedFrame frame{ts, {}};
    append_udp_frame(frame.frame, from, to, ip, dhcp_message(spec_, type));
    ++ip.id;
    out.push_back(std::move(frame));
  };
  add(client, broadcast, client_ip, kDiscover);
  ts += spec_.latency;
  add(server, leased, server_ip, kOffer);
  ts += 1500;  // the client's choice among offers
  add(client, broadcast, client_ip, kRequest);
  ts += spec_.latency;
  add(server, leased, server_ip, kAck);
  return true;
}

}  // namespace hm::trafficgen
