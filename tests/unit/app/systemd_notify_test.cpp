// SystemdNotifier speaks sd_notify(3)'s protocol: READY=1, WATCHDOG=1 at half the
// interval, STOPPING=1, on the datagram socket NOTIFY_SOCKET names; nothing without it.
#include "app/systemd_notify.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace hm::app {
namespace {

// A datagram socket standing in for systemd, its path in NOTIFY_SOCKET for the test.
class FakeSystemd {
 public:
  FakeSystemd() {
    path_ = "/tmp/hm-notify-" + std::to_string(getpid());
    unlink(path_.c_str());
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
    EXPECT_EQ(bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~FakeSystemd() {
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    close(fd_);
    unlink(path_.c_str());
  }

  // The next message, or "" when none comes within the timeout.
  std::string next(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) {
    pollfd ready{fd_, POLLIN, 0};
    if (poll(&ready, 1, static_cast<int>(timeout.count())) != 1) return {};
    char buffer[256];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  std::string path_;
  int fd_ = -1;
};

TEST(SystemdNotify, SaysReadyFeedsTheWatchdogAndSaysStopping) {
  FakeSystemd systemd;
  setenv("WATCHDOG_USEC", "200000", 1);  // 0.2 s: fed every 0.1 s
  SystemdNotifier notifier;
  notifier.ready();
  EXPECT_EQ(systemd.next(), "READY=1");
  EXPECT_EQ(systemd.next(), "WATCHDOG=1");
  EXPECT_EQ(systemd.next(), "WATCHDOG=1");  // again, within the interval
  notifier.stopping();
  // Any feed already on its way, then STOPPING=1 and silence.
  std::string message = systemd.next();
  while (message == "WATCHDOG=1") message = systemd.next();
  EXPECT_EQ(message, "STOPPING=1");
  EXPECT_EQ(systemd.next(std::chrono::milliseconds(300)), "");
}

TEST(SystemdNotify, NoWatchdogUnlessAskedAndNothingWithoutASocket) {
  {
    FakeSystemd systemd;
    SystemdNotifier notifier;
    notifier.ready();
    EXPECT_EQ(systemd.next(), "READY=1");
    EXPECT_EQ(systemd.next(std::chrono::milliseconds(300)), "");
  }
  unsetenv("NOTIFY_SOCKET");
  SystemdNotifier quiet;  // a shell or a test: every call does nothing
  quiet.ready();
  quiet.stopping();
}

}  // namespace
}  // namespace hm::app
