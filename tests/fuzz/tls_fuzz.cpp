// libFuzzer target: arbitrary bytes as the client side of a TLS connection
// (dissect/tls.h): the record layer → ClientHello collector, fed in chunks whose sizes
// come from the input (split records and messages), and the ClientHello body parser
// on its own (server_name, ALPN, ECH, GREASE). Links: dissect.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "dissect/tls.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  std::span<const std::uint8_t> bytes(data + 1, size - 1);

  if (const auto hello = hm::dissect::parse_client_hello(bytes)) {
    for (const auto& name : hello->server_names) {
      const auto attributes = hm::dissect::attributes_of(*hello, name);
      volatile bool ech = attributes.ech_public_name;
      (void)ech;
    }
  }

  (void)hm::dissect::ClientHelloCollector::looks_like_tls(bytes);
  hm::dissect::ClientHelloCollector collector(4096);
  while (!bytes.empty()) {
    const auto part = bytes.first(std::min(chunk, bytes.size()));
    bytes = bytes.subspan(part.size());
    if (collector.feed(part) != hm::dissect::ClientHelloCollector::Progress::need_more) break;
  }
  return 0;
}
