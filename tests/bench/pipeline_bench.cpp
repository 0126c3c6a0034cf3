// Whole-pipeline figures (issue 9; STYLE.md: prints figures, never passes or fails on
// time). One mode per figure, each printing `figure NAME VALUE` lines that
// tests/bench/run.sh gathers into one table, and a human line on stderr:
//
//   pipeline_bench floor FILE.pcap [--source-buffer]
//       bare libpcap read loop: the floor. With --source-buffer, libpcap reads through
//       the stdio buffer PcapFileSource gives it (256 KiB) instead of stdio's default.
//   pipeline_bench replay FILE.pcap [--workers N] [--callgrind]
//       the daemon's pipeline (app/pipeline.h: capture thread, flow-hashed rings,
//       workers matching the starter library, the store thread sealing captures into
//       SQLite) over the file as `hallmonitor replay` feeds it. --callgrind counts
//       instructions only from the first packet to the last capture stored (run under
//       valgrind --tool=callgrind; the library compile and setting up the pipeline are
//       left out).
//   pipeline_bench flows N [--library-entries M] [--workers W]
//       peak RSS with N concurrent TCP flows (9 in 10 TLS, 1 in 10 plain HTTP as in the
//       generated mix; all left open mid-answer) and the
//       starter library grown to M entries (tests/bench/generated_library.h).
//   pipeline_bench latency FILE.pcap [--pps N]
//       capture-to-disk latency: packets offered at N per second (default 10000),
//       each capture's time from its packet's offer to its batch's commit.
#include <pcap/pcap.h>
#include <sys/resource.h>
#include <valgrind/callgrind.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/pipeline.h"
#include "capture/pcap_file_source.h"
#include "generated_library.h"
#include "library/source_format.h"
#include "store/capture_repository.h"
#include "store/capture_writer.h"
#include "store/database.h"
#include "store/stats_repository.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long peak_rss_kib(int who = RUSAGE_SELF) {
  rusage usage{};
  getrusage(who, &usage);
  return usage.ru_maxrss;  // KiB on Linux; RUSAGE_CHILDREN: the largest child's
}

// Resident now (peak RSS only grows).
long rss_kib() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0;
  char line[256];
  long value = 0;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::sscanf(line, "VmRSS: %ld", &value) == 1) break;
  }
  std::fclose(status);
  return value;
}

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "pipeline_bench: %s\n", message.c_str());
  std::exit(1);
}

void figure(const char* name, double value) { std::printf("figure %s %.6g\n", name, value); }

