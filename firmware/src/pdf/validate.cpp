// Checks a caller's Document before anything is drawn: mistakes in the content
// (a table row with too few cells, a chart series of the wrong length) are errors
// naming the block, not a half-drawn report.

#include <cmath>
#include <iterator>
#include <optional>
#include <string>

#include "pdf/layout.h"

namespace hm::pdf {
namespace {

std::optional<std::string> series_problem(const std::vector<std::string>& categories,
                                          const std::vector<Series>& series) {
  for (const Series& s : series) {
    if (s.values.size() != categories.size()) {
      return "series \"" + valid_utf8(s.name) + "\" has " + std::to_string(s.values.size()) +
             " values, the chart has " + std::to_string(categories.size()) + " categories";
    }
    for (double value : s.values) {
      if (!std::isfinite(value) || value < 0) {
        return "series \"" + valid_utf8(s.name) +
               "\" has a value that is negative or not a "
               "number; charts show counts, 0 or more";
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> block_problem(const Block& block) {
  return std::visit(
      Overloaded{
          [](const Heading& h) -> std::optional<std::string> {
            if (h.level < 1 || h.level > 2) return "heading level must be 1 or 2";
            return std::nullopt;
          },
          [](const Table& t) -> std::optional<std::string> {
            if (t.columns.empty()) return "table has no columns";
            for (const TableColumn& c : t.columns) {
              if (!(c.width > 0) || !std::isfinite(c.width)) {
                return "table column \"" + valid_utf8(c.header) + "\" needs a width above 0";
              }
            }
            for (size_t r = 0; r < t.rows.size(); ++r) {
              if (t.rows[r].size() != t.columns.size()) {
                return "row " + std::to_string(r + 1) + " has " + std::to_string(t.rows[r].size()) +
                       " cells, the table has " + std::to_string(t.columns.size()) + " columns";
              }
            }
            return std::nullopt;
          },
          [](const KeyValueTable& t) -> std::optional<std::string> {
            if (!(t.key_width > 0.05 && t.key_width < 0.95)) {
              return "key/value table key_width must be between 0.05 and 0.95";
            }
            return std::nullopt;
          },
          [](const AnswerBox& a) -> std::optional<std::string> {
            if (a.lines < 1 || a.lines > 30) return "answer box needs 1 to 30 lines";
            return std::nullopt;
          },
          [](const BarChart& c) -> std::optional<std::string> {
            if (!(c.height_mm >= 20 && c.height_mm <= 240)) {
              return "bar chart height must be 20 to 240 mm";
            }
            return series_problem(c.categories, c.series);
          },
          [](const LineChart& c) -> std::optional<std::string> {
            if (!(c.height_mm >= 20 && c.height_mm <= 240)) {
              return "line chart height must be 20 to 240 mm";
            }
            return series_problem(c.categories, c.series);
          },
          [](const Spacer& s) -> std::optional<std::string> {
            if (!(s.height_mm >= 0 && s.height_mm <= 250)) return "spacer must be 0 to 250 mm";
            return std::nullopt;
          },
          [](const BigText& b) -> std::optional<std::string> {
            if (!(b.size_pt >= 6 && b.size_pt <= 200)) return "big text size must be 6 to 200 pt";
            return std::nullopt;
          },
          [](const auto&) -> std::optional<std::string> { return std::nullopt; },
      },
      block);
}

constexpr const char* kBlockNames[] = {
    "title",      "heading",   "paragraph",  "bullet list", "key/value table", "table",   "note",
    "answer box", "bar chart", "line chart", "spacer",      "page break",      "big text"};
static_assert(std::size(kBlockNames) == std::variant_size_v<Block>);

}  // namespace

Status check(const Document& document) {
  if (!(document.margin_mm >= 10 && document.margin_mm <= 40)) {
    return error("PDF document \"" + valid_utf8(document.title) +
                 "\": margin_mm must be 10 to 40 mm");
  }
  for (size_t i = 0; i < document.blocks.size(); ++i) {
    if (auto problem = block_problem(document.blocks[i])) {
      return error("PDF document \"" + valid_utf8(document.title) + "\", block " +
                   std::to_string(i + 1) + " (" + kBlockNames[document.blocks[i].index()] +
                   "): " + *problem);
    }
  }
  return Ok{};
}

}  // namespace hm::pdf
