#include "payload.h"

#include <algorithm>

#include "rng.h"

namespace hm::trafficgen {
namespace {

constexpr uint64_t kRecordHeader = 5;
// RFC 8446 §5.2: TLSCiphertext is at most 2^14 + 256 bytes; real stacks send
// 2^14 of plaintext + content type + a 16-byte AEAD tag.
constexpr uint64_t kMaxRecordBody = 16384 + 1 + 16;

uint8_t random_byte(uint64_t seed, uint64_t index) {
  return static_cast<uint8_t>(mix64(seed ^ ((index >> 3) * 0xd1342543de82ef95ULL)) >>
                              (8 * (index & 7)));
}

}  // namespace

Payload& Payload::add_literal(Bytes bytes) {
  size_ += bytes.size();
  parts_.emplace_back(std::move(bytes));
  return *this;
}

Payload& Payload::add_opaque(uint64_t size, uint64_t seed) {
  size_ += size;
  parts_.emplace_back(Opaque{size, seed});
  return *this;
}

Payload& Payload::add_tls_records(uint64_t ciphertext, uint64_t seed) {
  const uint64_t records = (ciphertext + kMaxRecordBody - 1) / kMaxRecordBody;
  const uint64_t wire = ciphertext + records * kRecordHeader;
  size_ += wire;
  parts_.emplace_back(TlsRecords{ciphertext, seed, wire});
  return *this;
}

uint64_t Payload::part_size(const Part& part) {
  if (const auto* bytes = std::get_if<Bytes>(&part)) return bytes->size();
  if (const auto* opaque = std::get_if<Opaque>(&part)) return opaque->size;
  return std::get<TlsRecords>(part).wire_size;
}

void Payload::read_part(const Part& part, uint64_t offset, std::span<uint8_t> out) {
  if (const auto* bytes = std::get_if<Bytes>(&part)) {
    std::copy_n(bytes->begin() + static_cast<std::ptrdiff_t>(offset), out.size(), out.begin());
    return;
  }
  if (const auto* opaque = std::get_if<Opaque>(&part)) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = random_byte(opaque->seed, offset + i);
    return;
  }
  const auto& tls = std::get<TlsRecords>(part);
  constexpr uint64_t kStride = kRecordHeader + kMaxRecordBody;
  for (size_t i = 0; i < out.size(); ++i) {
    const uint64_t at = offset + i;
    const uint64_t record = at / kStride;
    const uint64_t within = at % kStride;
    if (within >= kRecordHeader) {
      out[i] = random_byte(tls.seed, record * kMaxRecordBody + within - kRecordHeader);
      continue;
    }
    const uint64_t length = std::min(kMaxRecordBody, tls.ciphertext - record * kMaxRecordBody);
    const uint8_t header[kRecordHeader] = {23, 3, 3, static_cast<uint8_t>(length >> 8),
                                           static_cast<uint8_t>(length)};
    out[i] = header[within];
  }
}

void Payload::read(uint64_t offset, std::span<uint8_t> out) const {
  size_t done = 0;
  for (const Part& part : parts_) {
    if (done == out.size()) return;
    const uint64_t size = part_size(part);
    if (offset >= size) {
      offset -= size;
      continue;
    }
    const auto take = static_cast<size_t>(std::min<uint64_t>(size - offset, out.size() - done));
    read_part(part, offset, out.subspan(done, take));
    done += take;
    offset = 0;
  }
}

}  // namespace hm::trafficgen
