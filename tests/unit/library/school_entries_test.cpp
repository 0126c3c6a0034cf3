#include "library/school_entries.h"

#include <gtest/gtest.h>

#include "bundle_test_support.h"
#include "library/bundle_store.h"
#include "library/source_format.h"

namespace hm::library {
namespace {

constexpr std::int64_t kNow = 1'790'000'100;

class SchoolEntriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ = testing::fresh_dir(std::string("school-") + info->name());
    std::filesystem::create_directories(trusted_keys_dir(data_dir_));
    testing::write_file(trusted_keys_dir(data_dir_) / "publisher.pub", publisher_.public_pem);
    const auto path = data_dir_ / "in.hmlib";
    testing::write_file(path, testing::make_bundle(publisher_, 3, testing::good_sources()));
    ASSERT_FALSE(import_bundle(data_dir_, path, kNow).problem);
    auto active = load_active_library(data_dir_);
    ASSERT_TRUE(active && *active);
    base_ = (*active)->library();
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  static NewSchoolEntry entry(std::string pattern, std::string kind,
                              std::string category = "bullying", int severity = 3) {
    return NewSchoolEntry{std::move(category), std::move(pattern), std::move(kind), severity, "en",
                          "said in year 8"};
  }

  std::vector<std::string> hits(std::string_view text) {
    auto compiled = load_school_library(data_dir_);
    EXPECT_TRUE(compiled) << compiled.error();
    match::Scanner scanner(*compiled);
    std::vector<std::string> patterns;
    for (const match::Hit& hit : scanner.scan_text(text, match::TextForm::plain)) {
      patterns.push_back((*compiled)->library().entries[hit.entry_index].pattern);
    }
    return patterns;
  }

  crypto::SigningKeyPair publisher_ = crypto::generate_signing_key();
  std::filesystem::path data_dir_;
  match::Library base_;
};

TEST_F(SchoolEntriesTest, AddedEntryIsListedAndWrittenAsALibrarySourceFile) {
  auto added = add_school_entry(data_dir_, base_, entry("Bogbrush Gang", "phrase"));
  ASSERT_TRUE(added) << added.error();
  EXPECT_EQ(added->category, "bullying");
  EXPECT_EQ(added->kind, match::EntryKind::phrase);
  EXPECT_EQ(added->source, "school/bullying.hml:9");

  auto listed = list_school_entries(data_dir_);
  ASSERT_TRUE(listed) << listed.error();
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->front().pattern, "Bogbrush Gang");
  EXPECT_EQ(listed->front().note, "said in year 8");

  // `library check DATA/library/school` reads the folder as any library.
  auto checked = load_source_dir(school_entries_dir(data_dir_));
  ASSERT_TRUE(checked) << checked.error();
  EXPECT_EQ(checked->entries.size(), 1U);
  // Written atomically: no temporary file left behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& item :
       std::filesystem::directory_iterator(school_entries_dir(data_dir_))) {
    ++files;
  }
  EXPECT_EQ(files, 1U);
}

TEST_F(SchoolEntriesTest, EntriesAreCheckedLikeASourceLine) {
  auto bad_severity = add_school_entry(data_dir_, base_, entry("x y z", "phrase", "bullying", 7));
  ASSERT_FALSE(bad_severity);
  EXPECT_NE(bad_severity.error().find("severity"), std::string::npos) << bad_severity.error();
  EXPECT_EQ(bad_severity.error().find("entry:"), std::string::npos) << bad_severity.error();

  auto bad_kind = add_school_entry(data_dir_, base_, entry("bogbrush", "wrod"));
  ASSERT_FALSE(bad_kind);
  EXPECT_NE(bad_kind.error().find("wrod"), std::string::npos) << bad_kind.error();

  auto bad_category = add_school_entry(data_dir_, base_, entry("bogbrush", "word", "homework"));
  ASSERT_FALSE(bad_category);

  auto two_lines =
      add_school_entry(data_dir_, base_, entry("bogbrush\nmore | word | 5 | en", "word"));
  ASSERT_FALSE(two_lines);
  EXPECT_EQ(two_lines.error(), "Write the entry on one line.");

  auto bad_regex = add_school_entry(data_dir_, base_, entry("(unclosed", "regex"));
  ASSERT_FALSE(bad_regex);

  EXPECT_EQ(school_entries_state(data_dir_), "");
  EXPECT_FALSE(std::filesystem::exists(school_entries_dir(data_dir_) / "bullying.hml"));
}

