#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "decode/address.h"

namespace hm::dissect {

inline constexpr std::uint16_t kDhcpServerPort = 67;  // RFC 2131 §4.1
inline constexpr std::uint16_t kDhcpClientPort = 68;

// DHCP message types (RFC 2132 §9.6).
enum class DhcpMessageType : std::uint8_t {
  none = 0,  // BOOTP: no option 53
  discover = 1,
  offer = 2,
  request = 3,
  decline = 4,
  ack = 5,
  nak = 6,
  release = 7,
  inform = 8,
};

// What a DHCPv4 message (RFC 2131 §2) tells about a device.
struct DhcpMessage {
  bool from_client = true;  // op BOOTREQUEST
  DhcpMessageType type = DhcpMessageType::none;
  std::optional<decode::MacAddress> client_mac;   // chaddr, when htype is Ethernet
  decode::IpAddress client_ip;                    // ciaddr
  decode::IpAddress your_ip;                      // yiaddr: the address a server assigns
  std::optional<decode::IpAddress> requested_ip;  // option 50
  std::string host_name;                          // option 12, up to its first NUL
  std::string client_id;                          // option 61 as hex pairs "01:aa:bb:…"
  bool complete = true;  // false: options ran past the end; those before are kept

  // The address this message binds to client_mac, if any: yiaddr of an ACK, the
  // requested address or ciaddr of a REQUEST, ciaddr of an INFORM.
  std::optional<decode::IpAddress> bound_ip() const;
};

// Parses a DHCPv4 message (BOOTP header, magic cookie, options). std::nullopt when it
// is not one (too short, no magic cookie). Options in the sname/file fields (option 52,
// overload) are not read: clients that send a host name put it in the options field.
std::optional<DhcpMessage> parse_dhcp_message(std::span<const std::uint8_t> message);

}  // namespace hm::dissect
