#include "dissect/inspector.h"

#include <gtest/gtest.h>

#include "frame_builder.h"

namespace hm::dissect {
namespace {

using test::Bytes;

struct Collector {
  std::vector<Observation> seen;
  ObservationSink sink = [this](const Observation& o) { seen.push_back(o); };
};

TEST(InspectorTest, DnsQueryOverUdp) {
  Inspector inspector;
  Collector out;
  inspector.inspect(
      test::view(test::udp_frame({1, 1, 5000}, {2, 2, 53}, test::dns_query("school.example"))),
      out.sink);
  Bytes response = test::dns_query("school.example");
  response[2] |= 0x80;
  inspector.inspect(test::view(test::udp_frame({2, 2, 53}, {1, 1, 5000}, response)), out.sink);
  ASSERT_EQ(out.seen.size(), 1u);
  EXPECT_EQ(out.seen[0].kind, ObservationKind::dns_query);
  EXPECT_EQ(out.seen[0].text, "school.example");
  EXPECT_EQ(inspector.counters().observations, 1u);
}

TEST(InspectorTest, TruncatedFramesAreCountedNotCrashed) {
  const Bytes frame = test::udp_frame({1, 1, 5000}, {2, 2, 53}, test::dns_query("school.example"));
  Inspector inspector;
  Collector out;
  for (std::size_t length = 0; length < 14 + 20 + 8; ++length) {
    const Bytes part(frame.begin(), frame.begin() + static_cast<long>(length));
    inspector.inspect(test::view(part), out.sink);
  }
  EXPECT_TRUE(out.seen.empty());
  const auto& counters = inspector.counters();
  EXPECT_EQ(counters.packets, 14u + 20u + 8u);
  EXPECT_EQ(counters.decode_errors, counters.packets);
}

TEST(InspectorTest, UnknownLinkTypeIsCounted) {
  const Bytes frame = {1, 2, 3};
  Inspector inspector;
  Collector out;
  inspector.inspect(capture::PacketView{0, 9999, frame}, out.sink);
  EXPECT_EQ(inspector.counters().unsupported_link_type, 1u);
}

TEST(InspectorTest, OutOfOrderSegmentsAreDeliveredInOrder) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 80};
  const std::string request = "GET /ordered HTTP/1.1\r\nHost: ooo.example\r\n\r\n";
  const Bytes a = test::bytes_of(request.substr(0, 10));
  const Bytes b = test::bytes_of(request.substr(10, 10));
  const Bytes c = test::bytes_of(request.substr(20));
  Inspector inspector;
  Collector out;
  inspector.inspect(test::view(test::tcp_frame(client, server, 99, test::kSyn)), out.sink);
  inspector.inspect(test::view(test::tcp_frame(client, server, 120, test::kAck, c)), out.sink);
  inspector.inspect(test::view(test::tcp_frame(client, server, 110, test::kAck, b)), out.sink);
  EXPECT_TRUE(out.seen.empty());
  inspector.inspect(test::view(test::tcp_frame(client, server, 100, test::kAck, a)), out.sink);
  inspector.inspect(test::view(test::tcp_frame(client, server, 100, test::kAck, a)),
                    out.sink);  // again
  ASSERT_EQ(out.seen.size(), 2u);
  EXPECT_EQ(out.seen[1].text, "http://ooo.example/ordered");
  EXPECT_EQ(inspector.counters().out_of_order_held, 2u);
  EXPECT_EQ(inspector.counters().tcp_retransmitted_bytes, 10u);
}

TEST(InspectorTest, MidStreamFlowStartsAtFirstSeenSequence) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 8080};
  Inspector inspector;
  Collector out;
  // First seen: the tail of an earlier request's body, then a new request.
  inspector.inspect(
      test::view(test::tcp_frame(client, server, 7000, test::kAck, test::bytes_of("a=1&b=2"))),
      out.sink);
  inspector.inspect(
      test::view(test::tcp_frame(client, server, 7007, test::kAck,
                                 test::bytes_of("GET /x HTTP/1.1\r\nHost: mid.example\r\n\r\n"))),
      out.sink);
  ASSERT_EQ(out.seen.size(), 2u);
  EXPECT_EQ(out.seen[0].text, "mid.example");
}

TEST(InspectorTest, FlowTableBoundEvictsAndCounts) {
  InspectorSettings settings;
  settings.max_flows = 2;
  Inspector inspector(settings);
  Collector out;
  for (std::uint16_t port = 1000; port < 1005; ++port) {
    inspector.inspect(test::view(test::tcp_frame({1, 1, port}, {2, 2, 80}, 1, test::kSyn)),
                      out.sink);
  }
  EXPECT_EQ(inspector.counters().tcp_flows, 5u);
  EXPECT_EQ(inspector.counters().flow_table_full, 3u);
}