// A fresh data folder for the store thread, removed at exit.
struct ScratchDir {
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    path = fs::path(tmp != nullptr ? tmp : "/tmp") /
           ("hm-bench-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path path;
  static inline int counter = 0;
};

hm::match::Library starter_library() {
  auto library = hm::library::load_source_dir(fs::path(HM_SOURCE_DIR) / "firmware/library");
  if (!library) fail(library.error());
  return std::move(*library);
}

std::shared_ptr<const hm::match::CompiledLibrary> compile(hm::match::Library library,
                                                          const char* figure_name) {
  const auto started = Clock::now();
  auto compiled = hm::match::CompiledLibrary::compile(std::move(library));
  if (!compiled) fail(compiled.error());
  figure(figure_name, seconds_since(started));
  return *compiled;
}

struct Pass {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;  // on the wire
  double seconds = 0;
};

void print(const char* name, const char* prefix, const Pass& pass) {
  const double pps = static_cast<double>(pass.packets) / pass.seconds;
  const double gbps = static_cast<double>(pass.bytes) * 8 / pass.seconds / 1e9;
  std::fprintf(stderr, "%-30s %10llu packets  %8.3f s  %12.0f packets/s  %7.3f Gbit/s\n", name,
               static_cast<unsigned long long>(pass.packets), pass.seconds, pps, gbps);
  const std::string p(prefix);
  figure((p + "_packets").c_str(), static_cast<double>(pass.packets));
  figure((p + "_seconds").c_str(), pass.seconds);
  figure((p + "_pps").c_str(), pps);
  figure((p + "_gbps").c_str(), gbps);
}

int run_floor(const char* path, bool source_buffer, bool callgrind) {
  char error[PCAP_ERRBUF_SIZE];
  pcap_t* handle = nullptr;
  std::vector<char> buffer;  // outlives pcap_close(), which closes the file
  if (source_buffer) {
    std::FILE* file = std::fopen(path, "rb");
    if (file == nullptr) fail(std::string(path) + ": " + std::strerror(errno));
    buffer.resize(hm::capture::PcapFileSource::kReadBufferBytes);
    std::setvbuf(file, buffer.data(), _IOFBF, buffer.size());
    handle = pcap_fopen_offline(file, error);
  } else {
    handle = pcap_open_offline(path, error);
  }
  if (handle == nullptr) fail(error);
  Pass pass;
  if (callgrind) CALLGRIND_ZERO_STATS;
  const auto started = Clock::now();
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  volatile std::uint8_t sink = 0;
  while (pcap_next_ex(handle, &header, &data) == 1) {
    ++pass.packets;
    pass.bytes += header->len;
    if (header->caplen > 0) sink = sink ^ data[0];
  }
  pass.seconds = seconds_since(started);
  if (callgrind) CALLGRIND_DUMP_STATS_AT("floor");
  pcap_close(handle);
  print(source_buffer ? "libpcap read loop, 256 KiB buffer" : "libpcap read loop (floor)", "floor",
        pass);
  return 0;
}

struct Store {
  explicit Store(const fs::path& dir, hm::store::CaptureWriterSettings settings = {}) {
    auto started = hm::store::CaptureWriter::start(dir, std::move(settings));
    if (!started) fail(started.error());
    writer = std::move(*started);
    auto stats_started = hm::store::StatsWriter::start(dir);
    if (!stats_started) fail(stats_started.error());
    stats = std::move(*stats_started);
  }
  void stop() {
    writer->stop();
    stats->stop();
  }
  std::unique_ptr<hm::store::CaptureWriter> writer;
  std::unique_ptr<hm::store::StatsWriter> stats;
};

int run_replay(const char* path, std::size_t workers, bool callgrind) {
  ScratchDir dir;
  auto library = compile(starter_library(), "compile_starter_s");
  Store store(dir.path);
  hm::app::PipelineSettings settings;
  settings.workers = workers;
  auto source = hm::capture::PcapFileSource::open(path);
  if (!source) fail(source.error());
  Pass pass;
  const auto started = Clock::now();
  {
    hm::app::Pipeline pipeline(settings, library, *store.writer, store.stats.get());
    // Counted from the first packet offered: the rings and the workers' Hyperscan
    // scratch are set up once, like the library compile left out above.
    if (callgrind) CALLGRIND_ZERO_STATS;
    while (true) {
      auto packet = (*source)->next_view();  // as `hallmonitor replay` feeds it
      if (!packet) fail(packet.error());
      if (!packet->has_value()) break;
      ++pass.packets;
      pass.bytes += (**packet).wire_length;
      pipeline.offer(**packet);
    }
    pipeline.finish();
    store.writer->flush();
    pass.seconds = seconds_since(started);
    if (callgrind) CALLGRIND_DUMP_STATS_AT("replay");
    const hm::app::PipelineCounters counters = pipeline.counters();
    std::fprintf(stderr,
                 "%zu worker(s): %llu observations, %llu hits, %llu bypassed packets, "
                 "%llu flows (tcp %llu, udp %llu)\n",
                 pipeline.worker_count(), static_cast<unsigned long long>(counters.observations),
                 static_cast<unsigned long long>(counters.hits),
                 static_cast<unsigned long long>(counters.inspector.bypassed_packets),
                 static_cast<unsigned long long>(counters.inspector.tcp_flows +
                                                 counters.inspector.udp_flows),
                 static_cast<unsigned long long>(counters.inspector.tcp_flows),
                 static_cast<unsigned long long>(counters.inspector.udp_flows));
    figure("observations", static_cast<double>(counters.observations));
    figure("hits", static_cast<double>(counters.hits));
    figure("bypassed_packets", static_cast<double>(counters.inspector.bypassed_packets));
  }
  store.stop();
  figure("captures_stored", static_cast<double>(store.writer->counters().captures_stored));
  const std::string name = "pipeline, " + std::to_string(workers) + " worker(s)";
  print(name.c_str(), ("replay_w" + std::to_string(workers)).c_str(), pass);
  return 0;
}

// --- flows: N concurrent connections, for peak RSS -------------------------------

void put16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

// Ethernet + IPv4 + TCP, checksums left zero (the decoder does not check them).
hm::capture::Packet tcp_frame(std::int64_t ts_us, std::uint32_t src, std::uint16_t sport,
                              std::uint32_t dst, std::uint16_t dport, std::uint32_t seq,
                              std::uint32_t ack, std::uint8_t flags,
                              const std::vector<std::uint8_t>& payload) {
  hm::capture::Packet packet;
  packet.ts_us = ts_us;
  packet.link_type = DLT_EN10MB;
  auto& b = packet.bytes;
  b = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00};
  const std::size_t ip_length = 20 + 20 + payload.size();
  b.insert(b.end(), {0x45, 0});
  put16(b, static_cast<std::uint32_t>(ip_length));
  b.insert(b.end(), {0, 0, 0x40, 0, 64, 6, 0, 0});
  for (const std::uint32_t address : {src, dst}) {
    put16(b, address >> 16);
    put16(b, address & 0xffff);
  }
  put16(b, sport);
  put16(b, dport);
  put16(b, seq >> 16);
  put16(b, seq & 0xffff);
  put16(b, ack >> 16);
  put16(b, ack & 0xffff);
  b.push_back(0x50);
  b.push_back(flags);
  b.insert(b.end(), {0xff, 0xff, 0, 0, 0, 0});
  b.insert(b.end(), payload.begin(), payload.end());
  packet.wire_length = static_cast<std::uint32_t>(b.size());
  return packet;
}

