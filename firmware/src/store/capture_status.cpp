#include "store/capture_status.h"

#include <time.h>

#include <algorithm>
#include <iterator>

namespace hm::store {
namespace {

constexpr std::size_t kMaxSamples = 256;
constexpr std::int64_t kMicrosPerSecond = 1'000'000;

std::uint64_t source_mac(std::span<const std::uint8_t> frame) {
  if (frame.size() < 14) return 0;
  std::uint64_t mac = 0;
  for (std::size_t i = 6; i < 12; ++i) mac = (mac << 8) | frame[i];
  // Group addresses (multicast bit) are never a device's own.
  if ((frame[6] & 0x01) != 0) return 0;
  return mac;
}

}  // namespace

CaptureStatus& CaptureStatus::instance() {
  static CaptureStatus status;
  return status;
}

void CaptureStatus::start(Mode mode, std::string source) {
  {
    const std::lock_guard lock(mutex_);
    source_ = std::move(source);
  }
  mode_.store(mode, std::memory_order_release);
}

void CaptureStatus::mark_finished() { finished_.store(true, std::memory_order_release); }

void CaptureStatus::note_frame(std::span<const std::uint8_t> frame, std::int64_t now_us) {
  packets_.fetch_add(1, std::memory_order_relaxed);
  bytes_.fetch_add(frame.size(), std::memory_order_relaxed);
  last_packet_us_.store(now_us, std::memory_order_relaxed);
  const std::uint64_t mac = source_mac(frame);
  if (mac == 0) return;
  // Fibonacci hashing to a slot, then linear probing.
  std::size_t slot = static_cast<std::size_t>((mac * 0x9E3779B97F4A7C15ULL) >> 52) % kDeviceSlots;
  for (std::size_t probe = 0; probe < 16; ++probe) {
    DeviceSlot& device = devices_[(slot + probe) % kDeviceSlots];
    const std::uint64_t held = device.mac.load(std::memory_order_relaxed);
    if (held == mac) {
      device.last_seen_us.store(now_us, std::memory_order_relaxed);
      return;
    }
    if (held == 0) {
      device.last_seen_us.store(now_us, std::memory_order_relaxed);
      device.mac.store(mac, std::memory_order_release);
      return;
    }
  }
  devices_full_.fetch_add(1, std::memory_order_relaxed);
}

void CaptureStatus::note_frame(std::span<const std::uint8_t> frame) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &now);
  note_frame(frame, static_cast<std::int64_t>(now.tv_sec) * kMicrosPerSecond + now.tv_nsec / 1000);
}

void CaptureStatus::set_kernel_drops(std::uint64_t dropped_by_kernel,
                                     std::uint64_t dropped_by_interface) {
  kernel_drops_.store(dropped_by_kernel, std::memory_order_relaxed);
  interface_drops_.store(dropped_by_interface, std::memory_order_relaxed);
}

CaptureStatus::Snapshot CaptureStatus::snapshot(std::int64_t now_us, std::int64_t window_seconds) {
  Snapshot snap;
  snap.mode = mode_.load(std::memory_order_acquire);
  snap.finished = finished_.load(std::memory_order_acquire);
  snap.packets = packets_.load(std::memory_order_relaxed);
  snap.bytes = bytes_.load(std::memory_order_relaxed);
  snap.ring_drops = ring_drops_.load(std::memory_order_relaxed);
  snap.kernel_drops = kernel_drops_.load(std::memory_order_relaxed);
  snap.interface_drops = interface_drops_.load(std::memory_order_relaxed);
  snap.last_packet_us = last_packet_us_.load(std::memory_order_relaxed);
  snap.window_seconds = window_seconds;
  const std::int64_t since = now_us - window_seconds * kMicrosPerSecond;
  for (const DeviceSlot& device : devices_) {
    if (device.mac.load(std::memory_order_acquire) == 0) continue;
    ++snap.devices_total;
    if (device.last_seen_us.load(std::memory_order_relaxed) >= since) ++snap.devices_recent;
  }

  const std::lock_guard lock(mutex_);
  snap.source = source_;
  // Packets in the window: the count now minus the count at the latest look taken
  // before the window began. Without so old a look (the first ones after a start), every
  // packet counted may be recent if the latest arrived inside the window.
  samples_.push_back({now_us, snap.packets});
  std::erase_if(samples_, [&](const Sample& sample) {
    return sample.at_us < now_us - 6 * window_seconds * kMicrosPerSecond;
  });
  if (samples_.size() > kMaxSamples) samples_.erase(samples_.begin());
  const auto newer = std::find_if(samples_.begin(), samples_.end(),
                                  [&](const Sample& sample) { return sample.at_us > since; });
  if (newer != samples_.begin()) {
    snap.packets_recent = snap.packets - std::prev(newer)->packets;
  } else if (snap.last_packet_us >= since) {
    snap.packets_recent = snap.packets;
  }
  return snap;
}

void CaptureStatus::reset() {
  const std::lock_guard lock(mutex_);
  mode_ = Mode::none;
  finished_ = false;
  packets_ = 0;
  bytes_ = 0;
  ring_drops_ = 0;
  kernel_drops_ = 0;
  interface_drops_ = 0;
  last_packet_us_ = 0;
  devices_full_ = 0;
  for (DeviceSlot& device : devices_) {
    device.mac = 0;
    device.last_seen_us = 0;
  }
  source_.clear();
  samples_.clear();
}

namespace {
std::atomic<bool> restart_wanted{false};
}  // namespace

void request_restart() { restart_wanted.store(true); }
bool restart_requested() { return restart_wanted.load(); }

}  // namespace hm::store
