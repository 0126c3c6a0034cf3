#include "decode/defragmenter.h"

#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <string>
#include <vector>

namespace hm::decode {
namespace {

using Bytes = std::vector<std::uint8_t>;

const IpAddress kClient = IpAddress::v4(0x0a000001);
const IpAddress kServer = IpAddress::v4(0x0a000002);

Bytes pattern(std::size_t size, std::uint8_t seed = 0) {
  Bytes bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(seed + i * 7);
  return bytes;
}

IpFragment fragment(const Bytes& whole, std::size_t from, std::size_t to, bool more,
                    std::uint32_t id = 1) {
  IpFragment part;
  part.id = id;
  part.protocol = 17;
  part.offset = static_cast<std::uint32_t>(from);
  part.more = more;
  part.data = std::span<const std::uint8_t>(whole).subspan(from, to - from);
  return part;
}

TEST(DefragmenterTest, FragmentsInAnyOrderMakeTheDatagram) {
  const Bytes whole = pattern(100);
  Defragmenter defragmenter;
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 48, 100, false), 0));
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 0, 24, true), 0));
  EXPECT_EQ(defragmenter.held_bytes(), 76u);
  const auto datagram = defragmenter.add(kClient, kServer, fragment(whole, 24, 48, true), 0);
  ASSERT_TRUE(datagram);
  EXPECT_EQ(datagram->protocol, 17);
  EXPECT_FALSE(datagram->is_v6);
  EXPECT_EQ(Bytes(datagram->payload.begin(), datagram->payload.end()), whole);
  EXPECT_EQ(defragmenter.held_bytes(), 0u);
  EXPECT_EQ(defragmenter.datagrams_in_progress(), 0u);
  EXPECT_EQ(defragmenter.counters().fragments, 3u);
  EXPECT_EQ(defragmenter.counters().reassembled, 1u);
}

TEST(DefragmenterTest, DuplicateAndAgreeingOverlapsAreAccepted) {
  const Bytes whole = pattern(64);
  Defragmenter defragmenter;
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 0, 32, true), 0));
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 0, 32, true), 0));  // again
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 16, 40, true), 0));
  const auto datagram = defragmenter.add(kClient, kServer, fragment(whole, 24, 64, false), 0);
  ASSERT_TRUE(datagram);
  EXPECT_EQ(Bytes(datagram->payload.begin(), datagram->payload.end()), whole);
  EXPECT_EQ(defragmenter.counters().overlaps, 0u);
}

TEST(DefragmenterTest, ConflictingOverlapDropsTheDatagramAndAbsorbsTheRest) {
  const Bytes whole = pattern(64);
  Bytes other = whole;
  other[20] ^= 0xff;
  Defragmenter defragmenter;
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 0, 24, true), 0));
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(other, 16, 32, true), 0));
  EXPECT_EQ(defragmenter.counters().overlaps, 1u);
  EXPECT_EQ(defragmenter.held_bytes(), 0u);
  // The rest of it never completes a datagram, whatever comes.
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 16, 64, false), 0));
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 0, 16, true), 0));
  EXPECT_EQ(defragmenter.counters().reassembled, 0u);
  // Dropped datagrams are not timeouts when they go.
  defragmenter.expire(60'000'000);
  EXPECT_EQ(defragmenter.counters().timeouts, 0u);
  EXPECT_EQ(defragmenter.datagrams_in_progress(), 0u);
}

TEST(DefragmenterTest, IncompleteDatagramTimesOut) {
  const Bytes whole = pattern(64);
  DefragmenterSettings settings;
  settings.timeout_us = 1'000'000;
  Defragmenter defragmenter(settings);
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 0, 32, true), 0));
  defragmenter.expire(500'000);
  EXPECT_EQ(defragmenter.datagrams_in_progress(), 1u);
  // The missing part arrives too late: a new, incomplete datagram.
  EXPECT_FALSE(defragmenter.add(kClient, kServer, fragment(whole, 32, 64, false), 1'500'000));
  EXPECT_EQ(defragmenter.counters().timeouts, 1u);
  EXPECT_EQ(defragmenter.held_bytes(), 32u);
}

