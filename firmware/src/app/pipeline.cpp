#include "app/pipeline.h"

#include <algorithm>
#include <chrono>
#include <functional>

#include "decode/decoder.h"
#include "evidence/capture.h"

namespace hm::app {
namespace {

// How long an idle worker sleeps before looking at its ring again.
constexpr auto kIdleSleep = std::chrono::microseconds(200);

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

struct Pipeline::Worker {
  explicit Worker(const PipelineSettings& settings,
                  std::shared_ptr<const match::CompiledLibrary> library)
      : ring(settings.ring_capacity), inspector(settings.inspector), scanner(std::move(library)) {}

  capture::SpscRing<capture::Packet> ring;
  dissect::Inspector inspector;
  match::Scanner scanner;
  std::thread thread;
  std::atomic<std::uint64_t> observations{0};
  std::atomic<std::uint64_t> hits{0};
  dissect::InspectorCounters final_counters;
};

Pipeline::Pipeline(PipelineSettings settings, std::shared_ptr<const match::CompiledLibrary> library,
                   store::CaptureWriter& writer)
    : settings_(std::move(settings)), library_(std::move(library)), writer_(writer) {
  const std::size_t count = settings_.workers == 0 ? 1 : settings_.workers;
  for (std::size_t i = 0; i < count; ++i) {
    workers_.push_back(std::make_unique<Worker>(settings_, library_));
  }
  for (auto& worker : workers_) {
    worker->thread = std::thread([this, w = worker.get()] { run_worker(*w); });
  }
}

Pipeline::~Pipeline() { finish(); }

bool Pipeline::offer(capture::Packet packet) {
  ++packets_in_;
  Worker& worker = workers_.size() == 1
                       ? *workers_.front()
                       : *workers_[flow_hash(capture::view_of(packet)) % workers_.size()];
  while (!worker.ring.try_push(packet)) {
    if (settings_.drop_when_full) {
      ++ring_full_drops_;
      return false;
    }
    std::this_thread::sleep_for(kIdleSleep);
  }
  return true;
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
  const std::string& version = library_->library().version;
  const auto& entries = library_->library().entries;
  const dissect::ObservationSink on_observation = [&](const dissect::Observation& observation) {
    worker.observations.fetch_add(1, std::memory_order_relaxed);
    for (const match::Hit& hit : worker.scanner.scan(observation)) {
      worker.hits.fetch_add(1, std::memory_order_relaxed);
      writer_.submit(evidence::make_capture(observation, entries[hit.entry_index], version));
    }
  };
  while (true) {
    std::optional<capture::Packet> packet = worker.ring.try_pop();
    if (!packet) {
      if (input_done_.load(std::memory_order_acquire) && worker.ring.empty()) {
        break;
      }
      std::this_thread::sleep_for(kIdleSleep);
      continue;
    }
    // The inspector forgets idle flows itself as packet time advances.
    worker.inspector.inspect(capture::view_of(*packet), on_observation);
  }
  // End of input: what flows still hold (a request without its final segment) is
  // inspected as far as it goes.
  worker.inspector.finish(on_observation);
  worker.final_counters = worker.inspector.counters();
}

PipelineCounters Pipeline::counters() const {
  PipelineCounters total;
  total.packets_in = packets_in_;
  total.ring_full_drops = ring_full_drops_;
  for (const auto& worker : workers_) {
    total.observations += worker->observations.load(std::memory_order_relaxed);
    total.hits += worker->hits.load(std::memory_order_relaxed);
    total.inspector += worker->final_counters;
  }
  return total;
}

}  // namespace hm::app
