#include "dissect/http_body.h"

#include <zlib.h>

#include <array>
#include <cctype>

#include "dissect/html_text.h"
#include "dissect/search_terms.h"

namespace hm::dissect {
namespace {

constexpr std::size_t kInflateChunk = 16 * 1024;

std::string lower_trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence.
void cap_utf8(std::string& text, std::size_t max) {
  if (text.size() <= max) return;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
}

std::string form_text(std::string_view body) {
  std::string out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    if (!out.empty()) out += '\n';
    out += decode_form_component(pair);
  }
  return out;
}

}  // namespace

BodyFormat body_format_of(std::string_view content_type) {
  const std::string media = lower_trimmed(content_type.substr(0, content_type.find(';')));
  if (media == "text/html" || media == "application/xhtml+xml") return BodyFormat::html;
  if (media == "application/json" || media.ends_with("+json") || media == "text/json") {
    return BodyFormat::json;
  }
  if (media == "application/x-www-form-urlencoded") return BodyFormat::form;
  if (media == "text/xml" || media == "application/xml" || media.ends_with("+xml")) {
    return BodyFormat::xml;
  }
  // Style sheets and scripts are code, not what a pupil reads or writes.
  if (media == "text/css" || media == "text/javascript") return BodyFormat::other;
  if (media.starts_with("text/")) return BodyFormat::plain;
  return BodyFormat::other;
}

ContentCoding content_coding_of(std::string_view content_encoding) {
  const std::string coding = lower_trimmed(content_encoding);
  if (coding.empty() || coding == "identity") return ContentCoding::identity;
  if (coding == "gzip" || coding == "x-gzip") return ContentCoding::gzip;
  if (coding == "deflate") return ContentCoding::deflate;
  return ContentCoding::unsupported;
}

std::string_view to_string(BodyFormat format) {
  switch (format) {
    case BodyFormat::html: return "html";
    case BodyFormat::xml: return "xml";
    case BodyFormat::json: return "json";
    case BodyFormat::form: return "form";
    case BodyFormat::plain: return "plain";
    case BodyFormat::other: return "other";
  }
  return "other";
}

std::string body_text(BodyFormat format, std::string_view decoded) {
  switch (format) {
    case BodyFormat::html:
    case BodyFormat::xml: return html_to_text(decoded);
    case BodyFormat::form: return form_text(decoded);
    case BodyFormat::json:
    case BodyFormat::plain: return std::string(decoded);
    case BodyFormat::other: return {};
  }
  return {};
}

struct BodyDecoder::Inflater {
  z_stream stream{};
  bool initialised = false;
  bool finished = false;  // the last member ended; what follows is trailing bytes
  std::string header;     // deflate: the first bytes, until they say zlib or raw

  ~Inflater() {
    if (initialised) inflateEnd(&stream);
  }
  bool init(int window_bits) {
    if (initialised) inflateEnd(&stream);
    stream = z_stream{};
    initialised = inflateInit2(&stream, window_bits) == Z_OK;
    return initialised;
  }
};

BodyDecoder::BodyDecoder(ContentCoding coding, BodyFormat format, const HttpBodySettings& settings)
    : settings_(settings), coding_(coding), format_(format) {
  if (!wanted()) return;
  if (coding_ == ContentCoding::gzip) {
    inflater_ = std::make_unique<Inflater>();
    if (!inflater_->init(15 + 16)) undecodable_ = true;  // gzip wrapper only
  } else if (coding_ == ContentCoding::deflate) {
    inflater_ = std::make_unique<Inflater>();
  }
}

BodyDecoder::~BodyDecoder() = default;

bool BodyDecoder::wanted() const {
  return format_ != BodyFormat::other && coding_ != ContentCoding::unsupported;
}

void BodyDecoder::put(std::span<const std::uint8_t> bytes) {
  if (!wanted() || undecodable_ || truncated_ || bytes.empty()) return;
  if (coding_ == ContentCoding::identity) return keep(bytes);
  inflate(bytes);
}

void BodyDecoder::keep(std::span<const std::uint8_t> bytes) {
  const std::size_t room = settings_.max_decoded_bytes - decoded_.size();
  if (bytes.size() > room) {
    truncated_ = true;
    bytes = bytes.first(room);
  }
  decoded_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void BodyDecoder::inflate(std::span<const std::uint8_t> bytes) {
  Inflater& z = *inflater_;
  if (!z.initialised) {
    // "deflate" is meant to be zlib-wrapped (RFC 9110 §8.4.1.2) but some servers send
    // raw deflate: a valid zlib header (RFC 1950 §2.2) tells them apart.
    z.header.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (z.header.size() < 2) return;
    const auto cmf = static_cast<unsigned char>(z.header[0]);
    const auto flg = static_cast<unsigned char>(z.header[1]);
    const bool zlib_wrapped = (cmf & 0x0F) == 8 && ((cmf << 8) | flg) % 31 == 0;
    if (!z.init(zlib_wrapped ? 15 : -15)) {
      undecodable_ = true;
      return;
    }
    const std::string buffered = std::move(z.header);
    z.header.clear();
    return inflate(
        std::span(reinterpret_cast<const std::uint8_t*>(buffered.data()), buffered.size()));
  }
  if (z.finished) return;
  z.stream.next_in = const_cast<Bytef*>(bytes.data());  // zlib's API is not const-correct
  z.stream.avail_in = static_cast<uInt>(bytes.size());
  std::array<std::uint8_t, kInflateChunk> out{};
  while (z.stream.avail_in > 0) {
    const std::size_t room = settings_.max_decoded_bytes - decoded_.size();
    if (room == 0) {
      truncated_ = true;  // the rest is never inflated: zip bombs stop here
      return;
    }
    const std::size_t chunk = std::min(room, out.size());
    z.stream.next_out = out.data();
    z.stream.avail_out = static_cast<uInt>(chunk);
    const int status = ::inflate(&z.stream, Z_NO_FLUSH);
    decoded_.append(reinterpret_cast<const char*>(out.data()), chunk - z.stream.avail_out);
    if (status == Z_STREAM_END) {
      // gzip allows several members back to back (RFC 1952 §2.2); anything else after
      // the end is trailing bytes some servers add, ignored.
      const bool next_member = coding_ == ContentCoding::gzip && z.stream.avail_in >= 2 &&
                               z.stream.next_in[0] == 0x1f && z.stream.next_in[1] == 0x8b;
      if (!next_member || inflateReset(&z.stream) != Z_OK) {
        z.finished = true;
        return;
      }
      continue;
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      undecodable_ = true;
      return;
    }
    if (status == Z_BUF_ERROR && z.stream.avail_out != 0) return;  // needs more input
  }
}

HttpBodyText BodyDecoder::finish() {
  HttpBodyText result;
  result.format = format_;
  result.undecodable = undecodable_ || coding_ == ContentCoding::unsupported;
  result.truncated = truncated_;
  if (!wanted()) return result;
  result.text = body_text(format_, decoded_);
  if (result.text.size() > settings_.max_text_bytes) {
    cap_utf8(result.text, settings_.max_text_bytes);
    result.truncated = true;
  }
  decoded_.clear();
  return result;
}

}  // namespace hm::dissect
