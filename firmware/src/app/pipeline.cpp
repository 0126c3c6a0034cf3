#include "app/pipeline.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <span>

#include "decode/decoder.h"
#include "evidence/capture.h"

namespace hm::app {
namespace {

// How long an idle worker sleeps before looking at its ring again.
constexpr auto kIdleSleep = std::chrono::microseconds(200);
// A ring slot's byte buffer is kept for reuse up to this size (a VLAN-tagged
// full-size Ethernet frame fits): ring_capacity × 1.5 KiB per worker at most.
constexpr std::size_t kKeptSlotBytes = 1536;
// A worker keeps at most this many DHCP-named devices between hand-overs to the store.
constexpr std::size_t kMaxSightingsKept = 1024;

// One request can say the same thing twice: a search's URL (http_url) and its decoded
// terms (http_search), a form's URL and its body. Observations of one packet share
// time and endpoints; a library entry they hit more than once is one capture (the
// first observation's, so a search is stored as its URL with the phrase found).
class SamePacketHits {
 public:
  // True the first time `entry` is hit by an observation of this packet.
  bool first(const dissect::Observation& observation, std::uint32_t entry) {
    const bool same_packet = observation.ts_us == ts_us_ && observation.src_ip == src_ip_ &&
                             observation.src_port == src_port_ && observation.dst_ip == dst_ip_ &&
                             observation.dst_port == dst_port_;
    if (!same_packet) {
      ts_us_ = observation.ts_us;
      src_ip_ = observation.src_ip;
      src_port_ = observation.src_port;
      dst_ip_ = observation.dst_ip;
      dst_port_ = observation.dst_port;
      entries_.clear();
    }
    if (std::find(entries_.begin(), entries_.end(), entry) != entries_.end()) return false;
    entries_.push_back(entry);
    return true;
  }

 private:
  capture::TimestampUs ts_us_ = -1;
  decode::IpAddress src_ip_;
  std::uint16_t src_port_ = 0;
  decode::IpAddress dst_ip_;
  std::uint16_t dst_port_ = 0;
  std::vector<std::uint32_t> entries_;
};

// Why prefetch (issue 9): a slot's memory was last written by the capture thread's
// core, so a worker's first read of it waits for the cache lines to cross between
// cores. Asking for the next packet's lines while inspecting this one lets that wait
// overlap the work (replay: about 10% faster). A prefetch is a hint: it never faults
// or changes what is read. Here: the slot and its first two lines, the headers that
// decoding reads first.
void prefetch_for_inspecting(const capture::Packet& slot) {
  __builtin_prefetch(&slot);
  const std::uint8_t* bytes = slot.bytes.data();
  if (bytes == nullptr) return;
  __builtin_prefetch(bytes);
  __builtin_prefetch(bytes + 64);
}
// The capture thread does not prefetch the slot it will fill: tried, it made replay on
// the x86 development VM ~40% faster but cost ~100 instructions a packet, against issue
// 9's budget of 1,500 (a proxy for a Cortex-A72), and what it gains on the Pi, whose
// cores share one L2, is unmeasured (tests/bench/README.md).

}  // namespace

std::uint64_t flow_hash(const capture::PacketView& packet) {
  decode::DecodedPacket decoded;
  const decode::DecodeStatus status = decode::decode_packet(packet, decoded);
  if (status != decode::DecodeStatus::ok && status != decode::DecodeStatus::ip_fragment) {
    return 0;  // nothing to inspect: any worker will do, so the first counts it
  }
  // By address pair, not 5-tuple: an IP fragment carries no ports, and must meet the
  // rest of its datagram (and its flow) in the same worker. Symmetric: both
  // directions hash alike.
  const auto& low = std::min(decoded.src_ip, decoded.dst_ip);
  const auto& high = std::max(decoded.src_ip, decoded.dst_ip);
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  for (const auto* address : {&low, &high}) {
    for (const std::uint8_t byte : address->bytes) {
      hash = (hash ^ byte) * 1099511628211ULL;
    }
  }
  return hash;
}

std::size_t default_worker_count() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores - 1 : 1;
}

struct Pipeline::Worker {
  explicit Worker(const PipelineSettings& settings,
                  std::shared_ptr<const match::CompiledLibrary> library)
      : ring(settings.ring_capacity),
        inspector(settings.inspector),
        scanner(std::make_unique<match::Scanner>(std::move(library))) {
    // Every slot's buffer now, not on the ring's first lap: the same memory either way
    // (a lap fills them all), and no allocation while the first packets arrive.
    ring.prepare_each([](capture::Packet& slot) { slot.bytes.reserve(kKeptSlotBytes); });
  }

