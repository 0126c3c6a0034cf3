// libFuzzer target: HTTP body decoding (links: dissect). The first byte picks the
// content coding and the text format, the second how the rest is cut into pieces;
// the rest is the body as it came off the wire after de-chunking, so gzip/deflate
// inflation (zip bombs included), HTML/XML text extraction, form decoding and the caps
// are all reached. Inputs that start with "HTTP/1." or a request method also go through
// HttpConversation as one side of a connection (Beast's parser, chunked, pipelining).
// Seed: bodies from ../shared/testdata/pcaps, e.g. `tshark --export-objects http,DIR`.
#include <cstddef>
#include <cstdint>
#include <span>

#include "dissect/http.h"
#include "dissect/http_body.h"

namespace {

using hm::dissect::BodyDecoder;
using hm::dissect::BodyFormat;
using hm::dissect::ContentCoding;
using hm::dissect::HttpBodySettings;
using hm::dissect::HttpConversation;

void touch(const std::string& text) {
  volatile std::size_t length = text.size();
  (void)length;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  HttpBodySettings settings;
  settings.max_decoded_bytes = 64 * 1024;  // small, so the caps are reached often
  settings.max_text_bytes = 4096;
  const auto coding = static_cast<ContentCoding>(data[0] % 4);
  const auto format = static_cast<BodyFormat>((data[0] >> 2) % 6);
  const std::size_t piece = 1 + data[1];
  const std::span<const std::uint8_t> body(data + 2, size - 2);

  BodyDecoder decoder(coding, format, settings);
  for (std::size_t at = 0; at < body.size(); at += piece) {
    decoder.put(body.subspan(at, std::min(piece, body.size() - at)));
  }
  const auto text = decoder.finish();
  if (text.text.size() > settings.max_text_bytes) __builtin_trap();
  touch(text.text);

  const bool response = hm::dissect::looks_like_http_response(body).value_or(false);
  const bool request = hm::dissect::looks_like_http_request(body).value_or(false);
  if (response || request) {
    HttpConversation conversation(settings, 4096);
    HttpConversation::Events events;
    events.on_request = [](const hm::dissect::HttpRequestHead& head) { touch(head.target); };
    events.on_body = [](const hm::dissect::HttpRequestHead&, HttpConversation::Side,
                        hm::dissect::HttpBodyText text) { touch(text.text); };
    const auto side = response ? HttpConversation::Side::server : HttpConversation::Side::client;
    for (std::size_t at = 0; at < body.size(); at += piece) {
      conversation.feed(side, body.subspan(at, std::min(piece, body.size() - at)), events);
    }
    conversation.finish(events);
  }
  return 0;
}
