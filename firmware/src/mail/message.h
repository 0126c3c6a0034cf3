#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace hm::mail {

// One email as the box writes it: plain text, UTF-8. Every field may come from a
// setting a person typed (the school's name, an address), so format_message() refuses
// anything that could end a header early (header injection) instead of cleaning it.
// A file sent with the email (a report's PDF). Its name is checked like header text.
struct MailAttachment {
  std::string filename;      // e.g. weekly-report-2026-11-16.pdf
  std::string content_type;  // e.g. application/pdf
  std::string bytes;
};

struct MailMessage {
  std::string from_address;  // e.g. hallmonitor@school.example
  std::string from_name;     // e.g. "St Mary's Primary – hallmonitor" (may be non-ASCII)
  std::vector<std::string> to;
  std::string subject;
  std::string body;            // plain text; line ends are normalised to CRLF
  std::int64_t date_unix = 0;  // seconds since the epoch; 0: now
  std::string message_id;      // without <>; empty: made from random bytes and the domain
  std::vector<MailAttachment> attachments;  // none: a single text/plain part
};

// Whether `address` is a plain addr-spec (local@domain) a mail server will take:
// printable ASCII, one @, no spaces, angle brackets, commas or line breaks, at most
// 254 bytes (RFC 5321 §4.5.3.1.3).
bool valid_address(std::string_view address);

// Why a header's text cannot be used (a line break or another control character),
// or nullopt when it is fine. `field` names it for the message ("The school's name").
std::optional<std::string> header_text_problem(std::string_view text, std::string_view field);

// RFC 2047 encoded-word(s) for non-ASCII header text ("=?UTF-8?B?…?="), split so no
// encoded word is longer than 75 characters and no UTF-8 character is cut; ASCII text
// comes back unchanged.
std::string encode_header_text(std::string_view text);

// The message as RFC 5322 text with CRLF line ends, ready for SMTP's DATA: Date, From,
// To, Subject, Message-ID, MIME headers, and the body in base64 (any UTF-8, and no line
// that SMTP could read as the end of the data); with attachments, multipart/mixed with
// each file in base64. Refuses bad addresses and header text
// with line breaks, saying which field.
Result<std::string> format_message(const MailMessage& message);

}  // namespace hm::mail
