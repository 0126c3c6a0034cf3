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
// Tuned for a mirror port (issue 9): a big kernel ring (TPACKET_V3 blocks) rides out
// bursts while the capture thread is busy; immediate mode stays off, so the kernel
// hands over whole blocks of packets rather than waking the thread for each one; the
// poll timeout bounds how long a part-filled block waits (and stop()'s latency).
struct LiveCaptureSettings {
  std::string interface_name;
  bool promiscuous = true;                   // a SPAN port's traffic is not addressed to us
  int snap_length = 65535;                   // bytes kept per frame
  int buffer_size_bytes = 32 * 1024 * 1024;  // kernel ring; bigger rides out bursts
  int poll_timeout_ms = 100;                 // how long next() waits: bounds stop() latency
  bool immediate = false;                    // per-packet wakeups: only for tests that poll
};

// Kernel-side counters from pcap_stats (since open). Drops here are apart from the
// pipeline's ring_full_drops (a worker fell behind): the two say different things.
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
  // The same without a copy: a view into libpcap's ring, valid until the next call.
  Result<std::optional<PacketView>> next_view();

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
