#include "alerts/delivery.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "alerts/alert_engine.h"
#include "alerts/alert_service.h"
#include "alerts_fixture.h"

namespace hm::alerts {
namespace {

// The mail server as the outbox sees it: each call answers the next scripted outcome
// and keeps what was sent.
struct FakeServer {
  std::vector<mail::SendOutcome> script;  // used in turn; empty: accept
  std::vector<mail::MailMessage> received;
  std::mutex mutex;  // the service's thread sends while the test looks
  std::size_t received_count() {
    std::lock_guard lock(mutex);
    return received.size();
  }
  SendMail sender() {
    return [this](const mail::MailSettings&, const mail::MailMessage& message) {
      std::lock_guard lock(mutex);
      mail::SendOutcome outcome{true, "sent", "250 2.0.0 Ok: queued", 250};
      if (!script.empty()) {
        outcome = script.front();
        script.erase(script.begin());
      }
      if (outcome.sent) received.push_back(message);
      return outcome;
    };
  }
};

const mail::SendOutcome kServerDown{false, "The mail server did not answer (127.0.0.1:2525).", "",
                                    0};

class DeliveryTest : public AlertsFixture {
 protected:
  void SetUp() override {
    AlertsFixture::SetUp();
    mail::MailSettings settings;
    settings.host = "127.0.0.1";
    settings.port = 2525;
    settings.security = mail::Security::none;
    settings.from_address = "hallmonitor@school.example";
    ASSERT_TRUE(mail::save_mail_settings(*db_, dir_, settings, std::nullopt));
  }
  std::int64_t queue(const std::string& subject, std::vector<std::string> to = {"dsl"}) {
    auto id = Outbox(*db_).enqueue(NewMessage{"alert", std::move(to), subject, "body", {}, {}, 0},
                                   clock_.now());
    EXPECT_TRUE(id) << id.error();
    return id ? *id : 0;
  }
  DeliveryCounts deliver() {
    auto counts = deliver_due(*db_, dir_, clock_, server_.sender());
    EXPECT_TRUE(counts) << counts.error();
    return counts ? *counts : DeliveryCounts{};
  }