  capture::SpscRing<capture::Packet> ring;
  dissect::Inspector inspector;
  std::unique_ptr<match::Scanner> scanner;  // replaced when the library is swapped
  std::uint64_t library_generation = 0;     // the generation `scanner` was built for
  std::thread thread;
  std::atomic<std::uint64_t> observations{0};
  std::atomic<std::uint64_t> hits{0};
  std::atomic<std::uint64_t> library_swaps{0};
  dissect::InspectorCounters final_counters;
  // Devices DHCP named since the last hand-over to the store thread (one entry per
  // device), which takes them at each minute of packet time and when the ring is idle.
  std::vector<store::DeviceSighting> sightings;
};

Pipeline::Pipeline(PipelineSettings settings, std::shared_ptr<const match::CompiledLibrary> library,
                   store::CaptureWriter& writer, store::StatsWriter* stats)
    : settings_(std::move(settings)), library_(std::move(library)), writer_(writer), stats_(stats) {
  const std::size_t count = settings_.workers == 0 ? default_worker_count() : settings_.workers;
  for (std::size_t i = 0; i < count; ++i) {
    workers_.push_back(std::make_unique<Worker>(settings_, library_));
  }
  for (auto& worker : workers_) {
    worker->thread = std::thread([this, w = worker.get()] { run_worker(*w); });
  }
}

Pipeline::~Pipeline() { finish(); }

Pipeline::Worker& Pipeline::worker_for(const capture::PacketView& packet) {
  return workers_.size() == 1 ? *workers_.front() : *workers_[flow_hash(packet) % workers_.size()];
}

capture::Packet* Pipeline::slot_for(Worker& worker) {
  ++packets_in_;
  while (true) {
    if (capture::Packet* slot = worker.ring.next_free()) return slot;
    if (settings_.drop_when_full) {
      ++ring_full_drops_;
      return nullptr;
    }
    std::this_thread::sleep_for(kIdleSleep);
  }
}

bool Pipeline::offer(capture::Packet packet) {
  Worker& worker = worker_for(capture::view_of(packet));
  capture::Packet* slot = slot_for(worker);
  if (slot == nullptr) return false;
  *slot = std::move(packet);
  worker.ring.publish();
  return true;
}

bool Pipeline::offer(const capture::PacketView& packet) {
  Worker& worker = worker_for(packet);
  capture::Packet* slot = slot_for(worker);
  if (slot == nullptr) return false;
  slot->ts_us = packet.ts_us;
  slot->link_type = packet.link_type;
  slot->wire_length = packet.wire_length;
  const std::size_t size = packet.bytes.size();
  // Grown once to a full frame, so frames of any ordinary size fit from then on.
  if (slot->bytes.capacity() < kKeptSlotBytes && size <= kKeptSlotBytes) {
    slot->bytes.reserve(kKeptSlotBytes);
  }
  // clear() + insert(): one copy into the kept buffer. resize() + memcpy zero-fills
  // bytes the copy overwrites at once, and assign() onto a shorter frame copies in two
  // parts (issue 9: the copy is most of the capture thread's own cost per packet).
  slot->bytes.clear();
  slot->bytes.insert(slot->bytes.end(), packet.bytes.begin(), packet.bytes.end());
  worker.ring.publish();
  return true;
}

void Pipeline::swap_library(std::shared_ptr<const match::CompiledLibrary> library) {
  if (library == nullptr) return;
  std::lock_guard lock(library_mutex_);
  library_ = std::move(library);
  library_generation_.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<const match::CompiledLibrary> Pipeline::library() const {
  std::lock_guard lock(library_mutex_);
  return library_;
}

void Pipeline::finish() {
  input_done_.store(true, std::memory_order_release);
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) {
      worker->thread.join();
    }
  }
}

