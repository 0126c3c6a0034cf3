#include "library/e2guardian_import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "library/source_format.h"
#include "library/source_writer.h"

namespace hm::library {
namespace {

const match::Entry* find_entry(const E2guardianImport& import, std::string_view category,
                               std::string_view pattern) {
  const auto it = import.files.find(std::string(category));
  if (it == import.files.end()) return nullptr;
  for (const auto& entry : it->second.entries) {
    if (entry.pattern == pattern) return &entry;
  }
  return nullptr;
}

bool skipped_because(const E2guardianImport& import, std::string_view source,
                     std::string_view reason_part) {
  for (const auto& skipped : import.skipped) {
    if (skipped.source == source && skipped.reason.find(reason_part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(E2guardianImport, WeightedPhrasesBecomeGradedEntries) {
  E2guardianImport import;
  import_e2guardian_list(
      "#listcategory: \"IllegalDrugs\"\n"
      "\n"
      "< cocaine ><25>\n"
      "< crack pipe ><80>\n"
      "< cannabis >,< legalise ><40>\n"
      "< ketamine ><120>\n"
      "< lsd ><10>\n"
      "<heroin><60>\n"
      "< weed ><20%>\n",
      "ukenglish/illegaldrugs/weighted", {}, import);
  ASSERT_TRUE(import.files.contains("drugs"));
  EXPECT_EQ(import.files.at("drugs").entries.size(), 7u);
  const auto* cocaine = find_entry(import, "drugs", "cocaine");
  ASSERT_NE(cocaine, nullptr);
  EXPECT_EQ(cocaine->kind, match::EntryKind::word);
  EXPECT_EQ(cocaine->severity, 2);
  EXPECT_EQ(cocaine->language, "en");
  EXPECT_EQ(cocaine->source, "ukenglish/illegaldrugs/weighted:3");
  EXPECT_EQ(find_entry(import, "drugs", "crack pipe")->kind, match::EntryKind::phrase);
  EXPECT_EQ(find_entry(import, "drugs", "crack pipe")->severity, 4);
  const auto* combination = find_entry(import, "drugs", "cannabis, legalise");
  ASSERT_NE(combination, nullptr);
  EXPECT_EQ(combination->kind, match::EntryKind::combination);
  EXPECT_EQ(combination->severity, 3);
  EXPECT_EQ(find_entry(import, "drugs", "ketamine")->severity, 5);
  EXPECT_EQ(find_entry(import, "drugs", "lsd")->severity, 1);
  // Part-word "<heroin>" is narrowed to a whole word, and says so.
  const auto* heroin = find_entry(import, "drugs", "heroin");
  ASSERT_NE(heroin, nullptr);
  EXPECT_NE(heroin->note.find("part-word"), std::string::npos);
  EXPECT_EQ(import.narrowed, 1u);
  // 20% of the young-children limit of 50 is 10 points: severity 1.
  EXPECT_EQ(find_entry(import, "drugs", "weed")->severity, 1);
  EXPECT_TRUE(import.skipped.empty());
}

TEST(E2guardianImport, BannedAndExceptionListsAndCategoryFromTheFolder) {
  E2guardianImport import;
  // No #listcategory: the folder says gambling; no weights: a banned list.
  import_e2guardian_list("< video poker >\n< virtual casino >\n", "lists/gambling/banned", {},
                         import);
  import_e2guardian_list("< scunthorpe >\n", "lists/gambling/exceptionphraselist", {}, import);
  EXPECT_EQ(find_entry(import, "gambling", "video poker")->severity, 4);
  const auto* exception = find_entry(import, "gambling", "scunthorpe");
  ASSERT_NE(exception, nullptr);
  EXPECT_EQ(exception->kind, match::EntryKind::exception);
}

TEST(E2guardianImport, SkipsWhatItCannotMapAndSaysWhy) {
  E2guardianImport import;
  import_e2guardian_list(
      "#listcategory: \"porn\"\n"
      ".Include<@E2CONFDIR@/lists/phraselists/ukenglish/gore/weighted>\n"
      "< breast >,< medical ><-30>\n"
      "(^|[-\\?+=&/_])(big|huge)s?([-\\?+=&/_]|$)\n"
      "< a|b ><50>\n"
      "< unclosed <50\n"
      "< lingerie ><30>\n"
      "< LINGERIE ><40>\n"
      "<a>,<b>,<c>,<d>,<e>,<f>,<g>,<h>,<i><50>\n",
      "porn/weighted", {}, import);
  import_e2guardian_list("#listcategory: \"Chat\"\n< chatroom ><20>\n", "chat/weighted", {},
                         import);
  EXPECT_TRUE(skipped_because(import, "porn/weighted:2", "include"));
  EXPECT_TRUE(skipped_because(import, "porn/weighted:3", "negative weight"));
  EXPECT_TRUE(skipped_because(import, "porn/weighted:4", "outside < >"));
  EXPECT_TRUE(skipped_because(import, "porn/weighted:5", "a | inside"));
  EXPECT_TRUE(skipped_because(import, "porn/weighted:6", "without its >"));
  EXPECT_TRUE(skipped_because(import, "porn/weighted:8", "duplicate of an earlier phrase"));
  EXPECT_TRUE(skipped_because(import, "porn/weighted:9", "more than 8 parts"));
  EXPECT_TRUE(skipped_because(import, "chat/weighted:2", "not a safeguarding category"));
  ASSERT_TRUE(import.files.contains("pornography"));
  EXPECT_EQ(import.files.at("pornography").entries.size(), 1u);
  const std::string report = e2guardian_import_report(import);
  EXPECT_NE(report.find("imported 1 entries, skipped 8 phrases"), std::string::npos) << report;
  EXPECT_NE(report.find("porn/weighted:3: < breast >,< medical ><-30>"), std::string::npos)
      << report;
}

TEST(E2guardianImport, SkipsWhatALibraryFileCannotHold) {
  E2guardianImport import;
  // Latin-1 "café" (not UTF-8), found by the fuzzer: skipped, never written.
  import_e2guardian_list("< caf\xe9 bomb ><50>\n< nail bomb ><50>\n", "lists/weapons/weighted", {},
                         import);
  EXPECT_TRUE(skipped_because(import, "lists/weapons/weighted:1", "a library file can hold"));
  ASSERT_TRUE(import.files.contains("weapons"));
  EXPECT_EQ(import.files.at("weapons").entries.size(), 1u);
}

TEST(E2guardianImport, CategoryOptionOverridesTheLists) {
  E2guardianImport import;
  E2guardianImportOptions options;
  options.category = "bullying";
  options.language = "cy";
  import_e2guardian_list("#listcategory: \"Chat\"\n< twpsyn ><60>\n", "chat/weighted", options,
                         import);
  const auto* entry = find_entry(import, "bullying", "twpsyn");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->language, "cy");
}

TEST(E2guardianImport, HostileBytesNeverCrash) {
  E2guardianImport import;
  static constexpr char kJunk[] =
      "<\0>\xff\xfe<<>>,,<  ><-><%>< \x01 ><999999999999>\n#listcategory:\"";
  const std::string junk(kJunk, sizeof kJunk - 1);  // keeps the NUL inside
  import_e2guardian_list(junk, "junk", {}, import);
  import_e2guardian_list("", "empty", {}, import);
  import_e2guardian_list("<", "one", {}, import);
  EXPECT_EQ(import.lines_read, 3u);  // two junk lines and "<"
  EXPECT_TRUE(import.files.empty());
}

// The shared test lists (real e2guardian UK-English lists): the import's output is a
// library folder that loads and compiles, and the report accounts for every phrase.
TEST(E2guardianImport, RealListsRoundTripThroughTheSourceFormat) {
  const std::filesystem::path lists =
      std::filesystem::path(HM_TESTDATA_DIR) / "lists/e2guardian-phraselists/ukenglish";
  // Part of the project's shared test data (../shared/testdata): missing is a fault.
  ASSERT_TRUE(std::filesystem::exists(lists)) << "no test lists at " << lists;
  auto import = import_e2guardian_paths({lists}, {});
  ASSERT_TRUE(import) << import.error();
  std::size_t imported = 0;
  for (const auto& [id, file] : import->files) imported += file.entries.size();
  EXPECT_GT(imported, 1000u);
  EXPECT_TRUE(import->files.contains("pornography"));
  EXPECT_TRUE(import->files.contains("drugs"));
  EXPECT_TRUE(import->files.contains("weapons"));
  EXPECT_TRUE(import->files.contains("circumvention"));
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() /
      ("hm-e2g-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
       std::to_string(reinterpret_cast<std::uintptr_t>(&out)));
  std::filesystem::remove_all(out);
  for (const auto& [id, file] : import->files) {
    ASSERT_TRUE(write_source_file(out, file, "imported for a test"));
  }
  auto library = load_source_dir(out);
  ASSERT_TRUE(library) << library.error();
  EXPECT_EQ(library->entries.size(), imported);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace hm::library
