#include "library/source_format.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace hm::library {
namespace {

constexpr std::string_view kHeader =
    "# A comment\n"
    "category: suicide\n"
    "title: Suicide\n"
    "description: Thoughts of ending one's life.\n"
    "description: Second line of the description.\n"
    "\n";

std::string with_header(std::string_view entries) {
  return std::string(kHeader) + std::string(entries);
}

// The error for a file whose only mistake is on line 7 (the first after the header).
std::string error_for(std::string_view entry_line) {
  auto parsed = parse_source(with_header(entry_line), "suicide.hml");
  EXPECT_FALSE(parsed.ok()) << "accepted: " << entry_line;
  return parsed.ok() ? std::string() : parsed.error();
}

TEST(SourceFormat, ParsesHeaderEntriesCommentsAndBlankLines) {
  auto parsed = parse_source(with_header("how to kill myself | phrase | 5 | en | intent\n"
                                         "   # an indented comment\n"
                                         "\n"
                                         "Example.COM.  |  DOMAIN |4|en\n"
                                         "suicidal\t|\tword\t|\t3\t|\ten-GB\t|\tnote | with bar\n"),
                             "suicide.hml");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->category.id, "suicide");
  EXPECT_EQ(parsed->category.title, "Suicide");
  EXPECT_EQ(parsed->category.description,
            "Thoughts of ending one's life. Second line of the description.");
  ASSERT_EQ(parsed->entries.size(), 3u);

  const match::Entry& phrase = parsed->entries[0];
  EXPECT_EQ(phrase.category, "suicide");
  EXPECT_EQ(phrase.kind, match::EntryKind::phrase);
  EXPECT_EQ(phrase.pattern, "how to kill myself");
  EXPECT_EQ(phrase.severity, 5);
  EXPECT_EQ(phrase.language, "en");
  EXPECT_EQ(phrase.note, "intent");
  EXPECT_EQ(phrase.source, "suicide.hml:7");

  const match::Entry& domain = parsed->entries[1];
  EXPECT_EQ(domain.kind, match::EntryKind::domain);
  EXPECT_EQ(domain.pattern, "example.com");
  EXPECT_EQ(domain.note, "");
  EXPECT_EQ(domain.source, "suicide.hml:10");

  EXPECT_EQ(parsed->entries[2].language, "en-gb");
  EXPECT_EQ(parsed->entries[2].note, "note | with bar");
}

TEST(SourceFormat, AcceptsWindowsLineEndingsAndByteOrderMark) {
  auto parsed = parse_source(
      "\xef\xbb\xbf"
      "category: suicide\r\ntitle: Suicide\r\ndescription: D\r\nkms | word | 4 | en\r\n",
      "suicide.hml");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_EQ(parsed->entries.size(), 1u);
  EXPECT_EQ(parsed->entries[0].source, "suicide.hml:4");
}

TEST(SourceFormat, CollapsesSpacesInsidePatterns) {
  auto parsed =
      parse_source(with_header("how   to  kill\tmyself | phrase | 5 | en\n"), "suicide.hml");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->entries[0].pattern, "how to kill myself");
}

TEST(SourceFormatErrors, BadSeverity) {
  EXPECT_EQ(error_for("kms | word | 7 | en\n"), "suicide.hml:7: severity must be 1–5, got \"7\"");
  EXPECT_EQ(error_for("kms | word | 0 | en\n"), "suicide.hml:7: severity must be 1–5, got \"0\"");
  EXPECT_EQ(error_for("kms | word | high | en\n"),
            "suicide.hml:7: severity must be 1–5, got \"high\"");
  EXPECT_EQ(error_for("kms | word |  | en\n"), "suicide.hml:7: severity must be 1–5, got \"\"");
}

TEST(SourceFormatErrors, BadKind) {
  EXPECT_EQ(error_for("kms | wrod | 4 | en\n"),
            "suicide.hml:7: kind must be word, phrase, domain, url, regex, combination, sha256 or "
            "exception, got \"wrod\"");
}

TEST(SourceFormatErrors, BadLanguage) {
  EXPECT_EQ(error_for("kms | word | 4 | English\n"),
            "suicide.hml:7: language must be a code such as \"en\" or \"cy\", got \"English\"");
}

TEST(SourceFormatErrors, MissingFields) {
  EXPECT_EQ(error_for("kms | word | 4\n"),
            "suicide.hml:7: expected pattern | kind | severity | language (and an optional | "
            "note), found only 3 fields");
  EXPECT_EQ(error_for("just some words\n"),
            "suicide.hml:7: expected an entry (pattern | kind | severity | language | note) or "
            "a header line (category:, title: or description:), got \"just some words\"");
}

