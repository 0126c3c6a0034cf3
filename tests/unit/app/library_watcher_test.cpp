// ActiveLibraryWatcher: what the running daemon's pipeline is handed without a
// restart — a bundle imported into the data folder (a bundle that does not load is
// skipped), and an edit of the school's own words (DATA/library/school), recompiled
// over the active bundle.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "../library/bundle_test_support.h"
#include "app/wiring.h"
#include "library/bundle_store.h"
#include "library/school_entries.h"

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

  void add_school_phrase(const std::string& pattern) {
    auto active = library::load_active_library(data_dir_);
    ASSERT_TRUE(active && *active);
    auto added = library::add_school_entry(
        data_dir_, (*active)->library(),
        library::NewSchoolEntry{"bullying", pattern, "phrase", 3, "en", ""});
    ASSERT_TRUE(added) << added.error();
  }

  ActiveLibraryWatcher::OnChange recorder() {
    return [this](std::shared_ptr<const match::CompiledLibrary> library) {
      std::lock_guard lock(mutex_);
      seen_.push_back(std::move(library));
    };
  }

  // The libraries handed over, once `count` have been (or after 20 s).
  std::vector<std::shared_ptr<const match::CompiledLibrary>> wait_for(std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
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

  // Their versions ("bundle-2", "bundle-1+school-…").
  std::vector<std::string> versions_after(std::size_t count) {
    std::vector<std::string> versions;
    for (const auto& library : wait_for(count)) versions.push_back(library->library().version);
    return versions;
  }

  static bool holds(const match::CompiledLibrary& library, std::string_view pattern) {
    for (const match::Entry& entry : library.library().entries) {
      if (entry.pattern == pattern) return true;
    }
    return false;
  }

  std::filesystem::path data_dir_;
  crypto::SigningKeyPair publisher_ = crypto::generate_signing_key();
  std::mutex mutex_;
  std::vector<std::shared_ptr<const match::CompiledLibrary>> seen_;
};

TEST_F(LibraryWatcherTest, HandsOverEachNewlyActivatedBundle) {
  import(1);
  ActiveLibraryWatcher watcher(data_dir_, recorder(), std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(versions_after(0).empty());  // the bundle active at start is not handed over again
  import(2);
  EXPECT_EQ(versions_after(1), std::vector<std::string>{"bundle-2"});
  ASSERT_TRUE(library::rollback_bundle(data_dir_, 1'790'000'001));
  EXPECT_EQ(versions_after(2), (std::vector<std::string>{"bundle-2", "bundle-1"}));
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

TEST_F(LibraryWatcherTest, LoadLibraryAddsTheSchoolsEntriesToTheActiveBundle) {
  import(1);
  add_school_phrase("bogbrush gang");
  auto loaded = load_library({}, data_dir_);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_TRUE((*loaded)->library().version.starts_with("bundle-1+school-"));
  EXPECT_TRUE(holds(**loaded, "bogbrush gang"));
  EXPECT_TRUE(holds(**loaded, "zombie knife"));
}

TEST_F(LibraryWatcherTest, AnEditOfTheSchoolsWordsIsHandedOverWithoutARestart) {
  import(1);
  ActiveLibraryWatcher watcher(data_dir_, recorder(), std::chrono::milliseconds(10));
  add_school_phrase("bogbrush gang");
  auto seen = wait_for(1);
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_TRUE(seen[0]->library().version.starts_with("bundle-1+school-"))
      << seen[0]->library().version;
  EXPECT_TRUE(holds(*seen[0], "bogbrush gang"));

  // A new bundle keeps the school's words.
  import(2);
  seen = wait_for(2);
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_TRUE(seen[1]->library().version.starts_with("bundle-2+school-"));
  EXPECT_TRUE(holds(*seen[1], "bogbrush gang"));

  ASSERT_TRUE(library::remove_school_entry(data_dir_, "bullying", "bogbrush gang"));
  seen = wait_for(3);
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[2]->library().version, "bundle-2");
  EXPECT_FALSE(holds(*seen[2], "bogbrush gang"));
  watcher.stop();
}

}  // namespace
}  // namespace hm::app
