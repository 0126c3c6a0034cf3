#include "match/matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace hm::match {
namespace {

Entry entry(EntryKind kind, std::string pattern, int severity = 3,
            NormaliseRules rules = kAllRules) {
  Entry e;
  e.rules = rules;
  e.category = "test";
  e.kind = kind;
  e.pattern = std::move(pattern);
  e.severity = severity;
  e.language = "en";
  e.source = "test.hml:1";
  return e;
}

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Library library;
    library.categories.push_back(Category{"test", "Test", "for tests"});
    library.entries = {
        entry(EntryKind::word, "kill"),                  // 0
        entry(EntryKind::phrase, "how to kill myself"),  // 1
        entry(EntryKind::domain, "example.com"),         // 2
        entry(EntryKind::phrase, "can't go on"),         // 3
        entry(EntryKind::word, "sex"),                   // 4
        entry(EntryKind::phrase, "zombie knife"),        // 5
        entry(EntryKind::domain, "bet365.com"),          // 6
        entry(EntryKind::word, "anal"),                  // 7
        entry(EntryKind::word, "café"),                  // 8
        entry(EntryKind::domain, "bad-site.co.uk"),      // 9
    };
    auto compiled = CompiledLibrary::compile(std::move(library));
    ASSERT_TRUE(compiled.ok()) << compiled.error();
    scanner_ = std::make_unique<Scanner>(*compiled);
  }

  // The patterns hit, sorted, so expectations read as text.
  std::vector<std::string> hits(std::string_view text, TextForm form = TextForm::plain) {
    std::vector<std::string> out;
    for (const Hit& hit : scanner_->scan_text(text, form)) {
      out.push_back(scanner_->library().library().entries.at(hit.entry_index).pattern);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<Scanner> scanner_;
};

using Patterns = std::vector<std::string>;

TEST_F(MatcherTest, WordsMatchOnWordBoundaries) {
  EXPECT_EQ(hits("kill"), Patterns{"kill"});
  EXPECT_EQ(hits("i will kill him"), Patterns{"kill"});
  EXPECT_EQ(hits("kill."), Patterns{"kill"});
  EXPECT_EQ(hits("(kill)"), Patterns{"kill"});
  EXPECT_EQ(hits("kill_switch"), Patterns{"kill"});  // `_` separates, as in URL slugs
  EXPECT_EQ(hits("skill"), Patterns{});
  EXPECT_EQ(hits("killer whales"), Patterns{});
  EXPECT_EQ(hits("skills builder"), Patterns{});
  EXPECT_EQ(hits("kill2"), Patterns{});
}

TEST_F(MatcherTest, WordsDoNotHitInsideInnocentWords) {
  EXPECT_EQ(hits("sussex"), Patterns{});
  EXPECT_EQ(hits("essex county council"), Patterns{});
  EXPECT_EQ(hits("middlesex"), Patterns{});
  EXPECT_EQ(hits("analysis of poems"), Patterns{});
  EXPECT_EQ(hits("canal boats"), Patterns{});
  EXPECT_EQ(hits("sex education"), Patterns{"sex"});
}

TEST_F(MatcherTest, MatchingIsCaseInsensitive) {
  EXPECT_EQ(hits("KILL"), Patterns{"kill"});
  EXPECT_EQ(hits("How To Kill MYSELF"), (Patterns{"how to kill myself", "kill"}));
  EXPECT_EQ(hits("www.EXAMPLE.com", TextForm::host_name), Patterns{"example.com"});
}

TEST_F(MatcherTest, PhrasesAllowAnySeparatorsBetweenWords) {
  const Patterns expected{"how to kill myself", "kill"};
  EXPECT_EQ(hits("how to kill myself"), expected);
  EXPECT_EQ(hits("how  to\tkill   myself"), expected);
  EXPECT_EQ(hits("how+to+kill+myself"), expected);
  EXPECT_EQ(hits("how%20to%20kill%20myself"), expected);
  EXPECT_EQ(hits("how-to-kill-myself"), expected);
  EXPECT_EQ(hits("how_to_kill_myself"), expected);
  EXPECT_EQ(hits("how... to, kill! myself?"), expected);
  EXPECT_EQ(hits("search: how to kill myself now"), expected);
  EXPECT_EQ(hits("zombie knife"), Patterns{"zombie knife"});
  EXPECT_EQ(hits("zombie-knife"), Patterns{"zombie knife"});
}

TEST_F(MatcherTest, PhrasesNeedTheirWordsInOrderAndWhole) {
  EXPECT_EQ(hits("howtokillmyself"), Patterns{});
  EXPECT_EQ(hits("myself kill to how"), Patterns{"kill"});
  EXPECT_EQ(hits("how to kill myselfie"), Patterns{"kill"});
  EXPECT_EQ(hits("show to kill myself"), Patterns{"kill"});
  EXPECT_EQ(hits("zombie knives"), Patterns{});
  EXPECT_EQ(hits("zombieknife"), Patterns{});
}

TEST_F(MatcherTest, ApostrophesAreOptional) {
  EXPECT_EQ(hits("i can't go on"), Patterns{"can't go on"});
  EXPECT_EQ(hits("i cant go on"), Patterns{"can't go on"});
  EXPECT_EQ(hits("i can\xe2\x80\x99t go on"), Patterns{"can't go on"});
  EXPECT_EQ(hits("i can go on"), Patterns{});
  // An apostrophe in the text separates ("can't" is also "can t").
  EXPECT_EQ(hits("the kill's aftermath"), Patterns{"kill"});
}

TEST_F(MatcherTest, UrlsArePercentAndPlusDecoded) {
  const Patterns expected{"how to kill myself", "kill"};
  EXPECT_EQ(hits("https://www.google.com/search?q=how+to+kill+myself", TextForm::url), expected);
  EXPECT_EQ(hits("https://www.google.com/search?q=how%20to%20kill%20myself&hl=en", TextForm::url),
            expected);
  EXPECT_EQ(hits("https://www.google.com/search?q=HOW%2BTO%2BKILL%2BMYSELF", TextForm::url),
            expected);
  EXPECT_EQ(hits("https://en.wikipedia.org/wiki/Zombie_knife", TextForm::url),
            Patterns{"zombie knife"});
}

TEST_F(MatcherTest, DomainsMatchOnLabelBoundariesInHostNames) {
  EXPECT_EQ(hits("example.com", TextForm::host_name), Patterns{"example.com"});
  EXPECT_EQ(hits("www.example.com", TextForm::host_name), Patterns{"example.com"});
  EXPECT_EQ(hits("a.b.c.example.com", TextForm::host_name), Patterns{"example.com"});
  EXPECT_EQ(hits("example.com.", TextForm::host_name), Patterns{"example.com"});
  EXPECT_EQ(hits("badexample.com", TextForm::host_name), Patterns{});
  EXPECT_EQ(hits("bad-example.com", TextForm::host_name), Patterns{});
  EXPECT_EQ(hits("example.com.evil.net", TextForm::host_name), Patterns{});
  EXPECT_EQ(hits("example.community", TextForm::host_name), Patterns{});
  EXPECT_EQ(hits("example.co", TextForm::host_name), Patterns{});
  EXPECT_EQ(hits("mobile.bet365.com", TextForm::host_name), Patterns{"bet365.com"});
  EXPECT_EQ(hits("www.bad-site.co.uk", TextForm::host_name), Patterns{"bad-site.co.uk"});
  EXPECT_EQ(hits("site.co.uk", TextForm::host_name), Patterns{});
}

TEST_F(MatcherTest, DomainsMatchInTheHostPartOfUrls) {
  EXPECT_EQ(hits("http://example.com/", TextForm::url), Patterns{"example.com"});
  EXPECT_EQ(hits("https://www.example.com:8443/x?y=1", TextForm::url), Patterns{"example.com"});
  EXPECT_EQ(hits("http://user@example.com", TextForm::url), Patterns{"example.com"});
  EXPECT_EQ(hits("http://example.com.evil.net/", TextForm::url), Patterns{});
  EXPECT_EQ(hits("http://notexample.com/", TextForm::url), Patterns{});
  EXPECT_EQ(hits("go to example.com. then", TextForm::plain), Patterns{"example.com"});
}

TEST_F(MatcherTest, HostNamesOnlyHoldDomainEntries) {
  EXPECT_EQ(hits("kill.example.org", TextForm::host_name), Patterns{});
  EXPECT_EQ(hits("sex.example.org", TextForm::host_name), Patterns{});
  EXPECT_EQ(hits("kill.example.org", TextForm::plain), Patterns{"kill"});
}

TEST_F(MatcherTest, EachEntryIsReportedOnce) {
  const auto found =
      scanner_->scan_text("kill kill KILL how to kill myself, how to kill myself", TextForm::plain);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NE(found[0].entry_index, found[1].entry_index);
}

TEST_F(MatcherTest, NonAsciiBytesAreWordCharacters) {
  EXPECT_EQ(hits("un café noir"), Patterns{"café"});
  EXPECT_EQ(hits("cafés"), Patterns{});
  EXPECT_EQ(hits("kill\xc3\xa9"), Patterns{});
  // Invalid UTF-8 from the network is scanned as bytes, not rejected.
  EXPECT_EQ(hits("\xff\xfe kill \xc3"), Patterns{"kill"});
}

TEST_F(MatcherTest, ScansObservationsByTheirKind) {
  dissect::Observation observation;
  observation.kind = dissect::ObservationKind::tls_sni;
  observation.text = "www.example.com";
  ASSERT_EQ(scanner_->scan(observation).size(), 1u);
  observation.text = "kill.example.org";
  EXPECT_TRUE(scanner_->scan(observation).empty());
  observation.kind = dissect::ObservationKind::http_url;
  observation.text = "http://search.example.org/?q=zombie+knife";
  ASSERT_EQ(scanner_->scan(observation).size(), 1u);
}

TEST(CompiledLibrary, AnEmptyLibraryCompilesAndNeverHits) {
  auto compiled = CompiledLibrary::compile(Library{});
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  Scanner scanner(*compiled);
  EXPECT_TRUE(scanner.scan_text("anything at all", TextForm::plain).empty());
}

TEST(CompiledLibrary, EntriesCannotInjectRegexSyntax) {
  Library library;
  library.entries = {entry(EntryKind::word, "a.b"), entry(EntryKind::word, "(x|y)*"),
                     entry(EntryKind::phrase, "c++ [tutorial]"), entry(EntryKind::word, "\\d")};
  auto compiled = CompiledLibrary::compile(std::move(library));
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  Scanner scanner(*compiled);
  // Punctuation in a word is a separator, never syntax: "a.b" is "a b", "(x|y)*" is
  // "x y", "\d" is "d".
  EXPECT_TRUE(scanner.scan_text("axb xy xxyy d5 5", TextForm::plain).empty());
  EXPECT_EQ(scanner.scan_text("a.b", TextForm::plain).size(), 1u);
  EXPECT_EQ(scanner.scan_text("(x|y)*", TextForm::plain).size(), 1u);
  EXPECT_EQ(scanner.scan_text("c tutorial", TextForm::plain).size(), 1u);
}

TEST(CompiledLibrary, CompileErrorsNameTheEntrysSourceAndPattern) {
  Library library;
  library.entries = {entry(EntryKind::word, "fine")};
  // Look-behind is PCRE, not Hyperscan.
  Entry broken = entry(EntryKind::regex, "(?<=a)b");
  broken.source = "weapons.hml:12";
  library.entries.push_back(broken);
  auto compiled = CompiledLibrary::compile(std::move(library));
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.error().rfind("weapons.hml:12: regex \"(?<=a)b\" does not compile: ", 0), 0u)
      << compiled.error();
}

