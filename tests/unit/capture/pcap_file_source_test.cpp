#include "capture/pcap_file_source.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace hm::capture {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put32le(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put16le(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}

// A classic little-endian pcap with `count` 60-byte Ethernet frames.
Bytes pcap_file(int count) {
  Bytes file;
  put32le(file, 0xa1b2c3d4);
  put16le(file, 2);
  put16le(file, 4);
  put32le(file, 0);
  put32le(file, 0);
  put32le(file, 65535);
  put32le(file, 1);  // LINKTYPE_ETHERNET
  for (int i = 0; i < count; ++i) {
    put32le(file, 1700000000 + i);
    put32le(file, 123456);
    put32le(file, 60);
    put32le(file, 60);
    file.insert(file.end(), 60, static_cast<std::uint8_t>(i));
  }
  return file;
}

class PcapFileSourceTest : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const Bytes& bytes) {
    const auto path = std::filesystem::temp_directory_path() /
                      (std::string("hm_capture_") + std::to_string(::getpid()) + "_" + name);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    paths_.push_back(path);
    return path.string();
  }
  void TearDown() override {
    for (const auto& path : paths_) std::filesystem::remove(path);
  }
  std::vector<std::filesystem::path> paths_;
};

TEST_F(PcapFileSourceTest, ReadsEveryPacketThenEnds) {
  const auto path = write("ok.pcap", pcap_file(3));
  auto source = PcapFileSource::open(path);
  ASSERT_TRUE(source) << source.error();
  for (int i = 0; i < 3; ++i) {
    auto packet = (*source)->next();
    ASSERT_TRUE(packet) << packet.error();
    ASSERT_TRUE(packet->has_value());
    EXPECT_EQ((*packet)->ts_us, (1700000000LL + i) * 1'000'000 + 123456);
    EXPECT_EQ((*packet)->bytes.size(), 60u);
    EXPECT_EQ((*packet)->link_type, 1);
  }
  auto end = (*source)->next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->has_value());
  EXPECT_EQ((*source)->packets_read(), 3u);
}

// The file is read through a 256 KiB stdio buffer: records straddle its refills.
TEST_F(PcapFileSourceTest, ReadsAFileManyBuffersLongToTheDamagedRecord) {
  constexpr int kPackets = 20'000;  // 76 bytes a record: 1.5 MB, six buffers' worth
  const Bytes whole = pcap_file(kPackets);
  const auto path = write("long.pcap", Bytes(whole.begin(), whole.end() - 10));
  auto source = PcapFileSource::open(path);
  ASSERT_TRUE(source) << source.error();
  for (int i = 0; i < kPackets - 1; ++i) {
    auto packet = (*source)->next_view();
    ASSERT_TRUE(packet) << "packet " << i + 1 << ": " << packet.error();
    ASSERT_TRUE(packet->has_value()) << "ended early at packet " << i + 1;
    ASSERT_EQ((*packet)->ts_us, (1700000000LL + i) * 1'000'000 + 123456);
    ASSERT_EQ((*packet)->bytes[59], static_cast<std::uint8_t>(i));
  }
  auto last = (*source)->next_view();
  ASSERT_FALSE(last);
  const std::string offset = "offset " + std::to_string(24 + 76 * (kPackets - 1));
  EXPECT_NE(last.error().find(offset), std::string::npos) << last.error();
}

// `-` is standard input (`hallmonitor observe -`), read through stdin's own buffer.
TEST_F(PcapFileSourceTest, DashReadsStandardInput) {
  const auto path = write("stdin.pcap", pcap_file(3));
  ASSERT_NE(std::freopen(path.c_str(), "rb", stdin), nullptr);
  {
    auto source = PcapFileSource::open("-");
    ASSERT_TRUE(source) << source.error();
    int packets = 0;
    for (auto packet = (*source)->next_view(); packet && packet->has_value();
         packet = (*source)->next_view()) {
      ++packets;
    }
    EXPECT_EQ(packets, 3);
  }
  // The source is gone and stdin is still usable: it was not given a buffer that died
  // with the source, nor closed.
  EXPECT_EQ(std::fseek(stdin, 0, SEEK_SET), 0);
  EXPECT_EQ(std::fgetc(stdin), 0xd4);  // the pcap magic's first byte, little-endian
}

TEST_F(PcapFileSourceTest, ViewsLendTheSameFramesWithoutCopying) {
  const auto path = write("views.pcap", pcap_file(3));
  auto copies = PcapFileSource::open(path);
  auto views = PcapFileSource::open(path);
  ASSERT_TRUE(copies && views);
  for (int i = 0; i < 3; ++i) {
    auto packet = (*copies)->next();
    auto view = (*views)->next_view();
    ASSERT_TRUE(packet && view);
    ASSERT_TRUE(packet->has_value() && view->has_value());
    EXPECT_EQ((**view).ts_us, (**packet).ts_us);
    EXPECT_EQ((**view).link_type, (**packet).link_type);
    EXPECT_EQ((**view).wire_length, 60u);
    EXPECT_EQ(Bytes((**view).bytes.begin(), (**view).bytes.end()), (**packet).bytes);
  }
  auto end = (*views)->next_view();
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->has_value());
  EXPECT_EQ((*views)->packets_read(), 3u);
}

