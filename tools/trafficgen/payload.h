#pragma once

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "byte_writer.h"

namespace hm::trafficgen {

// The bytes one side sends in one message of a conversation. Literal parts hold
// real protocol bytes (a ClientHello, an HTTP request); generated parts stand for
// bulk ciphertext or compressed downloads and are computed from (seed, offset) on
// demand, so a multi-gigabyte transfer costs no memory (issue 9's bulk flows).
class Payload {
 public:
  Payload() = default;
  explicit Payload(Bytes literal) { add_literal(std::move(literal)); }

  Payload& add_literal(Bytes bytes);
  // Pseudo-random bytes (a compressed file, an opaque blob).
  Payload& add_opaque(uint64_t size, uint64_t seed);
  // TLS 1.3 application_data records (RFC 8446 §5.2: type 23, legacy version
  // 0x0303) carrying `ciphertext` bytes in total, split at the maximum record size.
  Payload& add_tls_records(uint64_t ciphertext, uint64_t seed);

  uint64_t size() const { return size_; }
  // Copies out.size() bytes starting at `offset`; offset + out.size() <= size().
  void read(uint64_t offset, std::span<uint8_t> out) const;

 private:
  struct Opaque {
    uint64_t size;
    uint64_t seed;
  };
  struct TlsRecords {
    uint64_t ciphertext;
    uint64_t seed;
    uint64_t wire_size;
  };
  using Part = std::variant<Bytes, Opaque, TlsRecords>;

  static uint64_t part_size(const Part& part);
  static void read_part(const Part& part, uint64_t offset, std::span<uint8_t> out);

  std::vector<Part> parts_;
  uint64_t size_ = 0;
};

}  // namespace hm::trafficgen