// Made-up words spelling n in base 20, a consonant and an "o" per digit: distinct,
// never English, and no letter twice in a row (which normalising would squeeze).
std::string made_up_word(std::size_t n) {
  static constexpr std::string_view kLetters = "bcdfghjklmnpqrstvwxz";
  std::string word = "q";
  do {
    word += kLetters[n % kLetters.size()];
    word += 'o';
    n /= kLetters.size();
  } while (n != 0);
  return word;
}

// The first design wrote boundaries into regular expressions and a library this size
// did not compile in five minutes; as literals it takes seconds (matcher_bench has
// the figures). Words, phrases and domains alike.
TEST(CompiledLibrary, FiftyThousandEntriesCompileAndMatch) {
  Library library;
  for (std::size_t n = 0; n < 50000; ++n) {
    switch (n % 3) {
      case 0: library.entries.push_back(entry(EntryKind::word, made_up_word(n))); break;
      case 1:
        library.entries.push_back(
            entry(EntryKind::phrase, made_up_word(n) + " " + made_up_word(n + 7)));
        break;
      default:
        library.entries.push_back(
            entry(EntryKind::domain, made_up_word(n) + ".example", 3, kExactRules));
    }
  }
  auto compiled = CompiledLibrary::compile(std::move(library));
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  EXPECT_LT((*compiled)->database_bytes(), 64u << 20);
  Scanner scanner(*compiled);
  const auto hit_of = [&](std::string_view text, TextForm form) {
    const auto hits = scanner.scan_text(text, form);
    return hits.size() == 1 ? static_cast<long>(hits.front().entry_index) : -1L;
  };
  EXPECT_EQ(hit_of("well " + made_up_word(49998) + "!", TextForm::plain), 49998);
  EXPECT_EQ(hit_of(made_up_word(40000) + "  " + made_up_word(40007), TextForm::plain), 40000);
  EXPECT_EQ(hit_of("www." + made_up_word(49997) + ".example", TextForm::host_name), 49997);
  EXPECT_EQ(hit_of(made_up_word(49998) + "x", TextForm::plain), -1);
  EXPECT_EQ(hit_of("nothing listed here", TextForm::plain), -1);
}

TEST(CompiledLibrary, ScannersOnOneLibraryAreIndependent) {
  Library library;
  library.entries = {entry(EntryKind::word, "kill")};
  auto compiled = CompiledLibrary::compile(std::move(library));
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  Scanner first(*compiled);
  Scanner second(*compiled);
  EXPECT_EQ(first.scan_text("kill", TextForm::plain).size(), 1u);
  EXPECT_EQ(second.scan_text("kill", TextForm::plain).size(), 1u);
  EXPECT_TRUE(first.scan_text("skill", TextForm::plain).empty());
}

}  // namespace
}  // namespace hm::match
