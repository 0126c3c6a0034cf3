#include "library/bundle_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "bundle_test_support.h"

namespace hm::library {
namespace {

using testing::good_sources;
using testing::make_bundle;

constexpr std::int64_t kNow = 1'790'000'100;

class BundleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ = testing::fresh_dir(std::string("store-") + info->name());
    std::filesystem::create_directories(trusted_keys_dir(data_dir_));
    testing::write_file(trusted_keys_dir(data_dir_) / "publisher.pub", publisher_.public_pem);
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  // Writes the bundle to a file and imports it.
  ImportOutcome import(const std::vector<std::uint8_t>& bytes,
                       const std::string& name = "in.hmlib") {
    const auto path = data_dir_ / name;
    testing::write_file(path, bytes);
    return import_bundle(data_dir_, path, kNow);
  }

  std::uint64_t active_version() {
    auto active = read_active(data_dir_);
    EXPECT_TRUE(active);
    return active && *active ? (*active)->version : 0;
  }

  // Imports version 5 and expects `bytes` to be rejected for `reason` with 5 still active
  // and its library still loading.
  void expect_rejected(const std::vector<std::uint8_t>& bytes, Rejection reason) {
    ASSERT_FALSE(import(make_bundle(publisher_, 5, good_sources()), "v5.hmlib").problem);
    const ImportOutcome outcome = import(bytes);
    ASSERT_TRUE(outcome.problem);
    EXPECT_EQ(outcome.problem->reason, reason) << outcome.problem->message;
    EXPECT_EQ(outcome.event.action, "reject");
    EXPECT_EQ(outcome.event.reason, to_string(reason));
    EXPECT_EQ(active_version(), 5U);
    auto library = load_active_library(data_dir_);
    ASSERT_TRUE(library) << library.error();
    ASSERT_NE(*library, nullptr);
    EXPECT_EQ((*library)->library().version, "bundle-5");
    auto history = read_history(data_dir_);
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 2U);
    EXPECT_EQ(history->back().action, "reject");
    EXPECT_EQ(history->back().reason, to_string(reason));
  }

  std::filesystem::path data_dir_;
  crypto::SigningKeyPair publisher_ = crypto::generate_signing_key();
};

TEST_F(BundleStoreTest, NoBundleMeansNoActiveLibrary) {
  auto active = read_active(data_dir_);
  ASSERT_TRUE(active);
  EXPECT_FALSE(*active);
  auto library = load_active_library(data_dir_);
  ASSERT_TRUE(library);
  EXPECT_EQ(*library, nullptr);
  EXPECT_FALSE(rollback_bundle(data_dir_, kNow));
}

TEST_F(BundleStoreTest, AGoodBundleIsAcceptedActivatedAndListed) {
  const ImportOutcome outcome = import(make_bundle(publisher_, 5, good_sources()));
  ASSERT_FALSE(outcome.problem) << outcome.problem->message;
  EXPECT_EQ(outcome.event.action, "import");
  EXPECT_EQ(outcome.event.version, 5U);
  EXPECT_EQ(outcome.event.signer, "publisher");
  EXPECT_EQ(active_version(), 5U);
  EXPECT_TRUE(std::filesystem::exists(bundle_path(data_dir_, 5)));
  auto library = load_active_library(data_dir_);
  ASSERT_TRUE(library && *library);
  EXPECT_EQ((*library)->library().version, "bundle-5");
  auto history = read_history(data_dir_);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1U);
  EXPECT_EQ(history->front().action, "import");
  EXPECT_EQ(history->front().publisher, "Test Publisher");
  EXPECT_EQ(history->front().time_unix, kNow);
}

TEST_F(BundleStoreTest, NewerReplacesAndRollbackRestoresThePrevious) {
  ASSERT_FALSE(import(make_bundle(publisher_, 5, good_sources())).problem);
  const ImportOutcome newer =
      import(make_bundle(publisher_, 6, good_sources("casino bonus | phrase | 2 | en\n")));
  ASSERT_FALSE(newer.problem) << newer.problem->message;
  EXPECT_EQ(newer.event.previous, 5U);
  EXPECT_EQ(active_version(), 6U);
  EXPECT_EQ((*load_active_library(data_dir_))->library().entries.size(), 4U);

  auto rolled = rollback_bundle(data_dir_, kNow + 1);
  ASSERT_TRUE(rolled) << rolled.error();
  EXPECT_EQ(rolled->version, 5U);
  EXPECT_EQ(rolled->previous, 6U);
  EXPECT_EQ(active_version(), 5U);
  EXPECT_EQ((*load_active_library(data_dir_))->library().version, "bundle-5");
  // One step back only.
  EXPECT_FALSE(rollback_bundle(data_dir_, kNow + 2));
  auto history = read_history(data_dir_);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3U);
  EXPECT_EQ(history->back().action, "rollback");
}

