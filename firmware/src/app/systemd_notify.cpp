#include "app/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <iostream>

namespace hm::app {
namespace {

// The variable's value as a number, or zero when it is unset or not a number.
long long environment_number(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr) return 0;
  long long value = 0;
  const auto [end, error] = std::from_chars(text, text + std::strlen(text), value);
  return error == std::errc() && *end == '\0' ? value : 0;
}

}  // namespace

SystemdNotifier::SystemdNotifier() {
  const char* socket_path = std::getenv("NOTIFY_SOCKET");
  // sd_notify(3): an absolute path, or '@' for an abstract socket.
  if (socket_path != nullptr && (socket_path[0] == '/' || socket_path[0] == '@')) {
    socket_path_ = socket_path;
  }
  // sd_watchdog_enabled(3): the watchdog is ours only when WATCHDOG_PID, if set, is us.
  const long long watchdog_pid = environment_number("WATCHDOG_PID");
  if (watchdog_pid == 0 || watchdog_pid == getpid()) {
    watchdog_ = std::chrono::microseconds(environment_number("WATCHDOG_USEC"));
  }
}

SystemdNotifier::~SystemdNotifier() { stop_watchdog(); }

void SystemdNotifier::ready() {
  if (socket_path_.empty()) return;
  send("READY=1");
  if (watchdog_.count() > 0 && !watchdog_thread_.joinable()) {
    watchdog_thread_ = std::thread([this] { feed_watchdog(); });
  }
}

void SystemdNotifier::stopping() {
  if (socket_path_.empty()) return;
  stop_watchdog();
  send("STOPPING=1");
}

void SystemdNotifier::send(std::string_view message) const {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof(address.sun_path)) return;
  std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  // An abstract address's length counts its bytes exactly: no terminating NUL.
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
  if (sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
             reinterpret_cast<const sockaddr*>(&address), length) < 0) {
    std::cerr << "hallmonitor: cannot notify systemd (" << message << "): " << std::strerror(errno)
              << '\n';
  }
  close(fd);
}

// Half the interval, as sd_watchdog_enabled(3) advises, so one late wake-up is not a
// restart. A hung process stops feeding and systemd restarts it (STYLE.md "Errors").
void SystemdNotifier::feed_watchdog() {
  const auto interval = watchdog_ / 2;
  std::unique_lock lock(mutex_);
  while (!stop_) {
    send("WATCHDOG=1");
    wake_.wait_for(lock, interval, [this] { return stop_; });
  }
}

void SystemdNotifier::stop_watchdog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (watchdog_thread_.joinable()) watchdog_thread_.join();
}

}  // namespace hm::app
