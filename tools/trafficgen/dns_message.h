#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "byte_writer.h"

namespace hm::trafficgen {

namespace dns_type {
constexpr uint16_t kA = 1;
constexpr uint16_t kAaaa = 28;
}  // namespace dns_type

// RFC 1035 §4.1: a standard query with recursion desired and one question.
Bytes dns_query(uint16_t id, std::string_view name, uint16_t qtype);

// The resolver's answer to dns_query(): the question echoed, then one A record
// per address, each naming the question by a compression pointer (§4.1.4).
Bytes dns_response(uint16_t id, std::string_view name, uint16_t qtype,
                   std::span<const uint32_t> addresses, uint32_t ttl);

}  // namespace hm::trafficgen