TEST(SourceFormatErrors, EmptyPattern) {
  EXPECT_EQ(error_for(" | word | 4 | en\n"),
            "suicide.hml:7: the pattern (before the first |) is empty");
  EXPECT_EQ(error_for("... | word | 4 | en\n"),
            "suicide.hml:7: the pattern \"...\" has no letters or digits");
}

TEST(SourceFormatErrors, WordWithSpaces) {
  EXPECT_EQ(error_for("kill me | word | 4 | en\n"),
            "suicide.hml:7: a word cannot contain spaces: write \"kill me\" | phrase | … to "
            "match it as a phrase");
}

TEST(SourceFormatErrors, BadDomains) {
  EXPECT_NE(error_for("https://example.com/ | domain | 4 | en\n")
                .find("suicide.hml:7: write only the domain name"),
            std::string::npos);
  EXPECT_NE(error_for("*.example.com | domain | 4 | en\n")
                .find("suicide.hml:7: write example.com, not *.example.com"),
            std::string::npos);
  EXPECT_NE(error_for("localhost | domain | 4 | en\n")
                .find("suicide.hml:7: a domain needs at least two parts"),
            std::string::npos);
  EXPECT_NE(error_for("bad_name.com | domain | 4 | en\n")
                .find("suicide.hml:7: \"bad_name.com\" is not a domain name"),
            std::string::npos);
  EXPECT_NE(error_for("-x.com | domain | 4 | en\n").find("is not a domain name"),
            std::string::npos);
  EXPECT_NE(error_for("a..com | domain | 4 | en\n").find("is not a domain name"),
            std::string::npos);
  EXPECT_NE(error_for("b\xc3\xbc"
                      "cher.de | domain | 4 | de\n")
                .find("xn--"),
            std::string::npos);
}

TEST(SourceFormatErrors, Duplicates) {
  EXPECT_EQ(error_for("kms | word | 4 | en\nKMS | word | 3 | en\n"),
            "suicide.hml:8: \"KMS\" repeats the entry on line 7; keep one of them");
  // A one-word phrase is the same entry as the word.
  EXPECT_EQ(error_for("kms | word | 4 | en\nkms | phrase | 3 | en\n"),
            "suicide.hml:8: \"kms\" repeats the entry on line 7; keep one of them");
  EXPECT_EQ(
      error_for("how to kill myself | phrase | 5 | en\nhow-to  kill myself | phrase | 5 | en\n"),
      "suicide.hml:8: \"how-to kill myself\" repeats the entry on line 7; keep one of them");
  EXPECT_EQ(error_for("example.com | domain | 4 | en\nEXAMPLE.com. | domain | 4 | en\n"),
            "suicide.hml:8: \"example.com\" repeats the entry on line 7; keep one of them");
}

TEST(SourceFormatErrors, UnknownCategory) {
  auto parsed = parse_source("category: sucide\ntitle: S\ndescription: D\n", "sucide.hml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().rfind("sucide.hml:1: unknown category \"sucide\"; use one of: illegal, "
                                 "bullying,",
                                 0),
            0u)
      << parsed.error();
}

TEST(SourceFormatErrors, MissingHeader) {
  auto parsed = parse_source("kms | word | 4 | en\n", "suicide.hml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error(),
            "suicide.hml: missing the \"category:\" line; start the file with e.g. \"category: "
            "suicide\"\n"
            "suicide.hml: missing the \"title:\" line (the name shown to staff, e.g. \"title: "
            "Suicide\")\n"
            "suicide.hml: missing the \"description:\" line (a sentence or two for the "
            "headteacher)");
}

TEST(SourceFormatErrors, HeaderAfterEntriesAndUnknownHeader) {
  EXPECT_EQ(error_for("kms | word | 4 | en\ntitle: again\n"),
            "suicide.hml:8: header lines (title: …) must come before the first entry; move it up");
  auto parsed =
      parse_source("category: suicide\ntitle: S\ndescription: D\nauthor: me\n", "suicide.hml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error(),
            "suicide.hml:4: unknown header \"author\"; the header lines are "
            "category:, title: and description:");
}

TEST(SourceFormatErrors, InvalidUtf8) {
  EXPECT_EQ(error_for("k\xffms | word | 4 | en\n"),
            "suicide.hml:7: this line is not valid UTF-8 text; save the file as UTF-8");
}

