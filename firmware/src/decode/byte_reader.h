#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace hm::decode {

// Bounds-checked big-endian reads over bytes it does not own. A read past the end
// returns zero and sets `failed()`, so a parser can read a whole header and check once.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  bool failed() const { return failed_; }
  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return failed_ ? 0 : bytes_.size() - offset_; }
  std::span<const std::uint8_t> rest() const {
    return failed_ ? std::span<const std::uint8_t>{} : bytes_.subspan(offset_);
  }

  std::uint8_t u8() {
    if (!need(1)) return 0;
    return bytes_[offset_++];
  }
  std::uint16_t u16() {
    if (!need(2)) return 0;
    const auto value = static_cast<std::uint16_t>((bytes_[offset_] << 8) | bytes_[offset_ + 1]);
    offset_ += 2;
    return value;
  }
  std::uint32_t u24() {
    if (!need(3)) return 0;
    const std::uint32_t value = (std::uint32_t{bytes_[offset_]} << 16) |
                                (std::uint32_t{bytes_[offset_ + 1]} << 8) | bytes_[offset_ + 2];
    offset_ += 3;
    return value;
  }
  std::uint32_t u32() {
    const std::uint32_t high = u16();
    return (high << 16) | u16();
  }
  std::span<const std::uint8_t> take(std::size_t count) {
    if (!need(count)) return {};
    auto part = bytes_.subspan(offset_, count);
    offset_ += count;
    return part;
  }
  void skip(std::size_t count) { (void)take(count); }

 private:
  bool need(std::size_t count) {
    if (failed_ || bytes_.size() - offset_ < count) {
      failed_ = true;
      return false;
    }
    return true;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t offset_ = 0;
  bool failed_ = false;
};

}  // namespace hm::decode
