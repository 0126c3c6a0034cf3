#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/arguments.h"
#include "app/commands.h"
#include "app/pipeline.h"
#include "app/signals.h"
#include "app/wiring.h"
#include "capture/pcap_file_source.h"
#include "store/capture_status.h"

namespace hm::app {
namespace {

constexpr std::string_view kUsage =
    "usage: hallmonitor replay FILE.pcap... --data-dir DIR [options]\n\n"
    "Runs the box's whole pipeline (decode, dissect, match, store) over capture files\n"
    "(pcap or pcapng), storing a capture for every library hit in DIR.\n\n"
    "options:\n"
    "  --data-dir DIR     where the database lives (created if needed)\n"
    "  --library DIR      library source folder (default: DIR's active library bundle,\n"
    "                     else the built-in starter library); without it a bundle\n"
    "                     imported while replaying is swapped in between packets\n"
    "  --workers N        inspection threads (default 1)\n"
    "  --serve            afterwards, serve the web UI until Ctrl-C\n"
    "  --report-commits   print a line on standard output after each committed batch:\n"
    "                     {\"committed\":N,\"first_id\":A,\"last_id\":B} (ids A..B are on\n"
    "                     disk); a capture stored already is skipped, so a replay\n"
    "                     restarted after a crash stores each capture once\n"
    "  --address ADDR     web UI address with --serve (default 127.0.0.1)\n"
    "  --port N           web UI port with --serve (default 8443)\n";

struct ReplayOptions {
  std::vector<std::filesystem::path> files;
  std::filesystem::path data_dir;
  std::filesystem::path library_dir;
  std::size_t workers = 1;
  bool serve = false;
  bool report_commits = false;
  WebEndpoint web{"127.0.0.1", 8443};
};

// Returns an exit code when the arguments end the command (help or a mistake).
std::optional<int> parse(int argc, char** argv, ReplayOptions& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--data-dir" && has_value) {
      options.data_dir = argv[++i];
    } else if (arg == "--library" && has_value) {
      options.library_dir = argv[++i];
    } else if (arg == "--serve") {
      options.serve = true;
    } else if (arg == "--report-commits") {
      options.report_commits = true;
    } else if (arg == "--address" && has_value) {
      options.web.address = argv[++i];
    } else if ((arg == "--port" || arg == "--workers") && has_value) {
      const auto number = parse_number(argv[++i]);
      const std::int64_t max = arg == "--port" ? 65535 : 64;
      if (!number || *number < 1 || *number > max) {
        std::cerr << "hallmonitor replay: " << arg << " takes a number from 1 to " << max << '\n';
        return 2;
      }
      if (arg == "--port") {
        options.web.port = static_cast<std::uint16_t>(*number);
      } else {
        options.workers = static_cast<std::size_t>(*number);
      }
    } else if (arg.starts_with("--")) {
      std::cerr << "hallmonitor replay: unknown or incomplete option \"" << arg << "\"\n" << kUsage;
      return 2;
    } else {
      options.files.emplace_back(arg);
    }
  }
  if (options.files.empty() || options.data_dir.empty()) {
    std::cerr << "hallmonitor replay: give at least one capture file and --data-dir\n" << kUsage;
    return 2;
  }
  return std::nullopt;
}

// Feeds every packet of every file to the pipeline. Stops at the first unreadable
// file: its message names the file and where in it the problem is.
Status feed_files(const std::vector<std::filesystem::path>& files, Pipeline& pipeline) {
  for (const auto& file : files) {
    auto source = capture::PcapFileSource::open(file.string());
    if (!source) {
      return Error{source.error()};
    }
    while (true) {
      auto packet = (*source)->next_view();  // copied once, into a ring slot
      if (!packet) {
        return Error{packet.error()};
      }
      if (!packet->has_value()) {
        break;
      }
      store::CaptureStatus::instance().note_frame((**packet).bytes);  // the System page's view
      pipeline.offer(**packet);
    }
  }
  return Ok{};
}

}  // namespace