// A minimal TLS 1.3 ClientHello record naming `host` (RFC 8446 §4.1.2, RFC 6066 §3).
std::vector<std::uint8_t> client_hello(const std::string& host) {
  std::vector<std::uint8_t> sni;
  put16(sni, 0);  // server_name
  put16(sni, static_cast<std::uint32_t>(host.size() + 5));
  put16(sni, static_cast<std::uint32_t>(host.size() + 3));
  sni.push_back(0);
  put16(sni, static_cast<std::uint32_t>(host.size()));
  sni.insert(sni.end(), host.begin(), host.end());
  std::vector<std::uint8_t> body = {0x03, 0x03};
  body.resize(body.size() + 32, 0x11);  // random
  body.push_back(0);                    // no session id
  body.insert(body.end(), {0, 2, 0x13, 0x01, 1, 0});
  put16(body, static_cast<std::uint32_t>(sni.size()));
  body.insert(body.end(), sni.begin(), sni.end());
  std::vector<std::uint8_t> record = {0x16, 0x03, 0x01};
  put16(record, static_cast<std::uint32_t>(body.size() + 4));
  record.push_back(1);
  record.push_back(0);
  put16(record, static_cast<std::uint32_t>(body.size()));
  record.insert(record.end(), body.begin(), body.end());
  return record;
}

