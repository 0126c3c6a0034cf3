#include "base/stop_signal.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace hm {
namespace {

using std::chrono::milliseconds;

TEST(StopSignalTest, AWaitWithoutTheSignalTimesOutFalse) {
  StopSignal stop;
  EXPECT_FALSE(stop.raised());
  EXPECT_FALSE(stop.wait_for(milliseconds(5)));
}

TEST(StopSignalTest, RaisingWakesALongWaitAndLaterWaitsReturnAtOnce) {
  StopSignal stop;
  bool woken = false;
  // An hour's wait: only the signal can end it before the test's own timeout.
  std::thread waiter([&] { woken = stop.wait_for(std::chrono::hours(1)); });
  std::this_thread::sleep_for(milliseconds(20));
  stop.raise();
  waiter.join();
  EXPECT_TRUE(woken);
  EXPECT_TRUE(stop.raised());
  EXPECT_TRUE(stop.wait_for(std::chrono::hours(1)));
}

}  // namespace
}  // namespace hm
