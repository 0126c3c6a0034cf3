#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hm::trafficgen {

using Bytes = std::vector<uint8_t>;

// Appends network-order (big-endian) fields to a byte vector, with length
// prefixes filled in afterwards: begin_length() reserves the field, end_length()
// writes how many bytes followed it (TLS and DNS nest these).
class ByteWriter {
 public:
  explicit ByteWriter(Bytes& out) : out_(out) {}

  void u8(uint32_t v) { out_.push_back(static_cast<uint8_t>(v)); }
  void u16(uint32_t v) {
    u8(v >> 8);
    u8(v);
  }
  void u24(uint32_t v) {
    u8(v >> 16);
    u16(v);
  }
  void u32(uint32_t v) {
    u16(v >> 16);
    u16(v);
  }
  void bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void text(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  void zeros(size_t n) { out_.insert(out_.end(), n, 0); }

  // Reserves a length field of `width` bytes; returns its position.
  size_t begin_length(int width) {
    const size_t at = out_.size();
    out_.insert(out_.end(), static_cast<size_t>(width), 0);
    return at;
  }
  void end_length(size_t at, int width) {
    const size_t length = out_.size() - at - static_cast<size_t>(width);
    for (int i = width - 1; i >= 0; --i) {
      out_[at + static_cast<size_t>(width - 1 - i)] = static_cast<uint8_t>(length >> (8 * i));
    }
  }

  size_t size() const { return out_.size(); }

 private:
  Bytes& out_;
};

}  // namespace hm::trafficgen
