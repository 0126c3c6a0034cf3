#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.h"

// PDF documents for the box's reports (weekly safeguarding report, governors' report,
// inspection evidence pack) and printable notices: a document model built in C++,
// laid out on A4 portrait pages and drawn with cairo + pango. Content modules
// (reports/) build a Document from blocks; render_pdf() flows the blocks across pages,
// adds the running header and the "Page X of Y" footer, and returns the PDF bytes.
//
// All text is UTF-8 and is drawn literally: it is never read as pango markup, so a
// pupil's search "<b>" or "Tom & Jerry" prints as typed. Invalid UTF-8 is replaced by
// U+FFFD. Any script pango can shape works (Welsh ŵ ŷ, Polish, Arabic).
//
// Blocks are plain aggregates whose every member has a default (so -Wextra's
// missing-field-initializers stays quiet), and designated initialisers read well:
//   doc.add(pdf::Heading{.text = "Captures this week"});
//   doc.add(pdf::Paragraph::plain("Nothing serious was seen."));
//   doc.add(pdf::Table{.columns = {{"Category", 0.6}, {"Count", 0.4, pdf::Align::kRight}},
//                      .rows = {{"Bullying", "3"}}});
namespace hm::pdf {

enum class Align { kLeft, kCentre, kRight };

// A run of text inside a paragraph; consecutive runs flow together.
struct TextRun {
  std::string text{};
  bool bold = false;
  bool italic = false;
};

// The document's main title, big, at the top of the first page (or wherever placed).
struct Title {
  std::string text{};
  std::string subtitle{};  // optional, e.g. "Week beginning Monday 3 March 2025"
};

// A section heading; level 1 or 2. Kept with the block after it: a heading never ends
// a page.
struct Heading {
  std::string text{};
  int level = 1;
};

// Body text, wrapped to the column width; breaks across pages between lines.
// '\n' in a run starts a new line.
struct Paragraph {
  std::vector<TextRun> runs{};
  Align align = Align::kLeft;
  bool small = false;  // smaller, grey text for footnotes and explanations

  static Paragraph plain(std::string text) { return Paragraph{.runs = {{std::move(text)}}}; }
};

struct BulletList {
  std::vector<std::string> items{};
  bool numbered = false;  // "1." "2." … instead of bullets
};

// Two columns, key in bold on the left: "School: St Mary's", "Week: 3–9 March".
struct KeyValueTable {
  std::vector<std::pair<std::string, std::string>> rows{};
  double key_width = 0.35;  // fraction of the column width given to the keys
};

struct TableColumn {
  std::string header{};
  double width = 1.0;          // relative: widths are scaled to fill the text column
  Align align = Align::kLeft;  // kRight for numbers
};

// A general table: a header row, then rows (one string per column; cells wrap).
// Rows split across pages between rows, and the header row is repeated on each page.
// A row with a different number of cells than there are columns is an error.
struct Table {
  std::vector<TableColumn> columns{};
  std::vector<std::vector<std::string>> rows{};
  bool zebra = true;            // shade every other row
  bool last_row_total = false;  // draw the last row bold, ruled off above ("Total")
  std::string caption{};        // optional, printed small below the table
};

enum class Tone {
  kInfo,     // a neutral remark: "Nothing was recorded this week."
  kWarning,  // needs the reader's action: heavier border, "!" marker
};

// A boxed callout.
struct Note {
  std::string title{};  // optional, bold first line
  std::string text{};
  Tone tone = Tone::kInfo;
};

// "To be answered by the school": a clearly marked box with a label, an optional
// hint, and ruled lines to write on by hand. Never split across pages.
struct AnswerBox {
  std::string label{};  // e.g. "What did the school do about this?"
  std::string hint{};   // optional, small, e.g. "Who checked, when, and the outcome"
  int lines = 4;        // ruled lines (1..30)
};

// One data series of a chart: one value per category, finite and ≥ 0.
struct Series {
  std::string name{};  // shown in the legend
  std::vector<double> values{};
};

// A grouped bar chart: for each category one bar per series (e.g. "This week" and
// "Average of the last 4 weeks"). Series are told apart by fill pattern as well as
// shade, so it prints in greyscale; bars carry their values. All-zero data draws an
// empty chart with a 0..1 axis. Each series must have one value per category.
// Charts are never split across pages (a horizontal chart fits about 35 rows).
struct BarChart {
  std::string title{};  // optional, above the chart
  std::vector<std::string> categories{};
  std::vector<Series> series{};
  std::string value_label{};  // optional axis label, e.g. "Captures"
  bool horizontal = false;    // bars run left to right; suits many or long category names
  bool show_values = true;    // print each bar's value at its end
  double height_mm = 75;      // the plot's height (ignored when horizontal: grows with rows)
};

// A line chart over categories (e.g. weeks), one line per series, distinguished by
// dash style and marker shape. Each series must have one value per category.
struct LineChart {
  std::string title{};
  std::vector<std::string> categories{};  // x-axis labels, in order
  std::vector<Series> series{};
  std::string value_label{};
  double height_mm = 65;
};

struct Spacer {
  double height_mm = 6;
};

// Starts a new page (ignored at the top of a page).
struct PageBreak {};

// Large centred text for posters and notices, wrapped to the column width.
struct BigText {
  std::string text{};
  double size_pt = 40;
  bool bold = true;
};

using Block = std::variant<Title, Heading, Paragraph, BulletList, KeyValueTable, Table, Note,
                           AnswerBox, BarChart, LineChart, Spacer, PageBreak, BigText>;

struct Document {
  // Metadata (PDF Info dictionary) and the running header.
  std::string title{};    // e.g. "Weekly safeguarding report"
  std::string school{};   // the school's name: the PDF's author, and in the header
  std::string subject{};  // optional PDF subject
  std::optional<std::chrono::sys_seconds> created{};  // the PDF's creation date; unset: now

  std::vector<Block> blocks{};

  bool running_header = true;  // title and school at the top of every page
  bool page_numbers = true;    // "Page X of Y" at the foot of every page
  std::string footer_note{};   // optional, left of the page number, e.g. "Confidential"
  double margin_mm = 18;       // A4 portrait, the same margin on all sides (10..40)

  Document& add(Block block) {
    blocks.push_back(std::move(block));
    return *this;
  }
};

// Lays out and draws the document; the PDF file's bytes, or an Error naming the block
// that could not be drawn (e.g. "block 4 (table): row 2 has 3 cells, the table has 4
// columns"). An empty document is one page with only its header and footer.
Result<std::string> render_pdf(const Document& document);

// render_pdf() written to `path` (through a temporary file beside it, then renamed).
Status write_pdf(const Document& document, const std::filesystem::path& path);

// How many pages render_pdf() makes of the document (same layout, nothing drawn).
Result<int> count_pages(const Document& document);

}  // namespace hm::pdf
