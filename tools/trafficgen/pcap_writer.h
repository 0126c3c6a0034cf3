#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

#include "time_format.h"

namespace hm::trafficgen {

// Classic pcap (not pcapng): microsecond timestamps, LINKTYPE_ETHERNET. Writes
// through a large stdio buffer as packets come, so file size is bounded by disk,
// never by memory.
class PcapWriter {
 public:
  PcapWriter() = default;
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // Returns false and sets error() if the file cannot be created.
  bool open(const std::string& path);
  void write(Micros ts, std::span<const uint8_t> frame);
  // Flushes and closes; false (with error()) if any write failed.
  bool close();

  const std::string& error() const { return error_; }
  uint64_t packets() const { return packets_; }
  uint64_t bytes_written() const { return bytes_; }

 private:
  void put(const void* data, size_t size);

  std::FILE* file_ = nullptr;
  std::string path_;
  std::string error_;
  uint64_t packets_ = 0;
  uint64_t bytes_ = 0;
  bool failed_ = false;
};

}  // namespace hm::trafficgen
