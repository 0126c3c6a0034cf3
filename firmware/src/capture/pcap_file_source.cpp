#include "capture/pcap_file_source.h"

#include <pcap/pcap.h>

#include <cstdio>
#include <string_view>

namespace hm::capture {

Result<std::unique_ptr<PcapFileSource>> PcapFileSource::open(const std::string& path) {
  char error_text[PCAP_ERRBUF_SIZE] = {};
  // Ask for microseconds whatever the file stores, so every source shares one clock.
  pcap_t* handle = pcap_open_offline_with_tstamp_precision(path.c_str(),
                                                           PCAP_TSTAMP_PRECISION_MICRO, error_text);
  if (handle == nullptr) {
    return error(path + ": cannot read as pcap or pcapng: " + error_text);
  }
  auto source = std::unique_ptr<PcapFileSource>(new PcapFileSource(path, handle));
  // pcapng starts with a section header block (type 0x0A0D0D0A, a palindrome).
  if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
    unsigned char magic[4] = {};
    source->is_pcapng_ = std::fread(magic, 1, 4, file) == 4 && magic[0] == 0x0a &&
                         magic[1] == 0x0d && magic[2] == 0x0d && magic[3] == 0x0a;
    std::fclose(file);
  }
  return source;
}

PcapFileSource::PcapFileSource(std::string path, pcap* handle)
    : path_(std::move(path)), handle_(handle), link_type_(pcap_datalink(handle)) {}

PcapFileSource::~PcapFileSource() { pcap_close(handle_); }

Result<std::optional<Packet>> PcapFileSource::next() {
  if (fallback_) {
    auto packet = fallback_->next();
    if (packet && packet->has_value()) ++packets_read_;
    return packet;
  }
  // The stdio position before the read is where the next record starts.
  FILE* file = pcap_file(handle_);
  const long offset = file != nullptr ? std::ftell(file) : -1;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int status = pcap_next_ex(handle_, &header, &data);
  if (status == PCAP_ERROR_BREAK) {
    return std::optional<Packet>{};
  }
  if (status != 1 && is_pcapng_ &&
      std::string_view(pcap_geterr(handle_)).find("interface") != std::string_view::npos) {
    // A pcapng interface libpcap cannot mix with the first: continue with our reader.
    auto reader = PcapngReader::open(path_);
    if (reader) {
      fallback_ = std::move(*reader);
      for (std::uint64_t i = 0; i < packets_read_; ++i) {
        auto skipped = fallback_->next();
        if (!skipped || !skipped->has_value()) return skipped;
      }
      return next();
    }
  }
  if (status != 1) {
    std::string message =
        path_ + ": damaged packet record at packet " + std::to_string(packets_read_ + 1);
    if (offset >= 0) message += " (offset " + std::to_string(offset) + ")";
    message += ": ";
    message += pcap_geterr(handle_);
    return error(std::move(message));
  }
  ++packets_read_;
  Packet packet;
  packet.ts_us = static_cast<TimestampUs>(header->ts.tv_sec) * 1'000'000 + header->ts.tv_usec;
  packet.link_type = link_type_;
  packet.wire_length = header->len;
  packet.bytes.assign(data, data + header->caplen);
  return std::optional<Packet>(std::move(packet));
}

}  // namespace hm::capture
