#include "match/normalise.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace hm::match {
namespace {

std::string all(std::string_view text, TextForm form = TextForm::plain) {
  return normalise(text, form, kAllRules);
}
std::string exact(std::string_view text, TextForm form = TextForm::plain) {
  return normalise(text, form, kExactRules);
}
std::string without(NormaliseRules off, std::string_view text, TextForm form = TextForm::plain) {
  return normalise(text, form, static_cast<NormaliseRules>(kAllRules & ~off));
}

TEST(Normalise, LowerCasesAscii) {
  EXPECT_EQ(all("Fractions YEAR 4"), "fractions year 4");
  EXPECT_EQ(all("WWW.BBC.CO.UK", TextForm::host_name), "www.bbc.co.uk");
}

TEST(Normalise, HostNamesAreOnlyLowerCased) {
  // No leetspeak, split letters or squeezed repeats in a DNS name, whatever is asked.
  EXPECT_EQ(all("WWW.Bet365.COM", TextForm::host_name), "www.bet365.com");
  EXPECT_EQ(all("a.b.c.d.example.com", TextForm::host_name), "a.b.c.d.example.com");
}

TEST(Normalise, DecodesUrls) {
  EXPECT_EQ(exact("/search?q=how+to%20Draw%2Ba+cat", TextForm::url), "/search?q=how to draw+a cat");
  EXPECT_EQ(exact("c++ and 100%20"), "c++ and 100%20");
  EXPECT_EQ(without(kDecode, "/q=a+b%20c", TextForm::url), "/q=a+b%20c");
}

TEST(Normalise, LeavesBrokenEscapesAlone) {
  EXPECT_EQ(exact("100%", TextForm::url), "100%");
  EXPECT_EQ(exact("%zz%4", TextForm::url), "%zz%4");
  EXPECT_EQ(exact("%41%4", TextForm::url), "a%4");
}

TEST(Normalise, DecodesOnce) { EXPECT_EQ(exact("%2520", TextForm::url), "%20"); }

TEST(Normalise, DecodesHtmlEntitiesInText) {
  EXPECT_EQ(exact("fish &amp; chips"), "fish & chips");
  EXPECT_EQ(exact("su&#105;cide &#x6B;ill"), "suicide kill");
  EXPECT_EQ(exact("don&rsquo;t"), "don't");
  EXPECT_EQ(exact("a&nbsp;b"), "a b");
  // Unknown or malformed references stay as they are.
  EXPECT_EQ(exact("&bogus; &#; &#xZZ; &#0; & alone"), "&bogus; &#; &#xzz; &#0; & alone");
  EXPECT_EQ(without(kDecode, "su&#105;cide"), "su&#105;cide");
  // Not in URLs, where & separates parameters.
  EXPECT_EQ(exact("/a?x=1&amp;y=2", TextForm::url), "/a?x=1&amp;y=2");
}

TEST(Normalise, ControlBytesBecomeSpaces) {
  EXPECT_EQ(exact("a%00b%0Ac", TextForm::url), "a b c");
  EXPECT_EQ(exact(std::string_view("a\0b\tc", 5)), "a b c");
}

TEST(Normalise, UnicodeCompatibilityAndCaseFolding) {
  EXPECT_EQ(exact("\xef\xbd\x93\xef\xbd\x95\xef\xbd\x89"), "sui");  // fullwidth ｓｕｉ
  EXPECT_EQ(exact("STRASSE Stra\xc3\x9f"
                  "e"),
            "strasse strasse");                                              // ß folds to ss
  EXPECT_EQ(exact("\xef\xac\x81sh"), "fish");                                // the ﬁ ligature
  EXPECT_EQ(exact("\xce\xa3\xce\x9f\xce\xa3"), "\xcf\x83\xce\xbf\xcf\x83");  // ΣΟΣ → σοσ
}

TEST(Normalise, RemovesAccentsUnlessSwitchedOff) {
  EXPECT_EQ(all("Caf\xc3\xa9 na\xc3\xafve"), "cafe naive");
  EXPECT_EQ(all("m\xc4\x83 sinucid"), "ma sinucid");  // Romanian ă
  EXPECT_EQ(all("cafe\xcc\x81"), "cafe");             // e + combining acute
  EXPECT_EQ(without(kAccents, "Caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(without(kAccents, "cafe\xcc\x81"), "caf\xc3\xa9");  // composed (NFKC)
  EXPECT_EQ(all("\xc5\x81\xc3\xb3"
                "d\xc5\xba"),
            "\xc5\x82"
            "odz");  // Łódź: ł has no mark
}

TEST(Normalise, RemovesInvisibleCharacters) {
  EXPECT_EQ(exact("su\xe2\x80\x8bi\xc2\xad"
                  "cide"),
            "suicide");  // zero-width space, soft hyphen
}

TEST(Normalise, NonAsciiPunctuationAndSymbolsBecomeSeparators) {
  EXPECT_EQ(exact("can\xe2\x80\x99t"), "can't");
  EXPECT_EQ(exact("a\xe2\x80\x94"
                  "b"),
            "a-b");                                   // em dash
  EXPECT_EQ(exact("kill\xf0\x9f\x94\xaa"), "kill ");  // emoji
  EXPECT_EQ(exact("\xe2\x80\x9cquoted\xe2\x80\x9d"), " quoted ");
  EXPECT_EQ(exact("\xd8\xae\xd9\x88\xd8\xaf\xdb\x94"),
            "\xd8\xae\xd9\x88\xd8\xaf ");  // Urdu full stop
}

TEST(Normalise, KeepsBytesThatAreNotUtf8) {
  EXPECT_EQ(exact("\xff\xfe kill \xc3"), "\xff\xfe kill \xc3");
}

TEST(Normalise, JoinsSplitLetters) {
  EXPECT_EQ(all("s.u.i.c.i.d.e"), "suicide");
  EXPECT_EQ(all("i want s u i c i d e now"), "i want suicide now");
  EXPECT_EQ(all("k-m-s"), "kms");
  EXPECT_EQ(all("s . u . i"), "sui");
  // Fewer than three, or mixed separators, stay apart.
  EXPECT_EQ(all("a b"), "a b");
  EXPECT_EQ(all("i am a cat"), "i am a cat");
  EXPECT_EQ(all("s.u-i"), "s.u-i");
  EXPECT_EQ(without(kSplit, "s.u.i.c.i.d.e"), "s.u.i.c.i.d.e");
}

TEST(Normalise, ReadsLeetspeakInsideWords) {
  EXPECT_EQ(all("5u1c1d3"), "suicide");
  EXPECT_EQ(all("k!ll y0ur$elf"), "kil yourself");
  EXPECT_EQ(all("@ss"), "as");
  // Numbers on their own and punctuation after a word are left alone.
  EXPECT_EQ(all("year 4 has 30 pupils"), "year 4 has 30 pupils");
  EXPECT_EQ(all("kill!"), "kil!");
  EXPECT_EQ(all("5 a day"), "5 a day");
  EXPECT_EQ(without(kLeet, "5u1c1d3"), "5u1c1d3");
}

TEST(Normalise, CollapsesRepeatedLetters) {
  EXPECT_EQ(all("killlll"), "kil");
  EXPECT_EQ(all("kill"), "kil");
  EXPECT_EQ(all("suiciiiiide"), "suicide");
  EXPECT_EQ(all("1000 sheep"), "1000 shep");  // digits are not letters
  EXPECT_EQ(without(kRepeats, "killlll"), "killlll");
}

TEST(Normalise, RecordsWhereEachByteCameFrom) {
  NormalisedText out;
  normalise_into("x s.u.i%21", TextForm::url, kAllRules, out);
  ASSERT_EQ(out.text, "x sui!");
  ASSERT_EQ(out.origin.size(), out.text.size());
  EXPECT_EQ(out.origin[0], 0u);  // x
  EXPECT_EQ(out.origin[2], 2u);  // s
  EXPECT_EQ(out.origin[3], 4u);  // u
  EXPECT_EQ(out.origin[4], 6u);  // i
  EXPECT_EQ(out.origin[5], 7u);  // ! from %21
}

TEST(Normalise, FormOfObservationKinds) {
  using dissect::ObservationKind;
  EXPECT_EQ(text_form_of(ObservationKind::dns_query), TextForm::host_name);
  EXPECT_EQ(text_form_of(ObservationKind::tls_sni), TextForm::host_name);
  EXPECT_EQ(text_form_of(ObservationKind::http_host), TextForm::host_name);
  EXPECT_EQ(text_form_of(ObservationKind::http_url), TextForm::url);
  EXPECT_EQ(text_form_of(ObservationKind::http_search), TextForm::plain);
  EXPECT_EQ(text_form_of(ObservationKind::http_body), TextForm::plain);
}

// Stage 2 folds runs of ASCII itself and hands utf8proc only the rest (issue 9). An
// ASCII byte followed by a combining mark takes utf8proc's path; with marks removed
// the two paths must give every ASCII byte the same text.
TEST(Normalise, AsciiFastPathAgreesWithUtf8procForEveryByte) {
  const std::string acute = "\xcc\x81";  // U+0301, combining: stripped with kAccents
  for (int byte = 0; byte < 0x80; ++byte) {
    const std::string ascii(1, static_cast<char>(byte));
    const std::string fast = normalise(ascii + "x", TextForm::plain, kAccents);
    const std::string slow = normalise(ascii + acute + "x", TextForm::plain, kAccents);
    EXPECT_EQ(fast, slow) << "byte " << byte;
  }
}

// Mixed text, runs of ASCII between composed and decomposed letters, a control byte,
// curly quotes, a ligature and a byte that is not UTF-8: text and origins as the
// code-point-at-a-time stage 2 gave them before the fast path.
TEST(Normalise, MixedTextKeepsItsFormAndOriginsThroughTheAsciiFastPath) {
  const std::string text =
      "Caf\xc3\xa9 CAFE\xcc\x81 na\xc3\xafve\x01TAB\there \xe2\x80\x9cQuoted\xe2\x80\x9d "
      "\xef\xac\x81ne \xff"
      "END e\xcc\x81";
  NormalisedText accents_kept;
  normalise_into(text, TextForm::plain, 0, accents_kept);
  EXPECT_EQ(accents_kept.text,
            "caf\xc3\xa9 caf\xc3\xa9 na\xc3\xafve tab here  quoted  fine \xff"
            "end \xc3\xa9");
  EXPECT_EQ(accents_kept.origin,
            (std::vector<std::uint32_t>{0,  1,  2,  3,  3,  5,  6,  7,  8,  9,  9,  12, 13,
                                        14, 15, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
                                        27, 28, 29, 32, 33, 34, 35, 36, 37, 38, 41, 42, 42,
                                        45, 46, 47, 48, 49, 50, 51, 52, 53, 53}));
  NormalisedText accents_removed;
  normalise_into(text, TextForm::plain, kAccents, accents_removed);
  EXPECT_EQ(accents_removed.text,
            "cafe cafe naive tab here  quoted  fine \xff"
            "end e");
  EXPECT_EQ(
      accents_removed.origin,
      (std::vector<std::uint32_t>{0,  1,  2,  3,  5,  6,  7,  8,  9,  12, 13, 14, 15, 17, 18,
                                  19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 32, 33, 34, 35,
                                  36, 37, 38, 41, 42, 42, 45, 46, 47, 48, 49, 50, 51, 52, 53}));
}

// The matcher shares stages 1 and 2 between passes: the halves must add up to the
// whole for every form and rule set, whatever the text.
TEST(Normalise, BaseThenRestEqualsTheWholeForEveryRuleSet) {
  const std::vector<std::string> texts = {"How+to+K1LL+myself%3F",
                                          "s.u.i.c.i.d.e   now!!!",
                                          "Caf\xc3\xa9 &amp; cr\xc3\xa8me",
                                          "www.Bet365.COM",
                                          "killlll them",
                                          "\xe2\x80\x9cquoted\xe2\x80\x9d k m s",
                                          "",
                                          std::string("bad \xff utf8 \xc3")};
  const std::vector<NormaliseRules> rule_sets = {kAllRules,
                                                 kExactRules,
                                                 kAllRules | kWordSpacing,
                                                 kDecode | kAccents | kSplit,
                                                 kDecode | kLeet | kRepeats | kWordSpacing,
                                                 kAccents | kRepeats,
                                                 0};
  for (const TextForm form : {TextForm::plain, TextForm::url, TextForm::host_name}) {
    for (const auto& text : texts) {
      for (const NormaliseRules rules : rule_sets) {
        NormalisedText whole, base, rest;
        normalise_into(text, form, rules, whole);
        normalise_base(text, form, rules, base);
        normalise_rest(base, form, rules, rest);
        EXPECT_EQ(rest.text, whole.text) << text << " rules " << int{rules};
        EXPECT_EQ(rest.origin, whole.origin) << text << " rules " << int{rules};
        // Rule sets with the same base key give the same base.
        for (const NormaliseRules other : rule_sets) {
          if (base_rules(form, other) != base_rules(form, rules)) continue;
          NormalisedText other_base;
          normalise_base(text, form, other, other_base);
          EXPECT_EQ(other_base.text, base.text);
        }
      }
    }
  }
}

}  // namespace
}  // namespace hm::match
