#include "match/normalise.h"

#include <gtest/gtest.h>

namespace hm::match {
namespace {

TEST(Normalise, LowerCasesAscii) {
  EXPECT_EQ(normalise("Fractions YEAR 4", TextForm::plain), "fractions year 4");
  EXPECT_EQ(normalise("WWW.BBC.CO.UK", TextForm::host_name), "www.bbc.co.uk");
}

TEST(Normalise, DecodesUrlsOnly) {
  EXPECT_EQ(normalise("/search?q=how+to%20Draw%2Ba+cat", TextForm::url),
            "/search?q=how to draw+a cat");
  EXPECT_EQ(normalise("c++ and 100%20", TextForm::plain), "c++ and 100%20");
}

TEST(Normalise, LeavesBrokenEscapesAlone) {
  EXPECT_EQ(normalise("100%", TextForm::url), "100%");
  EXPECT_EQ(normalise("%zz%4", TextForm::url), "%zz%4");
  EXPECT_EQ(normalise("%41%4", TextForm::url), "a%4");
}

TEST(Normalise, DecodesOnce) { EXPECT_EQ(normalise("%2520", TextForm::url), "%20"); }

TEST(Normalise, ControlBytesBecomeSpaces) {
  EXPECT_EQ(normalise("a%00b%0Ac", TextForm::url), "a b c");
  EXPECT_EQ(normalise(std::string_view("a\0b\tc", 5), TextForm::plain), "a b c");
}

TEST(Normalise, KeepsNonAsciiBytes) {
  EXPECT_EQ(normalise("Caf\xc3\xa9 %C3%A9", TextForm::url), "caf\xc3\xa9 \xc3\xa9");
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

}  // namespace
}  // namespace hm::match
