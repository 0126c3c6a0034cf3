#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "crypto/aead.h"
#include "dissect/tls.h"

namespace hm::dissect {

inline constexpr std::uint32_t kQuicVersion1 = 0x00000001;  // RFC 9000
inline constexpr std::uint32_t kQuicVersion2 = 0x6b3343cf;  // RFC 9369 §3.1

// The AEAD key, IV and header-protection key of one side's Initial packets.
struct QuicInitialKeys {
  crypto::Aes128Key key{};
  std::array<std::uint8_t, 12> iv{};
  crypto::Aes128Key hp{};
};

// RFC 9001 §5.2 (v1) and RFC 9369 §3.3 (v2): Initial keys come from the client's first
// Destination Connection ID, so anyone on the path can read Initial packets.
// std::nullopt for a version whose Initial keys we do not know.
std::optional<QuicInitialKeys> quic_initial_keys(std::uint32_t version,
                                                 std::span<const std::uint8_t> destination_cid,
                                                 bool server_side = false);

// A long-header packet (RFC 9000 §17.2) at the start of a datagram, not yet decrypted.
struct QuicLongHeader {
  std::uint32_t version = 0;
  bool initial = false;  // the version's Initial packet type (v1: 0b00, v2: 0b01)
  std::span<const std::uint8_t> destination_cid;
  std::span<const std::uint8_t> source_cid;
  std::size_t packet_number_offset = 0;  // from the packet's first byte
  std::size_t packet_length = 0;         // header + protected payload: where the next starts
};

// std::nullopt when `datagram` does not start with a well-formed long header of a
// version with a Length field (v1, v2), or when it runs past the datagram.
std::optional<QuicLongHeader> parse_quic_long_header(std::span<const std::uint8_t> datagram);

// Removes header protection (RFC 9001 §5.4) and decrypts one Initial packet, the first
// `header.packet_length` bytes of `packet`, into `plaintext` (its frames).
// `largest_packet_number` (if any) helps recover the full packet number (RFC 9000
// §A.3). False when the packet does not authenticate with `keys`.
bool decrypt_quic_initial(std::span<const std::uint8_t> packet, const QuicLongHeader& header,
                          const QuicInitialKeys& keys,
                          std::optional<std::uint64_t> largest_packet_number,
                          std::vector<std::uint8_t>& plaintext, std::uint64_t& packet_number);

// Walks the frames an Initial packet may carry (RFC 9000 §17.2.2: PADDING, PING, ACK,
// CRYPTO, CONNECTION_CLOSE) and calls on_crypto(offset, data) for each CRYPTO frame.
// False when a frame is malformed or not allowed there; the CRYPTO frames before it
// have been delivered.
template <typename OnCrypto>
bool parse_quic_initial_frames(std::span<const std::uint8_t> frames, OnCrypto&& on_crypto);

// The client's CRYPTO stream at the Initial level: fragments by offset, in any order,
// until the ClientHello handshake message (RFC 8446 §4) is complete. Holds at most
// `max_bytes` of stream.
class QuicCryptoAssembler {
 public:
  enum class Progress { need_more, done, not_client_hello, malformed, limit_reached };

  QuicCryptoAssembler(std::size_t max_bytes, std::size_t max_ranges)
      : max_bytes_(max_bytes), max_ranges_(max_ranges) {}

  Progress add(std::uint64_t offset, std::span<const std::uint8_t> data);
  Progress progress() const { return progress_; }
  const ClientHello& client_hello() const { return client_hello_; }

 private:
  void check_complete();

  std::size_t max_bytes_;
  std::size_t max_ranges_;  // holes between fragments: a hostile client's many tiny ones
  std::vector<std::uint8_t> stream_;
  std::map<std::uint64_t, std::uint64_t> received_;  // start → end, disjoint, merged
  ClientHello client_hello_;
  Progress progress_ = Progress::need_more;
};

// Bounds of the QUIC dissector's state. Named settings (STYLE.md).
struct QuicSettings {
  // Connections whose ClientHello is still being gathered, across the worker: bounds
  // the CRYPTO buffers (max_handshakes x max_crypto_bytes) whatever the flow table holds.
  std::size_t max_handshakes = 1024;
  std::size_t max_crypto_bytes = 16 * 1024;  // CRYPTO stream bytes kept per connection
  std::size_t max_crypto_ranges = 256;       // disjoint CRYPTO fragments held per connection
};

struct QuicCounters {
  std::uint64_t initials_decrypted = 0;
  std::uint64_t initials_undecryptable = 0;  // did not authenticate: a server's, or damaged
  std::uint64_t malformed = 0;               // bad header or frames after decryption
  std::uint64_t crypto_limit_reached = 0;    // max_crypto_bytes or max_crypto_ranges reached
  std::uint64_t handshake_table_full = 0;    // max_handshakes reached: one-packet parse only
};

class QuicDissector;

// One UDP flow's QUIC Initial state, kept in the flow's slot (inspector.cpp FlowState)
// and freed with the flow. The client's later Initials carry the server's connection
// ID but stay under the keys of its first one, so the keys are remembered here.
class QuicConnection {
 public:
  QuicConnection() = default;
  ~QuicConnection() { release_assembler(); }
  QuicConnection(const QuicConnection&) = delete;
  QuicConnection& operator=(const QuicConnection&) = delete;

