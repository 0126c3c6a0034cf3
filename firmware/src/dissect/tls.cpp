#include "dissect/tls.h"

#include <algorithm>

#include "decode/byte_reader.h"

namespace hm::dissect {

namespace {

constexpr std::uint8_t kHandshakeRecord = 22;
constexpr std::uint8_t kClientHelloMessage = 1;
constexpr std::uint16_t kServerNameExtension = 0;
constexpr std::uint16_t kAlpnExtension = 16;                      // RFC 7301 §3.1
constexpr std::uint16_t kEncryptedClientHelloExtension = 0xfe0d;  // draft-ietf-tls-esni §5
constexpr std::size_t kMaxAlpnProtocols = 16;  // browsers offer 2–3; the rest is noise
constexpr std::uint8_t kHostNameType = 0;
constexpr std::size_t kRecordHeaderLength = 5;
// RFC 8446 §5.1: a plaintext record carries at most 2^14 bytes; allow the 2^14 + 2048
// that TLS 1.2 ciphertext may use, as middleboxes do.
constexpr std::size_t kMaxRecordLength = (1u << 14) + 2048;

void parse_server_name_list(std::span<const std::uint8_t> extension, ClientHello& hello) {
  decode::ByteReader reader(extension);
  decode::ByteReader list(reader.take(reader.u16()));
  while (!list.failed() && list.remaining() > 0) {
    const std::uint8_t type = list.u8();
    const auto name = list.take(list.u16());
    if (list.failed()) break;
    if (type == kHostNameType && !name.empty()) {
      hello.server_names.emplace_back(name.begin(), name.end());
    }
  }
}

void parse_alpn_list(std::span<const std::uint8_t> extension, ClientHello& hello) {
  decode::ByteReader reader(extension);
  decode::ByteReader list(reader.take(reader.u16()));
  while (!list.failed() && list.remaining() > 0 && hello.alpn.size() < kMaxAlpnProtocols) {
    const auto protocol = list.take(list.u8());
    if (list.failed()) break;
    if (!protocol.empty()) hello.alpn.emplace_back(protocol.begin(), protocol.end());
  }
}

// RFC 8701 §2: both bytes equal, low nibble 0xa.
bool is_grease(std::uint16_t type) { return (type >> 8) == (type & 0xff) && (type & 0x0f) == 0x0a; }

constexpr std::string_view kEchPublicNames[] = {
    "cloudflare-ech.com",  // Cloudflare's ECH public name for every site it fronts
};

}  // namespace

bool is_ech_public_name(std::string_view server_name) {
  for (const auto name : kEchPublicNames) {
    const auto same_letter = [](char lower, char any) {
      return lower == ((any >= 'A' && any <= 'Z') ? static_cast<char>(any + ('a' - 'A')) : any);
    };
    if (server_name.size() == name.size() &&
        std::equal(name.begin(), name.end(), server_name.begin(), same_letter)) {
      return true;
    }
  }
  return false;
}

ObservationAttributes attributes_of(const ClientHello& hello, std::string_view server_name) {
  ObservationAttributes attributes;
  attributes.alpn = hello.alpn;
  attributes.ech_extension = hello.ech_extension;
  attributes.ech_public_name = is_ech_public_name(server_name);
  return attributes;
}

std::optional<ClientHello> parse_client_hello(std::span<const std::uint8_t> body) {
  decode::ByteReader reader(body);
  ClientHello hello;
  hello.legacy_version = reader.u16();
  reader.skip(32);            // random
  reader.skip(reader.u8());   // legacy_session_id
  reader.skip(reader.u16());  // cipher_suites
  reader.skip(reader.u8());   // legacy_compression_methods
  if (reader.failed()) return std::nullopt;
  if (reader.remaining() == 0) return hello;  // SSL 3.0 style: no extensions
  decode::ByteReader extensions(reader.take(reader.u16()));
  if (reader.failed()) return std::nullopt;
  while (extensions.remaining() > 0) {
    const std::uint16_t type = extensions.u16();
    const auto data = extensions.take(extensions.u16());
    if (extensions.failed()) return std::nullopt;
    if (type == kServerNameExtension) {
      parse_server_name_list(data, hello);
    } else if (type == kAlpnExtension) {
      parse_alpn_list(data, hello);
    } else if (type == kEncryptedClientHelloExtension) {
      hello.ech_extension = true;
    } else if (is_grease(type) && hello.grease_extensions < 0xff) {
      ++hello.grease_extensions;
    }
  }
  return hello;
}

std::optional<bool> ClientHelloCollector::looks_like_tls(std::span<const std::uint8_t> start) {
  // Handshake record, major version 3, minor 0..4, then a ClientHello message.
  if (start.empty()) return std::nullopt;
  if (start[0] != kHandshakeRecord) return false;
  if (start.size() < 2) return std::nullopt;
  if (start[1] != 3) return false;
  if (start.size() < 3) return std::nullopt;
  if (start[2] > 4) return false;
  if (start.size() < 6) return std::nullopt;
  return start[5] == kClientHelloMessage;
}

ClientHelloCollector::Progress ClientHelloCollector::feed(std::span<const std::uint8_t> bytes) {
  while (progress_ == Progress::need_more && !bytes.empty()) {
    // Gather one record: header first, then its declared length.
    std::size_t wanted = kRecordHeaderLength;
    if (record_.size() >= kRecordHeaderLength) {
      wanted += (std::size_t{record_[3]} << 8) | record_[4];
    }
    const std::size_t take = std::min(wanted - record_.size(), bytes.size());
    record_.insert(record_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
    bytes = bytes.subspan(take);
    if (record_.size() == kRecordHeaderLength) {
      const std::size_t length = (std::size_t{record_[3]} << 8) | record_[4];
      if (record_[0] != kHandshakeRecord || record_[1] != 3) {
        progress_ = handshake_.empty() ? Progress::not_tls : Progress::malformed;
        break;
      }
      if (length == 0 || length > kMaxRecordLength) {
        progress_ = Progress::malformed;
        break;
      }
      continue;
    }
    if (record_.size() < wanted) break;

    handshake_.insert(handshake_.end(), record_.begin() + kRecordHeaderLength, record_.end());
    record_.clear();
    if (handshake_.size() < 4) continue;
    if (handshake_[0] != kClientHelloMessage) {
      progress_ = Progress::not_tls;
      break;
    }
    const std::size_t message_length =
        (std::size_t{handshake_[1]} << 16) | (std::size_t{handshake_[2]} << 8) | handshake_[3];
    if (message_length > max_handshake_bytes_) {
      progress_ = Progress::malformed;
      break;
    }
    if (handshake_.size() < 4 + message_length) continue;
    auto hello =
        parse_client_hello(std::span<const std::uint8_t>(handshake_).subspan(4, message_length));
    if (!hello) {
      progress_ = Progress::malformed;
      break;
    }
    client_hello_ = std::move(*hello);
    progress_ = Progress::done;
  }
  if (progress_ != Progress::need_more) {
    record_ = {};
    handshake_ = {};
  }
  return progress_;
}

}  // namespace hm::dissect
