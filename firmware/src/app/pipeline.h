#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "capture/packet.h"
#include "capture/ring.h"
#include "dissect/inspector.h"
#include "match/matcher.h"
#include "store/capture_writer.h"
#include "store/stats_repository.h"

namespace hm::app {

struct PipelineSettings {
  std::size_t workers = 0;           // 0: one per spare core (default_worker_count())
  std::size_t ring_capacity = 4096;  // packets per worker ring (×1.5 KiB: 6 MiB each)
  // Replaying a file waits for a full ring (the file can wait); live capture drops
  // and counts (the wire cannot).
  bool drop_when_full = false;
  dissect::InspectorSettings inspector;
};

struct PipelineCounters {
  std::uint64_t packets_in = 0;
  std::uint64_t ring_full_drops = 0;
  std::uint64_t observations = 0;
  std::uint64_t hits = 0;
  std::uint64_t library_swaps = 0;       // summed over workers: scanners rebuilt for a new library
  dissect::InspectorCounters inspector;  // summed over workers
};

// DESIGN.md's data flow below the capture thread: flow-hashed rings to workers, each
// owning its inspector and Hyperscan scanner, handing captures to the store thread.
// The caller's thread is the capture thread and calls offer().
class Pipeline {
 public:
  // `stats` (optional) receives each worker's per-minute visibility statistics as
  // minutes end and at finish(); the database sums the workers' rows.
  Pipeline(PipelineSettings settings, std::shared_ptr<const match::CompiledLibrary> library,
           store::CaptureWriter& writer, store::StatsWriter* stats = nullptr);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // From the capture thread only. Returns false when the packet was dropped.
  bool offer(capture::Packet packet);
  // The same, copying the frame straight into the worker's ring slot (whose buffer is
  // reused): no allocation per packet. The view need only live for the call.
  bool offer(const capture::PacketView& packet);

  // Replaces the library the workers match with, without stopping them or dropping a
  // packet: each worker notices the new generation before its next packet and
  // rebuilds its scanner (and Hyperscan scratch) for the new database; a packet is
  // matched wholly against one library. Packets offered after this returns (on the
  // capture thread, or after synchronising with it) are matched against `library`.
  // Any thread.
  void swap_library(std::shared_ptr<const match::CompiledLibrary> library);

  // The library packets offered from now on are matched against.
  std::shared_ptr<const match::CompiledLibrary> library() const;

  // No more packets: lets the workers drain their rings and joins them.
  void finish();

  std::size_t worker_count() const { return workers_.size(); }
  // Every packet offered so far has been inspected (all rings empty). Any thread.
  bool drained() const;

  // Packets in and drops are live; the workers' inspector counters are complete
  // once finish() has returned.
  PipelineCounters counters() const;

 private:
  struct Worker;
  void run_worker(Worker& worker);
  static void note_sighting(Worker& worker, const dissect::Observation& observation);
  // The ring slot for a packet to `worker`, waiting or dropping as settings say;
  // nullptr when dropped (counted).
  capture::Packet* slot_for(Worker& worker);
  Worker& worker_for(const capture::PacketView& packet);

  const PipelineSettings settings_;
  // Written by swap_library(), read by workers when library_generation_ moves on.
  mutable std::mutex library_mutex_;
  std::shared_ptr<const match::CompiledLibrary> library_;
  std::atomic<std::uint64_t> library_generation_{0};
  store::CaptureWriter& writer_;
  store::StatsWriter* stats_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<bool> input_done_{false};
  std::uint64_t packets_in_ = 0;
  std::uint64_t ring_full_drops_ = 0;
};

// One worker per core the capture thread leaves (cores − 1), at least one.
std::size_t default_worker_count();

// The symmetric 5-tuple hash that sends both directions of a flow to one worker.
std::uint64_t flow_hash(const capture::PacketView& packet);

}  // namespace hm::app
