// libFuzzer target: arbitrary bytes as UDP payloads through the QUIC Initial dissector
// (long header → header protection → AES-GCM → frames → CRYPTO reassembly →
// ClientHello). Links: dissect (and crypto through it).
//
// Random bytes almost never authenticate, so the first byte picks a mode: 0x00–0x7f
// feeds the bytes as a datagram (header parsing, undecryptable counting); otherwise the
// rest is taken as the *plaintext frames* of an Initial and each frame walk and the
// CRYPTO assembler are driven directly, as after a successful decryption. State (the
// connections' slots, the assembler) carries over between inputs, as in a worker.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "dissect/quic.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hm::dissect::QuicDissector quic([] {
    hm::dissect::QuicSettings settings;
    settings.max_handshakes = 4;
    settings.max_crypto_bytes = 2048;
    settings.max_crypto_ranges = 16;
    return settings;
  }());
  // A few flows' slots, reused and now and then freed, as the flow table does.
  static std::array<std::unique_ptr<hm::dissect::QuicConnection>, 8> connections;
  static hm::dissect::QuicCounters counters;
  static hm::dissect::QuicCryptoAssembler assembler(2048, 16);
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::span<const std::uint8_t> bytes(data + 1, size - 1);

  if (mode < 0x80) {
    auto& connection = connections[mode & 0x07];
    if ((mode & 0x38) == 0x38) connection.reset();
    const auto hello = quic.on_datagram((mode & 0x40) == 0, bytes, connection, counters);
    if (hello) {
      volatile std::size_t names = hello->server_names.size();
      (void)names;
    }
    return 0;
  }
  hm::dissect::parse_quic_initial_frames(bytes, [](std::uint64_t offset, auto fragment) {
    if (assembler.add(offset, fragment) != hm::dissect::QuicCryptoAssembler::Progress::need_more) {
      assembler = hm::dissect::QuicCryptoAssembler(2048, 16);
    }
  });
  return 0;
}
