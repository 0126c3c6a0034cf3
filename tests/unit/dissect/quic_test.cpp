#include "dissect/quic.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dissect/inspector.h"
#include "frame_builder.h"

namespace hm::dissect {
namespace {

using test::Bytes;

Bytes hex(std::string_view text) {
  Bytes bytes;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    bytes.push_back(
        static_cast<std::uint8_t>(std::stoul(std::string(text.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

template <std::size_t N>
Bytes bytes_of(const std::array<std::uint8_t, N>& array) {
  return Bytes(array.begin(), array.end());
}

// The ClientHello handshake message (no record header) for `host`.
Bytes client_hello_message(std::string_view host) {
  const Bytes record = test::tls_client_hello(host);
  return Bytes(record.begin() + 5, record.end());
}

Bytes crypto_frame(std::uint64_t offset, std::span<const std::uint8_t> data) {
  Bytes frame = {0x06};
  // 4-byte varints (RFC 9000 §16) for offset and length.
  test::put32(frame, 0x80000000u | static_cast<std::uint32_t>(offset));
  test::put32(frame, 0x80000000u | static_cast<std::uint32_t>(data.size()));
  frame.insert(frame.end(), data.begin(), data.end());
  return frame;
}

// An Initial packet as a client sends it (RFC 9001 §5): 4-byte packet number, frames
// padded to `padded_to` bytes, AEAD-sealed and header-protected with the keys of `dcid`.
Bytes seal_client_initial(std::uint32_t version, const Bytes& dcid, const Bytes& scid,
                          std::uint32_t packet_number, Bytes frames, std::size_t padded_to = 1200) {
  const auto keys = quic_initial_keys(version, dcid);
  EXPECT_TRUE(keys.has_value());
  const std::size_t header_guess = 1 + 4 + 1 + dcid.size() + 1 + scid.size() + 1 + 2 + 4;
  if (header_guess + frames.size() + 16 < padded_to) {
    frames.resize(padded_to - header_guess - 16, 0);  // PADDING frames
  }
  const std::uint8_t type = version == kQuicVersion2 ? 1 : 0;
  Bytes packet = {static_cast<std::uint8_t>(0xc0 | (type << 4) | 0x03)};
  test::put32(packet, version);
  packet.push_back(static_cast<std::uint8_t>(dcid.size()));
  packet.insert(packet.end(), dcid.begin(), dcid.end());
  packet.push_back(static_cast<std::uint8_t>(scid.size()));
  packet.insert(packet.end(), scid.begin(), scid.end());
  packet.push_back(0);  // token length
  test::put16(packet, static_cast<std::uint16_t>(0x4000 | (4 + frames.size() + 16)));
  const std::size_t pn_offset = packet.size();
  test::put32(packet, packet_number);
  std::array<std::uint8_t, 12> nonce = keys->iv;
  for (int i = 0; i < 4; ++i) nonce[11 - i] ^= static_cast<std::uint8_t>(packet_number >> (8 * i));
  Bytes sealed(frames.size() + 16);
  EXPECT_TRUE(crypto::aes128_gcm_seal(keys->key, nonce, packet, frames, sealed));
  packet.insert(packet.end(), sealed.begin(), sealed.end());
  crypto::AesBlock sample{};
  std::copy_n(packet.begin() + static_cast<long>(pn_offset + 4), 16, sample.begin());
  const auto mask = crypto::aes128_encrypt_block(keys->hp, sample);
  packet[0] ^= mask[0] & 0x0f;
  for (int i = 0; i < 4; ++i) packet[pn_offset + i] ^= mask[1 + i];
  return packet;
}

const Bytes kDcid = hex("8394c8f03e515708");
const Bytes kScid = hex("c0ffee");

// RFC 9001 Appendix A.1 (v1) and RFC 9369 Appendix A.1 (v2).
TEST(QuicKeys, MatchPublishedTestVectors) {
  const auto v1 = quic_initial_keys(kQuicVersion1, kDcid);
  ASSERT_TRUE(v1);
  EXPECT_EQ(bytes_of(v1->key), hex("1f369613dd76d5467730efcbe3b1a22d"));
  EXPECT_EQ(bytes_of(v1->iv), hex("fa044b2f42a3fd3b46fb255c"));
  EXPECT_EQ(bytes_of(v1->hp), hex("9f50449e04a0e810283a1e9933adedd2"));
  const auto v1_server = quic_initial_keys(kQuicVersion1, kDcid, /*server_side=*/true);
  EXPECT_EQ(bytes_of(v1_server->key), hex("cf3a5331653c364c88f0f379b6067e37"));
  EXPECT_EQ(bytes_of(v1_server->iv), hex("0ac1493ca1905853b0bba03e"));
  EXPECT_EQ(bytes_of(v1_server->hp), hex("c206b8d9b9f0f37644430b490eeaa314"));

  const auto v2 = quic_initial_keys(kQuicVersion2, kDcid);
  ASSERT_TRUE(v2);
  EXPECT_EQ(bytes_of(v2->key), hex("8b1a0bc121284290a29e0971b5cd045d"));
  EXPECT_EQ(bytes_of(v2->iv), hex("91f73e2351d8fa91660e909f"));
  EXPECT_EQ(bytes_of(v2->hp), hex("45b95e15235d6f45a6b19cbcb0294ba9"));
  EXPECT_FALSE(quic_initial_keys(0xff00001d, kDcid));  // a draft version: unknown keys
}

TEST(QuicInitial, DecryptsWhatItsOwnKeysSealed) {
  const Bytes hello = client_hello_message("one.example");
  for (const std::uint32_t version : {kQuicVersion1, kQuicVersion2}) {
    const Bytes packet = seal_client_initial(version, kDcid, kScid, 7, crypto_frame(0, hello));
    const auto header = parse_quic_long_header(packet);
    ASSERT_TRUE(header);
    EXPECT_TRUE(header->initial);
    EXPECT_EQ(header->packet_length, packet.size());
    std::vector<std::uint8_t> plaintext;
    std::uint64_t packet_number = 0;
    ASSERT_TRUE(decrypt_quic_initial(packet, *header, *quic_initial_keys(version, kDcid),
                                     std::nullopt, plaintext, packet_number));
    EXPECT_EQ(packet_number, 7u);
    std::vector<std::uint64_t> offsets;
    EXPECT_TRUE(parse_quic_initial_frames(
        plaintext, [&](std::uint64_t offset, auto) { offsets.push_back(offset); }));
    EXPECT_EQ(offsets, std::vector<std::uint64_t>{0});
    // The wrong version's keys do not authenticate.
    const auto other = version == kQuicVersion1 ? kQuicVersion2 : kQuicVersion1;
    EXPECT_FALSE(decrypt_quic_initial(packet, *header, *quic_initial_keys(other, kDcid),
                                      std::nullopt, plaintext, packet_number));
  }
}

// The hard case of issue 3: the ClientHello split over two Initials, the later half
// arriving first.
TEST(QuicDissector, ReassemblesCryptoFramesOutOfOrderAcrossTwoInitials) {
  const Bytes hello = client_hello_message("split.across.initials.example");
  const std::size_t half = hello.size() / 2;
  const std::span<const std::uint8_t> whole(hello);
  for (const std::uint32_t version : {kQuicVersion1, kQuicVersion2}) {
    const Bytes second =
        seal_client_initial(version, kDcid, kScid, 1, crypto_frame(half, whole.subspan(half)));
    const Bytes first =
        seal_client_initial(version, kDcid, kScid, 0, crypto_frame(0, whole.first(half)));
    QuicDissector quic;
    QuicCounters counters;
    std::unique_ptr<QuicConnection> connection;
    EXPECT_FALSE(quic.on_datagram(true, second, connection, counters));
    EXPECT_EQ(quic.handshakes_in_progress(), 1u);
    const auto result = quic.on_datagram(true, first, connection, counters);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->server_names, std::vector<std::string>{"split.across.initials.example"});
    EXPECT_EQ(counters.initials_decrypted, 2u);
    EXPECT_EQ(counters.initials_undecryptable, 0u);
    // Once named, the connection's later Initials are not read again.
    EXPECT_FALSE(quic.on_datagram(true, first, connection, counters));
    EXPECT_EQ(counters.initials_decrypted, 2u);
    EXPECT_EQ(quic.handshakes_in_progress(), 0u);
    // The server's side of the flow is not the client's: skipped.
    EXPECT_FALSE(quic.on_datagram(false, second, connection, counters));
    EXPECT_EQ(counters.initials_undecryptable, 0u);
  }
}

// Several CRYPTO frames in one packet, out of order and overlapping, as Chrome sends.
TEST(QuicDissector, ReassemblesShuffledOverlappingFramesInOnePacket) {
  const Bytes hello = client_hello_message("shuffled.example");
  const std::span<const std::uint8_t> whole(hello);
  Bytes frames = crypto_frame(30, whole.subspan(30));
  const Bytes ping = {0x01};
  frames.insert(frames.end(), ping.begin(), ping.end());
  const Bytes early = crypto_frame(10, whole.subspan(10, 25));  // overlaps the first
  frames.insert(frames.end(), early.begin(), early.end());
  const Bytes start = crypto_frame(0, whole.first(10));
  frames.insert(frames.end(), start.begin(), start.end());
  QuicDissector quic;
  QuicCounters counters;
  std::unique_ptr<QuicConnection> connection;
  const auto result = quic.on_datagram(
      true, seal_client_initial(kQuicVersion1, kDcid, kScid, 0, frames), connection, counters);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->server_names, std::vector<std::string>{"shuffled.example"});
}

TEST(QuicDissector, CountsWhatItCannotDecryptOrHold) {
  QuicCounters counters;
  QuicDissector quic;
  Bytes packet = seal_client_initial(kQuicVersion1, kDcid, kScid, 0,
                                     crypto_frame(0, client_hello_message("x.example")));
  packet[packet.size() - 1] ^= 0x01;  // a damaged tag
  std::unique_ptr<QuicConnection> connection;
  EXPECT_FALSE(quic.on_datagram(true, packet, connection, counters));
  EXPECT_FALSE(connection);
  EXPECT_EQ(counters.initials_undecryptable, 1u);

  QuicSettings tight;
  tight.max_crypto_bytes = 64;
  QuicDissector small(tight);
  const Bytes hello = client_hello_message("a-long-enough-name-to-pass-sixty-four-bytes.example");
  std::unique_ptr<QuicConnection> small_connection;
  EXPECT_FALSE(small.on_datagram(
      true, seal_client_initial(kQuicVersion1, kDcid, kScid, 0, crypto_frame(0, hello)),
      small_connection, counters));
  EXPECT_EQ(counters.crypto_limit_reached, 1u);

  tight = {};
  tight.max_handshakes = 0;
  QuicDissector full(tight);
  std::unique_ptr<QuicConnection> full_connection;
  const auto result =
      full.on_datagram(true,
                       seal_client_initial(kQuicVersion1, kDcid, kScid, 0,
                                           crypto_frame(0, client_hello_message("y.example"))),
                       full_connection, counters);
  ASSERT_TRUE(result);  // a whole ClientHello in one packet is still read
  EXPECT_EQ(counters.handshake_table_full, 1u);
  EXPECT_EQ(full.handshakes_in_progress(), 0u);
}

// max_handshakes bounds the CRYPTO buffers of the whole worker; a connection freed with
// its flow gives its place back.
TEST(QuicDissector, HandshakesInProgressAreBoundedAndGivenBack) {
  QuicSettings settings;
  settings.max_handshakes = 1;
  QuicDissector quic(settings);
  QuicCounters counters;
  const Bytes hello = client_hello_message("bounded.example");
  const Bytes second_half = seal_client_initial(kQuicVersion1, kDcid, kScid, 1,
                                                crypto_frame(20, std::span(hello).subspan(20)));
  std::unique_ptr<QuicConnection> a, b;
  EXPECT_FALSE(quic.on_datagram(true, second_half, a, counters));
  EXPECT_EQ(quic.handshakes_in_progress(), 1u);
  EXPECT_FALSE(quic.on_datagram(true, second_half, b, counters));
  EXPECT_EQ(counters.handshake_table_full, 1u);
  a.reset();  // the flow ended
  EXPECT_EQ(quic.handshakes_in_progress(), 0u);
  std::unique_ptr<QuicConnection> c;
  EXPECT_FALSE(quic.on_datagram(true, second_half, c, counters));
  EXPECT_EQ(quic.handshakes_in_progress(), 1u);
}

TEST(QuicFrames, RejectsFramesAnInitialMayNotCarry) {
  const Bytes stream_frame = {0x08, 0x00, 0x01, 0x02};
  EXPECT_FALSE(parse_quic_initial_frames(stream_frame, [](auto, auto) {}));
  const Bytes ack = {0x02, 0x05, 0x00, 0x01, 0x00, 0x01, 0x02, 0x00};
  EXPECT_TRUE(parse_quic_initial_frames(ack, [](auto, auto) {}));
  const Bytes truncated_crypto = {0x06, 0x00, 0x10, 0x01};
  EXPECT_FALSE(parse_quic_initial_frames(truncated_crypto, [](auto, auto) {}));
}

TEST(QuicInspector, EmitsQuicSniFromUdpDatagrams) {
  Inspector inspector;
  std::vector<Observation> seen;
  const ObservationSink sink = [&](const Observation& o) { seen.push_back(o); };
  const test::Endpoint client{1, 10, 51000}, server{2, 20, 443};
  const Bytes hello = client_hello_message("video.example.org");
  const std::span<const std::uint8_t> whole(hello);
  inspector.inspect(
      test::view(test::udp_frame(client, server,
                                 seal_client_initial(kQuicVersion1, kDcid, kScid, 1,
                                                     crypto_frame(40, whole.subspan(40))))),
      sink);
  EXPECT_TRUE(seen.empty());
  inspector.inspect(
      test::view(test::udp_frame(
          client, server,
          seal_client_initial(kQuicVersion1, kDcid, kScid, 0, crypto_frame(0, whole.first(40))))),
      sink);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, ObservationKind::quic_sni);
  EXPECT_EQ(seen[0].text, "video.example.org");
  EXPECT_EQ(seen[0].dst_port, 443);
  EXPECT_EQ(inspector.counters().quic_initials_decrypted, 2u);
}

}  // namespace
}  // namespace hm::dissect
