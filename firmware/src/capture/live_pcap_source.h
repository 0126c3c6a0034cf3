#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "capture/packet.h"

struct pcap;

namespace hm::capture {

// How the mirror interface is opened. Each is a named setting (STYLE.md).
struct LiveCaptureSettings {
  std::string interface_name;
  bool promiscuous = true;                   // a SPAN port's traffic is not addressed to us
  int snap_length = 65535;                   // bytes kept per frame
  int buffer_size_bytes = 32 * 1024 * 1024;  // kernel ring; bigger rides out bursts
  int poll_timeout_ms = 100;                 // how long next() waits: bounds stop() latency
};

// Kernel-side counters from pcap_stats (since open).
struct LiveCaptureStats {
  std::uint64_t received = 0;
  std::uint64_t dropped_by_kernel = 0;     // ring full: the capture thread fell behind
  std::uint64_t dropped_by_interface = 0;  // NIC/driver drops, where reported
};

// Live capture on one interface. One thread calls next(); any thread may call stop().
class LivePcapSource {
 public:
  static Result<std::unique_ptr<LivePcapSource>> open(const LiveCaptureSettings& settings);
  ~LivePcapSource();
  LivePcapSource(const LivePcapSource&) = delete;
  LivePcapSource& operator=(const LivePcapSource&) = delete;

  // The next packet; std::nullopt when the poll timeout passed with no packet or
  // stop() was called (check stopped()); an Error if the interface failed (went away).
  Result<std::optional<Packet>> next();

  // Makes next() return promptly (within the poll timeout) and keep returning nullopt.
  void stop();
  bool stopped() const { return stopped_.load(std::memory_order_acquire); }

  LiveCaptureStats stats() const;
  int link_type() const { return link_type_; }

 private:
  LivePcapSource(std::string interface_name, pcap* handle);

  std::string interface_name_;
  pcap* handle_;
  int link_type_;
  std::atomic<bool> stopped_{false};
};

}  // namespace hm::capture
