#include "dissect/http_body.h"

#include <zlib.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "dissect/html_text.h"

namespace hm::dissect {
namespace {

// window_bits: 15 + 16 gzip, 15 zlib, -15 raw deflate.
std::string compress(std::string_view text, int window_bits) {
  z_stream stream{};
  EXPECT_EQ(
      deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::span<const std::uint8_t> bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Feeds `body` in pieces of `piece` bytes, as TCP might deliver it.
HttpBodyText decode(ContentCoding coding, BodyFormat format, std::string_view body,
                    const HttpBodySettings& settings = {}, std::size_t piece = 7) {
  BodyDecoder decoder(coding, format, settings);
  for (std::size_t at = 0; at < body.size(); at += piece) {
    decoder.put(bytes(body.substr(at, piece)));
  }
  return decoder.finish();
}

TEST(HtmlTextTest, TagsScriptsStylesAndCommentsGo) {
  EXPECT_EQ(html_to_text("<html><head><title>Year 5 news</title>"
                         "<style>p { color: red }</style>"
                         "<script type=\"text/javascript\">var a = '<p>no</p>';</script>"
                         "</head><body><!-- hidden <b>note</b> -->"
                         "<p class=\"x > y\">Sports&nbsp;day &amp; picnic</p>"
                         "<div>on Friday</div></body></html>"),
            "Year 5 news Sports day & picnic on Friday");
}

TEST(HtmlTextTest, InlineTagsDoNotSplitWords) {
  EXPECT_EQ(html_to_text("s<b>ui</b>cide<br>next"), "suicide next");
  EXPECT_EQ(html_to_text("a <SCRIPT>x()</SCRIPT> b"), "a b");
  EXPECT_EQ(html_to_text("stray </script> end tag"), "stray end tag");
}

TEST(HtmlTextTest, BrokenMarkupEndsCleanly) {
  EXPECT_EQ(html_to_text("text <p unclosed"), "text");
  EXPECT_EQ(html_to_text("<script>never closed"), "");
  EXPECT_EQ(html_to_text("a < b and c<3"), "a < b and c<3");
  EXPECT_EQ(html_to_text("<!-- open comment"), "");
}

// Text is taken a run at a time between '&' and '<' (issue 9); spaces are the "C"
// locale's six, collapsed and trimmed, and a UTF-8 no-break space is a letter's byte.
TEST(HtmlTextTest, WhitespaceRunsCollapseAcrossTextReferencesAndTags) {
  EXPECT_EQ(html_to_text(" \t\n\v\f\r one \r\n two\t&amp;\nthree<b> four </b>five  "),
            "one two & three four five");
  EXPECT_EQ(html_to_text("no\xc2\xa0"
                         "break &lt;&gt;x&y; AT&T<i>s</i>"),
            "no\xc2\xa0"
            "break <>x&y; AT&Ts");
}

TEST(HtmlTextTest, CharacterReferences) {
  EXPECT_EQ(decode_html_entities("caf&eacute; &#233; &#xE9; &lt;b&gt; &unknown; &#0; AT&T"),
            "caf\xC3\xA9 \xC3\xA9 \xC3\xA9 <b> &unknown; \xEF\xBF\xBD AT&T");
  EXPECT_EQ(decode_html_entities("&#x1F600;&#99999999999;"), "\xF0\x9F\x98\x80\xEF\xBF\xBD");
}

TEST(HttpBodyTest, FormatAndCodingFromHeaders) {
  EXPECT_EQ(body_format_of("text/html; charset=UTF-8"), BodyFormat::html);
  EXPECT_EQ(body_format_of(" Application/JSON"), BodyFormat::json);
  EXPECT_EQ(body_format_of("application/ld+json"), BodyFormat::json);
  EXPECT_EQ(body_format_of("application/x-www-form-urlencoded"), BodyFormat::form);
  EXPECT_EQ(body_format_of("text/plain"), BodyFormat::plain);
  EXPECT_EQ(body_format_of("application/rss+xml"), BodyFormat::xml);
  EXPECT_EQ(body_format_of("text/css"), BodyFormat::other);
  EXPECT_EQ(body_format_of("image/jpeg"), BodyFormat::other);
  EXPECT_EQ(body_format_of(""), BodyFormat::other);
  EXPECT_EQ(content_coding_of(""), ContentCoding::identity);
  EXPECT_EQ(content_coding_of("GZIP"), ContentCoding::gzip);
  EXPECT_EQ(content_coding_of("deflate"), ContentCoding::deflate);
  EXPECT_EQ(content_coding_of("br"), ContentCoding::unsupported);
  EXPECT_EQ(content_coding_of("gzip, br"), ContentCoding::unsupported);
}

TEST(HttpBodyTest, GzipAndBothDeflateFlavours) {
  const std::string page = "<p>The quick brown fox</p><p>jumps over the lazy dog</p>";
  for (const int window_bits : {15 + 16, 15, -15}) {
    const ContentCoding coding = window_bits > 16 ? ContentCoding::gzip : ContentCoding::deflate;
    const auto result = decode(coding, BodyFormat::html, compress(page, window_bits));
    EXPECT_EQ(result.text, "The quick brown fox jumps over the lazy dog") << window_bits;
    EXPECT_FALSE(result.truncated);
    EXPECT_FALSE(result.undecodable);
  }
}

TEST(HttpBodyTest, GzipMembersBackToBackAndTrailingBytes) {
  const std::string body = compress("first ", 31) + compress("second", 31) + "\r\n";
  const auto result = decode(ContentCoding::gzip, BodyFormat::plain, body);
  EXPECT_EQ(result.text, "first second");
  EXPECT_FALSE(result.undecodable);
}

TEST(HttpBodyTest, CorruptGzipIsUndecodableButKeepsWhatCameBefore) {
  std::string body = compress(std::string(4000, 'a') + "tail", 31);
  body[body.size() / 2] ^= 0x55;
  const auto result = decode(ContentCoding::gzip, BodyFormat::plain, body);
  EXPECT_TRUE(result.undecodable);
  EXPECT_LE(result.text.size(), 4004u);
  EXPECT_TRUE(decode(ContentCoding::gzip, BodyFormat::plain, "not gzip at all").undecodable);
}

TEST(HttpBodyTest, ZipBombStopsAtTheCap) {
  const std::string bomb = compress(std::string(16 * 1024 * 1024, 'A'), 31);  // ~16 KiB
  HttpBodySettings settings;
  settings.max_decoded_bytes = 1024 * 1024;
  settings.max_text_bytes = 1000;
  const auto started = std::chrono::steady_clock::now();
  const auto result = decode(ContentCoding::gzip, BodyFormat::plain, bomb, settings, 1500);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(result.text, std::string(1000, 'A'));
  // Not a timing assertion, a sanity bound: 16 MiB were never inflated.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(HttpBodyTest, TextCapKeepsUtf8Whole) {
  HttpBodySettings settings;
  settings.max_text_bytes = 4;
  const auto result =
      decode(ContentCoding::identity, BodyFormat::plain, "ab\xC3\xA9\xC3\xA9", settings);
  EXPECT_EQ(result.text, "ab\xC3\xA9");
  EXPECT_TRUE(result.truncated);
}

TEST(HttpBodyTest, IdentityBodyCappedBeforeTextExtraction) {
  HttpBodySettings settings;
  settings.max_decoded_bytes = 10;
  const auto result =
      decode(ContentCoding::identity, BodyFormat::plain, "0123456789abcdef", settings);
  EXPECT_EQ(result.text, "0123456789");
  EXPECT_TRUE(result.truncated);
}

TEST(HttpBodyTest, FormJsonAndOtherFormats) {
  EXPECT_EQ(
      decode(ContentCoding::identity, BodyFormat::form, "name=Sam+Smith&message=see+you%21&&empty=")
          .text,
      "name=Sam Smith\nmessage=see you!\nempty=");
  EXPECT_EQ(decode(ContentCoding::identity, BodyFormat::json, R"({"q":"fish"})").text,
            R"({"q":"fish"})");
  BodyDecoder image(ContentCoding::identity, BodyFormat::other, HttpBodySettings{});
  EXPECT_FALSE(image.wanted());
  image.put(bytes("\xFF\xD8\xFF"));
  EXPECT_EQ(image.finish().text, "");
  BodyDecoder brotli(ContentCoding::unsupported, BodyFormat::html, HttpBodySettings{});
  EXPECT_FALSE(brotli.wanted());
  EXPECT_TRUE(brotli.finish().undecodable);
}

}  // namespace
}  // namespace hm::dissect
