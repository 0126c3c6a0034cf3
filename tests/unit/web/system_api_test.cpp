// The System page's API (firmware/src/web/api/system.cpp): the capture counters the
// mirror check shows, storage and time, the mail server's settings (password never
// returned, sealed at rest), the test email through a real SMTP conversation, and the
// restart refused outside the box's service — each change audited, and nothing that
// names a person for a technician.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "store/capture_status.h"
#include "store/settings_repository.h"
#include "web_fixture.h"

namespace hm::web {
namespace {

class SystemApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    store::CaptureStatus::instance().reset();
  }
  void TearDown() override {
    store::CaptureStatus::instance().reset();
    ApiTest::TearDown();
  }

  static nlohmann::json relay_on(std::uint16_t port) {
    return {{"host", "127.0.0.1"},
            {"port", port},
            {"security", "none"},
            {"username", ""},
            {"from_address", "box@stmarys.example"}};
  }
};

// An Ethernet frame from `mac_last` (the last byte of a unicast MAC).
std::vector<std::uint8_t> frame_from(std::uint8_t mac_last) {
  std::vector<std::uint8_t> frame(60, 0);
  const std::uint8_t source[6] = {0x3c, 0x22, 0xfb, 0x10, 0x00, mac_last};
  std::copy(std::begin(source), std::end(source), frame.begin() + 6);
  return frame;
}

TEST_F(SystemApiTest, TheMirrorCheckCountsPacketsAndDevicesInTheLastSeconds) {
  sign_in();
  auto& status = store::CaptureStatus::instance();
  status.start(store::CaptureStatus::Mode::live, "eth1");
  const std::int64_t now = store::now_us();
  // Two devices a minute ago, three now (one of them again).
  for (int i = 0; i < 5; ++i) status.note_frame(frame_from(1), now - 60'000'000);
  status.note_frame(frame_from(2), now - 60'000'000);
  const Response before = call("GET", "/api/system/capture");  // a look before the new ones
  ASSERT_EQ(before.status, 200) << before.body;
  for (int i = 0; i < 7; ++i)
    status.note_frame(frame_from(static_cast<std::uint8_t>(3 + i % 3)), now);
  status.note_frame(frame_from(1), now);
  status.note_ring_drop();
  status.set_kernel_drops(4, 1);

  const Response answer = call("GET", "/api/system/capture");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto body = json(answer);
  EXPECT_EQ(body["mode"], "live");
  EXPECT_EQ(body["source"], "eth1");
  EXPECT_EQ(body["packets"], 14);
  EXPECT_EQ(body["devices"], 5);
  EXPECT_EQ(body["devices_recent"], 4) << "devices 3, 4, 5 and 1 were seen in the last 10 s";
  EXPECT_EQ(body["window_seconds"], 10);
  EXPECT_EQ(body["drops"]["ring"], 1);
  EXPECT_EQ(body["drops"]["kernel"], 4);
  EXPECT_EQ(body["drops"]["interface"], 1);
}

TEST_F(SystemApiTest, PacketsRecentAreTheOnesSinceALookBeforeTheWindow) {
  auto& status = store::CaptureStatus::instance();
  status.start(store::CaptureStatus::Mode::live, "eth1");
  const std::int64_t start = 1'800'000'000'000'000;
  for (int i = 0; i < 100; ++i) status.note_frame(frame_from(1), start);
  (void)status.snapshot(start, 10);  // the page looked then
  for (int i = 0; i < 30; ++i) status.note_frame(frame_from(1), start + 12'000'000);
  const auto later = status.snapshot(start + 12'000'000, 10);
  EXPECT_EQ(later.packets, 130u);
  EXPECT_EQ(later.packets_recent, 30u);
  // Nothing more for a minute: nothing recent, the totals stay.
  const auto quiet = status.snapshot(start + 80'000'000, 10);
  EXPECT_EQ(quiet.packets_recent, 0u);
  EXPECT_EQ(quiet.devices_recent, 0u);
  EXPECT_EQ(quiet.devices_total, 1u);
}

TEST_F(SystemApiTest, AReplayShowsItsPacketsAndSaysItIsTestMode) {
  sign_in();
  auto& status = store::CaptureStatus::instance();
  status.start(store::CaptureStatus::Mode::replay, "school-morning.pcap");
  for (int i = 0; i < 3; ++i) status.note_frame(frame_from(static_cast<std::uint8_t>(i + 1)));
  status.mark_finished();
  const auto body = json(call("GET", "/api/system"));
  EXPECT_EQ(body["capture"]["mode"], "replay");
  EXPECT_EQ(body["capture"]["source"], "school-morning.pcap");
  EXPECT_TRUE(body["capture"]["finished"].get<bool>());
  EXPECT_EQ(body["capture"]["packets"], 3);
  EXPECT_EQ(body["capture"]["devices"], 3);
  EXPECT_FALSE(body["can_restart"].get<bool>());
}

