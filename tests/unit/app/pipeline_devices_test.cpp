// Devices learned from DHCP (issue 6): the workers hand the dhcp_lease observations to
// the store thread, which lists each device with its sealed host name, whether or not
// it ever made a capture.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "../dissect/frame_builder.h"
#include "app/pipeline.h"
#include "app/wiring.h"
#include "capture/pcap_file_source.h"
#include "store/accounts.h"
#include "store/capture_writer.h"
#include "store/database.h"
#include "store/device_repository.h"
#include "store/key_store.h"

namespace hm::app {
namespace {

using test::Bytes;

// A DHCPREQUEST (RFC 2131 §3.1) from the client with MAC 02:00:00:00:00:<mac_last>
// naming itself `host_name` (option 12), broadcast from 0.0.0.0:68.
capture::Packet dhcp_request(std::uint8_t mac_last, std::string_view host_name,
                             capture::TimestampUs ts_us) {
  Bytes message = {1, 1, 6, 0};
  test::put32(message, 0x12345678u + mac_last);  // xid
  test::put32(message, 0);                       // secs, flags
  test::put32(message, 0);                       // ciaddr
  test::put32(message, 0);                       // yiaddr
  test::put32(message, 0);                       // siaddr
  test::put32(message, 0);                       // giaddr
  message.insert(message.end(), {0x02, 0, 0, 0, 0, mac_last});
  message.insert(message.end(), 10 + 64 + 128, 0);  // chaddr padding, sname, file
  test::put32(message, 0x63825363);
  message.insert(message.end(), {53, 1, 3});  // DHCPREQUEST
  message.insert(message.end(), {50, 4, 10, 20, 99, mac_last});
  message.push_back(12);
  message.push_back(static_cast<std::uint8_t>(host_name.size()));
  message.insert(message.end(), host_name.begin(), host_name.end());
  message.push_back(255);
  capture::Packet packet;
  packet.ts_us = ts_us;
  packet.link_type = DLT_EN10MB;
  packet.bytes = test::udp_frame({mac_last, 0, 68}, {0xff, 255, 67}, message);
  packet.wire_length = static_cast<std::uint32_t>(packet.bytes.size());
  return packet;
}

class PipelineDevicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("hm-pipeline-devices-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  std::filesystem::path data_dir_;
};

// The bundled sample has no DHCP in it (tools/sample/README.md), so two devices join
// after it: one that never makes a capture, one that renames itself. The sample's own
// devices with captures are listed too.
TEST_F(PipelineDevicesTest, SampleReplayListsDevicesWithoutCapturesByTheirDhcpNames) {
  auto library = load_library({});  // the starter library
  ASSERT_TRUE(library) << library.error();
  auto writer = store::CaptureWriter::start(data_dir_);
  ASSERT_TRUE(writer) << writer.error();
  PipelineSettings settings;
  settings.workers = 2;
  Pipeline pipeline(settings, *library, **writer);

  auto source = capture::PcapFileSource::open(HM_SOURCE_DIR "/tools/sample/school-morning.pcap");
  ASSERT_TRUE(source) << source.error();
  capture::TimestampUs last_us = 0;
  while (true) {
    auto packet = (*source)->next_view();
    ASSERT_TRUE(packet) << packet.error();
    if (!packet->has_value()) break;
    last_us = (**packet).ts_us;
    pipeline.offer(**packet);
  }
  // The same request many times over (a device retrying) and a rename.
  for (int i = 0; i < 50; ++i) {
    pipeline.offer(dhcp_request(0x51, "ada-ipad", last_us + 1'000'000 + i * 1000));
  }
  pipeline.offer(dhcp_request(0x52, "library-chromebook-3", last_us + 2'000'000));
  pipeline.offer(dhcp_request(0x52, "sam-chromebook", last_us + 200'000'000));
  pipeline.finish();
  (*writer)->stop();
  ASSERT_GT(pipeline.counters().hits, 0u) << "the sample's planted concerns are captured";

  auto db = store::Database::open(data_dir_);
  ASSERT_TRUE(db) << db.error();
  auto private_key = store::KeyStore(**db).unwrap_with_setup_code(store::ensure_setup_code(**db));
  ASSERT_TRUE(private_key);
  std::set<std::string> captured_macs;
  store::Statement query(**db, "SELECT DISTINCT client_mac FROM captures;");
  while (query.step()) captured_macs.insert(query.column_text(0));
  ASSERT_FALSE(captured_macs.empty());

  std::map<std::string, std::string> listed;  // mac → opened name ("" when unnamed)
  std::map<std::string, store::Device> devices;
  for (const store::Device& device : store::DeviceRepository(**db).list()) {
    listed[device.mac] = open_device_name(device, *private_key).value_or("");
    devices[device.mac] = device;
  }
  for (const std::string& mac : captured_macs) {
    if (!mac.empty()) {
      EXPECT_TRUE(listed.contains(mac)) << mac << " made a capture";
    }
  }
  ASSERT_TRUE(listed.contains("02:00:00:00:00:51"));
  ASSERT_TRUE(listed.contains("02:00:00:00:00:52"));
  EXPECT_FALSE(captured_macs.contains("02:00:00:00:00:51"));
  EXPECT_EQ(listed["02:00:00:00:00:51"], "ada-ipad");
  EXPECT_EQ(listed["02:00:00:00:00:52"], "sam-chromebook") << "the latest name wins";
  EXPECT_EQ(devices["02:00:00:00:00:51"].first_seen_us, last_us + 1'000'000);
  EXPECT_EQ(devices["02:00:00:00:00:51"].last_seen_us, last_us + 1'000'000 + 49 * 1000);
  EXPECT_EQ(devices["02:00:00:00:00:52"].last_seen_us, last_us + 200'000'000);
  EXPECT_EQ(listed.size(), captured_macs.size() + 2) << "no other device is made up";
}

}  // namespace
}  // namespace hm::app
