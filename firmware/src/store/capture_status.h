#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hm::store {

// What this process's capture has seen, for the System page and the setup wizard's
// "is the mirror port working?" check. The capture thread (app/) writes it; web
// request threads read it. Counted apart from the pipeline (app/pipeline.* is not
// touched): the capture thread calls note_frame() for each frame before handing it on,
// which costs a few relaxed atomic operations.
class CaptureStatus {
 public:
  enum class Mode : std::uint8_t {
    none,    // no capture in this process (a command that only serves)
    live,    // `run`: the mirror interface
    replay,  // `replay`: capture files (tests, demos)
  };

  static CaptureStatus& instance();

  // Before the first frame: what is being captured (the interface, or the files).
  void start(Mode mode, std::string source);
  // Replay: every file has been read.
  void mark_finished();

  // From the capture thread only. `frame` is an Ethernet frame (other link types
  // count packets and bytes but no devices). `now_us`: the wall clock, so "the last
  // seconds" mean real seconds even in a replay of an old file.
  void note_frame(std::span<const std::uint8_t> frame, std::int64_t now_us);
  // The same at the wall clock's time (CLOCK_REALTIME_COARSE: a few nanoseconds).
  void note_frame(std::span<const std::uint8_t> frame);
  // A frame the pipeline's ring had no room for (ring_full_drops).
  void note_ring_drop() { ring_drops_.fetch_add(1, std::memory_order_relaxed); }
  // Kernel-side counters (pcap_stats), from the capture thread now and then.
  void set_kernel_drops(std::uint64_t dropped_by_kernel, std::uint64_t dropped_by_interface);

  struct Snapshot {
    Mode mode = Mode::none;
    std::string source;
    bool finished = false;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    std::uint64_t ring_drops = 0;
    std::uint64_t kernel_drops = 0;
    std::uint64_t interface_drops = 0;
    std::int64_t last_packet_us = 0;   // wall clock of the latest frame; 0: none yet
    std::uint64_t devices_total = 0;   // distinct source MACs since start (up to the table size)
    std::uint64_t devices_recent = 0;  // of those, seen in the last `window`
    std::uint64_t packets_recent = 0;  // frames in the last `window` (from samples)
    std::int64_t window_seconds = 0;
  };
  // `now_us` and `window_seconds` say which seconds "recent" means.
  Snapshot snapshot(std::int64_t now_us, std::int64_t window_seconds = 10);

  // Tests start each case clean.
  void reset();

 private:
  // Open addressing, single writer: a slot's MAC is written once, then only its time.
  static constexpr std::size_t kDeviceSlots = 4096;
  struct DeviceSlot {
    std::atomic<std::uint64_t> mac{0};  // 48 bits; 0 is empty
    std::atomic<std::int64_t> last_seen_us{0};
  };
  // Packet counts seen by snapshot() calls, to answer "in the last N seconds".
  struct Sample {
    std::int64_t at_us = 0;
    std::uint64_t packets = 0;
  };

  std::atomic<Mode> mode_{Mode::none};
  std::atomic<bool> finished_{false};
  std::atomic<std::uint64_t> packets_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> ring_drops_{0};
  std::atomic<std::uint64_t> kernel_drops_{0};
  std::atomic<std::uint64_t> interface_drops_{0};
  std::atomic<std::int64_t> last_packet_us_{0};
  std::atomic<std::uint64_t> devices_full_{0};  // MACs not kept: the table was full
  std::array<DeviceSlot, kDeviceSlots> devices_;

  std::mutex mutex_;  // source_ and samples_ (readers only)
  std::string source_;
  std::vector<Sample> samples_;
};

// Restarting the daemon from the System page (POST /api/system/restart): the handler
// marks the request and sends the process SIGTERM; `run` shuts down cleanly as for any
// stop, then exits with kRestartExitCode, which the unit's Restart=on-failure restarts.
inline constexpr int kRestartExitCode = 75;  // EX_TEMPFAIL
void request_restart();
bool restart_requested();

}  // namespace hm::store
