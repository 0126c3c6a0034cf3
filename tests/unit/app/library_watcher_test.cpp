// ActiveLibraryWatcher: a bundle imported into the data folder reaches the daemon's
// pipeline without a restart; a bundle that does not load is skipped.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "../library/bundle_test_support.h"
#include "app/wiring.h"
#include "library/bundle_store.h"

namespace hm::app {
namespace {

using library::testing::good_sources;
using library::testing::make_bundle;

class LibraryWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = library::testing::fresh_dir(
        std::string("watcher-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(library::trusted_keys_dir(data_dir_));
    library::testing::write_file(library::trusted_keys_dir(data_dir_) / "publisher.pub",
                                 publisher_.public_pem);
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  void import(std::uint64_t version) {
    const auto path = data_dir_ / "in.hmlib";
    library::testing::write_file(path, make_bundle(publisher_, version, good_sources()));
    const auto outcome = library::import_bundle(data_dir_, path, 1'790'000'000);
    ASSERT_FALSE(outcome.problem) << outcome.problem->message;
  }

  // The versions handed over, once `count` have been (or after 10 s).
  std::vector<std::string> wait_for(std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mutex_);
        if (seen_.size() >= count) return seen_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::lock_guard lock(mutex_);
    return seen_;
  }

  ActiveLibraryWatcher::OnChange recorder() {
    return [this](std::shared_ptr<const match::CompiledLibrary> library) {
      std::lock_guard lock(mutex_);
      seen_.push_back(library->library().version);
    };
  }

  std::filesystem::path data_dir_;
  crypto::SigningKeyPair publisher_ = crypto::generate_signing_key();
  std::mutex mutex_;
  std::vector<std::string> seen_;
};

TEST_F(LibraryWatcherTest, HandsOverEachNewlyActivatedBundle) {
  import(1);
  ActiveLibraryWatcher watcher(data_dir_, recorder(), std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(wait_for(0).empty());  // the bundle active at start is not handed over again
  import(2);
  EXPECT_EQ(wait_for(1), std::vector<std::string>{"bundle-2"});
  ASSERT_TRUE(library::rollback_bundle(data_dir_, 1'790'000'001));
  EXPECT_EQ(wait_for(2), (std::vector<std::string>{"bundle-2", "bundle-1"}));
  watcher.stop();
}

TEST_F(LibraryWatcherTest, StartsWithTheActiveBundleElseTheSourceFolder) {
  const auto folder = library::testing::fresh_dir("watcher-folder");
  for (const auto& source : good_sources())
    library::testing::write_file(folder / source.name, source.text);
  auto fallback = load_library(folder, data_dir_);
  ASSERT_TRUE(fallback) << fallback.error();
  EXPECT_NE((*fallback)->library().version.rfind("source-", 0), std::string::npos);
  import(3);
  auto active = load_library({}, data_dir_);
  ASSERT_TRUE(active) << active.error();
  EXPECT_EQ((*active)->library().version, "bundle-3");
  auto explicit_folder = load_library(folder, data_dir_);  // an explicit folder wins
  ASSERT_TRUE(explicit_folder);
  EXPECT_NE((*explicit_folder)->library().version, "bundle-3");
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace hm::app
