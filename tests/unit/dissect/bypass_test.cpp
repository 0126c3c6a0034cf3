// The encrypted-flow bypass (inspector.cpp, issue 9): once a flow's names are known
// and the rest is ciphertext, its packets are counted and go no further; what the box
// reports (observations, visibility statistics) must not change for it.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "dissect/inspector.h"
#include "frame_builder.h"

namespace hm::dissect {
namespace {

using test::Bytes;

struct Outcome {
  std::vector<Observation> seen;
  std::map<std::string, VisibilityMinute> classes;
  InspectorCounters counters;
};

Outcome inspect(const std::vector<Bytes>& frames, Inspector& inspector) {
  Outcome run;
  const ObservationSink sink = [&run](const Observation& o) { run.seen.push_back(o); };
  capture::TimestampUs ts = 1'000'000;
  for (const auto& frame : frames) inspector.inspect(test::view(frame, ts += 1000), sink);
  run.counters = inspector.counters();
  inspector.finish(sink);
  for (const auto& minute : inspector.take_visibility(0, true)) {
    auto& total = run.classes[std::string(to_string(minute.visibility))];
    total.flows += minute.flows;
    total.bytes += minute.bytes;
    total.packets += minute.packets;
  }
  return run;
}

// A TLS connection: handshake, the ClientHello, then `records` of application data
// each way, and optionally both FINs.
std::vector<Bytes> tls_connection(const test::Endpoint& client, const test::Endpoint& server,
                                  int records, bool close) {
  std::vector<Bytes> frames;
  std::uint32_t c = 1000, s = 9000;
  frames.push_back(test::tcp_frame(client, server, c++, test::kSyn));
  frames.push_back(test::tcp_frame(server, client, s++, test::kSyn | test::kAck));
  const Bytes hello = test::tls_client_hello("video.example");
  frames.push_back(test::tcp_frame(client, server, c, test::kAck | test::kPsh, hello));
  c += static_cast<std::uint32_t>(hello.size());
  Bytes record = {0x17, 0x03, 0x03, 0x01, 0x00};
  record.resize(5 + 256, 0x5a);
  for (int i = 0; i < records; ++i) {
    frames.push_back(test::tcp_frame(server, client, s, test::kAck | test::kPsh, record));
    s += static_cast<std::uint32_t>(record.size());
    frames.push_back(test::tcp_frame(client, server, c, test::kAck, record));
    c += static_cast<std::uint32_t>(record.size());
  }
  if (close) {
    frames.push_back(test::tcp_frame(client, server, c, test::kFin | test::kAck));
    frames.push_back(test::tcp_frame(server, client, s, test::kFin | test::kAck));
  }
  return frames;
}

TEST(BypassTest, TlsFlowIsBypassedOnceItsClientHelloIsRead) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 443};
  Inspector inspector;
  const Outcome run = inspect(tls_connection(client, server, 50, false), inspector);
  ASSERT_EQ(run.seen.size(), 1u);
  EXPECT_EQ(run.seen[0].kind, ObservationKind::tls_sni);
  EXPECT_EQ(run.seen[0].text, "video.example");
  // SYN, SYN-ACK and the ClientHello are inspected; the 100 records after it are not.
  EXPECT_EQ(run.counters.bypassed_packets, 100u);
  EXPECT_EQ(run.counters.tcp_flows, 1u);
  // The statistics still hold every packet and byte, under the flow's class.
  ASSERT_EQ(run.classes.count("named_tls"), 1u);
  EXPECT_EQ(run.classes.at("named_tls").flows, 1u);
  EXPECT_EQ(run.classes.at("named_tls").packets, 103u);
}

TEST(BypassTest, BypassedFlowEndsOnBothFinsAndItsTupleCanBeReused) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 443};
  std::vector<Bytes> frames = tls_connection(client, server, 3, true);
  // The same 5-tuple again, this time a plain HTTP request: inspected afresh.
  frames.push_back(test::tcp_frame(client, server, 777, test::kSyn));
  frames.push_back(
      test::tcp_frame(client, server, 778, test::kAck,
                      test::bytes_of("GET /next HTTP/1.1\r\nHost: again.example\r\n\r\n")));
  Inspector inspector;
  const Outcome run = inspect(frames, inspector);
  ASSERT_EQ(run.seen.size(), 3u);
  EXPECT_EQ(run.seen[1].kind, ObservationKind::http_host);
  EXPECT_EQ(run.seen[2].text, "http://again.example/next");
  EXPECT_EQ(run.counters.bypassed_packets, 8u);  // 6 records and both FINs
  EXPECT_EQ(run.counters.tcp_flows, 2u);         // the FINs ended the first
}

TEST(BypassTest, SynOnABypassedTupleStartsANewConnection) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 443};
  std::vector<Bytes> frames = tls_connection(client, server, 2, false);
  const std::vector<Bytes> again = tls_connection(client, server, 2, false);
  frames.insert(frames.end(), again.begin(), again.end());
  Inspector inspector;
  const Outcome run = inspect(frames, inspector);
  ASSERT_EQ(run.seen.size(), 2u);  // the second ClientHello is read too
  EXPECT_EQ(run.counters.tcp_connections_reused, 1u);
  EXPECT_EQ(run.counters.bypassed_packets, 8u);
}

TEST(BypassTest, PlainHttpIsNeverBypassed) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 80};
  std::vector<Bytes> frames;
  std::uint32_t c = 1000;
  frames.push_back(test::tcp_frame(client, server, c++, test::kSyn));
  for (int i = 0; i < 3; ++i) {
    const Bytes request = test::bytes_of("GET /page" + std::to_string(i) +
                                         " HTTP/1.1\r\nHost: plain.example\r\n\r\n");
    frames.push_back(test::tcp_frame(client, server, c, test::kAck, request));
    c += static_cast<std::uint32_t>(request.size());
  }
  Inspector inspector;
  const Outcome run = inspect(frames, inspector);
  EXPECT_EQ(run.seen.size(), 6u);  // every request's host and URL
  EXPECT_EQ(run.counters.bypassed_packets, 0u);
}

TEST(BypassTest, WireGuardTunnelIsBypassedAndStillCountsAsVpn) {
  const test::Endpoint client{1, 1, 40000}, server{2, 2, 51820};
  std::vector<Bytes> frames;
  Bytes initiation(148, 0xab), response(92, 0xcd), data(32 + 1024, 0xef);
  initiation[0] = 1, initiation[1] = initiation[2] = initiation[3] = 0;
  response[0] = 2, response[1] = response[2] = response[3] = 0;
  data[0] = 4, data[1] = data[2] = data[3] = 0;
  frames.push_back(test::udp_frame(client, server, initiation));
  frames.push_back(test::udp_frame(server, client, response));
  for (int i = 0; i < 20; ++i) frames.push_back(test::udp_frame(server, client, data));
  Inspector inspector;
  const Outcome run = inspect(frames, inspector);
  EXPECT_EQ(run.counters.bypassed_packets, 21u);  // all after the first datagram
  ASSERT_EQ(run.classes.count("vpn"), 1u);
  EXPECT_EQ(run.classes.at("vpn").flows, 1u);
  EXPECT_EQ(run.classes.at("vpn").packets, 22u);
}

}  // namespace
}  // namespace hm::dissect
