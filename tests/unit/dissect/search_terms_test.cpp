#include "dissect/search_terms.h"

#include <gtest/gtest.h>

namespace hm::dissect {
namespace {

TEST(SearchTermsTest, CommonSearchEngines) {
  EXPECT_EQ(search_terms("www.google.com", "/search?q=how+to+tie+a+tie&oq=how"),
            "how to tie a tie");
  EXPECT_EQ(search_terms("www.google.co.uk", "/search?hl=en&q=caf%C3%A9+near+me"),
            "caf\xC3\xA9 near me");
  EXPECT_EQ(search_terms("clients1.google.ca", "/complete/search?client=chrome&hl=en-US&q=cr"),
            "cr");
  EXPECT_EQ(search_terms("www.bing.com", "/search?q=zombie+knife&form=QBLH"), "zombie knife");
  EXPECT_EQ(search_terms("duckduckgo.com", "/?q=rainbow%20fish&ia=web"), "rainbow fish");
  EXPECT_EQ(search_terms("html.duckduckgo.com", "/html/?q=volcano"), "volcano");
  EXPECT_EQ(search_terms("uk.search.yahoo.com", "/search?p=weather+leeds&fr=yfp"), "weather leeds");
  EXPECT_EQ(search_terms("www.youtube.com", "/results?search_query=minecraft+houses"),
            "minecraft houses");
  EXPECT_EQ(search_terms("www.ecosia.org", "/search?method=index&q=tree+frogs"), "tree frogs");
  EXPECT_EQ(search_terms("en.wikipedia.org", "/w/index.php?search=Roman+Britain&title=Special"),
            "Roman Britain");
  EXPECT_EQ(search_terms("en.m.wikipedia.org", "/wiki/Special:Search?search=Boudica"), "Boudica");
}

TEST(SearchTermsTest, OnlySearchPathsOfKnownSitesOnLabelBoundaries) {
  EXPECT_EQ(search_terms("www.notgoogle.com", "/search?q=x"), std::nullopt);
  EXPECT_EQ(search_terms("google.com.evil.example", "/search?q=x"), std::nullopt);
  EXPECT_EQ(search_terms("www.google.com", "/url?q=https://example.org/"), std::nullopt);
  EXPECT_EQ(search_terms("www.bing.com", "/images/search?q=x"), std::nullopt);
  EXPECT_EQ(search_terms("www.youtube.com", "/watch?v=abc&q=x"), std::nullopt);
  EXPECT_EQ(search_terms("www.example.com", "/search?q=x"), std::nullopt);
  EXPECT_EQ(search_terms("www.google.com", "/search"), std::nullopt);
}

TEST(SearchTermsTest, ParameterMatchesByExactNameAndBlankTermsAreSkipped) {
  EXPECT_EQ(search_terms("www.google.com", "/search?oq=partial&q=full+query"), "full query");
  EXPECT_EQ(search_terms("www.google.com", "/search?q=&q=second"), "second");
  EXPECT_EQ(search_terms("www.google.com", "/search?q=+%20+"), std::nullopt);
  EXPECT_EQ(search_terms("www.google.com", "/search?q=hello#fragment"), "hello");
}

TEST(SearchTermsTest, HostPortAndAbsoluteFormTargets) {
  EXPECT_EQ(search_terms("www.google.com:80", "/search?q=port"), "port");
  EXPECT_EQ(search_terms("www.google.com.", "/search?q=dot"), "dot");
  EXPECT_EQ(search_terms("proxy.school.example", "http://www.bing.com/search?q=via+proxy"),
            "via proxy");
  EXPECT_EQ(search_terms("[2001:db8::1]", "/search?q=x"), std::nullopt);
}

TEST(SearchTermsTest, FormComponentDecoding) {
  EXPECT_EQ(decode_form_component("a+b%2Bc%25d"), "a b+c%d");
  EXPECT_EQ(decode_form_component("100%"), "100%");
  EXPECT_EQ(decode_form_component("%zz%4"), "%zz%4");
  EXPECT_EQ(decode_form_component("%41%62"), "Ab");
}

TEST(SearchTermsTest, TableRowsAreWellFormed) {
  for (const SearchSite& site : search_sites()) {
    EXPECT_FALSE(site.host.empty());
    EXPECT_FALSE(site.parameter.empty());
    EXPECT_TRUE(site.path_prefix.empty() || site.path_prefix.front() == '/') << site.host;
  }
}

}  // namespace
}  // namespace hm::dissect