TEST(InspectorTest, FuzzedFramesNeverCrash) {
  // Every prefix and a few bit flips of real frames: no crash, no sanitizer report.
  std::vector<Bytes> frames = {
      test::tcp_frame({1, 1, 40000}, {2, 2, 443}, 1, test::kAck,
                      test::tls_client_hello("x.example")),
      test::udp_frame({1, 1, 5000}, {2, 2, 53}, test::dns_query("y.example")),
  };
  Inspector inspector;
  Collector out;
  for (const auto& frame : frames) {
    for (std::size_t i = 0; i < frame.size(); ++i) {
      Bytes mutated = frame;
      mutated[i] ^= 0x5a;
      inspector.inspect(test::view(mutated), out.sink);
      inspector.inspect(test::view(Bytes(frame.begin(), frame.begin() + static_cast<long>(i))),
                        out.sink);
    }
  }
  inspector.finish(out.sink);
  SUCCEED();
}

// Hard cases of issue 3: IP fragments, TCP overlaps, gaps, reuse, a full flow table.

TEST(InspectorTest, FragmentedUdpDnsOverIpv4IsReassembled) {
  const test::Endpoint client{1, 1, 5000}, resolver{2, 2, 53};
  const Bytes datagram = test::udp_datagram(
      client, resolver, test::dns_query("a-rather-long-name-to-split.school.example"));
  const auto fragments = test::ipv4_fragments(client, resolver, 17, datagram, {16, 32});
  Inspector inspector;
  Collector out;
  // Out of order: the last fragment first.
  inspector.inspect(test::view(fragments[2]), out.sink);
  inspector.inspect(test::view(fragments[0]), out.sink);
  EXPECT_TRUE(out.seen.empty());
  inspector.inspect(test::view(fragments[1]), out.sink);
  ASSERT_EQ(out.seen.size(), 1u);
  EXPECT_EQ(out.seen[0].text, "a-rather-long-name-to-split.school.example");
  EXPECT_EQ(out.seen[0].src_ip.to_string(), "10.0.0.1");
  EXPECT_EQ(out.seen[0].dst_port, 53);
  EXPECT_EQ(inspector.counters().ip_fragments, 3u);
  EXPECT_EQ(inspector.counters().ip_reassembled, 1u);
}

TEST(InspectorTest, FragmentedUdpDnsOverIpv6IsReassembled) {
  const test::Endpoint client{1, 1, 5000}, resolver{2, 2, 53};
  const Bytes datagram =
      test::udp_datagram(client, resolver, test::dns_query("v6-fragments.school.example"));
  const Bytes first(datagram.begin(), datagram.begin() + 24);
  const Bytes second(datagram.begin() + 24, datagram.end());
  Inspector inspector;
  Collector out;
  inspector.inspect(test::view(test::ipv6_fragment(client, resolver, 17, 7, 0, true, first)),
                    out.sink);
  EXPECT_TRUE(out.seen.empty());
  inspector.inspect(test::view(test::ipv6_fragment(client, resolver, 17, 7, 24, false, second)),
                    out.sink);
  ASSERT_EQ(out.seen.size(), 1u);
  EXPECT_EQ(out.seen[0].text, "v6-fragments.school.example");
  EXPECT_EQ(out.seen[0].src_ip.to_string(), "2001:db8::1");
  EXPECT_EQ(inspector.counters().ip_reassembled, 1u);
}

TEST(InspectorTest, OverlappingIpFragmentsWithOtherBytesDropTheDatagram) {
  const test::Endpoint client{1, 1, 5000}, resolver{2, 2, 53};
  const Bytes datagram =
      test::udp_datagram(client, resolver, test::dns_query("overlap.school.example"));
  auto fragments = test::ipv4_fragments(client, resolver, 17, datagram, {16});
  // A second copy of bytes 8..15 that says something else, overlapping the first.
  Bytes other(datagram.begin() + 8, datagram.begin() + 16);
  other[3] ^= 0xff;
  Inspector inspector;
  Collector out;
  inspector.inspect(test::view(fragments[0]), out.sink);
  inspector.inspect(test::view(test::ipv4_fragment(client, resolver, 17, 0x4242, 8, true, other)),
                    out.sink);
  inspector.inspect(test::view(fragments[1]), out.sink);
  EXPECT_TRUE(out.seen.empty());
  EXPECT_EQ(inspector.counters().ip_fragment_overlaps, 1u);
  EXPECT_EQ(inspector.counters().ip_reassembled, 0u);
}

TEST(InspectorTest, FragmentedTcpSegmentReachesTheStream) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 80};
  const Bytes frame =
      test::tcp_frame(client, server, 100, test::kAck,
                      test::bytes_of("GET /fragmented HTTP/1.1\r\nHost: frag.example\r\n\r\n"));
  const Bytes segment(frame.begin() + 14 + 20, frame.end());
  const auto fragments = test::ipv4_fragments(client, server, 6, segment, {24});
  Inspector inspector;
  Collector out;
  for (const auto& fragment : fragments) inspector.inspect(test::view(fragment), out.sink);
  ASSERT_EQ(out.seen.size(), 2u);
  EXPECT_EQ(out.seen[1].text, "http://frag.example/fragmented");
}

