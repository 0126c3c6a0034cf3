#include "mail/message.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace hm::mail {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<std::uint8_t>(bytes[i]) << 16) |
                            (static_cast<std::uint8_t>(bytes[i + 1]) << 8) |
                            static_cast<std::uint8_t>(bytes[i + 2]);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += kBase64Alphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool is_ascii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Bytes of the UTF-8 character starting with `lead` (1 for a stray continuation byte).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// A display name as a quoted-string when ASCII (so "Smith, J." stays one name), or
// encoded words otherwise.
std::string display_name(std::string_view name) {
  if (!is_ascii(name)) return encode_header_text(name);
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string rfc5322_date(std::int64_t unix_seconds) {
  const std::time_t when = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&when, &utc);
  std::array<char, 64> text{};
  // RFC 5322 §3.3; C locale names, whatever the box's locale.
  static constexpr std::array kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d +0000",
                kDays[static_cast<std::size_t>(utc.tm_wday)], utc.tm_mday,
                kMonths[static_cast<std::size_t>(utc.tm_mon)], utc.tm_year + 1900, utc.tm_hour,
                utc.tm_min, utc.tm_sec);
  return text.data();
}

// The body with every line end as CRLF, in base64 lines of 76 characters (RFC 2045
// §6.8).
std::string encode_body(std::string_view body) {
  std::string normalised;
  normalised.reserve(body.size() + body.size() / 40);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r') {
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
      normalised += "\r\n";
    } else if (body[i] == '\n') {
      normalised += "\r\n";
    } else {
      normalised += body[i];
    }
  }
  const std::string encoded = base64(normalised);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += 76) {
    out += encoded.substr(i, 76);
    out += "\r\n";
  }
  return out;
}

}  // namespace

bool valid_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (const char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;
    if (c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '(' || c == ')' ||
        c == '\\' || c == '[' || c == ']' || c == ':') {
      return false;
    }
  }
  const std::string_view domain = address.substr(at + 1);
  return domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

std::optional<std::string> header_text_problem(std::string_view text, std::string_view field) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      return std::string(field) + " cannot contain line breaks or other control characters.";
    }
  }
  if (text.size() > 200) return std::string(field) + " is too long (at most 200 characters).";
  return std::nullopt;
}

std::string encode_header_text(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  // "=?UTF-8?B?" + base64 + "?=" within 75 characters: 45 bytes of text make 60.
  constexpr std::size_t kMaxBytesPerWord = 45;
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size()) {
      const std::size_t next = end + utf8_length(static_cast<unsigned char>(text[end]));
      if (next - start > kMaxBytesPerWord) break;
      end = std::min(next, text.size());
    }
    // Prefer to end a word just after a space: decoders should drop the folding
    // whitespace between encoded words (RFC 2047 §6.2), but some keep it, and a kept
    // space beside a real one reads better than one inside a word.
    if (end < text.size()) {
      const auto space = text.substr(start, end - start).rfind(' ');
      if (space != std::string_view::npos && space > 0) end = start + space + 1;
    }
    if (!out.empty()) out += "\r\n ";  // folding whitespace between encoded words
    out += "=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

Result<std::string> format_message(const MailMessage& message) {
  if (!valid_address(message.from_address)) {
    return error("The sender's address \"" + message.from_address +
                 "\" is not an email address (like hallmonitor@school.example).");
  }
  if (message.to.empty()) return error("Say who the email is for.");
  for (const std::string& to : message.to) {
    if (!valid_address(to)) {
      return error("\"" + to + "\" is not an email address (like dsl@school.example).");
    }
  }
  if (auto problem = header_text_problem(message.from_name, "The sender's name")) {
    return error(*problem);
  }
  if (auto problem = header_text_problem(message.subject, "The subject")) return error(*problem);
  for (const MailAttachment& attachment : message.attachments) {
    const bool plain_name = !attachment.filename.empty() && is_ascii(attachment.filename) &&
                            attachment.filename.find_first_of("\"\\/") == std::string::npos;
    if (!plain_name || header_text_problem(attachment.filename, "A file's name")) {
      return error("An attached file's name must be plain ASCII without quotes or slashes.");
    }
    if (attachment.content_type.find_first_of("\r\n\"") != std::string::npos ||
        attachment.content_type.find('/') == std::string::npos) {
      return error("An attached file's type must look like application/pdf.");
    }
  }
  if (!message.message_id.empty() && !valid_address(message.message_id)) {
    return error("The message id must look like an address (id@domain).");
  }

  const std::string domain = message.from_address.substr(message.from_address.find('@') + 1);
  const std::string message_id = message.message_id.empty()
                                     ? crypto::to_hex(crypto::random_bytes(16)) + "@" + domain
                                     : message.message_id;
  const std::int64_t date =
      message.date_unix != 0 ? message.date_unix : static_cast<std::int64_t>(std::time(nullptr));

  std::string text;
  text += "Date: " + rfc5322_date(date) + "\r\n";
  text += "From: ";
  if (!message.from_name.empty()) text += display_name(message.from_name) + " ";
  text += "<" + message.from_address + ">\r\n";
  text += "To: ";
  for (std::size_t i = 0; i < message.to.size(); ++i) {
    text += (i > 0 ? ",\r\n " : "") + ("<" + message.to[i] + ">");
  }
  text += "\r\n";
  text += "Subject: " + encode_header_text(message.subject) + "\r\n";
  text += "Message-ID: <" + message_id + ">\r\n";
  text += "MIME-Version: 1.0\r\n";
  text += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no auto-replies to the box
  constexpr std::string_view kTextPart =
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  if (message.attachments.empty()) {
    text += kTextPart;
    text += encode_body(message.body);
    return text;
  }
  // RFC 2046 §5.1: the boundary must not occur in any part; base64 never makes "=_".
  const std::string boundary = "=_hallmonitor_" + crypto::to_hex(crypto::random_bytes(12));
  text += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  text += "--" + boundary + "\r\n";
  text += kTextPart;
  text += encode_body(message.body);
  for (const MailAttachment& attachment : message.attachments) {
    text += "--" + boundary + "\r\n";
    text += "Content-Type: " + attachment.content_type + "\r\n";
    text += "Content-Transfer-Encoding: base64\r\n";
    text += "Content-Disposition: attachment; filename=\"" + attachment.filename + "\"\r\n\r\n";
    const std::string encoded = base64(attachment.bytes);
    for (std::size_t i = 0; i < encoded.size(); i += 76) {
      text += encoded.substr(i, 76);
      text += "\r\n";
    }
  }
  text += "--" + boundary + "--\r\n";
  return text;
}

}  // namespace hm::mail