TEST_F(SystemApiTest, OverviewHasStorageTimeLibraryAndUptime) {
  sign_in();
  plant_capture(1'717'400'000'000'000);
  const Response answer = call("GET", "/api/system");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto body = json(answer);
  EXPECT_EQ(body["storage"]["captures"], 1);
  EXPECT_EQ(body["storage"]["oldest_capture"], "2024-06-03T07:33:20Z");
  EXPECT_GT(body["storage"]["data_folder_bytes"].get<std::int64_t>(), 0);
  EXPECT_GT(body["storage"]["free_bytes"].get<std::int64_t>(), 0);
  EXPECT_TRUE(body["time"]["now"].is_string());
  EXPECT_TRUE(body["time"]["synchronised"].is_boolean() || body["time"]["synchronised"].is_null());
  EXPECT_EQ(body["library"]["source"], "starter");
  EXPECT_GE(body["uptime"]["daemon_seconds"].get<std::int64_t>(), 0);
  EXPECT_FALSE(body["version"].get<std::string>().empty());
  EXPECT_TRUE(body["interfaces"].is_array());
}

TEST_F(SystemApiTest, RestartIsRefusedOutsideTheBoxsService) {
  sign_in();
  const Response answer = call("POST", "/api/system/restart", nlohmann::json::object());
  EXPECT_EQ(answer.status, 409) << answer.body;
  EXPECT_EQ(json(answer)["error"], "restart_unavailable");
  EXPECT_NE(json(answer)["message"].get<std::string>().find("only available on the box itself"),
            std::string::npos);
  EXPECT_FALSE(store::restart_requested());
  EXPECT_TRUE(audit_details("restart").empty());
}

TEST_F(SystemApiTest, MailSettingsAreSavedAuditedAndNeverGiveThePasswordBack) {
  sign_in();
  auto settings = relay_on(587);
  settings["host"] = "smtp.office365.com";
  settings["security"] = "starttls";
  settings["username"] = "box@stmarys.example";
  settings["password"] = "a mail password";
  const Response saved = call("PUT", "/api/system/mail", settings);
  ASSERT_EQ(saved.status, 200) << saved.body;
  const Response got = call("GET", "/api/system/mail");
  EXPECT_EQ(got.body.find("a mail password"), std::string::npos);
  EXPECT_TRUE(json(got)["password_saved"].get<bool>());
  EXPECT_TRUE(json(got)["configured"].get<bool>());
  EXPECT_EQ(json(got)["host"], "smtp.office365.com");
  ASSERT_EQ(audit_details("mail_settings").size(), 1u);
  EXPECT_NE(audit_details("mail_settings")[0].find("password changed"), std::string::npos);
  EXPECT_EQ(audit_details("mail_settings")[0].find("a mail password"), std::string::npos);

  // Saving without a password keeps it.
  settings.erase("password");
  settings["port"] = 465;
  settings["security"] = "tls";
  ASSERT_EQ(call("PUT", "/api/system/mail", settings).status, 200);
  EXPECT_TRUE(json(call("GET", "/api/system/mail"))["password_saved"].get<bool>());
}

TEST_F(SystemApiTest, BadMailSettingsAreRefusedWithTheFieldToFix) {
  sign_in();
  auto settings = relay_on(25);
  settings["port"] = 70000;
  EXPECT_EQ(call("PUT", "/api/system/mail", settings).status, 400);
  settings = relay_on(25);
  settings["security"] = "ssl";
  EXPECT_EQ(call("PUT", "/api/system/mail", settings).status, 400);
  settings = relay_on(25);
  settings["from_address"] = "box@example.com\r\nBcc: x@y.example";
  const Response injected = call("PUT", "/api/system/mail", settings);
  EXPECT_EQ(injected.status, 400);
  EXPECT_NE(json(injected)["message"].get<std::string>().find("sender's address"),
            std::string::npos);
  settings = relay_on(25);
  settings["host"] = "mail.school.example";
  settings["username"] = "box";
  settings["password"] = "secret";
  const Response clear = call("PUT", "/api/system/mail", settings);
  EXPECT_EQ(clear.status, 400);
  EXPECT_NE(json(clear)["message"].get<std::string>().find("readable"), std::string::npos);
}

// A one-message SMTP server on 127.0.0.1 that keeps what it was sent.
class OneMessageSmtp {
 public:
  OneMessageSmtp() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 1);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneMessageSmtp() {
    ::shutdown(listener_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }
  OneMessageSmtp(const OneMessageSmtp&) = delete;
  OneMessageSmtp& operator=(const OneMessageSmtp&) = delete;
  std::uint16_t port() const { return port_; }
  // After the conversation: stops listening and waits for it to end.
  std::string transcript() {
    ::shutdown(listener_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    return transcript_;
  }

 private:
  void serve() {
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    const auto say = [client](std::string_view text) {
      (void)!::write(client, text.data(), text.size());
    };
    say("220 test ESMTP\r\n");
    std::string buffer;
    bool in_data = false;
    char chunk[4096];
    for (;;) {
      const auto end = buffer.find("\r\n");
      if (end == std::string::npos) {
        const auto got = ::read(client, chunk, sizeof chunk);
        if (got <= 0) break;
        buffer.append(chunk, static_cast<std::size_t>(got));
        continue;
      }
      const std::string line = buffer.substr(0, end);
      buffer.erase(0, end + 2);
      transcript_ += line + "\n";
      if (in_data) {
        if (line == ".") {
          in_data = false;
          say("250 OK queued\r\n");
        }
      } else if (line.starts_with("EHLO")) {
        say("250 test\r\n");
      } else if (line == "DATA") {
        in_data = true;
        say("354 go on\r\n");
      } else if (line == "QUIT") {
        say("221 bye\r\n");
        break;
      } else {
        say("250 OK\r\n");
      }
    }
    ::close(client);
  }
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::string transcript_;
};

TEST_F(SystemApiTest, TheTestEmailGoesToTheDslByDefaultAndIsAudited) {
  sign_in();
  OneMessageSmtp server;
  ASSERT_EQ(call("PUT", "/api/system/mail", relay_on(server.port())).status, 200);
  ASSERT_EQ(call("PUT", "/api/settings/school",
                 {{"school_name", "Ysgol Llanfair – Ñandú"}, {"dsl_email", "dsl@stmarys.example"}})
                .status,
            200);
  const Response sent = call("POST", "/api/system/mail/test", {{"to", ""}});
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(json(sent)["to"], "the DSL's address");
  const std::string transcript = server.transcript();
  EXPECT_NE(transcript.find("RCPT TO:<dsl@stmarys.example>"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("MAIL FROM:<box@stmarys.example>"), std::string::npos);
  EXPECT_NE(transcript.find("From: =?UTF-8?B?"), std::string::npos) << "the school's name, encoded";
  ASSERT_EQ(audit_details("mail_test").size(), 1u);
  EXPECT_NE(audit_details("mail_test")[0].find("sent to the DSL's address"), std::string::npos);
}

TEST_F(SystemApiTest, AFailedTestEmailSaysWhyInPlainWords) {
  sign_in();
  std::uint16_t closed_port = 0;
  {
    OneMessageSmtp gone;
    closed_port = gone.port();
  }
  ASSERT_EQ(call("PUT", "/api/system/mail", relay_on(closed_port)).status, 200);
  const Response failed = call("POST", "/api/system/mail/test", {{"to", "head@stmarys.example"}});
  EXPECT_EQ(failed.status, 502) << failed.body;
  EXPECT_NE(json(failed)["message"].get<std::string>().find("could not be reached"),
            std::string::npos)
      << failed.body;
  ASSERT_EQ(audit_details("mail_test").size(), 1u);
  EXPECT_NE(audit_details("mail_test")[0].find("failed"), std::string::npos);
}

TEST_F(SystemApiTest, TheTestEmailNeedsSavedSettingsAndARecipient) {
  sign_in();
  EXPECT_EQ(call("POST", "/api/system/mail/test", {{"to", "x@y.example"}}).status, 409);
  ASSERT_EQ(call("PUT", "/api/system/mail", relay_on(2525)).status, 200);
  EXPECT_EQ(call("POST", "/api/system/mail/test", {{"to", ""}}).status, 400)
      << "no DSL address yet";
  EXPECT_EQ(call("POST", "/api/system/mail/test", {{"to", "not an address"}}).status, 400);
}

TEST_F(SystemApiTest, ATechnicianRunsTheSystemPageButSeesNoNames) {
  sign_in();
  ASSERT_EQ(call("PUT", "/api/settings/school",
                 {{"school_name", "St Mary's"}, {"dsl_email", "anita.patel@stmarys.example"}})
                .status,
            200);
  plant_capture();
  sign_in_as(store::Role::technician, "tech1");
  for (const char* path :
       {"/api/system", "/api/system/mail", "/api/system/capture", "/api/settings/school"}) {
    const Response answer = call("GET", path);
    ASSERT_EQ(answer.status, 200) << path;
    EXPECT_EQ(answer.body.find("anita.patel"), std::string::npos) << path;
    EXPECT_EQ(answer.body.find("how to kill myself"), std::string::npos) << path;
  }
  EXPECT_EQ(json(call("GET", "/api/settings/school"))["school_name"], "St Mary's");
  EXPECT_FALSE(json(call("GET", "/api/settings/school")).contains("dsl_email"));
  EXPECT_EQ(call("PUT", "/api/settings/school", {{"dsl_email", "x@y.example"}}).status, 403);
}

}  // namespace
}  // namespace hm::web