TEST_F(PcapFileSourceTest, TruncatedViewNamesTheRecordsOffsetToo) {
  const Bytes whole = pcap_file(3);
  const auto path = write("truncated-view.pcap", Bytes(whole.begin(), whole.end() - 10));
  auto source = PcapFileSource::open(path);
  ASSERT_TRUE(source) << source.error();
  ASSERT_TRUE((*source)->next_view());
  ASSERT_TRUE((*source)->next_view());
  auto third = (*source)->next_view();
  ASSERT_FALSE(third);
  EXPECT_NE(third.error().find("offset 176"), std::string::npos) << third.error();
}

TEST_F(PcapFileSourceTest, TruncatedRecordNamesFilePacketAndOffset) {
  const Bytes whole = pcap_file(3);
  const Bytes bytes(whole.begin(), whole.end() - 10);  // the third record loses its last bytes
  const auto path = write("truncated.pcap", bytes);
  auto source = PcapFileSource::open(path);
  ASSERT_TRUE(source) << source.error();
  ASSERT_TRUE((*source)->next());
  ASSERT_TRUE((*source)->next());
  auto third = (*source)->next();
  ASSERT_FALSE(third);
  EXPECT_NE(third.error().find(path), std::string::npos) << third.error();
  EXPECT_NE(third.error().find("packet 3"), std::string::npos) << third.error();
  EXPECT_NE(third.error().find("offset 176"), std::string::npos) << third.error();  // 24 + 2 * 76
}

// pcapng with two interfaces of different snap lengths (which libpcap 1.10 rejects).
Bytes pcapng_two_interfaces(bool truncate_last) {
  Bytes file;
  auto block = [&file](std::uint32_t type, const Bytes& body) {
    put32le(file, type);
    put32le(file, static_cast<std::uint32_t>(12 + body.size()));
    file.insert(file.end(), body.begin(), body.end());
    put32le(file, static_cast<std::uint32_t>(12 + body.size()));
  };
  Bytes section;
  put32le(section, 0x1a2b3c4d);
  put16le(section, 1);
  put16le(section, 0);
  put32le(section, 0xffffffff);
  put32le(section, 0xffffffff);
  block(0x0a0d0d0a, section);
  for (std::uint32_t snap : {65535u, 262144u}) {
    Bytes interface;
    put16le(interface, 1);
    put16le(interface, 0);
    put32le(interface, snap);
    block(1, interface);
  }
  for (std::uint32_t id : {0u, 1u}) {
    Bytes packet;
    put32le(packet, id);
    put32le(packet, 0);
    put32le(packet, 2'000'000 + id);  // microseconds
    put32le(packet, 60);
    put32le(packet, 60);
    packet.insert(packet.end(), 60, 0xee);
    block(6, packet);
  }
  if (truncate_last) return Bytes(file.begin(), file.end() - 30);
  return file;
}

TEST_F(PcapFileSourceTest, PcapngWithDifferingInterfacesIsReadToTheEnd) {
  const auto path = write("interfaces.pcapng", pcapng_two_interfaces(false));
  auto source = PcapFileSource::open(path);
  ASSERT_TRUE(source) << source.error();
  std::vector<TimestampUs> times;
  for (;;) {
    auto packet = (*source)->next();
    ASSERT_TRUE(packet) << packet.error();
    if (!packet->has_value()) break;
    times.push_back((*packet)->ts_us);
    EXPECT_EQ((*packet)->bytes.size(), 60u);
  }
  EXPECT_EQ(times, (std::vector<TimestampUs>{2'000'000, 2'000'001}));
}

TEST_F(PcapFileSourceTest, TruncatedPcapngBlockNamesFileAndOffset) {
  const auto path = write("truncated.pcapng", pcapng_two_interfaces(true));
  auto source = PcapFileSource::open(path);
  ASSERT_TRUE(source) << source.error();
  Result<std::optional<Packet>> packet = std::optional<Packet>{};
  for (int i = 0; i < 3; ++i) {
    packet = (*source)->next();
    if (!packet) break;
  }
  ASSERT_FALSE(packet);
  EXPECT_NE(packet.error().find(path), std::string::npos) << packet.error();
  EXPECT_NE(packet.error().find("offset"), std::string::npos) << packet.error();
}

TEST_F(PcapFileSourceTest, GarbageIsAnErrorNamingTheFile) {
  const auto path =
      write("garbage.pcap", Bytes{'n', 'o', 't', ' ', 'a', ' ', 'p', 'c', 'a', 'p', '!', '!'});
  auto source = PcapFileSource::open(path);
  ASSERT_FALSE(source);
  EXPECT_NE(source.error().find(path), std::string::npos) << source.error();
}

TEST_F(PcapFileSourceTest, MissingFileIsAnError) {
  auto source = PcapFileSource::open("/nonexistent/hallmonitor/none.pcap");
  ASSERT_FALSE(source);
  EXPECT_NE(source.error().find("none.pcap"), std::string::npos);
}

TEST_F(PcapFileSourceTest, ReadsTheSharedPcapngCapture) {
  const std::string path = std::string(HM_TESTDATA_DIR) + "/pcaps/dhcp-option108-macbookpro.pcapng";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared test data missing: " << path;
  auto source = PcapFileSource::open(path);
  ASSERT_TRUE(source) << source.error();
  int packets = 0;
  for (auto packet = (*source)->next(); packet && packet->has_value(); packet = (*source)->next())
    ++packets;
  EXPECT_EQ(packets, 2);
}

}  // namespace
}  // namespace hm::capture
