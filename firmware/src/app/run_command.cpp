#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "alerts/report_schedule.h"
#include "app/commands.h"
#include "app/pipeline.h"
#include "app/settings.h"
#include "app/signals.h"
#include "app/systemd_notify.h"
#include "app/wiring.h"
#include "capture/live_pcap_source.h"
#include "store/capture_status.h"
#include "store/retention.h"

namespace hm::app {
namespace {

void print_usage(std::ostream& out) {
  out << "usage: hallmonitor run [--config FILE] [--set NAME=VALUE]...\n\n"
         "The appliance daemon: captures on the mirror interface (promiscuous), inspects\n"
         "and stores what it finds, and serves the web UI, until SIGTERM or Ctrl-C.\n\n"
         "settings (config file lines `name = value`, or --set name=value):\n";
  for (const SettingInfo& info : describe_settings()) {
    out << "  " << info.name << " (default "
        << (info.default_text.empty() ? "\"\"" : info.default_text);
    if (!info.range_text.empty()) {
      out << ", range " << info.range_text;
    }
    out << ")\n      " << info.help << '\n';
  }
}

// Returns an exit code when the arguments end the command (help or a mistake).
std::optional<int> parse(int argc, char** argv, DaemonSettings& settings) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      print_usage(std::cout);
      return 0;
    }
    if (arg == "--config" && i + 1 < argc) {
      auto loaded = load_settings_file(argv[++i]);
      if (!loaded) {
        std::cerr << "hallmonitor run: " << loaded.error() << '\n';
        return 1;
      }
      settings = std::move(*loaded);
    } else if (arg == "--set" && i + 1 < argc) {
      const std::string_view assignment = argv[++i];
      const auto equals = assignment.find('=');
      const auto applied =
          equals == std::string_view::npos
              ? Status(error("--set takes NAME=VALUE, got \"" + std::string(assignment) + "\""))
              : apply_setting(settings, assignment.substr(0, equals),
                              assignment.substr(equals + 1));
      if (!applied) {
        std::cerr << "hallmonitor run: " << applied.error() << '\n';
        return 1;
      }
    } else {
      std::cerr << "hallmonitor run: unexpected argument \"" << arg << "\"\n";
      print_usage(std::cerr);
      return 2;
    }
  }
  return std::nullopt;
}

}  // namespace

