#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace hm {

// The "stop" of a thread that works in rounds (the alerts, the scheduled reports, the
// retention purge, the library watcher): the wait between its rounds ends at once
// when another thread raises the signal, so stopping the daemon never waits a round.
class StopSignal {
 public:
  // Any thread. Wakes every wait_for(); later waits return at once.
  void raise() {
    {
      std::lock_guard lock(mutex_);
      raised_ = true;
    }
    wake_.notify_all();
  }

  bool raised() const {
    std::lock_guard lock(mutex_);
    return raised_;
  }

  // Waits up to `timeout`; true if the signal is raised (before or during the wait).
  bool wait_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return wake_.wait_for(lock, timeout, [this] { return raised_; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool raised_ = false;
};

}  // namespace hm
