#include "pdf/document.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

// The PDFs are read back with poppler's tools (pdftotext, pdfinfo, pdftoppm), an
// independent reader; each document is also left as PNG pages in HM_PDF_OUTPUT_DIR for
// a person to look at.

namespace hm::pdf {
namespace {

namespace fs = std::filesystem;

#ifndef HM_PDF_OUTPUT_DIR
#define HM_PDF_OUTPUT_DIR "/tmp/hallmonitor-pdf-test-output"
#endif

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  pclose(pipe);
  return output;
}

bool have_tool(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

class PdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* tool : {"pdftotext", "pdfinfo", "pdftoppm"}) {
      ASSERT_TRUE(have_tool(tool)) << tool
                                   << " is missing: install poppler-utils (tools/install-deps), "
                                      "the PDF tests read the documents back with it";
    }
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = fs::path(HM_PDF_OUTPUT_DIR) / info->name();
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }

  // Renders, keeps the PDF and its PNG pages in the output folder; the PDF's path.
  fs::path render(const Document& document) {
    Result<std::string> pdf = render_pdf(document);
    EXPECT_TRUE(pdf.ok()) << (pdf.ok() ? "" : pdf.error());
    if (!pdf.ok()) return {};
    fs::path path = folder_ / "document.pdf";
    std::ofstream(path, std::ios::binary) << *pdf;
    std::system(
        ("pdftoppm -png -r 60 '" + path.string() + "' '" + (folder_ / "page").string() + "'")
            .c_str());
    return path;
  }

  static std::string text(const fs::path& pdf, int page = 0) {
    const std::string range =
        page > 0 ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
    return run("pdftotext -layout -enc UTF-8" + range + " '" + pdf.string() + "' -");
  }

  static std::string info(const fs::path& pdf) {
    return run("pdfinfo -enc UTF-8 '" + pdf.string() + "'");
  }

  static int pages(const fs::path& pdf) {
    std::smatch match;
    const std::string out = info(pdf);
    if (!std::regex_search(out, match, std::regex(R"(Pages:\s+(\d+))"))) return -1;
    return std::stoi(match[1]);
  }

  fs::path folder_;
};

Document report(std::string title = "Weekly safeguarding report") {
  Document document;
  document.title = std::move(title);
  document.school = "Ysgol Gymraeg Llanfair";
  document.subject = "Week beginning 3 March 2025";
  document.footer_note = "Confidential: safeguarding";
  return document;
}

