#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "capture/packet.h"

namespace hm::capture {

// A small pcapng reader (draft-ietf-opsawg-pcapng) used only where libpcap 1.10 gives
// up: files whose interfaces differ in link type or snap length (stitched captures),
// which libpcap rejects as a whole. Reads SHB, IDB (with if_tsresol), EPB and SPB;
// skips every other block. Each packet carries its own interface's link type.
class PcapngReader {
 public:
  static Result<std::unique_ptr<PcapngReader>> open(const std::string& path);

  // The next packet, std::nullopt at the end, or an Error naming file and offset.
  Result<std::optional<Packet>> next();

 private:
  struct Interface {
    int link_type = 0;
    std::uint64_t units_per_second = 1'000'000;
  };

  explicit PcapngReader(std::string path)
      : path_(std::move(path)), file_(path_, std::ios::binary) {}
  Error damaged(std::uint64_t offset, const std::string& what) const;
  std::uint32_t u32(const std::uint8_t* p) const;
  std::uint16_t u16(const std::uint8_t* p) const;
  void read_interface(const std::vector<std::uint8_t>& body);

  std::string path_;
  std::ifstream file_;
  bool big_endian_ = false;
  std::vector<Interface> interfaces_;
  std::uint64_t packets_ = 0;
};

}  // namespace hm::capture