  bool done() const { return !assembler_; }

 private:
  friend class QuicDissector;
  void release_assembler();

  QuicInitialKeys keys_;
  bool client_is_first_ = true;  // the client is the flow key's first endpoint
  std::optional<std::uint64_t> largest_packet_number_;
  std::optional<QuicCryptoAssembler> assembler_;  // reset once the ClientHello is done
  std::size_t* live_assemblers_ = nullptr;        // the dissector's count, while held
};

// QUIC Initial packets of UDP flows → the client's ClientHello. Not thread-safe: one
// per worker, and it must outlive the connections it made (declare it before the flow
// table).
class QuicDissector {
 public:
  explicit QuicDissector(QuicSettings settings = {}) : settings_(settings) {}

  // True if `payload` starts like a QUIC long-header packet of a version we decrypt.
  static bool looks_like_quic_initial(std::span<const std::uint8_t> payload);

  // One UDP datagram of a flow; `connection` is the flow's slot (created on the first
  // client Initial). Returns the ClientHello the first time it is complete.
  std::optional<ClientHello> on_datagram(bool from_first, std::span<const std::uint8_t> payload,
                                         std::unique_ptr<QuicConnection>& connection,
                                         QuicCounters& counters);

  std::size_t handshakes_in_progress() const { return live_assemblers_; }

 private:
  QuicSettings settings_;
  std::size_t live_assemblers_ = 0;
  std::vector<std::uint8_t> plaintext_;  // reused across packets
};

// ---- template definitions ----

namespace quic_detail {

// RFC 9000 §16 variable-length integer; false if it runs past the end.
inline bool read_varint(std::span<const std::uint8_t> bytes, std::size_t& offset,
                        std::uint64_t& value) {
  if (offset >= bytes.size()) return false;
  const std::size_t length = std::size_t{1} << (bytes[offset] >> 6);
  if (bytes.size() - offset < length) return false;
  value = bytes[offset] & 0x3fu;
  for (std::size_t i = 1; i < length; ++i) value = (value << 8) | bytes[offset + i];
  offset += length;
  return true;
}

}  // namespace quic_detail

template <typename OnCrypto>
bool parse_quic_initial_frames(std::span<const std::uint8_t> frames, OnCrypto&& on_crypto) {
  using quic_detail::read_varint;
  std::size_t offset = 0;
  while (offset < frames.size()) {
    std::uint64_t type = 0;
    if (!read_varint(frames, offset, type)) return false;
    std::uint64_t a = 0, b = 0, c = 0;
    switch (type) {
      case 0x00:  // PADDING
      case 0x01:  // PING
        break;
      case 0x02:    // ACK
      case 0x03: {  // ACK with ECN counts
        std::uint64_t range_count = 0;
        if (!read_varint(frames, offset, a) || !read_varint(frames, offset, b) ||
            !read_varint(frames, offset, range_count) || !read_varint(frames, offset, c))
          return false;
        for (std::uint64_t i = 0; i < range_count; ++i) {
          if (!read_varint(frames, offset, a) || !read_varint(frames, offset, b)) return false;
        }
        if (type == 0x03 && (!read_varint(frames, offset, a) || !read_varint(frames, offset, b) ||
                             !read_varint(frames, offset, c)))
          return false;
        break;
      }
      case 0x06: {  // CRYPTO
        if (!read_varint(frames, offset, a) || !read_varint(frames, offset, b)) return false;
        if (b > frames.size() - offset) return false;
        on_crypto(a, frames.subspan(offset, static_cast<std::size_t>(b)));
        offset += static_cast<std::size_t>(b);
        break;
      }
      case 0x1c: {  // CONNECTION_CLOSE (transport)
        if (!read_varint(frames, offset, a) || !read_varint(frames, offset, b) ||
            !read_varint(frames, offset, c) || c > frames.size() - offset)
          return false;
        offset += static_cast<std::size_t>(c);
        break;
      }
      default: return false;
    }
  }
  return true;
}

}  // namespace hm::dissect
