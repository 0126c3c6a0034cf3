#include "capture/pcapng_reader.h"

#include <algorithm>
#include <memory>

namespace hm::capture {

namespace {

constexpr std::uint32_t kSectionHeader = 0x0a0d0d0a;
constexpr std::uint32_t kInterfaceDescription = 1;
constexpr std::uint32_t kSimplePacket = 3;
constexpr std::uint32_t kEnhancedPacket = 6;
constexpr std::uint32_t kByteOrderMagic = 0x1a2b3c4d;
constexpr std::uint32_t kMaxBlockLength = 16 * 1024 * 1024;
constexpr int kLinktypeRaw = 101;  // LINKTYPE_RAW; libpcap's DLT_RAW is 12 on Linux
constexpr int kDltRaw = 12;

}  // namespace

Result<std::unique_ptr<PcapngReader>> PcapngReader::open(const std::string& path) {
  std::unique_ptr<PcapngReader> reader(new PcapngReader(path));
  if (!reader->file_) return error(path + ": cannot open");
  return reader;
}

Error PcapngReader::damaged(std::uint64_t offset, const std::string& what) const {
  return error(path_ + ": damaged pcapng block at packet " + std::to_string(packets_ + 1) +
               " (offset " + std::to_string(offset) + "): " + what);
}

std::uint32_t PcapngReader::u32(const std::uint8_t* p) const {
  return big_endian_ ? (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                           (std::uint32_t{p[2]} << 8) | p[3]
                     : (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) |
                           (std::uint32_t{p[1]} << 8) | p[0];
}

std::uint16_t PcapngReader::u16(const std::uint8_t* p) const {
  return static_cast<std::uint16_t>(big_endian_ ? (p[0] << 8) | p[1] : (p[1] << 8) | p[0]);
}

void PcapngReader::read_interface(const std::vector<std::uint8_t>& body) {
  Interface interface;
  if (body.size() >= 8) {
    interface.link_type = u16(body.data());
    if (interface.link_type == kLinktypeRaw) interface.link_type = kDltRaw;
    // Options: code, length, value padded to 4; if_tsresol (9) sets the clock.
    for (std::size_t at = 8; at + 4 <= body.size();) {
      const std::uint16_t code = u16(body.data() + at);
      const std::uint16_t length = u16(body.data() + at + 2);
      if (code == 0 || at + 4 + length > body.size()) break;
      if (code == 9 && length >= 1) {
        const std::uint8_t resolution = body[at + 4];
        const unsigned exponent = resolution & 0x7f;
        std::uint64_t units = 1;
        for (unsigned i = 0; i < exponent && units < (1ull << 60) / 10; ++i) {
          units *= (resolution & 0x80) ? 2 : 10;
        }
        interface.units_per_second = units;
      }
      at += 4 + ((length + 3u) & ~3u);
    }
  }
  interfaces_.push_back(interface);
}

Result<std::optional<Packet>> PcapngReader::next() {
  for (;;) {
    const std::uint64_t offset = static_cast<std::uint64_t>(file_.tellg());
    std::uint8_t head[8];
    if (!file_.read(reinterpret_cast<char*>(head), 8)) {
      if (file_.gcount() == 0) return std::optional<Packet>{};
      return damaged(offset, "file ends inside a block header");
    }
    std::uint32_t type = u32(head);
    if (type == kSectionHeader ||
        (big_endian_ ? type : __builtin_bswap32(type)) == kSectionHeader) {
      std::uint8_t magic[4];
      if (!file_.read(reinterpret_cast<char*>(magic), 4))
        return damaged(offset, "truncated section header");
      big_endian_ = false;
      if (u32(magic) != kByteOrderMagic) big_endian_ = true;
      if (u32(magic) != kByteOrderMagic) return damaged(offset, "bad byte-order magic");
      interfaces_.clear();
      file_.seekg(-4, std::ios::cur);
      type = kSectionHeader;
    }
    const std::uint32_t length = u32(head + 4);
    if (length < 12 || length % 4 != 0 || length > kMaxBlockLength) {
      return damaged(offset, "impossible block length " + std::to_string(length));
    }
    std::vector<std::uint8_t> body(length - 12);
    std::uint8_t trailer[4];
    if (!file_.read(reinterpret_cast<char*>(body.data()),
                    static_cast<std::streamsize>(body.size())) ||
        !file_.read(reinterpret_cast<char*>(trailer), 4)) {
      return damaged(offset, "file ends inside a block");
    }
    if (u32(trailer) != length) return damaged(offset, "block lengths disagree");

    if (type == kInterfaceDescription) {
      read_interface(body);
      continue;
    }
    if (type != kEnhancedPacket && type != kSimplePacket) continue;
    Packet packet;
    std::size_t data_at = 0, captured = 0;
    std::uint32_t interface_id = 0;
    if (type == kEnhancedPacket) {
      if (body.size() < 20) return damaged(offset, "short enhanced packet block");
      interface_id = u32(body.data());
      const std::uint64_t ticks =
          (std::uint64_t{u32(body.data() + 4)} << 32) | u32(body.data() + 8);
      captured = u32(body.data() + 12);
      packet.wire_length = u32(body.data() + 16);
      data_at = 20;
      if (interface_id < interfaces_.size()) {
        const std::uint64_t units = interfaces_[interface_id].units_per_second;
        packet.ts_us = static_cast<TimestampUs>(ticks / units * 1'000'000 +
                                                (ticks % units) * 1'000'000 / units);
      }
    } else {
      if (body.size() < 4) return damaged(offset, "short simple packet block");
      packet.wire_length = u32(body.data());
      captured = std::min<std::size_t>(packet.wire_length, body.size() - 4);
      data_at = 4;
    }
    if (interface_id >= interfaces_.size())
      return damaged(offset, "packet names an undeclared interface");
    if (captured > body.size() - data_at) return damaged(offset, "captured length past the block");
    packet.link_type = interfaces_[interface_id].link_type;
    packet.bytes.assign(body.begin() + static_cast<std::ptrdiff_t>(data_at),
                        body.begin() + static_cast<std::ptrdiff_t>(data_at + captured));
    ++packets_;
    return std::optional<Packet>(std::move(packet));
  }
}

}  // namespace hm::capture
