#include "library/bundle.h"

#include <gtest/gtest.h>

#include "bundle_test_support.h"
#include "library/source_format.h"

namespace hm::library {
namespace {

using testing::good_sources;
using testing::make_bundle;

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto id = crypto::key_id_of_public_pem(publisher_.public_pem);
    ASSERT_TRUE(id);
    keys_.push_back({"publisher", publisher_.public_pem, *id});
  }

  std::optional<BundleProblem> open(const std::vector<std::uint8_t>& bytes) {
    VerifiedBundle out;
    return open_bundle(bytes, keys_, out);
  }

  crypto::SigningKeyPair publisher_ = crypto::generate_signing_key();
  std::vector<TrustedKey> keys_;
};

TEST_F(BundleTest, RoundTripsManifestSourcesAndCompiles) {
  const auto bytes = make_bundle(publisher_, 7, good_sources());
  VerifiedBundle bundle;
  const auto problem = open_bundle(bytes, keys_, bundle);
  ASSERT_FALSE(problem) << problem->message;
  EXPECT_EQ(bundle.bundle.manifest.version, 7U);
  EXPECT_EQ(bundle.bundle.manifest.publisher, "Test Publisher");
  EXPECT_EQ(bundle.bundle.manifest.created_unix, 1'790'000'000);
  EXPECT_EQ(bundle.signer, "publisher");
  ASSERT_EQ(bundle.bundle.sources.size(), 2U);
  EXPECT_EQ(bundle.bundle.sources[0].name, "gambling.hml");
  EXPECT_EQ(bundle.compiled->library().version, "bundle-7");
  EXPECT_EQ(bundle.compiled->library().categories.size(), 2U);
  EXPECT_EQ(bundle.compiled->library().entries.size(), 3U);
}

TEST_F(BundleTest, BuildsABundleFromASourceFolder) {
  // A small folder: compiling the whole starter library takes long on a loaded machine
  // (starter_library_test.cpp covers it).
  const auto dir = testing::fresh_dir("build-folder");
  for (const BundleSource& source : good_sources()) {
    testing::write_file(dir / source.name, source.text);
  }
  testing::write_file(dir / "README.md", "not a source file");
  auto bytes = build_bundle(dir, testing::manifest(1), publisher_.private_pem);
  ASSERT_TRUE(bytes) << bytes.error();
  VerifiedBundle bundle;
  ASSERT_FALSE(open_bundle(*bytes, keys_, bundle));
  ASSERT_EQ(bundle.bundle.sources.size(), 2U);
  EXPECT_EQ(bundle.bundle.sources[1].name, "weapons.hml");
  EXPECT_EQ(bundle.bundle.sources[1].text, testing::weapons_source());
  auto source = load_source_dir(dir);
  ASSERT_TRUE(source);
  EXPECT_EQ(bundle.compiled->library().entries.size(), source->entries.size());
  std::filesystem::remove_all(dir);
}

TEST_F(BundleTest, BuildRefusesASourceFolderWithAMistake) {
  const auto dir = testing::fresh_dir("build-refuses");
  testing::write_file(dir / "gambling.hml", testing::gambling_source("bad line\n"));
  auto bytes = build_bundle(dir, testing::manifest(1), publisher_.private_pem);
  ASSERT_FALSE(bytes);
  EXPECT_NE(bytes.error().find("gambling.hml:7"), std::string::npos) << bytes.error();
  std::filesystem::remove_all(dir);
}

TEST_F(BundleTest, EveryTamperedByteIsRefused) {
  const auto bytes = make_bundle(publisher_, 7, good_sources());
  // Whatever byte changes (magic, manifest, key id, sources or signature), it is refused.
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto tampered = bytes;
    tampered[i] ^= 0x01;
    EXPECT_TRUE(open(tampered)) << "byte " << i << " changed and accepted";
  }
  auto tampered = bytes;
  tampered[bytes.size() / 2] ^= 0x20;  // inside a source file's text
  const auto problem = open(tampered);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::bad_signature);
  EXPECT_NE(problem->message.find("changed after publisher signed it"), std::string::npos);
}

