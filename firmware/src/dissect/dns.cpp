#include "dissect/dns.h"

#include <cstdio>

#include "decode/byte_reader.h"

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

}  // namespace

std::optional<DnsMessage> parse_dns_message(std::span<const std::uint8_t> message) {
  decode::ByteReader header(message);
  DnsMessage parsed;
  parsed.id = header.u16();
  const std::uint16_t flags = header.u16();
  const std::uint16_t question_count = header.u16();
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
  return parsed;
}

}  // namespace hm::dissect
