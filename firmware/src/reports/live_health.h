#pragma once

#include "reports/report_data.h"

namespace hm::reports {

// The box's health as this process sees it now, for a report made by the running
// daemon: uptime (/proc/uptime and this process's start) and the capture drops counted
// since it started (store/capture_status.h), as the System page shows them. The
// database keeps neither, so a report made elsewhere says they were not recorded.
LiveHealth live_health();

}  // namespace hm::reports
