#include "mail/smtp_sender.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

namespace hm::mail {
namespace {

// A one-connection SMTP server on 127.0.0.1 speaking just enough RFC 5321 for libcurl:
// it records the commands and the data, and refuses AUTH when told to. The real
// server test (aiosmtpd) is tests/integration/mail_test.py.
class FakeSmtpServer {
 public:
  explicit FakeSmtpServer(bool refuse_auth) : refuse_auth_(refuse_auth) {
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
  ~FakeSmtpServer() { finish(); }
  // Stops listening and waits for the conversation to end.
  void finish() {
    if (!thread_.joinable()) return;
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  FakeSmtpServer(const FakeSmtpServer&) = delete;
  FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;

  std::uint16_t port() const { return port_; }
  // After finish().
  const std::vector<std::string>& commands() const { return commands_; }
  const std::string& data() const { return data_; }

 private:
  void serve() {
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    std::string buffer;
    const auto reply = [client](std::string_view line) {
      const std::string text = std::string(line) + "\r\n";
      (void)!::write(client, text.data(), text.size());
    };
    const auto read_line = [&](std::string& line) {
      for (;;) {
        if (const auto end = buffer.find("\r\n"); end != std::string::npos) {
          line = buffer.substr(0, end);
          buffer.erase(0, end + 2);
          return true;
        }
        char chunk[4096];
        const auto got = ::read(client, chunk, sizeof chunk);
        if (got <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(got));
      }
    };
    reply("220 fake.example ESMTP ready");
    std::string line;
    while (read_line(line)) {
      commands_.push_back(line);
      if (line.starts_with("EHLO")) {
        reply("250-fake.example");
        reply("250 AUTH PLAIN LOGIN");
      } else if (line.starts_with("AUTH")) {
        // RFC 4954 §4: without an initial response the server asks for it (334).
        if (line == "AUTH PLAIN" || line == "AUTH LOGIN") {
          reply(line == "AUTH PLAIN" ? "334 " : "334 VXNlcm5hbWU6");
          if (!read_line(line)) break;
          commands_.push_back(line);
          if (commands_[commands_.size() - 2] == "AUTH LOGIN") {
            reply("334 UGFzc3dvcmQ6");
            if (!read_line(line)) break;
          }
        }
        reply(refuse_auth_ ? "535 5.7.8 Authentication credentials invalid"
                           : "235 2.7.0 Authentication successful");
      } else if (line.starts_with("MAIL FROM") || line.starts_with("RCPT TO")) {
        reply("250 2.1.0 OK");
      } else if (line == "DATA") {
        reply("354 End data with <CR><LF>.<CR><LF>");
        while (read_line(line) && line != ".") data_ += line + "\r\n";
        reply("250 2.0.0 Queued as 1234");
      } else if (line == "QUIT") {
        reply("221 2.0.0 Bye");
        break;
      } else {
        reply("502 5.5.2 Command not recognised");
      }
    }
    ::close(client);
  }

  bool refuse_auth_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::vector<std::string> commands_;
  std::string data_;
};

MailSettings plain_to(std::uint16_t port) {
  MailSettings settings;
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.security = Security::none;
  settings.from_address = "hallmonitor@stmarys.example";
  return settings;
}

MailMessage test_message() {
  MailMessage message;
  message.from_address = "hallmonitor@stmarys.example";
  message.from_name = "St Mary's";
  message.to = {"dsl@stmarys.example"};
  message.subject = "Test";
  message.body = "It works.";
  return message;
}

TEST(SmtpSender, SendsEnvelopeAndDataAndSignsInWhenAUserIsSet) {
  FakeSmtpServer server(/*refuse_auth=*/false);
  auto settings = plain_to(server.port());
  settings.username = "box";  // allowed without TLS: the server is this machine
  settings.password = "secret";
  const SendOutcome outcome = send_mail(settings, test_message());
  ASSERT_TRUE(outcome.sent) << outcome.message;
  EXPECT_EQ(outcome.smtp_code, 250);
  server.finish();
  const auto has = [&](std::string_view prefix) {
    for (const auto& command : server.commands()) {
      if (command.starts_with(prefix)) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("AUTH "));
  EXPECT_TRUE(has("MAIL FROM:<hallmonitor@stmarys.example>"));
  EXPECT_TRUE(has("RCPT TO:<dsl@stmarys.example>"));
  EXPECT_NE(server.data().find("Subject: Test\r\n"), std::string::npos) << server.data();
  EXPECT_NE(server.data().find("From: \"St Mary's\" <hallmonitor@stmarys.example>"),
            std::string::npos);
}

TEST(SmtpSender, ReturnsTheServersRefusalInPlainWords) {
  auto server = std::make_unique<FakeSmtpServer>(/*refuse_auth=*/true);
  auto settings = plain_to(server->port());
  settings.username = "box";
  settings.password = "wrong";
  const SendOutcome outcome = send_mail(settings, test_message());
  EXPECT_FALSE(outcome.sent);
  EXPECT_EQ(outcome.smtp_code, 535);
  EXPECT_NE(outcome.message.find("refused the user name or password"), std::string::npos)
      << outcome.message;
  EXPECT_NE(outcome.message.find("535 5.7.8 Authentication credentials invalid"), std::string::npos)
      << outcome.message;
  EXPECT_EQ(outcome.server_answer, "535 5.7.8 Authentication credentials invalid");
}

TEST(SmtpSender, ANothingListeningPortSaysTheServerCannotBeReached) {
  // Bind a port, then close it: nothing listens there now.
  std::uint16_t port = 0;
  {
    FakeSmtpServer closed(false);
    port = closed.port();
    // Let the fake's accept() see a connection and end.
    const int poke = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)::connect(poke, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::close(poke);
  }
  const SendOutcome outcome = send_mail(plain_to(port), test_message());
  EXPECT_FALSE(outcome.sent);
  EXPECT_NE(outcome.message.find("could not be reached"), std::string::npos) << outcome.message;
}

TEST(SmtpSender, StartTlsIsRequiredNotSkippedWhenTheServerDoesNotOfferIt) {
  FakeSmtpServer server(false);
  auto settings = plain_to(server.port());
  settings.security = Security::starttls;
  const SendOutcome outcome = send_mail(settings, test_message());
  EXPECT_FALSE(outcome.sent);
  EXPECT_NE(outcome.message.find("STARTTLS"), std::string::npos) << outcome.message;
}

TEST(SmtpSender, RefusesBadSettingsBeforeConnecting) {
  auto settings = plain_to(25);
  settings.host = "";
  const SendOutcome outcome = send_mail(settings, test_message());
  EXPECT_FALSE(outcome.sent);
  EXPECT_NE(outcome.message.find("mail server's name"), std::string::npos);
}

}  // namespace
}  // namespace hm::mail