TEST_F(BundleTest, ASignatureByAnUnknownKeyIsAnUnknownPublisher) {
  const crypto::SigningKeyPair stranger = crypto::generate_signing_key();
  const auto problem = open(make_bundle(stranger, 7, good_sources()));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::unknown_publisher);
  EXPECT_NE(problem->message.find(
                crypto::short_key_id(*crypto::key_id_of_public_pem(stranger.public_pem))),
            std::string::npos);
}

TEST_F(BundleTest, EveryTruncationIsRefusedAsTruncated) {
  const auto bytes = make_bundle(publisher_, 7, good_sources());
  for (std::size_t length = 1; length < bytes.size(); ++length) {
    const std::vector<std::uint8_t> cut(bytes.begin(),
                                        bytes.begin() + static_cast<std::ptrdiff_t>(length));
    Bundle out;
    const auto problem = parse_bundle(cut, out);
    ASSERT_TRUE(problem) << "length " << length;
    EXPECT_EQ(problem->reason, Rejection::truncated)
        << "length " << length << ": " << problem->message;
  }
}

TEST_F(BundleTest, OversizedInputIsRefusedBeforeParsing) {
  std::vector<std::uint8_t> huge(kMaxBundleBytes + 1, 0);
  std::copy(kBundleMagic.begin(), kBundleMagic.end(), huge.begin());
  Bundle out;
  const auto problem = parse_bundle(huge, out);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::too_large);
}

TEST_F(BundleTest, GarbageAndTrailingBytesAreMalformed) {
  Bundle out;
  const std::string text = "this is not a bundle";
  auto problem =
      parse_bundle(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), out);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::malformed);
  auto bytes = make_bundle(publisher_, 7, good_sources());
  bytes.push_back(0);
  problem = parse_bundle(bytes, out);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::malformed);
}

TEST_F(BundleTest, AMalformedEntryNamesItsFileAndLine) {
  const auto problem =
      open(make_bundle(publisher_, 7, good_sources("bet365.com | domain | 9 | en\n")));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::malformed_entry);
  EXPECT_NE(problem->message.find("gambling.hml:7"), std::string::npos) << problem->message;
}

TEST_F(BundleTest, ARegexHyperscanRefusesDoesNotCompile) {
  const auto problem =
      open(make_bundle(publisher_, 7, good_sources("casino(?<!x)\\d+ | regex | 2 | en\n")));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::does_not_compile) << problem->message;
  EXPECT_NE(problem->message.find("gambling.hml:7"), std::string::npos) << problem->message;
}

TEST_F(BundleTest, AFileNamedAfterAnotherCategoryIsAMalformedEntry) {
  const auto problem =
      open(make_bundle(publisher_, 7, {{"weapons.hml", testing::gambling_source()}}));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::malformed_entry);
}

// `library build` refuses an entry repeated across files; a bundle made some other
// way (an older tool, a hand-edited one re-signed) is checked again at import.
TEST_F(BundleTest, AnEntryRepeatedInAnotherFileIsAMalformedEntry) {
  const auto problem =
      open(make_bundle(publisher_, 7, good_sources("Zombie   Knife | phrase | 4 | en\n")));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::malformed_entry);
  EXPECT_NE(problem->message.find("is already an entry at gambling.hml:7"), std::string::npos)
      << problem->message;
}

TEST_F(BundleTest, ANewerFirmwareRequirementIsRefused) {
  BundleManifest needs_future = testing::manifest(7);
  needs_future.min_firmware = "99.0.0";
  auto bytes = write_bundle(needs_future, good_sources(), publisher_.private_pem);
  ASSERT_TRUE(bytes);
  const auto problem = open(*bytes);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, Rejection::firmware_too_old);
  needs_future.min_firmware = std::string(firmware_version());
  EXPECT_FALSE(open(*write_bundle(needs_future, good_sources(), publisher_.private_pem)));
}

TEST(BundleFirmwareVersion, ParsesThreeNumbersOnly) {
  EXPECT_EQ(parse_firmware_version("1.20.3"), (std::array<std::uint32_t, 3>{1, 20, 3}));
  EXPECT_FALSE(parse_firmware_version("1.2"));
  EXPECT_FALSE(parse_firmware_version("1.2.3.4"));
  EXPECT_FALSE(parse_firmware_version("1..3"));
  EXPECT_FALSE(parse_firmware_version("v1.2.3"));
  EXPECT_TRUE(parse_firmware_version(firmware_version()));
}

}  // namespace
}  // namespace hm::library