TEST(SourceFormatErrors, ReportsEveryMistakeWithItsLine) {
  const std::string message =
      error_for("kms | word | 9 | en\nok entry | phrase | 3 | en\nx | nope | 3 | en\n");
  EXPECT_EQ(message,
            "suicide.hml:7: severity must be 1–5, got \"9\"\n"
            "suicide.hml:9: kind must be word, phrase, domain, url, regex, combination, sha256 or "
            "exception, got \"nope\"");
}

TEST(SourceFormatErrors, CapsTheNumberOfMessages) {
  std::string entries;
  for (int i = 0; i < 30; ++i) {
    entries += "w" + std::to_string(i) + " | word | 8 | en\n";
  }
  const std::string message = error_for(entries);
  EXPECT_NE(message.find("…and 10 more"), std::string::npos) << message;
}

class SourceDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-library-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, std::string_view text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(SourceDirTest, LoadsEveryHmlFileInNameOrder) {
  write("suicide.hml", "category: suicide\ntitle: Suicide\ndescription: D\nkms | word | 4 | en\n");
  write("gambling.hml",
        "category: gambling\ntitle: Gambling\ndescription: D\nbet365.com | domain | 3 | en\n");
  write("README.md", "not a library file | at all\n");
  auto library = load_source_dir(dir_);
  ASSERT_TRUE(library.ok()) << library.error();
  ASSERT_EQ(library->categories.size(), 2u);
  EXPECT_EQ(library->categories[0].id, "gambling");
  ASSERT_EQ(library->entries.size(), 2u);
  EXPECT_EQ(library->entries[0].source, "gambling.hml:4");
  EXPECT_EQ(library->version.rfind("source-", 0), 0u);
  ASSERT_NE(library->find_category("suicide"), nullptr);
  EXPECT_EQ(library->find_category("suicide")->title, "Suicide");
}

TEST_F(SourceDirTest, VersionChangesWithContent) {
  write("suicide.hml", "category: suicide\ntitle: Suicide\ndescription: D\nkms | word | 4 | en\n");
  auto first = load_source_dir(dir_);
  write("suicide.hml", "category: suicide\ntitle: Suicide\ndescription: D\nkms | word | 5 | en\n");
  auto second = load_source_dir(dir_);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->version, second->version);
}

TEST_F(SourceDirTest, FileMustBeNamedAfterItsCategory) {
  write("sad.hml", "category: suicide\ntitle: Suicide\ndescription: D\n");
  auto library = load_source_dir(dir_);
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.error(),
            "sad.hml: holds category \"suicide\", so it must be named "
            "suicide.hml (one file per category)");
}

TEST_F(SourceDirTest, RejectsAnEntryRepeatedInAnotherFile) {
  write("suicide.hml", "category: suicide\ntitle: S\ndescription: D\nkms | word | 4 | en\n");
  write("self-harm.hml", "category: self-harm\ntitle: S\ndescription: D\n\nkms | word | 4 | en\n");
  auto library = load_source_dir(dir_);
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.error(),
            "suicide.hml:4: \"kms\" is already an entry at self-harm.hml:5; "
            "keep it in one category only");
}

TEST_F(SourceDirTest, ReportsProblemsFromEveryFile) {
  write("suicide.hml", "category: suicide\ntitle: S\ndescription: D\nkms | word | 6 | en\n");
  write("drugs.hml", "category: drugs\ntitle: D\ndescription: D\nx | word | 3\n");
  auto library = load_source_dir(dir_);
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.error().find("drugs.hml:4: expected pattern"), std::string::npos);
  EXPECT_NE(library.error().find("suicide.hml:4: severity must be 1–5, got \"6\""),
            std::string::npos);
}

TEST_F(SourceDirTest, MissingOrEmptyFolder) {
  auto missing = load_source_dir(dir_ / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("no such library folder"), std::string::npos);
  auto empty = load_source_dir(dir_);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().find("holds no library files (*.hml)"), std::string::npos);
}

TEST(SourceFormat, DefaultSourceDirIsTheStarterLibrary) {
  EXPECT_EQ(default_source_dir(), std::filesystem::path(HM_SOURCE_DIR) / "firmware/library");
}

