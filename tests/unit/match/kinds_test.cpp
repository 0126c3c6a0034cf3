// Matching semantics of the kinds beyond word/phrase/domain (matcher_test.cpp), of
// exceptions, and of each normalisation rule as an entry sees it: positive and
// negative cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "match/matcher.h"
#include "match/pattern.h"

namespace hm::match {
namespace {

using Patterns = std::vector<std::string>;

Entry make(EntryKind kind, std::string pattern, NormaliseRules rules = kAllRules) {
  Entry e;
  e.category = "test";
  e.kind = kind;
  e.pattern = std::move(pattern);
  e.severity = 3;
  e.language = "en";
  e.source = "test.hml:1";
  e.rules = rules;
  return e;
}

class Matching {
 public:
  explicit Matching(std::vector<Entry> entries) {
    Library library;
    library.entries = std::move(entries);
    auto compiled = CompiledLibrary::compile(std::move(library));
    if (!compiled.ok()) {
      ADD_FAILURE() << compiled.error();
      return;
    }
    compiled_ = *compiled;
    scanner_ = std::make_unique<Scanner>(compiled_);
  }

  // "kind:pattern" of every hit, sorted.
  Patterns hits(std::string_view text, TextForm form = TextForm::plain) {
    Patterns out;
    if (!scanner_) {
      return out;
    }
    for (const Hit& hit : scanner_->scan_text(text, form)) {
      out.push_back(name(hit.entry_index));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // "entry<-exception" for every suppressed hit.
  Patterns suppressed(std::string_view text, TextForm form = TextForm::plain) {
    Patterns out;
    ScanReport report;
    scanner_->scan_report(text, form, report);
    for (const Suppressed& s : report.suppressed) {
      out.push_back(name(s.entry_index) + "<-" + name(s.exception_index));
    }
    return out;
  }

  const CompiledLibrary& compiled() const { return *compiled_; }

 private:
  std::string name(std::uint32_t index) const {
    const Entry& e = compiled_->library().entries.at(index);
    return std::string(to_string(e.kind)) + ":" + e.pattern;
  }

  std::shared_ptr<const CompiledLibrary> compiled_;
  std::unique_ptr<Scanner> scanner_;
};

TEST(UrlEntries, MatchAPrefixOfTheHostAndPath) {
  Matching m({make(EntryKind::url, "example.org/videos/")});
  const Patterns hit{"url:example.org/videos/"};
  EXPECT_EQ(m.hits("https://example.org/videos/123", TextForm::url), hit);
  EXPECT_EQ(m.hits("http://www.example.org/videos/", TextForm::url), hit);
  EXPECT_EQ(m.hits("see example.org/videos/x in this text"), hit);
  EXPECT_EQ(m.hits("https://example.org/video", TextForm::url), Patterns{});
  EXPECT_EQ(m.hits("https://example.org/other/videos/", TextForm::url), Patterns{});
  EXPECT_EQ(m.hits("https://notexample.org/videos/", TextForm::url), Patterns{});
  EXPECT_EQ(m.hits("example.org", TextForm::host_name), Patterns{});
}

TEST(UrlEntries, ComparePercentDecodedPaths) {
  Matching m({make(EntryKind::url, "example.org/a%20b/")});
  EXPECT_EQ(m.hits("http://example.org/a%20b/c", TextForm::url),
            Patterns{"url:example.org/a%20b/"});
  EXPECT_EQ(m.hits("http://example.org/a+b/c", TextForm::url), Patterns{"url:example.org/a%20b/"});
}

TEST(RegexEntries, MatchAsWrittenOnExactText) {
  Matching m({make(EntryKind::regex, "k[i1]ll (him|her) tonight")});
  const Patterns hit{"regex:k[i1]ll (him|her) tonight"};
  EXPECT_EQ(m.hits("I will K1LL HER tonight"), hit);
  EXPECT_EQ(m.hits("kill him tonight"), hit);
  EXPECT_EQ(m.hits("kill them tonight"), Patterns{});
  // No leetspeak or squeezing for a regex: it says itself what it allows.
  EXPECT_EQ(m.hits("k!ll her tonight"), Patterns{});
  EXPECT_EQ(m.hits("kill her", TextForm::host_name), Patterns{});
}

TEST(RegexEntries, AreCheckedBeforeCompiling) {
  EXPECT_EQ(check_entry(make(EntryKind::regex, "ab+c")), std::nullopt);
  const auto look_behind = check_entry(make(EntryKind::regex, "(?<=a)b"));
  ASSERT_TRUE(look_behind.has_value());
  EXPECT_NE(look_behind->find("does not compile"), std::string::npos) << *look_behind;
  const auto empty = check_entry(make(EntryKind::regex, "a*"));
  ASSERT_TRUE(empty.has_value());
  EXPECT_NE(empty->find("empty"), std::string::npos) << *empty;
  EXPECT_TRUE(check_entry(make(EntryKind::regex, "(unclosed")).has_value());
}

TEST(CombinationEntries, NeedEveryPartSomewhereInTheObservation) {
  Matching m({make(EntryKind::combination, "meet, secret, don't tell")});
  const Patterns hit{"combination:meet, secret, don't tell"};
  EXPECT_EQ(m.hits("lets meet, it's a secret, dont tell your mum"), hit);
  EXPECT_EQ(m.hits("don't tell anyone. our secret. meet me"), hit);  // any order
  EXPECT_EQ(m.hits("lets meet, it's a secret"), Patterns{});
  EXPECT_EQ(m.hits("meeting secretly, don't tell"), Patterns{});  // parts are whole words
  EXPECT_EQ(m.hits("meet secret don't tell", TextForm::host_name), Patterns{});
}

TEST(CombinationEntries, PartsAreNormalisedToo) {
  Matching m({make(EntryKind::combination, "buy, weed")});
  EXPECT_EQ(m.hits("where 2 BUY w33d"), Patterns{"combination:buy, weed"});
}

TEST(Sha256Entries, AreLookedUpByDigestNeverInText) {
  const std::string hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  Matching m({make(EntryKind::word, "kill"), make(EntryKind::sha256, hex)});
  EXPECT_EQ(m.compiled().match_sha256(hex), std::optional<std::uint32_t>(1));
  std::string upper = hex;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_EQ(m.compiled().match_sha256(upper), std::optional<std::uint32_t>(1));
  Sha256Digest digest{};
  for (std::size_t i = 0; i < digest.size(); ++i) {
    digest[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  }
  EXPECT_EQ(m.compiled().match_sha256(digest), std::optional<std::uint32_t>(1));
  digest[0] ^= 1U;
  EXPECT_EQ(m.compiled().match_sha256(digest), std::nullopt);
  EXPECT_EQ(m.compiled().match_sha256(hex.substr(1)), std::nullopt);
  EXPECT_EQ(m.compiled().match_sha256("z" + hex.substr(1)), std::nullopt);
  EXPECT_EQ(m.hits(hex), Patterns{});
}

TEST(ExceptionEntries, SuppressHitsInsideThem) {
  Matching m({make(EntryKind::word, "tits"), make(EntryKind::exception, "blue tits"),
              make(EntryKind::word, "dick"), make(EntryKind::exception, "moby dick"),
              make(EntryKind::regex, "cunt"), make(EntryKind::exception, "scunthorpe")});
  EXPECT_EQ(m.hits("blue tits nesting box"), Patterns{});
  EXPECT_EQ(m.suppressed("blue tits nesting box"), Patterns{"word:tits<-exception:blue tits"});
  EXPECT_EQ(m.hits("Moby-Dick summary"), Patterns{});
  EXPECT_EQ(m.hits("weather in Scunthorpe"), Patterns{});
  EXPECT_EQ(m.suppressed("weather in Scunthorpe"), Patterns{"regex:cunt<-exception:scunthorpe"});
  // Outside the exception's span the entry still hits.
  EXPECT_EQ(m.hits("nice tits"), Patterns{"word:tits"});
  EXPECT_EQ(m.hits("blue tits and nice tits"), Patterns{"word:tits"});
  EXPECT_EQ(m.suppressed("blue tits and nice tits"), Patterns{});
  EXPECT_EQ(m.hits("dick in scunthorpe"), Patterns{"word:dick"});
  // An exception never hits by itself.
  EXPECT_EQ(m.hits("scunthorpe and moby dick"), Patterns{});
}

TEST(ExceptionEntries, WorkOnNormalisedTextAndInUrls) {
  Matching m({make(EntryKind::word, "tits"), make(EntryKind::exception, "blue tits")});
  EXPECT_EQ(m.hits("BLUE T1TS"), Patterns{});
  EXPECT_EQ(m.hits("https://www.rspb.org.uk/search?q=blue+tits", TextForm::url), Patterns{});
  EXPECT_EQ(m.hits("https://www.example.com/search?q=big+tits", TextForm::url),
            Patterns{"word:tits"});
}

TEST(ExceptionEntries, ApplyAcrossRuleSets) {
  // The word is matched without leetspeak, the exception with it: spans are compared
  // in the original text's offsets.
  Matching m({make(EntryKind::word, "cocks", kAllRules & ~kLeet),
              make(EntryKind::exception, "cocks and hens")});
  EXPECT_EQ(m.hits("c0cks and hens, cocks and hens"), Patterns{});
  EXPECT_EQ(m.hits("cocks"), Patterns{"word:cocks"});
}

// Each normalisation rule: an entry with the rule hits the disguised text; the same
// entry with the rule switched off does not, and an ordinary spelling hits both.
struct RuleCase {
  NormaliseRule rule;
  const char* pattern;
  const char* disguised;
  const char* plain;
};

class RuleSwitch : public ::testing::TestWithParam<RuleCase> {};

TEST_P(RuleSwitch, WorksAndCanBeSwitchedOffPerEntry) {
  const RuleCase& c = GetParam();
  Matching with({make(EntryKind::word, c.pattern)});
  Matching without({make(EntryKind::word, c.pattern, kAllRules & ~c.rule)});
  const Patterns hit{std::string("word:") + c.pattern};
  EXPECT_EQ(with.hits(c.disguised), hit) << c.disguised;
  EXPECT_EQ(without.hits(c.disguised), Patterns{}) << c.disguised;
  EXPECT_EQ(with.hits(c.plain), hit) << c.plain;
  EXPECT_EQ(without.hits(c.plain), hit) << c.plain;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RuleSwitch,
    ::testing::Values(RuleCase{kLeet, "suicide", "i want 5u1c1d3", "suicide"},
                      RuleCase{kSplit, "suicide", "s.u.i.c.i.d.e", "SUICIDE"},
                      RuleCase{kSplit, "suicide", "thinking about s u i c i d e", "suicide"},
                      RuleCase{kRepeats, "kill", "killlllll", "kill"},
                      RuleCase{kRepeats, "suicide", "suiciiiiide", "suicide"},
                      RuleCase{kAccents, "suicide",
                               "su\xc3\xaf"
                               "c\xc3\xaf"
                               "de",
                               "suicide"},
                      RuleCase{kDecode, "suicide", "su&#105;cide", "suicide"}));

TEST(Normalisation, AppliesToEntriesAndTextAlike) {
  // Entries written with capitals, accents or leetspeak are normalised the same way.
  Matching m({make(EntryKind::word, "Ca\xc3\xa9"), make(EntryKind::phrase, "KILL Y0URSELF")});
  EXPECT_EQ(m.hits("cae"), Patterns{"word:Ca\xc3\xa9"});
  EXPECT_EQ(m.hits("go kill yourself"), Patterns{"phrase:KILL Y0URSELF"});
  EXPECT_EQ(m.hits("go k1ll yoursellllf"), Patterns{"phrase:KILL Y0URSELF"});
}

TEST(Normalisation, UnicodeDisguises) {
  Matching m({make(EntryKind::word, "suicide")});
  const Patterns hit{"word:suicide"};
  EXPECT_EQ(
      m.hits(
          "\xef\xbd\x93\xef\xbd\x95\xef\xbd\x89\xef\xbd\x83\xef\xbd\x89\xef\xbd\x84\xef\xbd\x85"),
      hit);                                           // fullwidth
  EXPECT_EQ(m.hits("su\xe2\x80\x8bicide"), hit);      // zero-width space
  EXPECT_EQ(m.hits("SUICIDE\xf0\x9f\x98\xa2"), hit);  // emoji after the word
  EXPECT_EQ(m.hits("https://x.example/?q=%73uicide", TextForm::url), hit);
  EXPECT_EQ(m.hits("suicidal"), Patterns{});
}

TEST(Normalisation, LeetspeakLeavesNumbersAlone) {
  Matching m({make(EntryKind::word, "sad"), make(EntryKind::phrase, "year a")});
  EXPECT_EQ(m.hits("year 4 maths"), Patterns{});
  EXPECT_EQ(m.hits("5 a day"), Patterns{});
  EXPECT_EQ(m.hits("5@d"), Patterns{"word:sad"});
}

TEST(Normalisation, UrduAndWelshWords) {
  // Urdu script: marks (zer, zabar) are removed and ۔ is a full stop.
  Matching m({make(EntryKind::phrase, "\xd8\xae\xd9\x88\xd8\xaf\xda\xa9\xd8\xb4\xdb\x8c"),
              make(EntryKind::phrase, "lladd fy hun")});
  EXPECT_EQ(
      m.hits("\xd9\x85\xdb\x8c\xda\xba \xd8\xae\xd9\x88\xd8\xaf\xda\xa9\xd9\x8f\xd8\xb4\xdb\x8c"
             "\xdb\x94"),
      Patterns{"phrase:\xd8\xae\xd9\x88\xd8\xaf\xda\xa9\xd8\xb4\xdb\x8c"});
  EXPECT_EQ(m.hits("Dw i eisiau LLADD fy hun"), Patterns{"phrase:lladd fy hun"});
  EXPECT_EQ(m.hits("lladd fy hunan"), Patterns{});
}

TEST(Normalisation, ApostrophesSeparateInTextAndAreOptionalInEntries) {
  Matching m(
      {make(EntryKind::phrase, "neu bydda i'n rhannu"), make(EntryKind::phrase, "i'll hurt you")});
  // Welsh "'r" (the) after a word: "rhannu'r" holds "rhannu".
  EXPECT_EQ(m.hits("anfona lun arall neu bydda i'n rhannu'r un arall"),
            Patterns{"phrase:neu bydda i'n rhannu"});
  EXPECT_EQ(m.hits("neu bydda in rhannu"), Patterns{"phrase:neu bydda i'n rhannu"});
  EXPECT_EQ(m.hits("neu bydda i\xe2\x80\x99n rhannu"), Patterns{"phrase:neu bydda i'n rhannu"});
  EXPECT_EQ(m.hits("ill hurt you"), Patterns{"phrase:i'll hurt you"});
  EXPECT_EQ(m.hits("I'll   hurt you!!"), Patterns{"phrase:i'll hurt you"});
  EXPECT_EQ(m.hits("neu bydda i rhannu"), Patterns{});
}

TEST(ScanReport, IsReusableAndCleared) {
  Matching m({make(EntryKind::word, "kill")});
  ScanReport report;
  (void)report;
  EXPECT_EQ(m.hits("kill kill kill"), Patterns{"word:kill"});
  EXPECT_EQ(m.hits("nothing here"), Patterns{});
}

}  // namespace
}  // namespace hm::match
