#include "capture/pcap_file_source.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace hm::capture {

Result<std::unique_ptr<PcapFileSource>> PcapFileSource::open(const std::string& path) {
  // The file is opened here, not by pcap_open_offline, to give it a large stdio buffer:
  // libpcap reads a record at a time through stdio, whose default buffer is 4 KiB, so
  // a gigabyte costs a quarter of a million read() calls. With 256 KiB the same file
  // reads about four times as fast (issue 9: tests/bench/README.md).
  std::FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return error(path + ": cannot read as pcap or pcapng: " + std::strerror(errno));
  }
  // Not standard input's: it outlives this source, and the buffer would not.
  std::unique_ptr<char[]> read_buffer;
  if (file != stdin) {
    read_buffer = std::make_unique<char[]>(kReadBufferBytes);
    std::setvbuf(file, read_buffer.get(), _IOFBF, kReadBufferBytes);
  }
  char error_text[PCAP_ERRBUF_SIZE] = {};
  // Ask for microseconds whatever the file stores, so every source shares one clock.
  pcap_t* handle =
      pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, error_text);
  if (handle == nullptr) {
    if (file != stdin) std::fclose(file);  // libpcap closes it only once it has taken it
    return error(path + ": cannot read as pcap or pcapng: " + error_text);
  }
  auto source = std::unique_ptr<PcapFileSource>(new PcapFileSource(path, handle));
  source->read_buffer_ = std::move(read_buffer);
  // pcapng starts with a section header block (type 0x0A0D0D0A, a palindrome). Only a
  // regular file is opened twice: from a pipe, a second reader would take its bytes.
  std::error_code not_regular;
  std::FILE* again = std::filesystem::is_regular_file(path, not_regular)
                         ? std::fopen(path.c_str(), "rb")
                         : nullptr;
  if (again != nullptr) {
    unsigned char magic[4] = {};
    source->is_pcapng_ = std::fread(magic, 1, 4, again) == 4 && magic[0] == 0x0a &&
                         magic[1] == 0x0d && magic[2] == 0x0d && magic[3] == 0x0a;
    std::fclose(again);
  }
  return source;
}

PcapFileSource::PcapFileSource(std::string path, pcap* handle)
    : path_(std::move(path)), handle_(handle), link_type_(pcap_datalink(handle)) {}

PcapFileSource::~PcapFileSource() { pcap_close(handle_); }

Result<std::optional<Packet>> PcapFileSource::next() {
  auto view = next_view();
  if (!view) return Error{view.error()};
  if (!view->has_value()) return std::optional<Packet>{};
  const PacketView& frame = **view;
  Packet packet;
  packet.ts_us = frame.ts_us;
  packet.link_type = frame.link_type;
  packet.wire_length = frame.wire_length;
  packet.bytes.assign(frame.bytes.begin(), frame.bytes.end());
  return std::optional<Packet>(std::move(packet));
}

Result<std::optional<PacketView>> PcapFileSource::next_view() {
  if (fallback_) {
    auto packet = fallback_->next();
    if (!packet) return Error{packet.error()};
    if (!packet->has_value()) return std::optional<PacketView>{};
    ++packets_read_;
    fallback_packet_ = std::move(**packet);
    return std::optional<PacketView>(view_of(fallback_packet_));
  }
  // A classic pcap record's offset is counted; pcapng's blocks come in many kinds, so
  // there the stdio position before the read says where the next record starts.
  FILE* file = is_pcapng_ ? pcap_file(handle_) : nullptr;
  const long pcapng_offset = file != nullptr ? std::ftell(file) : -1;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int status = pcap_next_ex(handle_, &header, &data);
  if (status == PCAP_ERROR_BREAK) {
    return std::optional<PacketView>{};
  }
  if (status != 1 && is_pcapng_ &&
      std::string_view(pcap_geterr(handle_)).find("interface") != std::string_view::npos) {
    // A pcapng interface libpcap cannot mix with the first: continue with our reader.
    auto reader = PcapngReader::open(path_);
    if (reader) {
      fallback_ = std::move(*reader);
      for (std::uint64_t i = 0; i < packets_read_; ++i) {
        auto skipped = fallback_->next();
        if (!skipped) return Error{skipped.error()};
        if (!skipped->has_value()) return std::optional<PacketView>{};
      }
      return next_view();
    }
  }
  if (status != 1) {
    std::string message =
        path_ + ": damaged packet record at packet " + std::to_string(packets_read_ + 1);
    if (!is_pcapng_) {
      message += " (offset " + std::to_string(next_record_offset_) + ")";
    } else if (pcapng_offset >= 0) {
      message += " (offset " + std::to_string(pcapng_offset) + ")";
    }
    message += ": ";
    message += pcap_geterr(handle_);
    return error(std::move(message));
  }
  ++packets_read_;
  next_record_offset_ += 16 + header->caplen;
  return std::optional<PacketView>(
      PacketView{static_cast<TimestampUs>(header->ts.tv_sec) * 1'000'000 + header->ts.tv_usec,
                 link_type_, std::span<const std::uint8_t>(data, header->caplen), header->len});
}

}  // namespace hm::capture
