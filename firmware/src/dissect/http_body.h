#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace hm::dissect {

// Bounds of HTTP body decoding, per message. Both are named settings (app/settings.cpp).
struct HttpBodySettings {
  // Body bytes kept after de-chunking and inflating; the rest is not inflated at all,
  // so a zip bomb costs no more than its own length in CPU.
  std::size_t max_decoded_bytes = 256 * 1024;
  // Text handed to the matcher per message (after tags, scripts and styles are gone).
  std::size_t max_text_bytes = 32 * 1024;
};

// What the text of a body is, from its Content-Type (RFC 9110 §8.3).
enum class BodyFormat : std::uint8_t { html, xml, json, form, plain, other };
// Content-Encoding (RFC 9110 §8.4.1); `unsupported` covers br, zstd and codings stacked.
enum class ContentCoding : std::uint8_t { identity, gzip, deflate, unsupported };

BodyFormat body_format_of(std::string_view content_type);
ContentCoding content_coding_of(std::string_view content_encoding);
std::string_view to_string(BodyFormat format);

struct HttpBodyText {
  BodyFormat format = BodyFormat::other;
  std::string text;
  bool truncated = false;    // a cap was reached: body_truncated
  bool undecodable = false;  // corrupt gzip/deflate or an unsupported coding
};

// The readable text of a decoded body: HTML and XML (RSS, feeds) → text, form posts → "name=value"
// lines decoded, JSON and plain text as sent. Not capped.
std::string body_text(BodyFormat format, std::string_view decoded);

// One message's body, fed as it arrives (already de-chunked): inflates gzip and
// deflate (zlib) up to max_decoded_bytes, then gives its text. Bodies whose format is
// `other` (images, video, binaries) are counted, never kept.
class BodyDecoder {
 public:
  BodyDecoder(ContentCoding coding, BodyFormat format, const HttpBodySettings& settings);
  ~BodyDecoder();
  BodyDecoder(const BodyDecoder&) = delete;
  BodyDecoder& operator=(const BodyDecoder&) = delete;

  // True when the body's text is worth keeping (a text format in a coding we read).
  bool wanted() const;
  void put(std::span<const std::uint8_t> bytes);
  // The body's text as far as it went, capped at max_text_bytes.
  HttpBodyText finish();

 private:
  struct Inflater;
  void keep(std::span<const std::uint8_t> bytes);
  void inflate(std::span<const std::uint8_t> bytes);

  const HttpBodySettings& settings_;
  const ContentCoding coding_;
  const BodyFormat format_;
  std::unique_ptr<Inflater> inflater_;
  std::string decoded_;
  bool truncated_ = false;
  bool undecodable_ = false;
};

}  // namespace hm::dissect
