#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decode/address.h"

namespace hm::dissect {

// The parts of a DNS message (RFC 1035 §4.1) that observations need.
struct DnsMessage {
  std::uint16_t id = 0;
  bool is_response = false;
  std::vector<std::string> question_names;  // dotted, no trailing dot
  bool complete = true;  // false: a question was malformed; the names before it are kept
  // Responses: the A and AAAA addresses of the answer section (at most
  // kMaxDnsAnswerAddresses), whatever CNAMEs led to them; they answer the first question.
  std::vector<decode::IpAddress> answer_addresses;
};

// Addresses kept from one response: a name with more is a load-balancing pool, and the
// first few are the ones a client connects to.
inline constexpr std::size_t kMaxDnsAnswerAddresses = 32;

// RFC 8744 / Apple's and Firefox's canaries: a resolver answering these (or not) tells
// a device whether it may switch to encrypted DNS (DoH) and so out of the box's sight.
bool is_doh_canary(std::string_view name);

struct EmitContext;  // dissect/client_stream.h

// What the inspector does with a parsed message, over UDP and TCP alike: a dns_query
// observation per question (doh_canary flagged), and a response's addresses remembered
// under its first question's name (context.address_names, if set).
void observe_dns_query(const EmitContext& context, const std::string& name);
void learn_dns_answers(const DnsMessage& message, const EmitContext& context);

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