int run_flows(std::size_t flows, std::size_t entries, std::size_t workers) {
  ScratchDir dir;
  hm::match::Library source = starter_library();
  if (entries > source.entries.size()) source = hm::bench::generated_library(source, entries);
  auto library = compile(std::move(source), "compile_library_s");
  figure("library_entries", static_cast<double>(library->library().entries.size()));
  const long after_compile = peak_rss_kib();
  Store store(dir.path);
  hm::app::PipelineSettings settings;
  settings.workers = workers;
  settings.drop_when_full = false;
  // Room for every flow: a box sized for a school of this many connections.
  settings.inspector.max_flows = flows / std::max<std::size_t>(1, workers) + flows / 4;
  std::uint64_t packets = 0;
  long holding = 0;  // resident while every flow is held
  {
    hm::app::Pipeline pipeline(settings, library, *store.writer, store.stats.get());
    const std::int64_t start_us = 1'772'440'000'000'000;
    // Each flow: handshake, a request, the first bytes of the answer; then left open,
    // spread over ten seconds of packet time so none idles out.
    for (std::size_t i = 0; i < flows; ++i) {
      const std::int64_t ts = start_us + static_cast<std::int64_t>(i * 10'000'000 / flows);
      const auto client =
          static_cast<std::uint32_t>(0x0a000000 | (20 + i / 65536) << 16 | (i % 65536));
      const auto port = static_cast<std::uint16_t>(40000 + i % 20000);
      const auto server = static_cast<std::uint32_t>(0x8efa0000 | (i * 7919 % 65536));
      // Like the generated mix, where about one TCP connection in ten is plain HTTP.
      const bool tls = i % 10 != 0;
      const std::string host = "site" + std::to_string(i % 5000) + ".example.org";
      std::vector<std::uint8_t> request;
      if (tls) {
        request = client_hello(host);
      } else {
        const std::string get = "GET /page/" + std::to_string(i) + " HTTP/1.1\r\nHost: " + host +
                                "\r\nUser-Agent: bench\r\n\r\n";
        request.assign(get.begin(), get.end());
      }
      const std::uint16_t dport = tls ? 443 : 80;
      std::vector<std::uint8_t> answer;
      if (tls) {
        answer = {0x16, 0x03, 0x03, 0x00, 0x40};
        answer.resize(5 + 0x40, 0x22);
      } else {
        const std::string head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>";
        answer.assign(head.begin(), head.end());
      }
      const std::uint32_t cseq = 1000, sseq = 5000;
      // Copied into the ring slots as the daemon's capture thread copies a frame (the
      // slots' own buffers are the ring's memory), not moved in.
      const auto offer = [&pipeline](const hm::capture::Packet& frame) {
        pipeline.offer(hm::capture::view_of(frame));
      };
      offer(tcp_frame(ts, client, port, server, dport, cseq, 0, 0x02, {}));
      offer(tcp_frame(ts + 1, server, dport, client, port, sseq, cseq + 1, 0x12, {}));
      offer(tcp_frame(ts + 2, client, port, server, dport, cseq + 1, sseq + 1, 0x10, {}));
      offer(tcp_frame(ts + 3, client, port, server, dport, cseq + 1, sseq + 1, 0x18, request));
      offer(tcp_frame(ts + 4, server, dport, client, port, sseq + 1,
                      static_cast<std::uint32_t>(cseq + 1 + request.size()), 0x18, answer));
      packets += 5;
    }
    // Every flow is held now; their memory is what peak RSS shows.
    while (true) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (pipeline.drained()) break;
    }
    holding = rss_kib();
    pipeline.finish();
    const hm::app::PipelineCounters counters = pipeline.counters();
    std::fprintf(stderr, "%llu flows held (tcp), %llu evicted, %llu table full\n",
                 static_cast<unsigned long long>(counters.inspector.tcp_flows),
                 static_cast<unsigned long long>(counters.inspector.flows_evicted),
                 static_cast<unsigned long long>(counters.inspector.flow_table_full));
    figure("flows_held", static_cast<double>(counters.inspector.tcp_flows));
    figure("flows_evicted", static_cast<double>(counters.inspector.flows_evicted));
  }
  store.stop();
  const long peak = peak_rss_kib();
  const long compiler = peak_rss_kib(RUSAGE_CHILDREN);
  std::fprintf(stderr,
               "peak RSS %.1f MiB (%.1f MiB after compiling the library, %.1f MiB holding the "
               "flows); the compiler process peaked at %.1f MiB\n",
               static_cast<double>(peak) / 1024, static_cast<double>(after_compile) / 1024,
               static_cast<double>(holding) / 1024, static_cast<double>(compiler) / 1024);
  figure("peak_rss_mib", static_cast<double>(peak) / 1024);
  figure("rss_after_compile_mib", static_cast<double>(after_compile) / 1024);
  figure("compiler_peak_rss_mib", static_cast<double>(compiler) / 1024);
  return 0;
}

// --- latency: packet offered → capture committed --------------------------------