TEST(InspectorTest, OverlappingRetransmissionWithOtherBytesKeepsTheFirstCopy) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 80};
  Inspector inspector;
  Collector out;
  auto send = [&](std::uint32_t seq, std::string_view text) {
    inspector.inspect(
        test::view(test::tcp_frame(client, server, seq, test::kAck, test::bytes_of(text))),
        out.sink);
  };
  inspector.inspect(test::view(test::tcp_frame(client, server, 99, test::kSyn)), out.sink);
  send(110, "first HTTP/1.1\r\nHost: one.example\r\n\r\n");  // held: bytes 10..
  send(110, "evilx HTTP/1.1\r\nHost: two.example\r\n\r\n");  // same place, other bytes
  send(100, "GET /path/");                                   // fills the hole
  ASSERT_EQ(out.seen.size(), 2u);
  EXPECT_EQ(out.seen[0].text, "one.example");
  EXPECT_EQ(out.seen[1].text, "http://one.example/path/first");
  EXPECT_EQ(inspector.counters().tcp_overlap_conflicts, 1u);
}

TEST(InspectorTest, GapThenResyncStillSeesTheNextRequest) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 80};
  InspectorSettings settings;
  settings.max_out_of_order_bytes_per_direction = 64;  // the hole is given up quickly
  Inspector inspector(settings);
  Collector out;
  const std::string first = "GET /one HTTP/1.1\r\nHost: gap.example\r\nX-Pad: ";
  const std::string second = "GET /two HTTP/1.1\r\nHost: gap.example\r\n\r\n";
  inspector.inspect(test::view(test::tcp_frame(client, server, 99, test::kSyn)), out.sink);
  inspector.inspect(
      test::view(test::tcp_frame(client, server, 100, test::kAck, test::bytes_of(first))),
      out.sink);
  // 20 bytes lost before capture (the rest of request one), then request two and more.
  std::uint32_t seq = 100 + static_cast<std::uint32_t>(first.size()) + 20;
  inspector.inspect(
      test::view(test::tcp_frame(client, server, seq, test::kAck, test::bytes_of(second))),
      out.sink);
  seq += static_cast<std::uint32_t>(second.size());
  inspector.inspect(test::view(test::tcp_frame(client, server, seq, test::kAck,
                                               test::bytes_of(std::string(40, 'x')))),
                    out.sink);
  ASSERT_EQ(out.seen.size(), 2u);
  EXPECT_EQ(out.seen[1].text, "http://gap.example/two");
  EXPECT_EQ(inspector.counters().tcp_gaps, 1u);
}

TEST(InspectorTest, SynReuseOfAFiveTupleStartsANewConnection) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 80};
  Inspector inspector;
  Collector out;
  // An old connection, its end unseen, with a partial request pending.
  inspector.inspect(test::view(test::tcp_frame(client, server, 1000, test::kSyn)), out.sink);
  inspector.inspect(test::view(test::tcp_frame(client, server, 1001, test::kAck,
                                               test::bytes_of("GET /old HTTP/1.1\r\n"))),
                    out.sink);
  // The same ports again, another initial sequence number.
  inspector.inspect(test::view(test::tcp_frame(client, server, 500000, test::kSyn)), out.sink);
  inspector.inspect(test::view(test::tcp_frame(
                        client, server, 500001, test::kAck,
                        test::bytes_of("GET /new HTTP/1.1\r\nHost: reuse.example\r\n\r\n"))),
                    out.sink);
  ASSERT_EQ(out.seen.size(), 2u);
  EXPECT_EQ(out.seen[1].text, "http://reuse.example/new");
  EXPECT_EQ(inspector.counters().tcp_connections_reused, 1u);
  EXPECT_EQ(inspector.counters().tcp_flows, 1u);  // the same table entry, a new connection
}

TEST(InspectorTest, FullFlowTableEvictsAOneSidedFlowFirst) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 80}, scanner{3, 3, 5555};
  InspectorSettings settings;
  settings.max_flows = 2;
  Inspector inspector(settings);
  Collector out;
  // An answered connection, then a one-sided probe; the conversation is older.
  inspector.inspect(test::view(test::tcp_frame(client, server, 99, test::kSyn), 1'000'000),
                    out.sink);
  inspector.inspect(
      test::view(test::tcp_frame(server, client, 5000, test::kSyn | test::kAck), 1'000'000),
      out.sink);
  inspector.inspect(test::view(test::tcp_frame(scanner, server, 1, test::kSyn), 2'000'000),
                    out.sink);
  // A third flow: the probe goes, though the conversation was used less recently.
  inspector.inspect(
      test::view(test::udp_frame({4, 4, 6000}, {2, 2, 53}, test::dns_query("x.example")),
                 3'000'000),
      out.sink);
  EXPECT_EQ(inspector.counters().flow_table_full, 1u);
  EXPECT_EQ(inspector.counters().flows_evicted, 1u);
  inspector.inspect(
      test::view(test::tcp_frame(client, server, 100, test::kAck,
                                 test::bytes_of("GET / HTTP/1.1\r\nHost: kept.example\r\n\r\n")),
                 3'000'000),
      out.sink);
  EXPECT_EQ(inspector.counters().tcp_flows, 2u);  // the conversation was not recreated
  EXPECT_EQ(inspector.counters().udp_flows, 1u);
}

}  // namespace
}  // namespace hm::dissect
