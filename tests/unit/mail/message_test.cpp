#include "mail/message.h"

#include <gtest/gtest.h>

#include <string>

namespace hm::mail {
namespace {

MailMessage sample() {
  MailMessage message;
  message.from_address = "hallmonitor@stmarys.example";
  message.from_name = "St Mary's hallmonitor";
  message.to = {"dsl@stmarys.example"};
  message.subject = "A test email from the box";
  message.body = "Hello.\nThis is a test.\n";
  message.date_unix = 1'700'000'000;  // Tue, 14 Nov 2023 22:13:20 +0000
  message.message_id = "test-1@stmarys.example";
  return message;
}

// The part before the blank line that ends the headers.
std::string headers_of(const std::string& text) { return text.substr(0, text.find("\r\n\r\n")); }

std::string decode_base64(std::string_view text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const auto at = alphabet.find(c);
    if (at == std::string::npos) continue;  // line breaks, padding
    buffer = (buffer << 6) | static_cast<unsigned>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

TEST(MailMessage, HasTheHeadersAMailServerExpects) {
  const auto text = format_message(sample());
  ASSERT_TRUE(text) << text.error();
  const std::string headers = headers_of(*text);
  EXPECT_NE(headers.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"), std::string::npos)
      << headers;
  EXPECT_NE(headers.find("From: \"St Mary's hallmonitor\" <hallmonitor@stmarys.example>\r\n"),
            std::string::npos);
  EXPECT_NE(headers.find("To: <dsl@stmarys.example>\r\n"), std::string::npos);
  EXPECT_NE(headers.find("Subject: A test email from the box\r\n"), std::string::npos);
  EXPECT_NE(headers.find("Message-ID: <test-1@stmarys.example>\r\n"), std::string::npos);
  EXPECT_NE(headers.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(headers.find("Content-Transfer-Encoding: base64"), std::string::npos);
  // Every line ends CRLF: no bare LF anywhere.
  for (std::size_t i = 0; i < text->size(); ++i) {
    if ((*text)[i] == '\n') {
      ASSERT_TRUE(i > 0 && (*text)[i - 1] == '\r') << "bare LF at " << i;
    }
  }
}

TEST(MailMessage, BodyIsBase64WithCrlfLineEndsAndShortLines) {
  auto message = sample();
  message.body = std::string(300, 'x') + "\n.\nlast line é";
  const auto text = format_message(message);
  ASSERT_TRUE(text);
  const std::string body = text->substr(text->find("\r\n\r\n") + 4);
  EXPECT_EQ(decode_base64(body), std::string(300, 'x') + "\r\n.\r\nlast line é");
  std::size_t start = 0;
  while (start < body.size()) {
    const auto end = body.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 76u);
    EXPECT_NE(body.substr(start, 1), ".") << "a line SMTP could take for the end of the data";
    start = end + 2;
  }
}

TEST(MailMessage, NonAsciiSchoolNameIsEncodedAsUtf8Words) {
  auto message = sample();
  message.from_name = "Ysgol Gynradd Llanfair – Ñandú Primary Ærø";
  message.subject = "Prawf: e-bost o'r blwch — ysgol ☃";
  const auto text = format_message(message);
  ASSERT_TRUE(text);
  const std::string headers = headers_of(*text);
  EXPECT_NE(headers.find("From: =?UTF-8?B?"), std::string::npos) << headers;
  EXPECT_NE(headers.find("Subject: =?UTF-8?B?"), std::string::npos);
  for (const char c : headers) {
    EXPECT_LT(static_cast<unsigned char>(c), 0x80) << "raw 8-bit byte in the headers";
  }
  // Decoding the encoded words gives back the name, whole.
  const std::string subject_encoded = encode_header_text(message.subject);
  std::string decoded;
  std::size_t at = 0;
  while ((at = subject_encoded.find("=?UTF-8?B?", at)) != std::string::npos) {
    const auto end = subject_encoded.find("?=", at + 10);
    decoded += decode_base64(subject_encoded.substr(at + 10, end - at - 10));
    at = end + 2;
  }
  EXPECT_EQ(decoded, message.subject);
}

TEST(MailMessage, LongNonAsciiTextIsSplitIntoShortWordsWithoutCuttingACharacter) {
  std::string name;
  for (int i = 0; i < 40; ++i) name += "é☃";
  const std::string encoded = encode_header_text(name);
  std::size_t at = 0;
  std::string decoded;
  int words = 0;
  while ((at = encoded.find("=?UTF-8?B?", at)) != std::string::npos) {
    const auto end = encoded.find("?=", at + 10);
    EXPECT_LE(end + 2 - at, 75u) << "RFC 2047 §2: an encoded word is at most 75 characters";
    const std::string part = decode_base64(encoded.substr(at + 10, end - at - 10));
    // Each word holds whole characters: it does not start with a continuation byte.
    EXPECT_NE(static_cast<unsigned char>(part.front()) & 0xC0, 0x80);
    decoded += part;
    at = end + 2;
    ++words;
  }
  EXPECT_GT(words, 1);
  EXPECT_EQ(decoded, name);
}

TEST(MailMessage, RefusesHeaderInjectionFromSettingsFields) {
  auto injected_name = sample();
  injected_name.from_name = "School\r\nBcc: everyone@elsewhere.example";
  const auto name_result = format_message(injected_name);
  ASSERT_FALSE(name_result);
  EXPECT_NE(name_result.error().find("sender's name"), std::string::npos);

  auto injected_subject = sample();
  injected_subject.subject = "Hello\nBcc: x@y.example";
  EXPECT_FALSE(format_message(injected_subject));

  auto injected_to = sample();
  injected_to.to = {"dsl@stmarys.example>\r\nBcc: <x@y.example"};
  EXPECT_FALSE(format_message(injected_to));

  auto injected_from = sample();
  injected_from.from_address = "box@stmarys.example\r\nX-Evil: 1";
  EXPECT_FALSE(format_message(injected_from));
}

TEST(MailMessage, QuotesAnAsciiNameSoItsPunctuationStaysInTheName) {
  auto message = sample();
  message.from_name = R"(Smith, "J" \ Co)";
  const auto text = format_message(message);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find(R"(From: "Smith, \"J\" \\ Co" <hallmonitor@stmarys.example>)"),
            std::string::npos);
}

TEST(MailAddress, AcceptsPlainAddressesAndRefusesOthers) {
  EXPECT_TRUE(valid_address("dsl@stmarys.sch.uk"));
  EXPECT_TRUE(valid_address("first.last+alerts@school.example"));
  EXPECT_FALSE(valid_address(""));
  EXPECT_FALSE(valid_address("no-at-sign"));
  EXPECT_FALSE(valid_address("two@@example.com"));
  EXPECT_FALSE(valid_address("@example.com"));
  EXPECT_FALSE(valid_address("dsl@"));
  EXPECT_FALSE(valid_address("dsl @example.com"));
  EXPECT_FALSE(valid_address("dsl@example.com\r\n"));
  EXPECT_FALSE(valid_address("Anita <dsl@example.com>"));
  EXPECT_FALSE(valid_address("a@b.com,c@d.com"));
  EXPECT_FALSE(valid_address("dsl@.example.com"));
  EXPECT_FALSE(valid_address("dsl@example..com"));
  EXPECT_FALSE(valid_address("dsl@exämple.com"));
  EXPECT_FALSE(valid_address(std::string(250, 'a') + "@b.com"));
}

TEST(MailMessage, MakesADateAndMessageIdWhenNotGiven) {
  auto message = sample();
  message.date_unix = 0;
  message.message_id.clear();
  const auto first = format_message(message);
  const auto second = format_message(message);
  ASSERT_TRUE(first && second);
  const auto id_of = [](const std::string& text) {
    const auto at = text.find("Message-ID: <");
    return text.substr(at, text.find('>', at) - at);
  };
  EXPECT_NE(id_of(*first), id_of(*second));
  EXPECT_NE(id_of(*first).find("@stmarys.example"), std::string::npos);
  EXPECT_NE(first->find("Date: "), std::string::npos);
}

TEST(MailMessage, AnAttachmentMakesAMultipartMessageWithTheFileInBase64) {
  MailMessage message = sample();
  const std::string pdf = "%PDF-1.5\n" + std::string(200, '\x01') + "\n%%EOF";
  message.attachments.push_back({"weekly-report-2026-11-16.pdf", "application/pdf", pdf});
  auto text = format_message(message);
  ASSERT_TRUE(text) << text.error();
  const auto boundary_at = text->find("multipart/mixed; boundary=\"");
  ASSERT_NE(boundary_at, std::string::npos);
  const auto start = boundary_at + 27;
  const std::string boundary = text->substr(start, text->find('"', start) - start);
  EXPECT_NE(text->find("--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8"),
            std::string::npos);
  const auto file_header =
      text->find("Content-Disposition: attachment; filename=\"weekly-report-2026-11-16.pdf\"");
  ASSERT_NE(file_header, std::string::npos);
  const auto file_start = text->find("\r\n\r\n", file_header) + 4;
  const auto file_end = text->find("--" + boundary + "--", file_start);
  ASSERT_NE(file_end, std::string::npos) << "the closing boundary";
  std::string encoded = text->substr(file_start, file_end - file_start);
  std::erase(encoded, '\r');
  std::erase(encoded, '\n');
  EXPECT_EQ(decode_base64(encoded), pdf);
}

TEST(MailMessage, RefusesAnAttachmentNameThatCouldBreakItsHeader) {
  MailMessage message = sample();
  message.attachments.push_back({"report\".pdf\r\nX-Evil: 1", "application/pdf", "x"});
  EXPECT_FALSE(format_message(message));
  message.attachments = {{"../report.pdf", "application/pdf", "x"}};
  EXPECT_FALSE(format_message(message));
  message.attachments = {{"report.pdf", "application/pdf\r\nX-Evil: 1", "x"}};
  EXPECT_FALSE(format_message(message));
}

}  // namespace
}  // namespace hm::mail
