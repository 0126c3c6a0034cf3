#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "capture/packet.h"
#include "decode/address.h"

namespace hm::dissect {

struct IpAddressHash {
  std::size_t operator()(const decode::IpAddress& ip) const;
};

// Bounds of the two maps below. Named settings (STYLE.md).
struct HostTableSettings {
  std::size_t max_devices = 4096;  // DHCP bindings kept (a school: hundreds of devices)
  capture::TimestampUs binding_timeout_us = 24LL * 3600 * 1'000'000;  // longer than a lease
  std::size_t max_dns_addresses = 16384;  // addresses remembered from DNS answers
  capture::TimestampUs dns_address_timeout_us = 600'000'000;  // "short-lived": 10 minutes
};

// DHCP's view of the LAN (issue 3 item 6): IP → MAC → host name, learned from leases,
// so observations of a device carry its real MAC and name even when the frame that
// carried them came through the gateway (SPAN of a routed port). Bounded: when full,
// the binding seen longest ago is forgotten and counted.
class HostTable {
 public:
  struct Device {
    decode::MacAddress mac;
    std::string host_name;  // may be empty: not every client sends option 12
    std::string client_id;
  };

  explicit HostTable(const HostTableSettings& settings) : settings_(settings) {}

  // A client said its name (any DHCP message from it with option 12 or 61).
  void learn_name(const decode::MacAddress& mac, std::string_view host_name,
                  std::string_view client_id, capture::TimestampUs now_us);
  // An address is bound to `mac` (ACK, REQUEST, INFORM).
  void learn_binding(const decode::IpAddress& ip, const decode::MacAddress& mac,
                     capture::TimestampUs now_us);

  std::optional<Device> device_at(const decode::IpAddress& ip, capture::TimestampUs now_us) const;
  std::string_view name_of(const decode::MacAddress& mac) const;

  std::size_t size() const { return bindings_.size(); }
  std::uint64_t evictions() const { return evictions_; }

 private:
  struct Binding {
    decode::MacAddress mac;
    capture::TimestampUs last_seen_us = 0;
  };
  struct Names {
    std::string host_name;
    std::string client_id;
    capture::TimestampUs last_seen_us = 0;
  };
  struct MacHash {
    std::size_t operator()(const decode::MacAddress& mac) const;
  };

  HostTableSettings settings_;
  std::unordered_map<decode::IpAddress, Binding, IpAddressHash> bindings_;
  std::unordered_map<decode::MacAddress, Names, MacHash> names_;
  std::uint64_t evictions_ = 0;
};

// DNS answers' view (issue 3 item 5): address → the name a client asked for, kept a
// short while so that a later connection without a server name (no SNI, ECH, a
// VPN) can still be attributed. Bounded: when full, the oldest answer is forgotten
// and counted.
class AddressNames {
 public:
  explicit AddressNames(const HostTableSettings& settings) : settings_(settings) {}

  void learn(const decode::IpAddress& address, std::string_view name, capture::TimestampUs now_us);
  // The name last answered for `address`, if that answer is younger than the timeout.
  std::optional<std::string> name_of(const decode::IpAddress& address,
                                     capture::TimestampUs now_us) const;

  std::size_t size() const { return names_.size(); }
  std::uint64_t evictions() const { return evictions_; }

 private:
  struct Entry {
    std::string name;
    capture::TimestampUs learned_us = 0;
  };

  HostTableSettings settings_;
  std::unordered_map<decode::IpAddress, Entry, IpAddressHash> names_;
  std::uint64_t evictions_ = 0;
};

}  // namespace hm::dissect
