#include "dissect/dns.h"

#include <cstdio>

#include "decode/byte_reader.h"
#include "dissect/client_stream.h"

namespace hm::dissect {

namespace {

constexpr std::size_t kHeaderLength = 12;
constexpr std::size_t kMaxNameLength = 255;  // RFC 1035 §2.3.4, on the wire
constexpr int kMaxPointers = 64;

void append_label(std::string& name, std::span<const std::uint8_t> label) {
  if (!name.empty()) name += '.';
  for (const std::uint8_t byte : label) {
    if (byte < 0x20 || byte == 0x7f || byte == '.' || byte == '\\') {
      char escaped[6];
      std::snprintf(escaped, sizeof escaped, "\\%03u", byte);
      name += escaped;
    } else {
      name += static_cast<char>(byte);
    }
  }
}

// Reads the name at `offset`; on success `offset` is just past it in the message.
bool read_name(std::span<const std::uint8_t> message, std::size_t& offset, std::string& name) {
  std::size_t position = offset;
  std::size_t wire_length = 0;
  bool jumped = false;
  for (int pointers = 0;;) {
    if (position >= message.size()) return false;
    const std::uint8_t length = message[position];
    if ((length & 0xc0) == 0xc0) {
      if (position + 1 >= message.size() || ++pointers > kMaxPointers) return false;
      const std::size_t target = (std::size_t{length & 0x3fu} << 8) | message[position + 1];
      if (target >= position) return false;  // only backwards: no loops
      if (!jumped) offset = position + 2;
      jumped = true;
      position = target;
      continue;
    }
    if ((length & 0xc0) != 0) return false;  // RFC 6891 extended label types: obsolete
    wire_length += length + 1u;
    if (wire_length > kMaxNameLength) return false;
    if (length == 0) {
      if (!jumped) offset = position + 1;
      return true;
    }
    if (position + 1 + length > message.size()) return false;
    append_label(name, message.subspan(position + 1, length));
    position += 1u + length;
  }
}

constexpr std::uint16_t kTypeA = 1;
constexpr std::uint16_t kTypeAaaa = 28;
constexpr std::uint16_t kClassIn = 1;

constexpr std::string_view kDohCanaries[] = {
    "use-application-dns.net",  // Firefox (support.mozilla.org canary domain)
    "mask.icloud.com",          // iCloud Private Relay
    "mask-h2.icloud.com",
};

bool equal_ignoring_case(std::string_view lower, std::string_view any) {
  if (lower.size() != any.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    char c = any[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    if (c != lower[i]) return false;
  }
  return true;
}

// Reads the answer section's A and AAAA records; stops quietly at the first damage
// (the addresses before it are kept: they were well-formed).
void read_answer_addresses(std::span<const std::uint8_t> message, std::size_t offset,
                           std::uint16_t answer_count, DnsMessage& parsed) {
  for (std::uint16_t i = 0; i < answer_count; ++i) {
    std::string owner;  // CNAME chains: the addresses answer the question all the same
    if (!read_name(message, offset, owner) || message.size() - offset < 10) return;
    decode::ByteReader record(message.subspan(offset));
    const std::uint16_t type = record.u16();
    const std::uint16_t klass = record.u16();
    record.skip(4);  // TTL
    const auto data = record.take(record.u16());
    if (record.failed()) return;
    offset += record.offset();
    if (klass != kClassIn && klass != (kClassIn | 0x8000)) continue;  // mDNS cache-flush bit
    if (parsed.answer_addresses.size() >= kMaxDnsAnswerAddresses) return;
    if (type == kTypeA && data.size() == 4) {
      parsed.answer_addresses.push_back(decode::IpAddress::from_v4_bytes(data.data()));
    } else if (type == kTypeAaaa && data.size() == 16) {
      parsed.answer_addresses.push_back(decode::IpAddress::from_v6_bytes(data.data()));
    }
  }
}

}  // namespace

bool is_doh_canary(std::string_view name) {
  if (name.ends_with('.')) name.remove_suffix(1);
  for (const auto canary : kDohCanaries) {
    if (equal_ignoring_case(canary, name)) return true;
  }
  return false;
}

std::optional<DnsMessage> parse_dns_message(std::span<const std::uint8_t> message) {
  decode::ByteReader header(message);
  DnsMessage parsed;
  parsed.id = header.u16();
  const std::uint16_t flags = header.u16();
  const std::uint16_t question_count = header.u16();
  const std::uint16_t answer_count = header.u16();
  if (header.failed() || message.size() < kHeaderLength) return std::nullopt;
  parsed.is_response = (flags & 0x8000) != 0;

  std::size_t offset = kHeaderLength;
  for (std::uint16_t i = 0; i < question_count; ++i) {
    std::string name;
    if (!read_name(message, offset, name) || offset + 4 > message.size()) {
      parsed.complete = false;
      break;
    }
    offset += 4;  // QTYPE, QCLASS
    parsed.question_names.push_back(std::move(name));
  }
  if (parsed.is_response && parsed.complete && !parsed.question_names.empty()) {
    read_answer_addresses(message, offset, answer_count, parsed);
  }
  return parsed;
}

void observe_dns_query(const EmitContext& context, const std::string& name) {
  ObservationAttributes attributes;
  attributes.doh_canary = is_doh_canary(name);
  context.observe(ObservationKind::dns_query, name, {}, std::move(attributes));
}

void learn_dns_answers(const DnsMessage& message, const EmitContext& context) {
  if (!message.is_response || context.address_names == nullptr || message.question_names.empty()) {
    return;
  }
  for (const auto& address : message.answer_addresses) {
    context.address_names->learn(address, message.question_names.front(), context.ts_us);
  }
}

}  // namespace hm::dissect
