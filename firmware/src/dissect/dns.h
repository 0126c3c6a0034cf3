#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hm::dissect {

// The parts of a DNS message (RFC 1035 §4.1) that observations need.
struct DnsMessage {
  std::uint16_t id = 0;
  bool is_response = false;
  std::vector<std::string> question_names;  // dotted, no trailing dot
  bool complete = true;  // false: a question was malformed; the names before it are kept
};

// Parses a DNS message (also mDNS, RFC 6762, and LLMNR, RFC 4795, which share the
// format). std::nullopt when not even the header is there. Names follow compression
// pointers (RFC 1035 §4.1.4) only backwards, so a pointer loop cannot hang the parser.
// Label bytes are kept as they are (UTF-8 names stay readable), except '.' inside a
// label and control characters, which are written as \DDD (RFC 1035 §5.1 style).
std::optional<DnsMessage> parse_dns_message(std::span<const std::uint8_t> message);

// DNS over TCP (RFC 1035 §4.2.2): each message follows a two-byte length. Buffers at
// most one message (≤ 64 KiB) of one direction.
class DnsOverTcpStream {
 public:
  // Calls `on_message(span)` for each complete message in the stream so far.
  template <typename OnMessage>
  void feed(std::span<const std::uint8_t> bytes, OnMessage&& on_message) {
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    std::size_t used = 0;
    while (buffer_.size() - used >= 2) {
      const std::size_t length = (std::size_t{buffer_[used]} << 8) | buffer_[used + 1];
      if (buffer_.size() - used - 2 < length) break;
      on_message(std::span<const std::uint8_t>(buffer_).subspan(used + 2, length));
      used += 2 + length;
    }
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(used));
  }
  void reset() { buffer_.clear(); }

 private:
  std::vector<std::uint8_t> buffer_;
};

}  // namespace hm::dissect
