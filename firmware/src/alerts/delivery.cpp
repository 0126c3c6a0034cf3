#include "alerts/delivery.h"

#include <algorithm>

#include "alerts/alert_engine.h"
#include "alerts/outbox.h"
#include "alerts/rules.h"
#include "store/settings_repository.h"

namespace hm::alerts {
namespace {

constexpr std::string_view kDslEmailKey = "school.dsl_email";

// 550–554: the server will never take this message (no such mailbox, refused).
bool refused_for_good(long smtp_code) { return smtp_code >= 550 && smtp_code <= 554; }

}  // namespace

Result<DeliveryCounts> deliver_due(store::Database& db, const std::filesystem::path& data_dir,
                                   const Clock& clock, const SendMail& send) {
  Outbox outbox(db);
  DeliveryCounts counts;
  std::vector<OutboxMessage> due = outbox.due(clock.now());
  if (due.empty()) return counts;
  auto settings = mail::load_mail_settings(db, data_dir);
  store::SettingsRepository box_settings(db);
  const std::string dsl_email = box_settings.get(kDslEmailKey).value_or("");
  const std::string school = box_settings.get(kSchoolNameKey).value_or("");

  for (const OutboxMessage& message : due) {
    auto retry_later = [&](const std::string& why) -> Status {
      ++counts.retrying;
      return outbox.mark_attempt_failed(message.id, clock.now(), why, false);
    };
    Status recorded = Ok{};
    if (!settings || !settings->configured()) {
      recorded = retry_later(
          "No mail server is set yet: set one on the System page, and this email goes.");
    } else {
      mail::MailMessage email;
      email.from_address = settings->from_address;
      email.from_name = school.empty() ? "hallmonitor" : school + " – hallmonitor";
      for (const std::string& recipient : message.recipients) {
        email.to.push_back(recipient == kDslRecipient ? dsl_email : recipient);
      }
      email.subject = message.subject;
      email.body = message.body;
      email.date_unix = message.created_us / 1'000'000;
      email.message_id = message.message_id;
      if (!message.attachment_name.empty()) {
        email.attachments.push_back(
            {message.attachment_name, "application/pdf", message.attachment});
      }
      if (dsl_email.empty() && std::find(message.recipients.begin(), message.recipients.end(),
                                         kDslRecipient) != message.recipients.end()) {
        recorded =
            retry_later("No DSL email address is set: add it in Settings, and this email goes.");
      } else {
        const mail::SendOutcome outcome = send(*settings, email);
        if (outcome.sent) {
          ++counts.sent;
          recorded = outbox.mark_sent(message.id, clock.now(), outcome.server_answer);
        } else if (refused_for_good(outcome.smtp_code)) {
          ++counts.failed;
          recorded = outbox.mark_attempt_failed(message.id, clock.now(), outcome.message, true);
        } else {
          recorded = retry_later(outcome.message);
        }
      }
    }
    if (!recorded) return Error{recorded.error()};
  }
  return counts;
}

}  // namespace hm::alerts