TEST_F(BundleStoreTest, OnlyTheActiveAndPreviousBundlesAreKept) {
  for (std::uint64_t version = 1; version <= 4; ++version) {
    ASSERT_FALSE(import(make_bundle(publisher_, version, good_sources())).problem);
  }
  EXPECT_FALSE(std::filesystem::exists(bundle_path(data_dir_, 2)));
  EXPECT_TRUE(std::filesystem::exists(bundle_path(data_dir_, 3)));
  EXPECT_TRUE(std::filesystem::exists(bundle_path(data_dir_, 4)));
}

TEST_F(BundleStoreTest, RejectsATamperedByte) {
  auto bytes = make_bundle(publisher_, 6, good_sources());
  bytes[bytes.size() - 120] ^= 0x01;
  expect_rejected(bytes, Rejection::bad_signature);
}

TEST_F(BundleStoreTest, RejectsABundleReSignedByAnUnknownKey) {
  expect_rejected(make_bundle(crypto::generate_signing_key(), 6, good_sources()),
                  Rejection::unknown_publisher);
}

TEST_F(BundleStoreTest, RejectsAnOlderOrEqualVersion) {
  expect_rejected(make_bundle(publisher_, 4, good_sources()), Rejection::not_newer);
  const ImportOutcome equal = import(make_bundle(publisher_, 5, good_sources()));
  ASSERT_TRUE(equal.problem);
  EXPECT_EQ(equal.problem->reason, Rejection::not_newer);
}

TEST_F(BundleStoreTest, RejectsATruncatedBundle) {
  auto bytes = make_bundle(publisher_, 6, good_sources());
  bytes.resize(bytes.size() - 10);
  expect_rejected(bytes, Rejection::truncated);
}

TEST_F(BundleStoreTest, RejectsAnOversizedFileWithoutReadingIt) {
  ASSERT_FALSE(import(make_bundle(publisher_, 5, good_sources()), "v5.hmlib").problem);
  const auto path = data_dir_ / "huge.hmlib";
  { std::ofstream(path) << "HMBUNDLE"; }
  std::filesystem::resize_file(path, kMaxBundleBytes + 1);  // sparse: no disk used
  const ImportOutcome outcome = import_bundle(data_dir_, path, kNow);
  ASSERT_TRUE(outcome.problem);
  EXPECT_EQ(outcome.problem->reason, Rejection::too_large);
  EXPECT_EQ(active_version(), 5U);
}

TEST_F(BundleStoreTest, RejectsAMalformedEntryNamingFileAndLine) {
  expect_rejected(make_bundle(publisher_, 6, good_sources("casino | colour | 2 | en\n")),
                  Rejection::malformed_entry);
  const ImportOutcome again =
      import(make_bundle(publisher_, 7, good_sources("casino | colour | 2 | en\n")));
  EXPECT_NE(again.problem->message.find("gambling.hml:7"), std::string::npos);
}

TEST_F(BundleStoreTest, RejectsAnUncompilableRegex) {
  expect_rejected(make_bundle(publisher_, 6, good_sources("casino(?<!x)\\d+ | regex | 2 | en\n")),
                  Rejection::does_not_compile);
}

TEST_F(BundleStoreTest, ATamperedStoredBundleIsNotLoaded) {
  ASSERT_FALSE(import(make_bundle(publisher_, 5, good_sources())).problem);
  std::vector<std::uint8_t> bytes;
  ASSERT_FALSE(read_bundle_file(bundle_path(data_dir_, 5), bytes));
  bytes[bytes.size() - 120] ^= 0x01;
  testing::write_file(bundle_path(data_dir_, 5), bytes);
  auto library = load_active_library(data_dir_);
  ASSERT_FALSE(library);
  EXPECT_NE(library.error().find("changed after"), std::string::npos) << library.error();
}

TEST(WriteFileAtomically, ReplacesWholeAndSetsTheMode) {
  const auto dir = testing::fresh_dir("atomic");
  const auto path = dir / "secret.key";
  const std::string first = "first", second = "second";
  ASSERT_TRUE(write_file_atomically(
      path, std::span(reinterpret_cast<const std::uint8_t*>(first.data()), first.size()), 0600));
  ASSERT_TRUE(write_file_atomically(
      path, std::span(reinterpret_cast<const std::uint8_t*>(second.data()), second.size()), 0600));
  std::vector<std::uint8_t> bytes;
  ASSERT_FALSE(read_bundle_file(path, bytes));
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), second);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777U, 0600U);
  EXPECT_FALSE(std::filesystem::exists(dir / "secret.key.tmp"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hm::library
