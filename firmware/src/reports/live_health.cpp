#include "reports/live_health.h"

#include <fstream>

#include "store/accounts.h"
#include "store/capture_status.h"

namespace hm::reports {
namespace {

// When this process started: the daemon's uptime.
const store::TimeUs kProcessStartUs = store::now_us();

}  // namespace

LiveHealth live_health() {
  LiveHealth health;
  const store::TimeUs now = store::now_us();
  health.daemon_uptime_seconds = (now - kProcessStartUs) / 1'000'000;
  std::ifstream uptime("/proc/uptime");
  double seconds = 0;
  if (uptime >> seconds) health.box_uptime_seconds = static_cast<std::int64_t>(seconds);
  const store::CaptureStatus::Snapshot capture = store::CaptureStatus::instance().snapshot(now);
  health.ring_drops = capture.ring_drops;
  health.kernel_drops = capture.kernel_drops;
  health.interface_drops = capture.interface_drops;
  return health;
}

}  // namespace hm::reports