TEST_F(SchoolEntriesTest, RefusesARepeatOfABundleEntryOrOfItsOwn) {
  auto repeat = add_school_entry(data_dir_, base_, entry("Online   Casino", "phrase", "bullying"));
  ASSERT_FALSE(repeat);
  EXPECT_NE(repeat.error().find("already in the library (gambling"), std::string::npos)
      << repeat.error();

  ASSERT_TRUE(add_school_entry(data_dir_, base_, entry("bogbrush", "word")));
  auto again = add_school_entry(data_dir_, base_, entry("BOGBRUSH", "word", "violence"));
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().find("already one of the school's own"), std::string::npos);

  // An exception may repeat the words of an entry.
  EXPECT_TRUE(add_school_entry(data_dir_, base_, entry("online casino", "exception")));
}

TEST_F(SchoolEntriesTest, CombinedLibraryHitsSchoolWordsAndSchoolExceptionsHideBundleHits) {
  EXPECT_EQ(hits("the bogbrush gang again"), std::vector<std::string>{});
  ASSERT_TRUE(add_school_entry(data_dir_, base_, entry("bogbrush gang", "phrase")));
  EXPECT_EQ(hits("the bogbrush gang again"), std::vector<std::string>{"bogbrush gang"});

  EXPECT_EQ(hits("an online casino game"), std::vector<std::string>{"online casino"});
  ASSERT_TRUE(
      add_school_entry(data_dir_, base_, entry("online casino game", "exception", "gambling", 1)));
  EXPECT_EQ(hits("an online casino game"), std::vector<std::string>{});
  EXPECT_EQ(hits("an online casino"), std::vector<std::string>{"online casino"});

  auto compiled = load_school_library(data_dir_);
  ASSERT_TRUE(compiled);
  EXPECT_TRUE((*compiled)->library().version.starts_with("bundle-3+school-"))
      << (*compiled)->library().version;
}

TEST_F(SchoolEntriesTest, RemoveTakesOutOneLineAndTheEmptyFile) {
  ASSERT_TRUE(add_school_entry(data_dir_, base_, entry("bogbrush", "word")));
  ASSERT_TRUE(add_school_entry(data_dir_, base_, entry("bogbrush gang", "phrase")));
  const std::string two = school_entries_state(data_dir_);
  EXPECT_FALSE(two.empty());

  auto missing = remove_school_entry(data_dir_, "bullying", "not there");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("no entry"), std::string::npos);

  auto removed = remove_school_entry(data_dir_, "bullying", "bogbrush");
  ASSERT_TRUE(removed) << removed.error();
  EXPECT_EQ(removed->kind, match::EntryKind::word);
  auto listed = list_school_entries(data_dir_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->front().pattern, "bogbrush gang");
  EXPECT_NE(school_entries_state(data_dir_), two);

  ASSERT_TRUE(remove_school_entry(data_dir_, "bullying", "bogbrush gang"));
  EXPECT_FALSE(std::filesystem::exists(school_entries_dir(data_dir_) / "bullying.hml"));
  EXPECT_EQ(school_entries_state(data_dir_), "");
}

TEST_F(SchoolEntriesTest, AHandBrokenFileIsReportedWithItsLine) {
  std::filesystem::create_directories(school_entries_dir(data_dir_));
  testing::write_file(school_entries_dir(data_dir_) / "bullying.hml",
                      "category: bullying\ntitle: B\ndescription: d\n\nbogbrush | word | 9 | en\n");
  auto listed = list_school_entries(data_dir_);
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().find("school/bullying.hml:5"), std::string::npos) << listed.error();
  EXPECT_FALSE(load_school_library(data_dir_));
}

}  // namespace
}  // namespace hm::library