int run_replay_command(int argc, char** argv) {
  ReplayOptions options;
  if (auto done = parse(argc, argv, options)) {
    return *done;
  }
  block_termination_signals();
  auto library = load_library(options.library_dir, options.data_dir);
  if (!library) {
    std::cerr << "hallmonitor replay: " << library.error() << '\n';
    return 1;
  }
  store::CaptureWriterSettings writer_settings;
  if (options.report_commits) {
    // Flushed per line: a test that kills the replay knows what was on disk.
    writer_settings.on_commit = [](const store::CommitReport& report) {
      std::cout << "{\"committed\":" << report.captures << ",\"first_id\":" << report.first_id
                << ",\"last_id\":" << report.last_id << "}" << std::endl;
    };
  }
  auto writer = store::CaptureWriter::start(options.data_dir, writer_settings);
  if (!writer) {
    std::cerr << "hallmonitor replay: " << writer.error() << '\n';
    return 1;
  }
  auto stats = store::StatsWriter::start(options.data_dir);
  if (!stats) {
    std::cerr << "hallmonitor replay: " << stats.error() << '\n';
    return 1;
  }
  // Alerts run beside the replay, as they do beside live capture: a replayed concern
  // reaches the DSL's inbox the same way (issue 7).
  auto alerts = start_alerts(options.data_dir);
  const std::uint64_t unstored_before = (*writer)->counters().captures_unstored_disk_full;
  PipelineSettings settings;
  settings.workers = options.workers;
  Pipeline pipeline(settings, *library, **writer, stats->get());
  std::optional<ActiveLibraryWatcher> watcher;
  if (options.library_dir.empty()) {
    watcher.emplace(options.data_dir,
                    [&pipeline](auto compiled) { pipeline.swap_library(std::move(compiled)); });
  }
  std::string replayed;
  for (const auto& file : options.files) {
    replayed += (replayed.empty() ? "" : ", ") + file.filename().string();
  }
  store::CaptureStatus::instance().start(store::CaptureStatus::Mode::replay, replayed);
  const Status fed = feed_files(options.files, pipeline);
  store::CaptureStatus::instance().mark_finished();
  if (watcher) watcher->stop();
  pipeline.finish();
  (*writer)->stop();
  (*stats)->stop();
  if (alerts) alerts->run_pass_now();  // the last captures' alerts before the summary
  const PipelineCounters counters = pipeline.counters();
  const store::CaptureWriterCounters stored = (*writer)->counters();
  std::cerr << "hallmonitor replay: " << counters.packets_in << " packets, "
            << counters.observations << " observations, " << counters.hits << " library hits, "
            << stored.captures_stored << " captures stored";
  if (stored.captures_duplicate > 0) {
    std::cerr << ", " << stored.captures_duplicate << " stored already";
  }
  const std::uint64_t unstored = stored.captures_failed + stored.store_queue_full +
                                 (stored.captures_unstored_disk_full - unstored_before);
  if (unstored > 0) {
    std::cerr << ", " << unstored << " NOT stored";
  }
  std::cerr << " in " << options.data_dir.string() << '\n';
  if (const store::StoreHealth health = (*writer)->health();
      health.state != store::StoreHealth::State::ok) {
    std::cerr << "hallmonitor replay: " << health.message << '\n';
  }
  if (!fed) {
    std::cerr << "hallmonitor replay: " << fed.error() << '\n';
    return 1;
  }
  if (!options.serve) {
    return unstored > 0 ? 1 : 0;
  }
  // With --serve, the alerts keep going: digests and retries.
  auto web = start_web_ui(options.data_dir, options.web);
  if (!web) {
    std::cerr << "hallmonitor replay: " << web.error() << '\n';
    return 1;
  }
  wait_for_termination_signal();
  std::cerr << "hallmonitor replay: stopping the web UI\n";
  if (alerts) alerts->stop();
  (*web)->stop();
  return 0;
}

}  // namespace hm::app