int run_daemon_command(int argc, char** argv) {
  DaemonSettings settings;
  if (auto done = parse(argc, argv, settings)) {
    return *done;
  }
  block_termination_signals();
  auto library = load_library(settings.library_dir, settings.data_dir);
  if (!library) {
    std::cerr << "hallmonitor run: " << library.error() << '\n';
    return 1;
  }
  capture::LiveCaptureSettings live;
  live.interface_name = settings.mirror_interface;
  live.snap_length = static_cast<int>(settings.snap_length);
  live.buffer_size_bytes = static_cast<int>(settings.capture_buffer_mb * 1024 * 1024);
  auto source = capture::LivePcapSource::open(live);
  if (!source) {
    std::cerr << "hallmonitor run: " << source.error() << '\n';
    return 1;
  }
  auto writer = store::CaptureWriter::start(settings.data_dir);
  if (!writer) {
    std::cerr << "hallmonitor run: " << writer.error() << '\n';
    return 1;
  }
  auto alerts = start_alerts(settings.data_dir);
  // The weekly and termly reports (not under replay: a recording has no "last week").
  alerts::ReportScheduler scheduled_reports(settings.data_dir);
  // The hourly retention purge, on its own connection (README "Retention").
  store::RetentionPurger purger(settings.data_dir, store::kPurgeInterval);
  auto web = start_web_ui(
      settings.data_dir,
      WebEndpoint{settings.web_address, static_cast<std::uint16_t>(settings.web_port)});
  if (!web) {
    std::cerr << "hallmonitor run: " << web.error() << '\n';
    return 1;
  }

  PipelineSettings pipeline_settings;
  pipeline_settings.workers = static_cast<std::size_t>(settings.workers);
  pipeline_settings.ring_capacity = static_cast<std::size_t>(settings.ring_capacity);
  pipeline_settings.drop_when_full = true;
  pipeline_settings.inspector = inspector_settings(settings);
  auto stats = store::StatsWriter::start(settings.data_dir);
  if (!stats) {
    std::cerr << "hallmonitor run: " << stats.error() << '\n';
    return 1;
  }
  Pipeline pipeline(pipeline_settings, *library, **writer, stats->get());
  // A bundle imported while running (a USB stick, the console) is swapped in without
  // stopping capture; an explicit library folder stays put.
  std::optional<ActiveLibraryWatcher> watcher;
  if (settings.library_dir.empty()) {
    watcher.emplace(settings.data_dir,
                    [&pipeline](auto compiled) { pipeline.swap_library(std::move(compiled)); });
  }

  // The capture thread: libpcap → flow-hashed rings. Stopped by LivePcapSource::stop().
  std::atomic<bool> capture_failed{false};
  // What the System page and the setup wizard's mirror check show (store/capture_status.h).
  store::CaptureStatus& capture_status = store::CaptureStatus::instance();
  capture_status.start(store::CaptureStatus::Mode::live, settings.mirror_interface);
  std::uint64_t capture_status_frames = 0;
  std::thread capture_thread([&] {
    while (true) {
      auto packet = (*source)->next_view();  // copied once, into a ring slot
      if (!packet) {
        std::cerr << "hallmonitor run: capture stopped: " << packet.error() << '\n';
        capture_failed = true;
        // Wake the main thread, which waits for a termination signal.
        kill(getpid(), SIGTERM);
        return;
      }
      if (!packet->has_value()) {
        if ((*source)->stopped()) {
          return;
        }
        continue;  // read timeout: nothing arrived
      }
      capture_status.note_frame((**packet).bytes);
      if (!pipeline.offer(**packet)) capture_status.note_ring_drop();
      if ((capture_status_frames++ & 4095) == 0) {  // pcap_stats now and then
        const capture::LiveCaptureStats kernel = (*source)->stats();
        capture_status.set_kernel_drops(kernel.dropped_by_kernel, kernel.dropped_by_interface);
      }
    }
  });
  std::cerr << "hallmonitor run: capturing on " << settings.mirror_interface << ", data in "
            << settings.data_dir.string() << '\n';
  SystemdNotifier systemd;  // the box's unit is Type=notify with a watchdog
  systemd.ready();

  const int signal_number = wait_for_termination_signal();
  systemd.stopping();
  std::cerr << "hallmonitor run: " << (capture_failed ? "capture failed" : strsignal(signal_number))
            << ", shutting down\n";
  (*source)->stop();
  capture_thread.join();
  // Kernel drops (the capture thread fell behind) and ring drops (a worker did) are
  // counted apart: they call for different remedies.
  const capture::LiveCaptureStats kernel = (*source)->stats();
  if (watcher) watcher->stop();
  pipeline.finish();
  (*writer)->stop();
  if (alerts) alerts->stop();
  scheduled_reports.stop();
  (*stats)->stop();
  (*web)->stop();
  const PipelineCounters counters = pipeline.counters();
  const store::CaptureWriterCounters stored = (*writer)->counters();
  std::cerr << "hallmonitor run: " << counters.packets_in << " packets, " << counters.hits
            << " library hits, " << stored.captures_stored << " captures stored, "
            << counters.ring_full_drops << " ring_full_drops, " << kernel.dropped_by_kernel
            << " dropped_by_kernel, " << kernel.dropped_by_interface << " dropped_by_interface, "
            << stored.captures_unstored_disk_full << " captures_unstored_disk_full\n";
  // A restart asked for on the System page: stopped cleanly, and systemd starts us again.
  if (!capture_failed && store::restart_requested()) return store::kRestartExitCode;
  return capture_failed ? 1 : 0;
}

}  // namespace hm::app
