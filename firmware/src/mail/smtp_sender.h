#pragma once

#include <chrono>
#include <string>

#include "base/result.h"
#include "mail/mail_settings.h"
#include "mail/message.h"

namespace hm::mail {

// How long one delivery may take. A school's server answers in a second or two; these
// bound a dead or black-holed one (the System page's test button waits for it).
struct SmtpTimeouts {
  std::chrono::seconds connect{10};
  std::chrono::seconds total{30};
};

// What happened to one delivery: sent, or why not in plain words with the server's own
// answer when it gave one ("The mail server refused: 535 5.7.8 Authentication failed").
struct SendOutcome {
  bool sent = false;
  std::string message;        // for the person at the screen
  std::string server_answer;  // the server's last reply line, if any (for the outbox, issue 7)
  long smtp_code = 0;         // its code (535 …), 0 when no reply was read
};

// Sends one message through the school's mail server with libcurl's SMTP: STARTTLS
// (required, never silently skipped), implicit TLS, or plain for a relay that offers
// no TLS; AUTH when a user name is set; certificate checked unless turned off. One
// call is one connection; blocking (call it off the packet path: a web request, the
// alerts' outbox thread).
SendOutcome send_mail(const MailSettings& settings, const MailMessage& message,
                      const SmtpTimeouts& timeouts = {});

}  // namespace hm::mail
