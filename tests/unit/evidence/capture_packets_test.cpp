// The frames sealed with a capture, their pcap file, and finding the phrase in the
// observed text (evidence/capture.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "evidence/capture.h"

namespace hm::evidence {
namespace {

std::uint32_t le32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<std::uint8_t>(bytes[at + i]);
  return value;
}

TEST(CapturePackets, SurviveTheEvidenceBlobByteForByte) {
  Evidence evidence{"how to kill myself", "www.google.com", "http://www.google.com/", {}};
  std::string frame;
  for (int i = 0; i < 256; ++i) frame.push_back(static_cast<char>(i));
  evidence.packets.push_back({1'717'400'000'123'456, 1, 300, frame});
  const Evidence back = parse_evidence(serialize(evidence));
  EXPECT_EQ(back.text, evidence.text);
  ASSERT_EQ(back.packets.size(), 1U);
  EXPECT_EQ(back.packets[0].ts_us, 1'717'400'000'123'456);
  EXPECT_EQ(back.packets[0].link_type, 1);
  EXPECT_EQ(back.packets[0].wire_length, 300U);
  EXPECT_EQ(back.packets[0].bytes, frame);

  // A blob written before frames were kept, and broken frame entries, still read.
  EXPECT_TRUE(parse_evidence(R"({"text":"t","host":"h","url":""})").packets.empty());
  const Evidence broken = parse_evidence(
      R"({"text":"t","host":"h","url":"","packets":[{"ts_us":1,"link_type":1,"wire_length":2,"bytes":"zz"},7,
          {"ts_us":1,"link_type":1,"wire_length":1,"bytes":"ab"}]})");
  EXPECT_EQ(broken.text, "t");
  ASSERT_EQ(broken.packets.size(), 1U);
  EXPECT_EQ(broken.packets[0].bytes, "\xab");
  EXPECT_EQ(parse_evidence(R"({"text":7})").text, "");
}

TEST(CapturePackets, PcapHasTheGlobalAndRecordHeadersWiresharkReads) {
  const std::vector<EvidencePacket> packets = {
      {1'717'400'000'123'456, 1, 60, std::string(42, 'a')},
      {1'717'400'001'000'001, 1, 42, std::string(42, 'b')},
      {1'717'400'002'000'000, 113, 10, std::string(10, 'c')},  // another link type: left out
  };
  const std::string file = to_pcap(packets);
  ASSERT_EQ(file.size(), 24U + 2 * (16 + 42));
  EXPECT_EQ(le32(file, 0), 0xa1b2c3d4U);
  EXPECT_EQ(file.substr(0, 4), std::string("\xd4\xc3\xb2\xa1", 4));
  EXPECT_EQ(le32(file, 4), 2U | (4U << 16));  // version 2.4
  EXPECT_EQ(le32(file, 20), 1U);              // Ethernet
  EXPECT_EQ(le32(file, 24), 1'717'400'000U);
  EXPECT_EQ(le32(file, 28), 123'456U);
  EXPECT_EQ(le32(file, 32), 42U);
  EXPECT_EQ(le32(file, 36), 60U);
  EXPECT_EQ(file.substr(40, 42), std::string(42, 'a'));
  EXPECT_EQ(le32(file, 82 + 4), 1U);
  EXPECT_TRUE(to_pcap({}).empty());
}

TEST(CapturePackets, MakeCaptureKeepsTheFramesWithinTheLimits) {
  dissect::Observation observation;
  observation.ts_us = 5;
  observation.kind = dissect::ObservationKind::dns_query;
  observation.text = "bet365.com";
  match::Entry entry;
  entry.category = "gambling";
  entry.severity = 2;
  entry.pattern = "bet365.com";
  std::vector<std::uint8_t> small(100, 1);
  std::vector<std::uint8_t> large(kMaxEvidencePacketBytes, 2);
  std::vector<capture::PacketView> views;
  for (int i = 0; i < 6; ++i) views.push_back({i, 1, small, 100});
  EXPECT_EQ(make_capture(observation, entry, "v1", views).evidence.packets.size(),
            kMaxEvidencePackets);
  const capture::PacketView both[] = {{1, 1, small, 100}, {2, 1, large, 2000}};
  const Capture capped = make_capture(observation, entry, "v1", both);
  ASSERT_EQ(capped.evidence.packets.size(), 1U);
  EXPECT_EQ(capped.evidence.packets[0].bytes.size(), 100U);
  EXPECT_TRUE(make_capture(observation, entry, "v1").evidence.packets.empty());
}

TEST(FindPhrase, AnyCaseAndSeparatorRuns) {
  const std::string url = "http://www.google.com/search?q=How+to++KILL+myself&hl=en";
  const auto span = find_phrase(url, "how to kill myself");
  ASSERT_TRUE(span);
  EXPECT_EQ(url.substr(span->begin, span->end - span->begin), "How+to++KILL+myself");
  const std::string text = "I want to—kill myself tonight";
  const auto in_text = find_phrase(text, "kill myself");
  ASSERT_TRUE(in_text);
  EXPECT_EQ(text.substr(in_text->begin, in_text->end - in_text->begin), "kill myself");
  EXPECT_FALSE(find_phrase("k1ll mys3lf", "kill myself"));
  EXPECT_FALSE(find_phrase("anything", "  "));
  const auto domain = find_phrase("www.bet365.com", "bet365.com");
  ASSERT_TRUE(domain);
  EXPECT_EQ(domain->begin, 4U);
  EXPECT_EQ(domain->end, 14U);
}

}  // namespace
}  // namespace hm::evidence
