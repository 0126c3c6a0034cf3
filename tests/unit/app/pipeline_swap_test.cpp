// Pipeline::swap_library: a new library is taken up between packets, with no packet
// dropped or matched by neither library, while packets keep flowing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "../dissect/frame_builder.h"
#include "app/pipeline.h"
#include "store/capture_writer.h"

namespace hm::app {
namespace {

// A library of domain entries, one category.
std::shared_ptr<const match::CompiledLibrary> library_of(std::vector<std::string> domains,
                                                         std::string version) {
  match::Library library;
  library.name = "swap-test";
  library.version = std::move(version);
  library.categories.push_back({"gambling", "Gambling", "Betting sites."});
  for (std::string& domain : domains) {
    match::Entry entry;
    entry.category = "gambling";
    entry.kind = match::EntryKind::domain;
    entry.pattern = std::move(domain);
    entry.severity = 3;
    entry.language = "en";
    entry.rules = match::kExactRules;
    entry.source = "test";
    library.entries.push_back(std::move(entry));
  }
  auto compiled = match::CompiledLibrary::compile(std::move(library));
  if (!compiled) throw std::runtime_error(compiled.error());
  return *compiled;
}

class PipelineSwapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("hm-pipeline-swap-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    auto writer = store::CaptureWriter::start(data_dir_);
    ASSERT_TRUE(writer) << writer.error();
    writer_ = std::move(*writer);
  }
  void TearDown() override {
    writer_->stop();
    std::filesystem::remove_all(data_dir_);
  }

  // One DNS query for `name` from a client port of its own, a millisecond after the last.
  capture::Packet query(std::string_view name) {
    const std::uint32_t n = next_++;
    const test::Endpoint client{1, static_cast<std::uint8_t>(10 + n % 8),
                                static_cast<std::uint16_t>(20000 + n % 30000)};
    const test::Endpoint resolver{2, 53, 53};
    capture::Packet packet;
    packet.ts_us = 1'000'000 + static_cast<capture::TimestampUs>(n) * 1000;
    packet.link_type = DLT_EN10MB;
    packet.bytes =
        test::udp_frame(client, resolver, test::dns_query(name, static_cast<std::uint16_t>(n)));
    packet.wire_length = static_cast<std::uint32_t>(packet.bytes.size());
    return packet;
  }

  // Waits until the workers have inspected `count` observations in all.
  static void wait_for_observations(const Pipeline& pipeline, std::uint64_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (pipeline.counters().observations < count &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_EQ(pipeline.counters().observations, count);
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::CaptureWriter> writer_;
  std::uint32_t next_ = 0;
  const std::shared_ptr<const match::CompiledLibrary> alpha_ =
      library_of({"alpha-bets.com", "shared-bets.com"}, "alpha");
  const std::shared_ptr<const match::CompiledLibrary> beta_ =
      library_of({"beta-bets.com", "shared-bets.com"}, "beta");
};

TEST_F(PipelineSwapTest, PacketsAfterASwapAreMatchedAgainstTheNewLibrary) {
  PipelineSettings settings;
  settings.workers = 2;
  Pipeline pipeline(settings, alpha_, *writer_);
  // 300 alpha and 100 beta queries: 300 hits under alpha.
  for (int i = 0; i < 400; ++i)
    pipeline.offer(query(i % 4 == 0 ? "www.beta-bets.com" : "alpha-bets.com"));
  wait_for_observations(pipeline, 400);
  EXPECT_EQ(pipeline.counters().hits, 300U);

  pipeline.swap_library(beta_);
  EXPECT_EQ(pipeline.library(), beta_);
  // 100 alpha and 300 beta: 300 more hits under beta (100 had the swap not happened).
  for (int i = 0; i < 400; ++i)
    pipeline.offer(query(i % 4 == 0 ? "alpha-bets.com" : "beta-bets.com"));
  pipeline.finish();
  const PipelineCounters counters = pipeline.counters();
  EXPECT_EQ(counters.packets_in, 800U);
  EXPECT_EQ(counters.ring_full_drops, 0U);
  EXPECT_EQ(counters.observations, 800U);
  EXPECT_EQ(counters.hits, 600U);
  EXPECT_EQ(counters.library_swaps, 2U);  // each worker rebuilt its scanner once
}

TEST_F(PipelineSwapTest, RepeatedSwapsUnderLoadDropNothing) {
  PipelineSettings settings;
  settings.workers = 2;
  settings.ring_capacity = 64;  // small rings: the capture thread waits on full ones
  Pipeline pipeline(settings, alpha_, *writer_);

  constexpr std::uint64_t kPackets = 10'000;
  constexpr std::uint64_t kHitEvery = 20;  // each hit is a sealed capture: keep them few
  std::atomic<bool> offering{true};
  std::uint64_t swaps = 0;
  std::thread swapper([&] {
    while (offering.load()) {
      pipeline.swap_library(swaps % 2 == 0 ? beta_ : alpha_);
      ++swaps;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    pipeline.swap_library(beta_);
  });
  // shared-bets.com is in both libraries: it hits once, whichever is active; the
  // other queries hit neither.
  for (std::uint64_t i = 0; i < kPackets; ++i) {
    pipeline.offer(query(i % kHitEvery == 0 ? "cdn.shared-bets.com" : "www.example.org"));
  }
  offering = false;
  swapper.join();
  EXPECT_GT(swaps, 10U);
  wait_for_observations(pipeline, kPackets);

  // beta is active now: of 100 alpha and 100 beta queries only the beta ones hit.
  for (int i = 0; i < 200; ++i)
    pipeline.offer(query(i % 2 == 0 ? "alpha-bets.com" : "beta-bets.com"));
  pipeline.finish();
  const PipelineCounters counters = pipeline.counters();
  EXPECT_EQ(counters.packets_in, kPackets + 200);
  EXPECT_EQ(counters.ring_full_drops, 0U);
  EXPECT_EQ(counters.observations, kPackets + 200);
  EXPECT_EQ(counters.hits, kPackets / kHitEvery + 100);
  EXPECT_GT(counters.library_swaps, 0U);
}

TEST_F(PipelineSwapTest, ANullLibraryIsIgnored) {
  Pipeline pipeline(PipelineSettings{}, alpha_, *writer_);
  pipeline.swap_library(nullptr);
  EXPECT_EQ(pipeline.library(), alpha_);
  pipeline.offer(query("alpha-bets.com"));
  pipeline.finish();
  EXPECT_EQ(pipeline.counters().hits, 1U);
}

}  // namespace
}  // namespace hm::app
