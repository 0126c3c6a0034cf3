#include "dissect/host_table.h"

#include <algorithm>

namespace hm::dissect {

namespace {

// Forgets what is older than `timeout`; then, if still full, the oldest one entry.
// Linear, but only when the map is full (a few thousand entries, rarely).
template <typename Map, typename Age>
bool make_room(Map& map, std::size_t capacity, capture::TimestampUs now_us,
               capture::TimestampUs timeout_us, Age age) {
  if (map.size() < capacity) return false;
  std::erase_if(map, [&](const auto& entry) { return now_us - age(entry.second) > timeout_us; });
  if (map.size() < capacity || map.empty()) return false;
  const auto oldest = std::min_element(map.begin(), map.end(), [&](const auto& a, const auto& b) {
    return age(a.second) < age(b.second);
  });
  map.erase(oldest);
  return true;
}

}  // namespace

std::size_t IpAddressHash::operator()(const decode::IpAddress& ip) const {
  std::size_t hash = ip.is_v6 ? 0x9e3779b97f4a7c15ULL : 0;
  for (const auto byte : ip.bytes) hash = (hash ^ byte) * 0x100000001b3ULL;  // FNV-1a style
  return hash;
}

std::size_t HostTable::MacHash::operator()(const decode::MacAddress& mac) const {
  std::size_t hash = 0;
  for (const auto byte : mac.bytes) hash = (hash ^ byte) * 0x100000001b3ULL;
  return hash;
}

void HostTable::learn_name(const decode::MacAddress& mac, std::string_view host_name,
                           std::string_view client_id, capture::TimestampUs now_us) {
  if (host_name.empty() && client_id.empty()) return;
  auto found = names_.find(mac);
  if (found == names_.end()) {
    if (settings_.max_devices == 0) return;
    if (make_room(names_, settings_.max_devices, now_us, settings_.binding_timeout_us,
                  [](const Names& names) { return names.last_seen_us; })) {
      ++evictions_;
    }
    found = names_.emplace(mac, Names{}).first;
  }
  if (!host_name.empty()) found->second.host_name = host_name;
  if (!client_id.empty()) found->second.client_id = client_id;
  found->second.last_seen_us = now_us;
}

void HostTable::learn_binding(const decode::IpAddress& ip, const decode::MacAddress& mac,
                              capture::TimestampUs now_us) {
  auto found = bindings_.find(ip);
  if (found == bindings_.end()) {
    if (settings_.max_devices == 0) return;
    if (make_room(bindings_, settings_.max_devices, now_us, settings_.binding_timeout_us,
                  [](const Binding& binding) { return binding.last_seen_us; })) {
      ++evictions_;
    }
    found = bindings_.emplace(ip, Binding{}).first;
  }
  found->second.mac = mac;
  found->second.last_seen_us = now_us;
}

std::optional<HostTable::Device> HostTable::device_at(const decode::IpAddress& ip,
                                                      capture::TimestampUs now_us) const {
  const auto found = bindings_.find(ip);
  if (found == bindings_.end() ||
      now_us - found->second.last_seen_us > settings_.binding_timeout_us)
    return std::nullopt;
  Device device;
  device.mac = found->second.mac;
  if (const auto names = names_.find(device.mac); names != names_.end()) {
    device.host_name = names->second.host_name;
    device.client_id = names->second.client_id;
  }
  return device;
}

std::string_view HostTable::name_of(const decode::MacAddress& mac) const {
  const auto found = names_.find(mac);
  return found == names_.end() ? std::string_view{} : std::string_view(found->second.host_name);
}

void AddressNames::learn(const decode::IpAddress& address, std::string_view name,
                         capture::TimestampUs now_us) {
  if (name.empty()) return;
  auto found = names_.find(address);
  if (found == names_.end()) {
    if (settings_.max_dns_addresses == 0) return;
    if (make_room(names_, settings_.max_dns_addresses, now_us, settings_.dns_address_timeout_us,
                  [](const Entry& entry) { return entry.learned_us; })) {
      ++evictions_;
    }
    found = names_.emplace(address, Entry{}).first;
  }
  found->second.name = name;
  found->second.learned_us = now_us;
}

std::optional<std::string> AddressNames::name_of(const decode::IpAddress& address,
                                                 capture::TimestampUs now_us) const {
  const auto found = names_.find(address);
  if (found == names_.end() || now_us - found->second.learned_us > settings_.dns_address_timeout_us)
    return std::nullopt;
  return found->second.name;
}

}  // namespace hm::dissect