void Pipeline::run_worker(Worker& worker) {
  SamePacketHits packet_hits;
  // The frame being inspected: a capture keeps it (sealed) so that the capture's
  // packets can be opened in Wireshark. None while finish() flushes what flows held.
  std::optional<capture::PacketView> current_packet;
  const dissect::ObservationSink on_observation = [&](const dissect::Observation& observation) {
    worker.observations.fetch_add(1, std::memory_order_relaxed);
    if (observation.kind == dissect::ObservationKind::dhcp_lease) {
      note_sighting(worker, observation);
      // A flood of leases for made-up MACs would make note_sighting's search ever
      // longer: hand them over at once (the store thread's queue bounds and counts them).
      if (worker.sightings.size() >= kMaxSightingsKept) {
        writer_.submit_devices(std::move(worker.sightings));
        worker.sightings = {};
      }
    }
    const match::Library& library = worker.scanner->library().library();
    for (const match::Hit& hit : worker.scanner->scan(observation)) {
      if (!packet_hits.first(observation, hit.entry_index)) continue;
      worker.hits.fetch_add(1, std::memory_order_relaxed);
      std::span<const capture::PacketView> packets;
      if (current_packet) packets = {&*current_packet, 1};
      writer_.submit(evidence::make_capture(observation, library.entries[hit.entry_index],
                                            library.version, packets));
    }
  };
  // The safe point: between packets, so a packet is matched against one library only.
  // One relaxed-cost atomic load per packet; the lock is taken only on a change.
  const auto follow_library_swap = [&] {
    const std::uint64_t generation = library_generation_.load(std::memory_order_acquire);
    if (generation == worker.library_generation) return;
    std::shared_ptr<const match::CompiledLibrary> library;
    {
      std::lock_guard lock(library_mutex_);
      library = library_;
      worker.library_generation = library_generation_.load(std::memory_order_relaxed);
    }
    worker.scanner = std::make_unique<match::Scanner>(std::move(library));
    packet_hits = SamePacketHits{};  // entry indexes of the old library mean nothing now
    worker.library_swaps.fetch_add(1, std::memory_order_relaxed);
  };
  // Minutes the worker has finished go to the store thread through its queue.
  std::int64_t last_minute = 0;
  const auto hand_over_minutes = [this](std::vector<dissect::VisibilityMinute> minutes) {
    if (stats_ == nullptr || minutes.empty()) return;
    std::vector<store::VisibilityRow> rows;
    rows.reserve(minutes.size());
    for (const dissect::VisibilityMinute& minute : minutes) {
      rows.push_back({minute.minute_start_us, std::string(dissect::to_string(minute.visibility)),
                      minute.flows, minute.bytes, minute.packets});
    }
    stats_->submit(std::move(rows));
  };
  const auto hand_over_sightings = [this, &worker] {
    if (worker.sightings.empty()) return;
    writer_.submit_devices(std::move(worker.sightings));
    worker.sightings = {};
  };
  while (true) {
    capture::Packet* packet = worker.ring.front();
    if (packet == nullptr) {
      if (input_done_.load(std::memory_order_acquire) && worker.ring.empty()) {
        break;
      }
      hand_over_sightings();
      std::this_thread::sleep_for(kIdleSleep);
      continue;
    }
    if (const capture::Packet* next = worker.ring.filled_ahead(1)) prefetch_for_inspecting(*next);
    follow_library_swap();
    // The inspector forgets idle flows itself as packet time advances.
    current_packet = capture::view_of(*packet);
    worker.inspector.inspect(*current_packet, on_observation);
    current_packet.reset();
    const capture::TimestampUs ts_us = packet->ts_us;
    // The slot keeps its buffer for the next packet, unless a jumbo frame grew it:
    // the ring's memory stays about ring_capacity full-size Ethernet frames.
    if (packet->bytes.capacity() > kKeptSlotBytes) packet->bytes = {};
    worker.ring.pop();
    const std::int64_t minute = dissect::VisibilityStats::minute_of(ts_us);
    if (minute != last_minute) {
      last_minute = minute;
      hand_over_minutes(worker.inspector.take_visibility(ts_us));
      hand_over_sightings();
    }
  }
  // End of input: what flows still hold (a request without its final segment) is
  // inspected as far as it goes.
  follow_library_swap();
  worker.inspector.finish(on_observation);
  hand_over_minutes(worker.inspector.take_visibility(0, /*all=*/true));
  hand_over_sightings();
  worker.final_counters = worker.inspector.counters();
}

// A dhcp_lease observation names the device the lease is for (its MAC, option 12):
// kept once per device until the next hand-over, with its latest name.
void Pipeline::note_sighting(Worker& worker, const dissect::Observation& observation) {
  if (!observation.client_mac || observation.client_mac->is_zero()) return;
  std::string mac = observation.client_mac->to_string();
  const auto same = std::find_if(worker.sightings.begin(), worker.sightings.end(),
                                 [&](const auto& sighting) { return sighting.mac == mac; });
  if (same == worker.sightings.end()) {
    worker.sightings.push_back(
        {std::move(mac), observation.text, observation.ts_us, observation.ts_us});
    return;
  }
  same->first_us = std::min(same->first_us, observation.ts_us);
  same->ts_us = std::max(same->ts_us, observation.ts_us);
  if (!observation.text.empty()) same->host_name = observation.text;
}

bool Pipeline::drained() const {
  return std::all_of(workers_.begin(), workers_.end(),
                     [](const auto& worker) { return worker->ring.empty(); });
}

PipelineCounters Pipeline::counters() const {
  PipelineCounters total;
  total.packets_in = packets_in_;
  total.ring_full_drops = ring_full_drops_;
  for (const auto& worker : workers_) {
    total.observations += worker->observations.load(std::memory_order_relaxed);
    total.hits += worker->hits.load(std::memory_order_relaxed);
    total.library_swaps += worker->library_swaps.load(std::memory_order_relaxed);
    total.inspector += worker->final_counters;
  }
  return total;
}

}  // namespace hm::app
