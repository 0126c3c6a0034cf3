#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace hm::app {

// Tells systemd how the daemon is doing, for the box's `Type=notify` unit with
// `WatchdogSec=` (rootfs/etc/systemd/system/hallmonitor.service): READY=1 once capture
// and the web UI are up, WATCHDOG=1 at half the watchdog interval while running, and
// STOPPING=1 at shutdown. Speaks sd_notify(3)'s datagram protocol on NOTIFY_SOCKET
// itself rather than linking libsystemd for three messages. Without NOTIFY_SOCKET (a
// shell, the tests) every call does nothing.
class SystemdNotifier {
 public:
  // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment.
  SystemdNotifier();
  ~SystemdNotifier();
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;

  // READY=1, and starts feeding the watchdog when systemd asked for one.
  void ready();
  // STOPPING=1, and stops feeding the watchdog: from here systemd's stop timeout rules.
  void stopping();

 private:
  void send(std::string_view message) const;
  void feed_watchdog();
  void stop_watchdog();

  std::string socket_path_;                // empty: not run by systemd
  std::chrono::microseconds watchdog_{0};  // zero: no watchdog asked for
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread watchdog_thread_;
};

}  // namespace hm::app