TEST(DefragmenterTest, BoundsDropAndCount) {
  const Bytes whole = pattern(256);
  DefragmenterSettings settings;
  settings.max_fragments_per_datagram = 3;
  settings.max_held_bytes = 100;
  settings.max_datagrams = 2;
  Defragmenter defragmenter(settings);
  // Too many fragments for one datagram.
  for (std::size_t from = 0; from < 32; from += 8) {
    defragmenter.add(kClient, kServer, fragment(whole, from, from + 8, true, 1), 0);
  }
  EXPECT_EQ(defragmenter.counters().too_many_fragments, 1u);
  // Bytes: datagram 2 holds 80, datagram 3 needs 40 more: datagram 2 (the oldest) goes.
  defragmenter.add(kClient, kServer, fragment(whole, 0, 80, true, 2), 0);
  defragmenter.add(kClient, kServer, fragment(whole, 0, 40, true, 3), 0);
  EXPECT_EQ(defragmenter.counters().memory_full, 1u);
  EXPECT_EQ(defragmenter.held_bytes(), 40u);
  // Datagrams in progress: ids 1 (dropped), 3; a fourth pushes out the oldest.
  defragmenter.add(kClient, kServer, fragment(whole, 0, 8, true, 4), 0);
  EXPECT_EQ(defragmenter.datagrams_in_progress(), 2u);
  // One fragment bigger than the whole bound: that datagram is dropped.
  defragmenter.add(kClient, kServer, fragment(whole, 0, 128, true, 5), 0);
  EXPECT_GE(defragmenter.counters().memory_full, 2u);
  EXPECT_LE(defragmenter.held_bytes(), settings.max_held_bytes);
}

TEST(DefragmenterTest, MalformedFragmentsAreCounted) {
  const Bytes whole = pattern(64);
  Defragmenter defragmenter;
  defragmenter.add(kClient, kServer, fragment(whole, 0, 12, true), 0);  // not a multiple of 8
  IpFragment past_end = fragment(whole, 0, 64, false);
  past_end.offset = 65528;  // ends past 64 KiB
  defragmenter.add(kClient, kServer, past_end, 0);
  // A last fragment that ends before bytes already held.
  defragmenter.add(kClient, kServer, fragment(whole, 16, 32, true, 9), 0);
  defragmenter.add(kClient, kServer, fragment(whole, 8, 16, false, 9), 0);
  EXPECT_EQ(defragmenter.counters().malformed, 3u);
  EXPECT_EQ(defragmenter.counters().reassembled, 0u);
}

TEST(DefragmenterTest, DecoderDescribesIpv4AndIpv6Fragments) {
  // IPv4: id 0x1234, more fragments, offset 16 bytes, UDP.
  Bytes ipv4 = {0x45, 0, 0, 28, 0x12, 0x34, 0x20, 0x02, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
  ipv4.insert(ipv4.end(), 8, 0xaa);
  DecodedPacket out;
  ASSERT_EQ(decode_packet({0, DLT_RAW, ipv4}, out), DecodeStatus::ip_fragment);
  EXPECT_FALSE(out.fragment.is_v6);
  EXPECT_EQ(out.fragment.id, 0x1234u);
  EXPECT_EQ(out.fragment.offset, 16u);
  EXPECT_TRUE(out.fragment.more);
  EXPECT_EQ(out.fragment.protocol, 17);
  EXPECT_EQ(out.fragment.data.size(), 8u);
  EXPECT_EQ(out.src_ip.to_string(), "10.0.0.1");

  // IPv6: fragment header, next header UDP, offset 8, last fragment, id 0xdeadbeef.
  Bytes ipv6 = {0x60, 0, 0, 0, 0, 12, 44, 64};
  ipv6.insert(ipv6.end(), 32, 0);
  ipv6[23] = 1;
  ipv6[39] = 2;
  for (std::uint8_t b : {17, 0, 0, 8, 0xde, 0xad, 0xbe, 0xef}) ipv6.push_back(b);
  ipv6.insert(ipv6.end(), 4, 0xbb);
  ASSERT_EQ(decode_packet({0, DLT_RAW, ipv6}, out), DecodeStatus::ip_fragment);
  EXPECT_TRUE(out.fragment.is_v6);
  EXPECT_EQ(out.fragment.id, 0xdeadbeefu);
  EXPECT_EQ(out.fragment.offset, 8u);
  EXPECT_FALSE(out.fragment.more);
  EXPECT_EQ(out.fragment.protocol, 17);
  EXPECT_EQ(out.fragment.data.size(), 4u);

  // The reassembled payload goes on to UDP.
  const Bytes udp = {0x13, 0x88, 0x00, 0x35, 0x00, 0x0b, 0, 0, 'a', 'b', 'c'};
  ASSERT_EQ(decode_ip_payload(true, 17, udp, out), DecodeStatus::ok);
  EXPECT_EQ(out.dst_port, 53);
  EXPECT_EQ(std::string(out.payload.begin(), out.payload.end()), "abc");
  EXPECT_EQ(out.src_ip.to_string(), "::1");
}

}  // namespace
}  // namespace hm::decode
