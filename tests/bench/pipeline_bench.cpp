// Whole-pipeline benchmark (STYLE.md: prints figures, never passes or fails on time).
// Reads a capture twice: a plain libpcap read loop (the floor: what reading the file
// costs), then decode + flows + reassembly + dissection through one Inspector (one
// worker's work; matching and storing are not included). Prints packets/s, Gbit/s and
// the process's peak resident memory. Usage: pipeline_bench FILE.pcap
#include <pcap/pcap.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "capture/pcap_file_source.h"
#include "dissect/inspector.h"

namespace {

struct Pass {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;
};

void print(const char* name, const Pass& pass) {
  std::printf("%-28s %10llu packets  %8.3f s  %12.0f packets/s  %7.3f Gbit/s\n", name,
              static_cast<unsigned long long>(pass.packets), pass.seconds,
              static_cast<double>(pass.packets) / pass.seconds,
              static_cast<double>(pass.bytes) * 8 / pass.seconds / 1e9);
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

Pass read_only(const char* path) {
  char error[PCAP_ERRBUF_SIZE];
  pcap_t* handle = pcap_open_offline(path, error);
  if (handle == nullptr) {
    std::fprintf(stderr, "pipeline_bench: %s\n", error);
    std::exit(1);
  }
  Pass pass;
  const auto started = std::chrono::steady_clock::now();
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  volatile std::uint8_t sink = 0;
  while (pcap_next_ex(handle, &header, &data) == 1) {
    ++pass.packets;
    pass.bytes += header->len;
    if (header->caplen > 0) sink = sink ^ data[0];
  }
  pass.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  pcap_close(handle);
  return pass;
}

Pass inspect(const char* path, hm::dissect::InspectorCounters& counters) {
  auto source = hm::capture::PcapFileSource::open(path);
  if (!source) {
    std::fprintf(stderr, "pipeline_bench: %s\n", source.error().c_str());
    std::exit(1);
  }
  hm::dissect::Inspector inspector;
  std::uint64_t observations = 0;
  const hm::dissect::ObservationSink sink = [&observations](const hm::dissect::Observation&) {
    ++observations;
  };
  Pass pass;
  const auto started = std::chrono::steady_clock::now();
  while (true) {
    auto packet = (*source)->next();
    if (!packet || !packet->has_value()) break;
    ++pass.packets;
    pass.bytes += (**packet).bytes.size();
    inspector.inspect(hm::capture::view_of(**packet), sink);
  }
  inspector.finish(sink);
  pass.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  counters = inspector.counters();
  std::printf("observations: %llu\n", static_cast<unsigned long long>(observations));
  return pass;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pipeline_bench FILE.pcap\n");
    return 2;
  }
  const Pass floor = read_only(argv[1]);
  print("libpcap read loop (floor)", floor);
  hm::dissect::InspectorCounters counters;
  const Pass inspected = inspect(argv[1], counters);
  print("decode+reassembly+dissect", inspected);
  std::printf("tcp flows %llu, udp flows %llu, http bodies %llu, flow_table_full %llu\n",
              static_cast<unsigned long long>(counters.tcp_flows),
              static_cast<unsigned long long>(counters.udp_flows),
              static_cast<unsigned long long>(counters.http_bodies),
              static_cast<unsigned long long>(counters.flow_table_full));
  std::printf("peak RSS: %.1f MiB\n", static_cast<double>(peak_rss_kib()) / 1024);
  return 0;
}