  ManualClock clock_{monday_at(10)};
  FakeServer server_;
};

TEST_F(DeliveryTest, SendsOnceToTheDslsAddressAndRecordsTheServersAnswer) {
  const auto id = queue("Safeguarding alert");
  EXPECT_EQ(deliver().sent, 1);
  EXPECT_EQ(deliver().sent, 0) << "never twice";
  ASSERT_EQ(server_.received.size(), 1U);
  EXPECT_EQ(server_.received[0].to, std::vector<std::string>{"dsl@school.example"});
  EXPECT_EQ(server_.received[0].from_name, "St Ffraid's Primary – hallmonitor");
  const auto sent = Outbox(*db_).find(id);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->state, OutboxState::sent);
  EXPECT_EQ(sent->last_answer, "250 2.0.0 Ok: queued");
  EXPECT_EQ(sent->sent_us, clock_.now());
}

TEST_F(DeliveryTest, AnOutageIsRetriedWithBackOffUntilTheServerTakesIt) {
  server_.script = {kServerDown, kServerDown};
  const auto id = queue("Safeguarding alert");
  EXPECT_EQ(deliver().retrying, 1);
  auto waiting = Outbox(*db_).find(id);
  EXPECT_EQ(waiting->state, OutboxState::retrying);
  EXPECT_EQ(waiting->last_answer, kServerDown.message);
  EXPECT_EQ(waiting->next_attempt_us, clock_.now() + 30'000'000);

  clock_.set(clock_.now() + 29'000'000);
  EXPECT_EQ(deliver().retrying + deliver().sent, 0) << "not due yet";
  clock_.set(clock_.now() + 1'000'000);
  EXPECT_EQ(deliver().retrying, 1);
  EXPECT_EQ(Outbox(*db_).find(id)->next_attempt_us, clock_.now() + 60'000'000) << "then a minute";
  clock_.advance_minutes(1);
  EXPECT_EQ(deliver().sent, 1);
  EXPECT_EQ(server_.received.size(), 1U);
  EXPECT_EQ(Outbox(*db_).find(id)->attempts, 3);
}

TEST_F(DeliveryTest, RetryDelaysGrowToAnHour) {
  EXPECT_EQ(retry_delay(1), std::chrono::seconds(30));
  EXPECT_EQ(retry_delay(3), std::chrono::minutes(2));
  EXPECT_EQ(retry_delay(6), std::chrono::minutes(30));
  EXPECT_EQ(retry_delay(7), std::chrono::hours(1));
  EXPECT_EQ(retry_delay(5000), std::chrono::hours(1));
}

TEST_F(DeliveryTest, ARefusedMessageFailsForAPersonToSeeAndCanBeTriedAgain) {
  server_.script = {
      {false, "The mail server refused: 550 5.1.1 No such user", "550 5.1.1 No such user", 550}};
  const auto id = queue("Safeguarding alert");
  EXPECT_EQ(deliver().failed, 1);
  clock_.advance_minutes(120);
  EXPECT_EQ(deliver().sent, 0) << "a failed message waits for a person";
  const auto failed = Outbox(*db_).find(id);
  EXPECT_EQ(failed->state, OutboxState::failed);
  EXPECT_NE(failed->last_answer.find("550 5.1.1"), std::string::npos);
  EXPECT_EQ(Outbox(*db_).counts(clock_.now()).failed, 1);

  ASSERT_TRUE(Outbox(*db_).retry(id, clock_.now()));
  EXPECT_EQ(deliver().sent, 1);
}

TEST_F(DeliveryTest, WithoutADslAddressOrAMailServerTheEmailWaitsAndSaysWhy) {
  ASSERT_TRUE(store::SettingsRepository(*db_).erase("school.dsl_email"));
  const auto id = queue("Safeguarding alert");
  EXPECT_EQ(deliver().retrying, 1);
  EXPECT_NE(Outbox(*db_).find(id)->last_answer.find("No DSL email address is set"),
            std::string::npos);
  ASSERT_TRUE(store::SettingsRepository(*db_).set("school.dsl_email", "dsl@school.example"));
  clock_.advance_minutes(1);
  EXPECT_EQ(deliver().sent, 1);

  store::Statement forget(*db_, "DELETE FROM settings WHERE key LIKE 'mail.%'");
  forget.step();
  const auto second = queue("Another alert", {"head@school.example"});
  EXPECT_EQ(deliver().retrying, 1);
  EXPECT_NE(Outbox(*db_).find(second)->last_answer.find("No mail server is set"),
            std::string::npos);
}

TEST_F(DeliveryTest, AnAttachmentGoesWithTheEmail) {
  ASSERT_TRUE(Outbox(*db_).enqueue(
      NewMessage{"report", {"dsl"}, "Weekly report", "Attached.", "weekly.pdf", "%PDF-1.5 …", 0},
      clock_.now()));
  EXPECT_EQ(deliver().sent, 1);
  ASSERT_EQ(server_.received.size(), 1U);
  ASSERT_EQ(server_.received[0].attachments.size(), 1U);
  EXPECT_EQ(server_.received[0].attachments[0].filename, "weekly.pdf");
  EXPECT_EQ(server_.received[0].attachments[0].bytes, "%PDF-1.5 …");
}

// The whole path on the service's own thread: a stored capture becomes one email, and
// a message left waiting by a stopped daemon goes once when the next one starts.
TEST_F(DeliveryTest, TheServiceAlertsOnceAndARestartSendsWhatWaited) {
  ASSERT_TRUE(AlertEngine(*db_, clock_).process_new_captures());  // first pass: cursor set
  server_.script = {kServerDown};
  {
    AlertServiceOptions options;
    options.interval = std::chrono::milliseconds(20);
    options.send = server_.sender();
    options.clock = &clock_;
    auto service = AlertService::start(dir_, options);
    ASSERT_TRUE(service) << service.error();
    add_capture(monday_at(9, 59), "suicide", 5);
    for (int i = 0; i < 250 && Outbox(*db_).counts(clock_.now()).retrying == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    (*service)->stop();
  }
  EXPECT_TRUE(server_.received.empty());
  ASSERT_EQ(Outbox(*db_).counts(clock_.now()).retrying, 1);

  AlertServiceOptions options;
  options.interval = std::chrono::milliseconds(20);
  options.send = server_.sender();
  options.clock = &clock_;  // the same minute: only the restart makes it due
  auto service = AlertService::start(dir_, options);
  ASSERT_TRUE(service) << service.error();
  for (int i = 0; i < 250 && server_.received_count() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  (*service)->run_pass_now();
  (*service)->stop();
  ASSERT_EQ(server_.received.size(), 1U);
  EXPECT_NE(server_.received[0].subject.find("Suicide, severity 5"), std::string::npos);
}

}  // namespace
}  // namespace hm::alerts
