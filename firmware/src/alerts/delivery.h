#pragma once

#include <filesystem>
#include <functional>

#include "alerts/clock.h"
#include "base/result.h"
#include "mail/mail_settings.h"
#include "mail/message.h"
#include "mail/smtp_sender.h"
#include "store/database.h"

namespace hm::alerts {

// How a message leaves the box: mail::send_mail on the box, a recording stand-in in tests.
using SendMail =
    std::function<mail::SendOutcome(const mail::MailSettings&, const mail::MailMessage&)>;

struct DeliveryCounts {
  int sent = 0;
  int retrying = 0;
  int failed = 0;
};

// Tries every outbox message that is due: the school's mail server from Settings, "dsl"
// read as the DSL's address at the moment of sending (a missing address is put right
// in Settings, and the message then goes). A message is marked sent as soon as the
// server accepts it; a refusal of the message itself (5xx to it) fails it for a person
// to look at; anything else (no server set, server down, a bad password) is retried
// with back-off (outbox.h retry_delay).
Result<DeliveryCounts> deliver_due(store::Database& db, const std::filesystem::path& data_dir,
                                   const Clock& clock, const SendMail& send);

}  // namespace hm::alerts
