#include "flows/flow_index.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <list>
#include <map>
#include <random>
#include <vector>

namespace hm::flows {
namespace {

struct Entry {
  FlowKey key;
};
using Handle = std::list<Entry>::iterator;

FlowKey key_of(std::uint32_t client, std::uint16_t port) {
  return make_flow_key(decode::IpAddress::v4(0x0a000000u + client), port,
                       decode::IpAddress::v4(0x0a0000feu), 443, 6)
      .key;
}

TEST(FlowIndexTest, FindsWhatWasInsertedAndNothingElse) {
  std::list<Entry> entries;
  FlowIndex<Handle> index;
  EXPECT_EQ(index.find(key_of(1, 1000)), nullptr);
  EXPECT_FALSE(index.erase(key_of(1, 1000)));
  for (std::uint16_t port = 1000; port < 1100; ++port) {
    entries.push_back(Entry{key_of(1, port)});
    index.insert(std::prev(entries.end()));
  }
  EXPECT_EQ(index.size(), 100u);
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    const Handle* found = index.find(it->key);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, it);
  }
  EXPECT_EQ(index.find(key_of(2, 1000)), nullptr);
  EXPECT_EQ(index.find(key_of(1, 1100)), nullptr);
  index.clear();
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.find(key_of(1, 1000)), nullptr);
}

TEST(FlowIndexTest, TheFlowFoundLastIsForgottenWhenFlowsGo) {
  std::list<Entry> entries;
  FlowIndex<Handle> index;
  entries.push_back(Entry{key_of(1, 1000)});
  index.insert(std::prev(entries.end()));
  entries.push_back(Entry{key_of(1, 1001)});
  index.insert(std::prev(entries.end()));
  ASSERT_NE(index.find(key_of(1, 1000)), nullptr);  // now the one found last
  ASSERT_NE(index.find(key_of(1, 1000)), nullptr);
  EXPECT_TRUE(index.erase(key_of(1, 1000)));
  entries.pop_front();
  EXPECT_EQ(index.find(key_of(1, 1000)), nullptr);
  const Handle* other = index.find(key_of(1, 1001));
  ASSERT_NE(other, nullptr);
  EXPECT_EQ((*other)->key, key_of(1, 1001));
  index.clear();
  EXPECT_EQ(index.find(key_of(1, 1001)), nullptr);
}

// Flows come and go in any order; after every step the index agrees with a std::map
// holding the same flows (erasing shifts entries back: none may be lost or left).
TEST(FlowIndexTest, AgreesWithAMapThroughRandomInsertsAndErases) {
  std::list<Entry> entries;
  std::map<std::pair<std::uint32_t, std::uint16_t>, Handle> reference;
  FlowIndex<Handle> index;
  std::mt19937 random(9);
  for (int step = 0; step < 20000; ++step) {
    // Few distinct keys, so inserts and erases of present keys are both common and
    // probe runs grow long and wrap around the end of the slots.
    const auto client = static_cast<std::uint32_t>(random() % 16);
    const auto port = static_cast<std::uint16_t>(random() % 64);
    const FlowKey key = key_of(client, port);
    const auto known = reference.find({client, port});
    if (known == reference.end()) {
      entries.push_back(Entry{key});
      index.insert(std::prev(entries.end()));
      reference.emplace(std::pair{client, port}, std::prev(entries.end()));
    } else if (random() % 2 == 0) {
      ASSERT_TRUE(index.erase(key));
      entries.erase(known->second);
      reference.erase(known);
    }
    ASSERT_EQ(index.size(), reference.size());
    if (step % 97 == 0) {
      for (std::uint32_t c = 0; c < 16; ++c) {
        for (std::uint16_t p = 0; p < 64; ++p) {
          const auto expected = reference.find({c, p});
          const Handle* found = index.find(key_of(c, p));
          if (expected == reference.end()) {
            ASSERT_EQ(found, nullptr);
          } else {
            ASSERT_NE(found, nullptr);
            ASSERT_EQ(*found, expected->second);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace hm::flows
