// The real starter library (firmware/library/*.hml): it loads, compiles, hits what the
// bundled sample capture plants and stays quiet on an ordinary school morning.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "library/categories.h"
#include "library/source_format.h"
#include "match/matcher.h"

namespace hm::library {
namespace {

using match::EntryKind;
using match::TextForm;

class StarterLibraryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto library = load_source_dir(default_source_dir());
    ASSERT_TRUE(library.ok()) << library.error();
    auto compiled = match::CompiledLibrary::compile(std::move(*library));
    ASSERT_TRUE(compiled.ok()) << compiled.error();
    compiled_ = new std::shared_ptr<const match::CompiledLibrary>(*compiled);
  }
  static void TearDownTestSuite() {
    delete compiled_;
    compiled_ = nullptr;
  }

  const match::Library& library() const { return (*compiled_)->library(); }

  // "category/pattern" of every hit, for readable failures.
  std::vector<std::string> hits(std::string_view text, TextForm form) {
    match::Scanner scanner(*compiled_);
    std::vector<std::string> out;
    for (const match::Hit& hit : scanner.scan_text(text, form)) {
      const match::Entry& entry = library().entries.at(hit.entry_index);
      out.push_back(entry.category + "/" + entry.pattern);
    }
    return out;
  }

  static std::shared_ptr<const match::CompiledLibrary>* compiled_;
};

std::shared_ptr<const match::CompiledLibrary>* StarterLibraryTest::compiled_ = nullptr;

TEST_F(StarterLibraryTest, HasEveryCategoryWithWordsForTheHeadteacher) {
  ASSERT_EQ(library().categories.size(), known_category_ids().size());
  std::map<std::string, int> per_category;
  for (const match::Entry& entry : library().entries) {
    ++per_category[entry.category];
  }
  for (std::string_view id : known_category_ids()) {
    const match::Category* category = library().find_category(id);
    ASSERT_NE(category, nullptr) << id;
    EXPECT_FALSE(category->title.empty()) << id;
    EXPECT_GE(category->description.size(), 100u) << id;
    EXPECT_GE(per_category[std::string(id)], 15) << id;
  }
  EXPECT_GE(library().entries.size(), 300u);
}

TEST_F(StarterLibraryTest, ContainsThePlantedEntries) {
  struct Planted {
    std::string category;
    EntryKind kind;
    std::string pattern;
    int severity;
  };
  const std::vector<Planted> planted = {
      {"pornography", EntryKind::domain, "pornhub.com", 4},
      {"gambling", EntryKind::domain, "bet365.com", 3},
      {"circumvention", EntryKind::domain, "nordvpn.com", 2},
      {"extremism", EntryKind::domain, "stormfront.org", 4},
      {"suicide", EntryKind::phrase, "how to kill myself", 5},
      {"weapons", EntryKind::phrase, "zombie knife", 4},
      {"grooming", EntryKind::phrase, "send me a picture of yourself", 4},
      {"bullying", EntryKind::phrase, "nobody likes you", 3},
  };
  for (const Planted& want : planted) {
    bool found = false;
    for (const match::Entry& entry : library().entries) {
      if (entry.pattern == want.pattern) {
        found = true;
        EXPECT_EQ(entry.category, want.category) << want.pattern;
        EXPECT_EQ(entry.kind, want.kind) << want.pattern;
        EXPECT_EQ(entry.severity, want.severity) << want.pattern;
      }
    }
    EXPECT_TRUE(found) << want.pattern;
  }
}

TEST_F(StarterLibraryTest, PlantedConcernsHitExactlyTheirEntry) {
  using Hits = std::vector<std::string>;
  EXPECT_EQ(hits("pornhub.com", TextForm::host_name), Hits{"pornography/pornhub.com"});
  EXPECT_EQ(hits("www.pornhub.com", TextForm::host_name), Hits{"pornography/pornhub.com"});
  EXPECT_EQ(hits("https://www.pornhub.com/", TextForm::url), Hits{"pornography/pornhub.com"});
  EXPECT_EQ(hits("www.bet365.com", TextForm::host_name), Hits{"gambling/bet365.com"});
  EXPECT_EQ(hits("nordvpn.com", TextForm::host_name), Hits{"circumvention/nordvpn.com"});
  EXPECT_EQ(hits("www.stormfront.org", TextForm::host_name), Hits{"extremism/stormfront.org"});
  EXPECT_EQ(hits("how to kill myself", TextForm::plain), Hits{"suicide/how to kill myself"});
  EXPECT_EQ(hits("http://www.google.com/search?q=how+to+kill+myself", TextForm::url),
            Hits{"suicide/how to kill myself"});
  EXPECT_EQ(hits("buy a zombie knife uk", TextForm::plain), Hits{"weapons/zombie knife"});
  EXPECT_EQ(hits("hey send me a picture of yourself x", TextForm::plain),
            Hits{"grooming/send me a picture of yourself"});
  EXPECT_EQ(hits("lol nobody likes you", TextForm::plain), Hits{"bullying/nobody likes you"});
}

TEST_F(StarterLibraryTest, OrdinarySchoolMorningGivesNoHits) {
  const std::vector<std::string> hosts = {
      "www.bbc.co.uk",
      "classroom.google.com",
      "www.google.com",
      "login.microsoftonline.com",
      "www.youtube.com",
      "en.wikipedia.org",
      "www.purplemash.com",
      "www.timestables.co.uk",
      "www.topmarks.co.uk",
      "www.educationcity.com",
      "www.scratch.mit.edu",
      "www.nationalgeographic.com",
      "www.sussex.gov.uk",
      "cdn.jsdelivr.net",
      "fonts.googleapis.com",
      "update.microsoft.com",
      "www.essex.gov.uk",
      "www.scunthorpe-united.co.uk",
      "www.middlesex.ac.uk",
      "www.bbc.co.uk/bitesize",
      "kids.nationalgeographic.com",
  };
  for (const std::string& host : hosts) {
    EXPECT_TRUE(hits(host, TextForm::host_name).empty()) << host;
    EXPECT_TRUE(hits("https://" + host + "/", TextForm::url).empty()) << host;
  }
  const std::vector<std::string> searches = {
      "fractions year 4",
      "romans facts for kids",
      "how to draw a cat",
      "weather in scunthorpe",
      "essex county council",
      "cocktail sausages recipe",
      "therapist near me",
      "analysis of poems",
      "sussex wildlife trust",
      "blue tits nesting box",
      "how to kill weeds in a lawn",
      "the great fire of london",
      "killer whale facts",
      "skills for life",
      "shooting stars",
      "middlesex hospital",
      "moby dick summary",
      "how to make a volcano",
      "world war 2 evacuees",
      "pot of gold rainbow",
      "coke float recipe",
      "the tudors and henry viii",
      "knife and fork skills",
      "grass snake facts",
      "faggots and peas recipe",
      "a chink of light",
      "offa's dyke walk",
      "pussy willow catkins",
      "how do you say goodbye in welsh",
      "self portrait ideas",
      "my dad helps me with homework",
      "bet you can't guess",
      "what is a casino",
      "cannon ball facts",
      "spice girls songs",
      "hitchhiker's guide",
  };
  for (const std::string& text : searches) {
    EXPECT_TRUE(hits(text, TextForm::plain).empty())
        << text << " hit " << ::testing::PrintToString(hits(text, TextForm::plain));
    std::string query = text;
    for (char& c : query) {
      c = c == ' ' ? '+' : c;
    }
    EXPECT_TRUE(hits("https://www.google.com/search?q=" + query, TextForm::url).empty()) << text;
  }
}

}  // namespace
}  // namespace hm::library
