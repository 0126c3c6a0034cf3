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

}  // namespace
}  // namespace hm::dissect