// Issue 4: the kinds beyond word/phrase/domain, options after the kind, escapes.
TEST(SourceFormatKinds, ParsesEveryKindAndItsOptions) {
  const std::string digest = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
  auto parsed =
      parse_source(with_header("example.org/videos/      | url              | 3 | en\n"
                               "k[i1]ll (him\\|her)     | regex            | 4 | en | bar escaped\n"
                               "meet, secret, don't tell | combination      | 4 | en\n" +
                               digest +
                               " | sha256 | 5 | en | a hash list\n"
                               "scunthorpe               | exception        | 1 | en\n"
                               "ass                      | word no-repeats no-leet | 2 | en\n"
                               "kms                      | word exact age=ks2 | 4 | en\n"),
                   "suicide.hml");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const auto& entries = parsed->entries;
  ASSERT_EQ(entries.size(), 7u);
  EXPECT_EQ(entries[0].kind, match::EntryKind::url);
  EXPECT_EQ(entries[0].pattern, "example.org/videos/");
  EXPECT_EQ(entries[1].kind, match::EntryKind::regex);
  EXPECT_EQ(entries[1].pattern, "k[i1]ll (him|her)");
  EXPECT_EQ(entries[1].note, "bar escaped");
  EXPECT_EQ(entries[2].kind, match::EntryKind::combination);
  EXPECT_EQ(entries[3].kind, match::EntryKind::sha256);
  EXPECT_EQ(entries[3].pattern, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  EXPECT_EQ(entries[4].kind, match::EntryKind::exception);
  EXPECT_EQ(entries[5].rules, match::kDecode | match::kAccents | match::kSplit);
  EXPECT_EQ(entries[5].min_age_group, match::AgeGroup::all);
  EXPECT_EQ(entries[6].rules, match::kExactRules);
  EXPECT_EQ(entries[6].min_age_group, match::AgeGroup::ks2);
  EXPECT_EQ(entries[0].rules, match::kAllRules);
}

TEST(SourceFormatKinds, RegexKeepsItsSpaces) {
  auto parsed = parse_source(with_header("a  b | regex | 3 | en\n"), "suicide.hml");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->entries[0].pattern, "a  b");
}

TEST(SourceFormatKinds, RejectsBadEntriesOfEachKindWithTheLine) {
  EXPECT_NE(error_for("(?<=a)b | regex | 3 | en\n")
                .find("suicide.hml:7: regex \"(?<=a)b\": "
                      "the expression does not compile"),
            std::string::npos);
  EXPECT_NE(error_for("a* | regex | 3 | en\n")
                .find("suicide.hml:7: regex \"a*\": the "
                      "expression can match empty text"),
            std::string::npos);
  EXPECT_NE(error_for("abc123 | sha256 | 3 | en\n").find("suicide.hml:7: a sha256 entry is"),
            std::string::npos);
  EXPECT_NE(error_for("justone | combination | 3 | en\n").find("suicide.hml:7: a combination is"),
            std::string::npos);
  EXPECT_NE(error_for("a, , b | combination | 3 | en\n").find("each part of a combination"),
            std::string::npos);
  EXPECT_NE(error_for("example.org | url | 3 | en\n").find("a url entry is a site and the start"),
            std::string::npos);
  EXPECT_NE(error_for("https://example.org/x | url | 3 | en\n").find("without http://"),
            std::string::npos);
  EXPECT_NE(error_for("bad_host/x | url | 3 | en\n").find("is not a domain name"),
            std::string::npos);
  EXPECT_EQ(error_for("kms | word no-lete | 3 | en\n"),
            "suicide.hml:7: unknown option \"no-lete\"; after the kind you may write no-decode, "
            "no-accents, no-leet, no-split, no-repeats, exact or age=ks1…ks5");
  EXPECT_EQ(error_for("kms | word age=ks9 | 3 | en\n"),
            "suicide.hml:7: age= takes eyfs, ks1, ks2, ks3, ks4 or ks5, got \"age=ks9\"");
}

TEST(SourceFormatKinds, DuplicatesDependOnKind) {
  // The same words as a phrase and as an exception, or a combination in another
  // order: the second is a repeat only when the matcher would treat them the same.
  EXPECT_TRUE(parse_source(with_header("blue tits | phrase | 2 | en\n"
                                       "blue tits | exception | 1 | en\n"),
                           "suicide.hml")
                  .ok());
  EXPECT_NE(error_for("a, b | combination | 3 | en\nb,a | combination | 3 | en\n")
                .find("suicide.hml:8: \"b,a\" repeats the entry on line 7"),
            std::string::npos);
}

}  // namespace
}  // namespace hm::library
