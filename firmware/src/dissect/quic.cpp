#include "dissect/quic.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "crypto/hkdf.h"

namespace hm::dissect {

namespace {

// RFC 9001 §5.2: initial_salt for version 1.
constexpr std::array<std::uint8_t, 20> kVersion1Salt = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34,
                                                        0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8,
                                                        0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
// RFC 9369 §3.3.1: initial_salt for version 2.
constexpr std::array<std::uint8_t, 20> kVersion2Salt = {0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6,
                                                        0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26,
                                                        0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9};

constexpr std::size_t kMaxConnectionIdLength = 20;  // RFC 9000 §17.2
constexpr std::size_t kSampleOffset = 4;            // RFC 9001 §5.4.2
constexpr std::size_t kSampleLength = 16;
constexpr std::uint8_t kClientHelloMessage = 1;

struct VersionLabels {
  std::string_view key, iv, hp;
};

template <std::size_t N>
void copy_into(std::array<std::uint8_t, N>& out, const std::vector<std::uint8_t>& bytes) {
  std::copy_n(bytes.begin(), N, out.begin());
}

// RFC 9000 §A.3.
std::uint64_t decode_packet_number(std::optional<std::uint64_t> largest, std::uint64_t truncated,
                                   unsigned bits) {
  const std::uint64_t expected = largest ? *largest + 1 : 0;
  const std::uint64_t window = std::uint64_t{1} << bits;
  const std::uint64_t half_window = window / 2;
  const std::uint64_t candidate = (expected & ~(window - 1)) | truncated;
  if (candidate + half_window <= expected && candidate < (std::uint64_t{1} << 62) - window) {
    return candidate + window;
  }
  if (candidate > expected + half_window && candidate >= window) return candidate - window;
  return candidate;
}

}  // namespace

std::optional<QuicInitialKeys> quic_initial_keys(std::uint32_t version,
                                                 std::span<const std::uint8_t> destination_cid,
                                                 bool server_side) {
  std::span<const std::uint8_t> salt;
  VersionLabels labels;
  if (version == kQuicVersion1) {
    salt = kVersion1Salt;
    labels = {"quic key", "quic iv", "quic hp"};
  } else if (version == kQuicVersion2) {
    salt = kVersion2Salt;
    labels = {"quicv2 key", "quicv2 iv", "quicv2 hp"};
  } else {
    return std::nullopt;
  }
  const auto initial_secret = crypto::hkdf_extract_sha256(salt, destination_cid);
  const auto secret =
      crypto::hkdf_expand_label_sha256(initial_secret, server_side ? "server in" : "client in", 32);
  QuicInitialKeys keys;
  copy_into(keys.key, crypto::hkdf_expand_label_sha256(secret, labels.key, keys.key.size()));
  copy_into(keys.iv, crypto::hkdf_expand_label_sha256(secret, labels.iv, keys.iv.size()));
  copy_into(keys.hp, crypto::hkdf_expand_label_sha256(secret, labels.hp, keys.hp.size()));
  return keys;
}

std::optional<QuicLongHeader> parse_quic_long_header(std::span<const std::uint8_t> datagram) {
  using quic_detail::read_varint;
  if (datagram.size() < 7 || (datagram[0] & 0x80) == 0) return std::nullopt;
  QuicLongHeader header;
  header.version = (std::uint32_t{datagram[1]} << 24) | (std::uint32_t{datagram[2]} << 16) |
                   (std::uint32_t{datagram[3]} << 8) | datagram[4];
  if (header.version != kQuicVersion1 && header.version != kQuicVersion2) return std::nullopt;
  const unsigned type = (datagram[0] >> 4) & 0x03u;
  // RFC 9000 §17.2 (v1) and RFC 9369 §3.2 (v2) number the long packet types apart.
  const unsigned initial_type = header.version == kQuicVersion2 ? 1 : 0;
  const unsigned retry_type = header.version == kQuicVersion2 ? 0 : 3;
  header.initial = type == initial_type;

  std::size_t offset = 5;
  const std::size_t dcid_length = datagram[offset++];
  if (dcid_length > kMaxConnectionIdLength || datagram.size() - offset < dcid_length + 1)
    return std::nullopt;
  header.destination_cid = datagram.subspan(offset, dcid_length);
  offset += dcid_length;
  const std::size_t scid_length = datagram[offset++];
  if (scid_length > kMaxConnectionIdLength || datagram.size() - offset < scid_length)
    return std::nullopt;
  header.source_cid = datagram.subspan(offset, scid_length);
  offset += scid_length;
  if (type == retry_type) {  // no Length field: the rest of the datagram
    header.packet_number_offset = offset;
    header.packet_length = datagram.size();
    return header;
  }
  std::uint64_t value = 0;
  if (header.initial) {
    if (!read_varint(datagram, offset, value) || value > datagram.size() - offset)
      return std::nullopt;
    offset += static_cast<std::size_t>(value);  // token
  }
  if (!read_varint(datagram, offset, value) || value > datagram.size() - offset)
    return std::nullopt;
  header.packet_number_offset = offset;
  header.packet_length = offset + static_cast<std::size_t>(value);
  return header;
}

bool decrypt_quic_initial(std::span<const std::uint8_t> packet, const QuicLongHeader& header,
                          const QuicInitialKeys& keys,
                          std::optional<std::uint64_t> largest_packet_number,
                          std::vector<std::uint8_t>& plaintext, std::uint64_t& packet_number) {
  const std::size_t pn_offset = header.packet_number_offset;
  if (header.packet_length > packet.size() ||
      header.packet_length < pn_offset + kSampleOffset + kSampleLength) {
    return false;
  }
  // RFC 9001 §5.4.1–§5.4.3: mask = AES-ECB(hp, sample).
  crypto::AesBlock sample{};
  std::memcpy(sample.data(), packet.data() + pn_offset + kSampleOffset, kSampleLength);
  const auto mask = crypto::aes128_encrypt_block(keys.hp, sample);

  std::array<std::uint8_t, 1 + 4 + 2 + 2 * kMaxConnectionIdLength + 8 + 4> small_header{};
  std::vector<std::uint8_t> large_header;  // only when a token makes the header long
  const std::size_t header_length_max = pn_offset + 4;
  std::uint8_t* unprotected = small_header.data();
  if (header_length_max > small_header.size()) {
    large_header.resize(header_length_max);
    unprotected = large_header.data();
  }
  std::memcpy(unprotected, packet.data(), pn_offset);
  unprotected[0] = static_cast<std::uint8_t>(packet[0] ^ (mask[0] & 0x0fu));
  const std::size_t pn_length = (unprotected[0] & 0x03u) + 1u;
  std::uint64_t truncated = 0;
  for (std::size_t i = 0; i < pn_length; ++i) {
    unprotected[pn_offset + i] = static_cast<std::uint8_t>(packet[pn_offset + i] ^ mask[1 + i]);
    truncated = (truncated << 8) | unprotected[pn_offset + i];
  }
  packet_number =
      decode_packet_number(largest_packet_number, truncated, static_cast<unsigned>(8 * pn_length));

  // RFC 9001 §5.3: nonce = iv XOR packet number (left-padded).
  std::array<std::uint8_t, 12> nonce = keys.iv;
  for (std::size_t i = 0; i < 8; ++i) {
    nonce[nonce.size() - 1 - i] ^= static_cast<std::uint8_t>(packet_number >> (8 * i));
  }
  const std::size_t header_length = pn_offset + pn_length;
  const auto ciphertext = packet.subspan(header_length, header.packet_length - header_length);
  if (ciphertext.size() < crypto::kGcmTagBytes) return false;
  plaintext.resize(ciphertext.size() - crypto::kGcmTagBytes);
  return crypto::aes128_gcm_open(keys.key, nonce,
                                 std::span<const std::uint8_t>(unprotected, header_length),
                                 ciphertext, plaintext);
}

QuicCryptoAssembler::Progress QuicCryptoAssembler::add(std::uint64_t offset,
                                                       std::span<const std::uint8_t> data) {
  if (progress_ != Progress::need_more || data.empty()) return progress_;
  if (offset > max_bytes_ || data.size() > max_bytes_ - offset) {
    progress_ = Progress::limit_reached;
    return progress_;
  }
  auto start = static_cast<std::size_t>(offset);
  auto end = start + data.size();
  if (stream_.size() < end) stream_.resize(end);
  // Overlapping retransmissions: the later copy wins; honest clients resend the same bytes.
  std::copy(data.begin(), data.end(), stream_.begin() + static_cast<std::ptrdiff_t>(start));

  // Merge [start, end) into the received ranges.
  auto next = received_.upper_bound(start);
  if (next != received_.begin()) {
    auto previous = std::prev(next);
    if (previous->second >= start) {
      start = static_cast<std::size_t>(previous->first);
      end = std::max<std::size_t>(end, static_cast<std::size_t>(previous->second));
      received_.erase(previous);
    }
  }
  while (next != received_.end() && next->first <= end) {
    end = std::max<std::size_t>(end, static_cast<std::size_t>(next->second));
    next = received_.erase(next);
  }
  received_.emplace(start, end);
  if (received_.size() > max_ranges_) {
    progress_ = Progress::limit_reached;
    return progress_;
  }
  check_complete();
  return progress_;
}

void QuicCryptoAssembler::check_complete() {
  if (received_.empty() || received_.begin()->first != 0) return;
  const std::size_t contiguous = static_cast<std::size_t>(received_.begin()->second);
  if (stream_[0] != kClientHelloMessage) {
    progress_ = Progress::not_client_hello;
    return;
  }
  if (contiguous < 4) return;
  const std::size_t length =
      (std::size_t{stream_[1]} << 16) | (std::size_t{stream_[2]} << 8) | stream_[3];
  if (length > max_bytes_ - 4) {
    progress_ = Progress::limit_reached;
    return;
  }
  if (contiguous < 4 + length) return;
  auto hello = parse_client_hello(std::span<const std::uint8_t>(stream_).subspan(4, length));
  if (!hello) {
    progress_ = Progress::malformed;
    return;
  }
  client_hello_ = std::move(*hello);
  progress_ = Progress::done;
}

bool QuicDissector::looks_like_quic_initial(std::span<const std::uint8_t> payload) {
  const auto header = parse_quic_long_header(payload);
  return header && header->initial;
}

void QuicConnection::release_assembler() {
  if (assembler_ && live_assemblers_ != nullptr) --*live_assemblers_;
  assembler_.reset();
  live_assemblers_ = nullptr;
}

std::optional<ClientHello> QuicDissector::on_datagram(bool from_first,
                                                      std::span<const std::uint8_t> payload,
                                                      std::unique_ptr<QuicConnection>& connection,
                                                      QuicCounters& counters) {
  // Done with this connection, or a server's packet: nothing more to read.
  if (connection && (connection->done() || from_first != connection->client_is_first_)) {
    return std::nullopt;
  }
  QuicConnection untracked;  // max_handshakes reached: what this one datagram holds
  QuicConnection* state = connection.get();
  std::optional<ClientHello> result;
  std::size_t offset = 0;
  while (offset < payload.size() && !result) {
    const auto rest = payload.subspan(offset);
    const auto header = parse_quic_long_header(rest);
    if (!header) break;  // a short header, or padding after coalesced packets
    offset += header->packet_length;
    if (!header->initial) continue;
    const auto packet = rest.first(header->packet_length);

    std::uint64_t packet_number = 0;
    bool decrypted = false;
    std::optional<QuicInitialKeys> fresh_keys;
    if (state != nullptr) {
      decrypted = decrypt_quic_initial(packet, *header, state->keys_, state->largest_packet_number_,
                                       plaintext_, packet_number);
    }
    if (!decrypted) {
      // A first Initial, or one sent after a Retry (new connection ID, new keys).
      fresh_keys = quic_initial_keys(header->version, header->destination_cid);
      decrypted = fresh_keys && decrypt_quic_initial(packet, *header, *fresh_keys, std::nullopt,
                                                     plaintext_, packet_number);
    }
    if (!decrypted) {
      ++counters.initials_undecryptable;
      continue;
    }
    ++counters.initials_decrypted;
    if (fresh_keys) {
      if (state == nullptr) {
        connection = std::make_unique<QuicConnection>();
        state = connection.get();
      }
      state->release_assembler();
      state->keys_ = *fresh_keys;
      state->client_is_first_ = from_first;
      state->largest_packet_number_.reset();
      if (live_assemblers_ >= settings_.max_handshakes) {
        ++counters.handshake_table_full;
        state = &untracked;
        state->release_assembler();
        state->keys_ = *fresh_keys;
        state->assembler_.emplace(settings_.max_crypto_bytes, settings_.max_crypto_ranges);
      } else {
        state->assembler_.emplace(settings_.max_crypto_bytes, settings_.max_crypto_ranges);
        state->live_assemblers_ = &live_assemblers_;
        ++live_assemblers_;
      }
    }
    state->largest_packet_number_ =
        std::max(state->largest_packet_number_.value_or(0), packet_number);
    QuicCryptoAssembler& assembler = *state->assembler_;
    const bool frames_ok = parse_quic_initial_frames(
        plaintext_, [&](std::uint64_t crypto_offset, std::span<const std::uint8_t> data) {
          assembler.add(crypto_offset, data);
        });
    if (!frames_ok) ++counters.malformed;
    switch (assembler.progress()) {
      case QuicCryptoAssembler::Progress::need_more: continue;
      case QuicCryptoAssembler::Progress::done: result = assembler.client_hello(); break;
      case QuicCryptoAssembler::Progress::limit_reached: ++counters.crypto_limit_reached; break;
      case QuicCryptoAssembler::Progress::malformed: ++counters.malformed; break;
      case QuicCryptoAssembler::Progress::not_client_hello: break;
    }
    state->release_assembler();  // the connection is done either way
    if (connection) connection->release_assembler();
    break;
  }
  return result;
}

}  // namespace hm::dissect
