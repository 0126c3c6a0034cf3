#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "capture/packet.h"
#include "capture/pcapng_reader.h"

struct pcap;

namespace hm::capture {

// Reads a pcap or pcapng file through libpcap, one packet at a time, timestamps in
// microseconds. A damaged file is an Error naming the file, the packet number and,
// where libpcap lets us know it, the byte offset of the damaged record.
// libpcap 1.10 refuses pcapng files whose interfaces differ (stitched captures); for
// those alone the rest of the file is read by PcapngReader.
class PcapFileSource {
 public:
  // The stdio buffer libpcap reads the file through (open() explains why so large).
  static constexpr std::size_t kReadBufferBytes = 256 * 1024;

  static Result<std::unique_ptr<PcapFileSource>> open(const std::string& path);
  ~PcapFileSource();
  PcapFileSource(const PcapFileSource&) = delete;
  PcapFileSource& operator=(const PcapFileSource&) = delete;

  // The next packet, std::nullopt at the end of the file, or an Error.
  Result<std::optional<Packet>> next();
  // The same without a copy: the view borrows libpcap's buffer (or the fallback
  // reader's packet) and is valid until the next call. The capture thread copies it
  // straight into a worker's ring slot (app/pipeline.h), so a packet costs no
  // allocation on its way.
  Result<std::optional<PacketView>> next_view();

  const std::string& path() const { return path_; }
  int link_type() const { return link_type_; }
  std::uint64_t packets_read() const { return packets_read_; }

 private:
  PcapFileSource(std::string path, pcap* handle);

  std::string path_;
  pcap* handle_;
  int link_type_;
  std::uint64_t packets_read_ = 0;
  bool is_pcapng_ = false;
  // Where the next classic pcap record starts (file header, then 16-byte record
  // headers and their bytes): named in errors without asking stdio on every packet.
  std::uint64_t next_record_offset_ = 24;
  // stdio's buffer for the file libpcap reads: freed after pcap_close() closes the file
  // (members are destroyed after the destructor's body).
  std::unique_ptr<char[]> read_buffer_;
  std::unique_ptr<PcapngReader> fallback_;
  Packet fallback_packet_;  // what next_view() lends when the fallback reader is in use
};

}  // namespace hm::capture
