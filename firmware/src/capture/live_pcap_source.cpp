#include "capture/live_pcap_source.h"

#include <pcap/pcap.h>

namespace hm::capture {

namespace {

Error pcap_failure(const std::string& interface_name, const char* step, pcap_t* handle) {
  return error("capture on " + interface_name + ": " + step + ": " + pcap_geterr(handle));
}

}  // namespace

Result<std::unique_ptr<LivePcapSource>> LivePcapSource::open(const LiveCaptureSettings& settings) {
  const std::string& name = settings.interface_name;
  char error_text[PCAP_ERRBUF_SIZE] = {};
  pcap_t* handle = pcap_create(name.c_str(), error_text);
  if (handle == nullptr) {
    return error("capture on " + name + ": " + error_text);
  }
  if (pcap_set_snaplen(handle, settings.snap_length) != 0 ||
      pcap_set_promisc(handle, settings.promiscuous ? 1 : 0) != 0 ||
      pcap_set_timeout(handle, settings.poll_timeout_ms) != 0 ||
      pcap_set_buffer_size(handle, settings.buffer_size_bytes) != 0 ||
      pcap_set_immediate_mode(handle, settings.immediate ? 1 : 0) != 0 ||
      pcap_set_tstamp_precision(handle, PCAP_TSTAMP_PRECISION_MICRO) != 0) {
    Error failure = pcap_failure(name, "setting capture options", handle);
    pcap_close(handle);
    return failure;
  }
  const int status = pcap_activate(handle);
  if (status < 0) {
    std::string reason = pcap_statustostr(status);
    if (status == PCAP_ERROR || status == PCAP_ERROR_PERM_DENIED ||
        status == PCAP_ERROR_NO_SUCH_DEVICE) {
      reason += std::string(" (") + pcap_geterr(handle) + ")";
    }
    if (status == PCAP_ERROR_PERM_DENIED) {
      reason += "; the daemon needs CAP_NET_RAW";
    }
    pcap_close(handle);
    return error("capture on " + name + ": " + reason);
  }
  return std::unique_ptr<LivePcapSource>(new LivePcapSource(name, handle));
}

LivePcapSource::LivePcapSource(std::string interface_name, pcap* handle)
    : interface_name_(std::move(interface_name)),
      handle_(handle),
      link_type_(pcap_datalink(handle)) {}

LivePcapSource::~LivePcapSource() { pcap_close(handle_); }

Result<std::optional<Packet>> LivePcapSource::next() {
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

Result<std::optional<PacketView>> LivePcapSource::next_view() {
  if (stopped()) return std::optional<PacketView>{};
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int status = pcap_next_ex(handle_, &header, &data);
  if (status == 0 || status == PCAP_ERROR_BREAK || stopped()) {
    return std::optional<PacketView>{};  // timeout, or stop() broke the wait
  }
  if (status != 1) {
    return pcap_failure(interface_name_, "reading", handle_);
  }
  return std::optional<PacketView>(
      PacketView{static_cast<TimestampUs>(header->ts.tv_sec) * 1'000'000 + header->ts.tv_usec,
                 link_type_, std::span<const std::uint8_t>(data, header->caplen), header->len});
}

void LivePcapSource::stop() {
  stopped_.store(true, std::memory_order_release);
  // libpcap documents pcap_breakloop as safe to call from another thread.
  pcap_breakloop(handle_);
}

LiveCaptureStats LivePcapSource::stats() const {
  pcap_stat counters{};
  if (pcap_stats(handle_, &counters) != 0) return {};
  return LiveCaptureStats{counters.ps_recv, counters.ps_drop, counters.ps_ifdrop};
}

}  // namespace hm::capture
