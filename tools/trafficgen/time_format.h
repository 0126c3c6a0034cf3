#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hm::trafficgen {

// Time in the generator: microseconds since the Unix epoch, UTC (pcap's own
// resolution). Integer throughout so every platform computes the same packets.
using Micros = int64_t;
constexpr Micros kMillisecond = 1000;
constexpr Micros kSecond = 1000 * kMillisecond;
constexpr Micros kMinute = 60 * kSecond;

// Parses "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC; a "Z" suffix is optional, other offsets
// are refused so a sample cannot silently depend on the builder's time zone).
std::optional<Micros> parse_iso8601(std::string_view text);

// "2026-03-02T09:12:07.000000Z"
std::string format_iso8601(Micros t);

}  // namespace hm::trafficgen

namespace hm::trafficgen {
// RFC 9110 §5.6.7 IMF-fixdate: "Mon, 02 Mar 2026 09:00:00 GMT"
std::string format_http_date(Micros t);
}  // namespace hm::trafficgen
