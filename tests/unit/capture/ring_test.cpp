#include "capture/ring.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <thread>
#include <vector>

#include "capture/packet.h"

namespace hm::capture {
namespace {

TEST(SpscRingTest, InPlaceSlotsFillUpToCapacityAndComeOutInOrder) {
  SpscRing<int> ring(3);
  for (int i = 0; i < 3; ++i) {
    int* slot = ring.next_free();
    ASSERT_NE(slot, nullptr);
    *slot = i;
    ring.publish();
  }
  EXPECT_EQ(ring.next_free(), nullptr);  // full: the caller drops and counts
  for (int i = 0; i < 3; ++i) {
    int* slot = ring.front();
    ASSERT_NE(slot, nullptr);
    EXPECT_EQ(*slot, i);
    ring.pop();
  }
  EXPECT_EQ(ring.front(), nullptr);
  EXPECT_TRUE(ring.empty());
}

TEST(SpscRingTest, SlotsKeepTheirBuffersSoALapAllocatesNothing) {
  SpscRing<Packet> ring(2);
  std::map<const Packet*, const std::uint8_t*> buffer_of;  // slot → its byte buffer
  for (int round = 0; round < 9; ++round) {
    Packet* slot = ring.next_free();
    ASSERT_NE(slot, nullptr);
    if (slot->bytes.capacity() < 1536) slot->bytes.reserve(1536);
    slot->bytes.assign(100 + static_cast<std::size_t>(round), static_cast<std::uint8_t>(round));
    const auto [known, first_use] = buffer_of.emplace(slot, slot->bytes.data());
    if (!first_use) {
      EXPECT_EQ(slot->bytes.data(), known->second) << "round " << round;
    }
    ring.publish();
    Packet* read = ring.front();
    ASSERT_EQ(read, slot);
    EXPECT_EQ(read->bytes.size(), 100u + static_cast<std::size_t>(round));
    ring.pop();
  }
  EXPECT_EQ(buffer_of.size(), 3u);  // capacity 2 uses three slots in turn
}

TEST(SpscRingTest, FilledAheadShowsOnlyPublishedSlotsAcrossTheWrap) {
  SpscRing<int> ring(3);  // four slots inside: the indexes wrap after the fourth
  for (int lap = 0; lap < 5; ++lap) {
    for (int i = 0; i < 3; ++i) {
      *ring.next_free() = lap * 10 + i;
      ring.publish();
    }
    ASSERT_NE(ring.front(), nullptr);  // the consumer looks: it now knows of three
    EXPECT_EQ(*ring.filled_ahead(0), lap * 10);
    EXPECT_EQ(*ring.filled_ahead(1), lap * 10 + 1);
    EXPECT_EQ(*ring.filled_ahead(2), lap * 10 + 2);
    EXPECT_EQ(ring.filled_ahead(3), nullptr);  // past what was published
    ring.pop();
    EXPECT_EQ(*ring.filled_ahead(1), lap * 10 + 2);
    EXPECT_EQ(ring.filled_ahead(2), nullptr);
    ring.pop();
    ring.pop();
    EXPECT_EQ(ring.filled_ahead(0), nullptr);
    EXPECT_EQ(ring.front(), nullptr);
  }
}

TEST(SpscRingTest, PrepareEachReachesEverySlot) {
  SpscRing<std::vector<int>> ring(5);
  ring.prepare_each([](std::vector<int>& slot) { slot.reserve(64); });
  for (int lap = 0; lap < 2; ++lap) {
    for (int i = 0; i < 5; ++i) {
      std::vector<int>* slot = ring.next_free();
      ASSERT_NE(slot, nullptr);
      EXPECT_GE(slot->capacity(), 64u) << "lap " << lap << ", slot " << i;
      ring.publish();
    }
    for (int i = 0; i < 5; ++i) ring.pop();
  }
}

TEST(SpscRingTest, MovesItemsAcrossThreadsWithoutLossOrReordering) {
  SpscRing<std::uint64_t> ring(64);
  constexpr std::uint64_t kItems = 200'000;
  std::thread producer([&ring] {
    for (std::uint64_t i = 0; i < kItems;) {
      if (std::uint64_t* slot = ring.next_free()) {
        *slot = i++;
        ring.publish();
      }
    }
  });
  std::uint64_t expected = 0;
  while (expected < kItems) {
    if (auto item = ring.try_pop()) {
      ASSERT_EQ(*item, expected);
      ++expected;
    }
  }
  producer.join();
  EXPECT_TRUE(ring.empty());
}

}  // namespace
}  // namespace hm::capture