TEST_F(PdfTest, DrawsMultilingualTextAndMetadata) {
  Document document = report();
  document.created =
      std::chrono::sys_days{std::chrono::year{2025} / 3 / 10} + std::chrono::hours{9};
  document.add(Title{.text = "Weekly safeguarding report", .subtitle = "3–9 March 2025"})
      .add(Heading{.text = "Pupils named this week"})
      .add(Paragraph{.runs = {{"Zoë Brontë, "},
                              {"Łukasz Wójcik", true},
                              {", Siân Llŷr, "},
                              {"François Núñez", false, true},
                              {" and مريم"}}})
      .add(Paragraph::plain("Mae'r ŵyn yn chwarae ger y tŷ bach."))
      .add(KeyValueTable{.rows = {{"School", "Ysgol Gymraeg Llanfair"}, {"Week", "3–9 March"}}})
      .add(BulletList{.items = {"First point",
                                "Second point, long enough to wrap onto a second "
                                "line of the text column when printed on A4 paper "
                                "at ten points"}});
  const fs::path pdf = render(document);
  const std::string all = text(pdf);
  for (const char* expected :
       {"Weekly safeguarding report", "3–9 March 2025", "Zoë Brontë", "Łukasz Wójcik", "Siân Llŷr",
        "François Núñez", "Mae'r ŵyn yn chwarae ger y tŷ bach.", "Ysgol Gymraeg Llanfair",
        "Confidential: safeguarding", "Page 1 of 1", "Second point"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
  }
  const std::string meta = info(pdf);
  EXPECT_NE(meta.find("Weekly safeguarding report"), std::string::npos) << meta;
  EXPECT_NE(meta.find("Ysgol Gymraeg Llanfair"), std::string::npos) << meta;
  EXPECT_NE(meta.find("Week beginning 3 March 2025"), std::string::npos) << meta;
  EXPECT_NE(meta.find("2025"), std::string::npos) << meta;
  EXPECT_EQ(pages(pdf), 1);
}

TEST_F(PdfTest, MarkupCharactersShowLiterally) {
  Document document = report("Tom & Jerry <b>report</b>");
  document.add(Heading{.text = "<i>Searches</i> & more"})
      .add(Paragraph{.runs = {{"Searched for <b>not bold</b> & \"Tom & Jerry\" &amp; <span>"},
                              {" <u>x</u>", true}}})
      .add(Table{.columns = {{"Search"}, {"Count", 0.3, Align::kRight}},
                 .rows = {{"<script>alert(1)</script>", "1"}}});
  const fs::path pdf = render(document);
  const std::string all = text(pdf);
  for (const char* expected :
       {"Searched for <b>not bold</b> & \"Tom & Jerry\" &amp; <span>", "<u>x</u>",
        "<i>Searches</i> & more", "<script>alert(1)</script>", "Tom & Jerry <b>report</b>"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
  }
  EXPECT_NE(info(pdf).find("Tom & Jerry <b>report</b>"), std::string::npos) << info(pdf);
}

TEST_F(PdfTest, InvalidUtf8IsReplacedAndTheRestRenders) {
  Document document = report("Bad \xff bytes");
  std::string nul_inside = "nul";
  nul_inside += '\0';
  nul_inside += "inside";
  document.add(Paragraph::plain("Before \xff\xfe broken \xc3 after"))
      .add(Paragraph::plain("Truncated at the end \xe2\x82"))
      .add(Paragraph::plain(nul_inside))
      .add(Table{.columns = {{"Bad \xc0\xaf header"}}, .rows = {{"cell \xed\xa0\x80 ok"}}})
      .add(Paragraph::plain("A later paragraph still renders."));
  const fs::path pdf = render(document);
  const std::string all = text(pdf);
  for (const char* expected :
       {"Before", "broken", "after", "Truncated at the end", "nul", "inside", "header", "ok",
        "A later paragraph still renders.", "\xEF\xBF\xBD"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
  }
}

TEST_F(PdfTest, LongTableFlowsAcrossPagesWithItsHeaderRepeated) {
  Document document = report();
  document.add(Heading{.text = "Captures by device"});
  Table table{.columns = {{"Device name", 2}, {"Category", 2}, {"Captures", 1, Align::kRight}},
              .last_row_total = true,
              .caption = "Devices as known at the time of each capture."};
  for (int i = 1; i <= 120; ++i) {
    table.rows.push_back({"laptop-" + std::to_string(i), i % 3 == 0 ? "Bullying" : "Gambling",
                          std::to_string(i * 7)});
  }
  table.rows.push_back({"Total", "", "50820"});
  document.add(table).add(Paragraph::plain("After the table."));
  const fs::path pdf = render(document);
  const int count = pages(pdf);
  ASSERT_GE(count, 2);
  EXPECT_EQ(*count_pages(document), count);
  for (int page = 1; page <= count; ++page) {
    const std::string on_page = text(pdf, page);
    EXPECT_NE(on_page.find("Device name"), std::string::npos) << "page " << page << on_page;
    const std::string footer = "Page " + std::to_string(page) + " of " + std::to_string(count);
    EXPECT_NE(on_page.find(footer), std::string::npos) << footer << on_page;
  }
  const std::string all = text(pdf);
  for (const char* expected : {"laptop-1 ", "laptop-120", "840", "50820", "After the table."}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected;
  }
}

TEST_F(PdfTest, FooterCountsPages) {
  Document document = report();
  document.add(Paragraph::plain("One")).add(PageBreak{}).add(Paragraph::plain("Two"));
  document.add(PageBreak{}).add(PageBreak{}).add(Paragraph::plain("Three"));
  const fs::path pdf = render(document);
  ASSERT_EQ(pages(pdf), 3);
  EXPECT_NE(text(pdf, 2).find("Page 2 of 3"), std::string::npos) << text(pdf, 2);
  EXPECT_NE(text(pdf, 2).find("Two"), std::string::npos);
  EXPECT_NE(text(pdf, 3).find("Page 3 of 3"), std::string::npos);
}

TEST_F(PdfTest, HeadingIsKeptWithWhatFollows) {
  Document document = report();
  document.add(Paragraph::plain("Top of page one."))
      .add(Spacer{.height_mm = 240})
      .add(Heading{.text = "Kept heading"})
      .add(Paragraph::plain("The paragraph that belongs to the kept heading."));
  const fs::path pdf = render(document);
  ASSERT_EQ(pages(pdf), 2);
  EXPECT_EQ(text(pdf, 1).find("Kept heading"), std::string::npos) << text(pdf, 1);
  EXPECT_NE(text(pdf, 2).find("Kept heading"), std::string::npos);
  EXPECT_NE(text(pdf, 2).find("belongs to the kept heading"), std::string::npos);
}

TEST_F(PdfTest, ChartsShowTheirLabelsAndLegend) {
  Document document = report();
  const std::vector<std::string> categories = {"Bullying", "Self-harm",      "Extremism",
                                               "Gambling", "Discrimination", "Pornography"};
  document.add(Heading{.text = "This week against the last four"})
      .add(BarChart{.title = "Captures by category",
                    .categories = categories,
                    .series = {{"This week", {3, 1, 0, 7, 2, 0}},
                               {"Average of the last 4 weeks", {2.5, 0.25, 0, 4, 2, 1}}},
                    .value_label = "Captures"})
      .add(BarChart{.title = "Captures by group",
                    .categories = {"Year 6 (Oak class)", "Staff laptops",
                                   "Guest Wi-Fi and visitors' devices"},
                    .series = {{"This week", {12, 3, 40}},
                               {"Last week", {9, 0, 38}},
                               {"Term average", {10, 1, 30}}},
                    .horizontal = true})
      .add(LineChart{.title = "Captures per week",
                     .categories = {"3 Feb", "10 Feb", "17 Feb", "24 Feb", "3 Mar"},
                     .series = {{"Serious (4–5)", {1, 0, 2, 1, 3}}, {"All", {10, 14, 9, 12, 16}}},
                     .value_label = "Captures"});
  const fs::path pdf = render(document);
  const std::string all = text(pdf);
  for (const char* expected :
       {"Captures by category", "Bullying", "Self-harm", "Discrimination", "This week",
        "Average of the last 4 weeks", "2.5", "0.25", "Guest Wi-Fi", "Term average",
        "Captures per week", "Serious (4–5)", "24 Feb", "Captures"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
  }
}

TEST_F(PdfTest, AllZeroChartRenders) {
  Document document = report();
  document
      .add(BarChart{.categories = {"Bullying", "Drugs"},
                    .series = {{"This week", {0, 0}}, {"Average", {0, 0}}}})
      .add(BarChart{.categories = {"Bullying"}, .series = {{"This week", {0}}}, .horizontal = true})
      .add(LineChart{.categories = {"W1", "W2"}, .series = {{"All", {0, 0}}}})
      .add(BarChart{.title = "No categories at all"});
  const fs::path pdf = render(document);
  const std::string all = text(pdf);
  EXPECT_NE(all.find("Bullying"), std::string::npos) << all;
  EXPECT_NE(all.find("No categories at all"), std::string::npos) << all;
}

TEST_F(PdfTest, EmptyDocumentIsOnePage) {
  const fs::path pdf = render(Document{});
  EXPECT_EQ(pages(pdf), 1);
  EXPECT_EQ(*count_pages(Document{}), 1);
}

TEST_F(PdfTest, AnswerBoxAndNotes) {
  Document document = report();
  document.add(Note{.text = "Nothing was recorded this week."})
      .add(Note{.title = "Action needed",
                .text = "Two serious captures need review.",
                .tone = Tone::kWarning})
      .add(AnswerBox{.label = "What did the school do about this?",
                     .hint = "Who checked, when, and the outcome.",
                     .lines = 5});
  const fs::path pdf = render(document);
  const std::string all = text(pdf);
  for (const char* expected :
       {"Nothing was recorded this week.", "Action needed", "Two serious captures need review.",
        "To be answered by the school", "What did the school do about this?",
        "Who checked, when, and the outcome."}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
  }
}

TEST_F(PdfTest, NumberedListsMakeRoomForTwoDigitNumbers) {
  BulletList list{.numbered = true};
  for (int i = 1; i <= 12; ++i) list.items.push_back("Item number " + std::to_string(i));
  Document document = report();
  document.add(list);
  const std::string all = text(render(document));
  // Overlapping, "10." and its item would read as one word ("10.Item" or worse).
  for (const int n : {1, 9, 10, 12}) {
    const std::string number = std::to_string(n);
    EXPECT_TRUE(std::regex_search(
        all, std::regex("(^|\\s)" + number + "\\.\\s+Item number " + number + "\\b")))
        << n << "\n"
        << all;
  }
}

TEST_F(PdfTest, PosterHasBigTextAndNoPageFurniture) {
  Document document;
  document.title = "Notice";
  document.running_header = false;
  document.page_numbers = false;
  document.add(Spacer{.height_mm = 40})
      .add(BigText{.text = "This school's network is monitored"})
      .add(BigText{
          .text = "Mae rhwydwaith yr ysgol hon yn cael ei fonitro", .size_pt = 24, .bold = false});
  const fs::path pdf = render(document);
  const std::string all = text(pdf);
  EXPECT_NE(all.find("monitored"), std::string::npos) << all;
  EXPECT_NE(all.find("fonitro"), std::string::npos) << all;
  EXPECT_EQ(all.find("Page"), std::string::npos) << all;
  EXPECT_EQ(pages(pdf), 1);
}

TEST_F(PdfTest, ParagraphsBreakAcrossPagesBetweenLines) {
  Document document = report();
  std::string long_text;
  for (int i = 0; i < 400; ++i) long_text += "Sentence " + std::to_string(i) + " of the text. ";
  long_text += "The end.";
  document.add(Paragraph::plain(long_text));
  const fs::path pdf = render(document);
  EXPECT_GE(pages(pdf), 2);
  const std::string all = text(pdf);
  EXPECT_NE(all.find("Sentence 0 "), std::string::npos);
  EXPECT_NE(all.find("The end."), std::string::npos);
}

TEST_F(PdfTest, MistakesInTheDocumentAreErrorsNamingTheBlock) {
  Document bad_row = report();
  bad_row.add(Heading{.text = "Captures"});
  bad_row.add(Table{.columns = {{"A"}, {"B"}}, .rows = {{"only one"}}});
  Result<std::string> rendered = render_pdf(bad_row);
  ASSERT_FALSE(rendered.ok());
  EXPECT_NE(rendered.error().find("block 2 (table): row 1 has 1 cells, the table has 2 columns"),
            std::string::npos)
      << rendered.error();

  Document bad_series = report();
  bad_series.add(BarChart{.categories = {"A", "B"}, .series = {{"This week", {1}}}});
  rendered = render_pdf(bad_series);
  ASSERT_FALSE(rendered.ok());
  EXPECT_NE(rendered.error().find("bar chart"), std::string::npos) << rendered.error();

  Document negative = report();
  negative.add(LineChart{.categories = {"A"}, .series = {{"x", {-1}}}});
  EXPECT_FALSE(render_pdf(negative).ok());

  Document heading = report();
  heading.add(Heading{.text = "x", .level = 3});
  EXPECT_FALSE(render_pdf(heading).ok());
}

TEST_F(PdfTest, RendersOnSeveralThreadsAtOnce) {
  // The report scheduler and the web UI may each render at the same time.
  Document document = report();
  document.add(Heading{.text = "Threads"})
      .add(BarChart{.categories = {"A", "B"}, .series = {{"This week", {1, 2}}}});
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  threads.reserve(results.size());
  for (std::string& result : results) {
    threads.emplace_back([&document, &result] {
      Result<std::string> pdf = render_pdf(document);
      result = pdf.ok() ? *pdf : pdf.error();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) {
    EXPECT_EQ(result.rfind("%PDF-", 0), 0U) << result.substr(0, 200);
  }
}

TEST_F(PdfTest, WritePdfWritesTheFileOrSaysWhy) {
  Document document = report();
  document.add(Paragraph::plain("Written to disk."));
  const fs::path path = folder_ / "written.pdf";
  ASSERT_TRUE(write_pdf(document, path).ok());
  EXPECT_NE(text(path).find("Written to disk."), std::string::npos);
  EXPECT_FALSE(fs::exists(folder_ / "written.pdf.partial"));

  const Status failed = write_pdf(document, folder_ / "no-such-folder" / "x.pdf");
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().find("no-such-folder"), std::string::npos) << failed.error();
}

}  // namespace
}  // namespace hm::pdf
