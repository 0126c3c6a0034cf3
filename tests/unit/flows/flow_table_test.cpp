#include "flows/flow_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace hm::flows {
namespace {

struct Nothing {};
using Table = FlowTable<Nothing>;

DirectedFlowKey key(std::uint8_t client, std::uint16_t port, std::uint8_t protocol = 6,
                    bool from_client = true) {
  const auto a = decode::IpAddress::v4(0x0a000000u + client);
  const auto b = decode::IpAddress::v4(0x0a0000feu);
  return from_client ? make_flow_key(a, port, b, 80, protocol)
                     : make_flow_key(b, 80, a, port, protocol);
}

TEST(FlowTableTest, BothDirectionsAreOneFlow) {
  Table table(8);
  bool created = false;
  auto ignore = [](Table::Flow&) {};
  auto& flow = table.find_or_create(key(1, 1000), 1, created, ignore);
  EXPECT_TRUE(created);
  EXPECT_FALSE(flow.two_sided());
  auto& same = table.find_or_create(key(1, 1000, 6, false), 2, created, ignore);
  EXPECT_FALSE(created);
  EXPECT_EQ(&flow, &same);
  EXPECT_TRUE(same.two_sided());
  EXPECT_EQ(table.size(), 1u);
}

TEST(FlowTableTest, IdleTimeoutsArePerClass) {
  Table table(8, FlowTimeouts{10, 5});
  bool created = false;
  auto ignore = [](Table::Flow&) {};
  table.find_or_create(key(1, 1000, 6), 0, created, ignore);
  table.find_or_create(key(2, 1000, 17), 0, created, ignore);
  std::vector<std::uint8_t> expired;
  table.expire_idle(7, [&](Table::Flow& flow) { expired.push_back(flow.key.protocol); });
  EXPECT_EQ(expired, std::vector<std::uint8_t>{17});
  table.expire_idle(11, [&](Table::Flow& flow) { expired.push_back(flow.key.protocol); });
  EXPECT_EQ(expired, (std::vector<std::uint8_t>{17, 6}));
  EXPECT_EQ(table.counters().flows_expired, 2u);
}

TEST(FlowTableTest, FullTableDropsExpiredThenOneSidedThenLeastRecentlyUsed) {
  Table table(3, FlowTimeouts{100, 100});
  bool created = false;
  std::vector<std::uint16_t> removed;
  auto remember = [&](Table::Flow& flow) { removed.push_back(flow.key.first_port); };
  // Two conversations and a one-sided probe, the probe used most recently.
  table.find_or_create(key(1, 1001), 0, created, remember);
  table.find_or_create(key(1, 1001, 6, false), 1, created, remember);
  table.find_or_create(key(1, 1002), 2, created, remember);
  table.find_or_create(key(1, 1002, 6, false), 3, created, remember);
  table.find_or_create(key(1, 1003), 4, created, remember);
  // Full: the probe goes, though both conversations are older.
  table.find_or_create(key(1, 1004, 17), 5, created, remember);
  EXPECT_EQ(removed, std::vector<std::uint16_t>{1003});
  // Full again, only the new UDP flow is one-sided: it goes.
  table.find_or_create(key(1, 1005, 17), 6, created, remember);
  EXPECT_EQ(removed, (std::vector<std::uint16_t>{1003, 1004}));
  // Make every flow two-sided; then the least recently used conversation goes.
  table.find_or_create(key(1, 1005, 17, false), 7, created, remember);
  table.find_or_create(key(1, 1001), 8, created, remember);  // 1002 is now the oldest
  table.find_or_create(key(1, 1006), 9, created, remember);
  EXPECT_EQ(removed, (std::vector<std::uint16_t>{1003, 1004, 1002}));
  EXPECT_EQ(table.counters().flow_table_full, 3u);
  EXPECT_EQ(table.counters().flows_evicted, 3u);
  // Past the timeout, an idle flow is expired rather than a live one evicted.
  table.find_or_create(key(1, 1007), 200, created, remember);
  EXPECT_EQ(table.counters().flow_table_full, 4u);
  EXPECT_EQ(table.counters().flows_evicted, 3u);
  EXPECT_EQ(table.counters().flows_expired, 3u);  // 1001, 1005, 1006 all idle past 100
  EXPECT_EQ(table.size(), 1u);
}

TEST(FlowTableTest, FindAndTouchMarksTheFlowUsedWithoutCreatingOne) {
  Table table(8, FlowTimeouts{10, 10});
  bool created = false;
  auto ignore = [](Table::Flow&) {};
  EXPECT_EQ(table.find_and_touch(key(1, 1000), 0), nullptr);
  EXPECT_EQ(table.size(), 0u);
  table.find_or_create(key(1, 1000), 0, created, ignore);
  table.find_or_create(key(2, 1000), 0, created, ignore);
  Table::Flow* flow = table.find_and_touch(key(1, 1000, 6, false), 8);
  ASSERT_NE(flow, nullptr);
  EXPECT_TRUE(flow->two_sided());  // the answer's sender is marked as having sent
  EXPECT_EQ(flow->last_seen_us, 8);
  // Only the untouched flow idles out.
  std::vector<std::uint16_t> expired;
  table.expire_idle(15, [&](Table::Flow& f) { expired.push_back(f.key.first_port); });
  EXPECT_EQ(expired.size(), 1u);
  EXPECT_NE(table.find(key(1, 1000).key), nullptr);
}

TEST(FlowTableTest, KeyHashSpreadsNearbyAddressesAndPorts) {
  // Flows of one school differ in a byte or two: their hashes must not collide.
  FlowKeyHash hash;
  std::vector<std::size_t> seen;
  for (std::uint8_t client = 0; client < 64; ++client) {
    for (std::uint16_t port = 40000; port < 40064; ++port) {
      seen.push_back(hash(key(client, port).key));
    }
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
  EXPECT_EQ(hash(key(7, 4242).key), hash(key(7, 4242, 6, false).key));  // symmetric
}

}  // namespace
}  // namespace hm::flows
