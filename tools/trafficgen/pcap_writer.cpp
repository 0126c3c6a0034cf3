#include "pcap_writer.h"

#include <cerrno>
#include <cstring>

namespace hm::trafficgen {
namespace {

constexpr uint32_t kMagicMicroseconds = 0xa1b2c3d4;
constexpr uint32_t kSnapLength = 262144;
constexpr uint32_t kLinkTypeEthernet = 1;
constexpr size_t kBufferSize = 1 << 20;

// pcap files are written in the writer's byte order; we fix little-endian so the
// sample is byte-identical whichever machine regenerates it.
void le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void le16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}

}  // namespace

PcapWriter::~PcapWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

bool PcapWriter::open(const std::string& path) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    error_ = path + ": cannot create: " + std::strerror(errno);
    return false;
  }
  std::setvbuf(file_, nullptr, _IOFBF, kBufferSize);
  uint8_t header[24];
  le32(header, kMagicMicroseconds);
  le16(header + 4, 2);  // version 2.4
  le16(header + 6, 4);
  le32(header + 8, 0);   // thiszone
  le32(header + 12, 0);  // sigfigs
  le32(header + 16, kSnapLength);
  le32(header + 20, kLinkTypeEthernet);
  put(header, sizeof header);
  return !failed_;
}

void PcapWriter::write(Micros ts, std::span<const uint8_t> frame) {
  uint8_t record[16];
  le32(record, static_cast<uint32_t>(ts / kSecond));
  le32(record + 4, static_cast<uint32_t>(ts % kSecond));
  le32(record + 8, static_cast<uint32_t>(frame.size()));
  le32(record + 12, static_cast<uint32_t>(frame.size()));
  put(record, sizeof record);
  put(frame.data(), frame.size());
  ++packets_;
}

void PcapWriter::put(const void* data, size_t size) {
  if (failed_ || file_ == nullptr) return;
  if (std::fwrite(data, 1, size, file_) != size) {
    failed_ = true;
    error_ = path_ + ": write failed: " + std::strerror(errno);
  }
  bytes_ += size;
}

bool PcapWriter::close() {
  if (file_ != nullptr) {
    if (std::fclose(file_) != 0 && !failed_) {
      failed_ = true;
      error_ = path_ + ": close failed: " + std::strerror(errno);
    }
    file_ = nullptr;
  }
  return !failed_;
}

}  // namespace hm::trafficgen