int run_latency(const char* path, double pps) {
  ScratchDir dir;
  auto library = compile(starter_library(), "compile_starter_s");
  std::mutex mutex;
  std::vector<std::pair<std::int64_t, Clock::time_point>> commits;  // last id, when
  hm::store::CaptureWriterSettings writer_settings;
  writer_settings.on_commit = [&](const hm::store::CommitReport& report) {
    const std::lock_guard lock(mutex);
    commits.emplace_back(report.last_id, Clock::now());
  };
  Store store(dir.path, writer_settings);
  auto source = hm::capture::PcapFileSource::open(path);
  if (!source) fail(source.error());
  std::unordered_map<std::int64_t, Clock::time_point> offered;  // packet time → offer
  {
    hm::app::Pipeline pipeline(hm::app::PipelineSettings{}, library, *store.writer,
                               store.stats.get());
    const auto started = Clock::now();
    std::uint64_t n = 0;
    while (true) {
      auto packet = (*source)->next();
      if (!packet) fail(packet.error());
      if (!packet->has_value()) break;
      const auto due = started + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(static_cast<double>(n++) / pps));
      std::this_thread::sleep_until(due);
      offered.emplace((**packet).ts_us, Clock::now());
      pipeline.offer(std::move(**packet));
    }
    // Let the store thread commit as it would while capture goes on, before finishing.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    pipeline.finish();
  }
  store.stop();
  auto db = hm::store::Database::open(dir.path, hm::store::Database::Mode::read_only);
  if (!db) fail(db.error());
  hm::store::CaptureRepository captures(**db);
  std::vector<double> latencies_ms;
  for (const auto& capture : captures.list_recent(1'000'000)) {
    const auto offer = offered.find(capture.ts_us);
    if (offer == offered.end()) continue;  // flushed at the end of input: no packet of its own
    const auto commit = std::find_if(commits.begin(), commits.end(),
                                     [&](const auto& c) { return c.first >= capture.id; });
    if (commit == commits.end()) continue;
    latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(commit->second - offer->second).count());
  }
  if (latencies_ms.empty()) fail("no captures stored: nothing to time");
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double median = latencies_ms[latencies_ms.size() / 2];
  std::fprintf(stderr, "capture-to-disk: %zu captures, median %.1f ms, max %.1f ms\n",
               latencies_ms.size(), median, latencies_ms.back());
  figure("latency_captures", static_cast<double>(latencies_ms.size()));
  figure("latency_median_ms", median);
  figure("latency_max_ms", latencies_ms.back());
  return 0;
}

std::size_t number_after(int& i, int argc, char** argv) {
  if (i + 1 >= argc) fail(std::string(argv[i]) + " needs a number");
  return static_cast<std::size_t>(std::strtoull(argv[++i], nullptr, 10));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: pipeline_bench floor FILE.pcap [--source-buffer] [--callgrind]\n"
                 "       pipeline_bench replay FILE.pcap [--workers N] [--callgrind]\n"
                 "       pipeline_bench flows N [--library-entries M] [--workers W]\n"
                 "       pipeline_bench latency FILE.pcap [--pps N]\n");
    return 2;
  }
  const std::string_view mode = argv[1];
  std::size_t workers = 1, entries = 50'000;
  double pps = 10'000;
  bool callgrind = false, source_buffer = false;
  for (int i = 3; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--workers") {
      workers = std::max<std::size_t>(1, number_after(i, argc, argv));
    } else if (arg == "--library-entries") {
      entries = number_after(i, argc, argv);
    } else if (arg == "--pps") {
      pps = static_cast<double>(std::max<std::size_t>(1, number_after(i, argc, argv)));
    } else if (arg == "--source-buffer") {
      source_buffer = true;
    } else if (arg == "--callgrind") {
      callgrind = true;
    } else {
      fail("unknown option " + std::string(arg));
    }
  }
  if (mode == "floor") return run_floor(argv[2], source_buffer, callgrind);
  if (mode == "replay") return run_replay(argv[2], workers, callgrind);
  if (mode == "flows") return run_flows(std::strtoull(argv[2], nullptr, 10), entries, workers);
  if (mode == "latency") return run_latency(argv[2], pps);
  fail("unknown mode " + std::string(mode));
}
